"""The FastAPI application: the JSON API and the HTML dashboard over one read-only store.

``create_app(db_path)`` opens the DuckDB file read-only and returns the app; ``serve`` runs it
with uvicorn (127.0.0.1 by default).  When the file is replaced by a new snapshot (``os.replace``,
the way to add articles while serving: see ``ServerState``), the next request re-opens it.
Each JSON endpoint and its page call the same function of ``queries`` with the same validated
parameters, so the API and the pages cannot disagree.

Errors have one shape, ``{"error": {"code", "message"}}`` (the pages render the same message as
HTML): malformed or out-of-range parameters are ``400 invalid_parameter``, unknown articles and
routes ``404 not_found``.  Pages are rendered by Jinja2 with autoescaping on and the article
highlighting is escaped piece by piece (``highlight.py``); responses carry a Content-Security-
Policy that allows nothing but this server's own styles and images (the pages have no script).
Swagger UI and ReDoc are off because they load from a CDN; /openapi.json is served.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

import duckdb
import jinja2
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsevents import __version__
from newsevents.errors import InputError, NewsEventsError
from newsevents.server import charts, models, queries
from newsevents.server.highlight import article_spans, highlight
from newsevents.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# Sent with every response: no script at all, nothing from another origin, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorResponse, "description": "a parameter is malformed or out of range"},
    404: {"model": models.ErrorResponse, "description": "no such article or route"},
}

Text = Annotated[str | None, Query(max_length=queries.MAX_QUERY_CHARS)]
Day = Annotated[str | None, Query(max_length=32, description="ISO date YYYY-MM-DD, inclusive; empty means no bound")]


#: How long a request that finds the database file replaced waits for the requests still reading the
#: old file before it gives up and serves the old snapshot once more (requests take milliseconds;
#: five seconds covers the slowest page measured with the load test, with a wide margin).
SWAP_DRAIN_SECONDS = 5.0


class ServerState:
    """The store, opened read-only on first use and closed at shutdown (the app may be started
    again, as test clients do); hands out one DuckDB cursor per request, since a DuckDB
    connection must not be shared between threads.

    Snapshot swaps: DuckDB lets no process write a file that another process has open, so a
    ``newsevents run`` cannot write into the database the server reads.  Instead a run writes
    into a copy which then replaces the file (``os.replace``, atomic).  Every request checks the
    file's identity (device, inode, mtime, size); when it changed, the request waits until the
    requests still reading the old snapshot are done, closes it and opens the new file (DuckDB
    caches one database instance per path in a process, so the old one must be closed first).
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path
        self._store: Store | None = None
        self._identity: tuple[int, ...] | None = None
        self._active = 0  # requests holding a cursor on self._store
        self._cond = threading.Condition()

    def _file_identity(self) -> tuple[int, ...] | None:
        try:
            st = os.stat(self.db_path)
        except OSError:
            return None  # gone for a moment: keep serving what is open
        return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)

    def _current(self) -> Store:
        """The open store, re-opened first if the file was replaced (call with the condition held)."""
        identity = self._file_identity()
        stale = self._store is not None and identity is not None and identity != self._identity
        if stale and self._cond.wait_for(lambda: self._active == 0, timeout=SWAP_DRAIN_SECONDS):
            identity = self._file_identity()
            if self._store is not None:
                self._store.close()
            self._store = None
        if self._store is None:
            self._store = Store.open(self.db_path, read_only=True)
            self._identity = identity
        return self._store

    @property
    def store(self) -> Store:
        with self._cond:
            return self._current()

    def acquire(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one request on the current snapshot; give it back with ``release``."""
        with self._cond:
            cur = self._current()._con.cursor()
            self._active += 1
            return cur

    def release(self, cur: duckdb.DuckDBPyConnection) -> None:
        with self._cond:
            try:
                cur.close()
            finally:
                self._active -= 1
                self._cond.notify_all()

    def counts(self) -> dict[str, int]:
        """Row counts of the snapshot the calling request reads (it holds a cursor, so no swap happens)."""
        with self._cond:
            store = self._store if self._store is not None else self._current()
            return store.stats()

    def close(self) -> None:
        with self._cond:
            if self._store is not None:
                self._store.close()
                self._store = None


def _parse_day(value: str | None, name: str) -> Any:
    import datetime as dt

    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def event_query(
    actor: Annotated[Text, Query(description="actor code prefix, country or part of a name (source or target)")] = None,
    type: Annotated[Text, Query(description="PLOVER event type, e.g. CONSULT")] = None,  # noqa: A002
    cameo_root: Annotated[str | None, Query(max_length=4, description="CAMEO root code, e.g. 04")] = None,
    date_from: Day = None,
    date_to: Day = None,
    text: Annotated[Text, Query(description="text in the evidence sentence (case-insensitive)")] = None,
    sort: Literal["date", "confidence", "goldstein"] = "date",
    order: Literal["asc", "desc"] = "desc",
    page: Annotated[int, Query(ge=1, le=queries.MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = queries.DEFAULT_PAGE_SIZE,
) -> queries.EventQuery:
    """The filters, sort and page shared by /api/events and /events."""
    q = queries.EventQuery(
        actor=actor or None, plover=type.strip().upper() if type and type.strip() else None,
        cameo_root=cameo_root or None, date_from=_parse_day(date_from, "date_from"),
        date_to=_parse_day(date_to, "date_to"), text=text or None, sort=sort, order=order, page=page,
        page_size=page_size,
    )
    q.check()
    return q


def _cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    state: ServerState = request.app.state.newsevents
    cur = state.acquire()
    try:
        yield cur
    finally:
        state.release(cur)


Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(_cursor)]
EQ = Annotated[queries.EventQuery, Depends(event_query)]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["seg"] = lambda s: quote(str(s), safe="")
    env.filters["qs"] = lambda d: urlencode(d)
    env.filters["tone"] = charts.tone_colour
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)


def create_app(db_path: str | Path) -> FastAPI:
    """The app over the newsevents database at ``db_path``, opened read-only (StoreError if unusable)."""
    Store.open(db_path, read_only=True).close()  # fail now, with a clear StoreError, if the file is unusable
    state = ServerState(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="newsevents", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
        description="Events coded from news articles: who did what to whom, where and when. Read-only.",
    )
    app.state.newsevents = state
    templates = _templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def error(request: Request, status: int, code: str, message: str) -> Response:
        if _is_api(request):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        context = {"status": status, "code": code, "message": message, "nav": ""}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ())[1:]) or "request"
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return error(request, 400, "invalid_parameter", "; ".join(parts) or "invalid request")

    @app.exception_handler(InputError)
    async def on_input(request: Request, exc: InputError) -> Response:
        return error(request, 400, "invalid_parameter", exc.message)

    @app.exception_handler(NewsEventsError)
    async def on_store(request: Request, exc: NewsEventsError) -> Response:
        return error(request, 500, "store_error", exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error(request, exc.status_code, code, str(exc.detail))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def not_found(what: str) -> StarletteHTTPException:
        return StarletteHTTPException(404, f"no {what}")

    # ------------------------------------------------------------------ JSON

    @app.get("/api/events", response_model=models.EventsPage, responses=ERRORS, tags=["api"])
    def api_events(cur: Cursor, q: EQ) -> dict[str, Any]:
        """Events matching the filters (logical AND), one page, sorted."""
        return queries.events_page(cur, q)

    @app.get("/api/articles/{article_id:path}", response_model=models.Article, responses=ERRORS, tags=["api"])
    def api_article(cur: Cursor, article_id: str) -> dict[str, Any]:
        """An article's text and every span: events (with actors), actors, places, quotes, dates."""
        art = queries.article(cur, article_id)
        if art is None:
            raise not_found(f"article {article_id!r}")
        return art

    @app.get("/api/dyads", response_model=models.Dyad | models.Dyads, responses=ERRORS, tags=["api"])
    def api_dyads(cur: Cursor, a: Text = None, b: Text = None) -> dict[str, Any]:
        """Without parameters the most active actor pairs; with ``a`` and ``b`` that pair's daily series."""
        if a is None and b is None:
            return {"pairs": queries.top_pairs(cur)}
        if a is None or b is None:
            raise InputError("give both a and b (actor labels such as RUS and UKR), or neither")
        return queries.dyad(cur, a, b)

    @app.get("/api/stats", response_model=models.Stats, responses=ERRORS, tags=["api"])
    def api_stats(cur: Cursor) -> dict[str, Any]:
        """Row counts, events by PLOVER type and QuadClass, and the events' date range."""
        return queries.stats(cur, state.counts())

    @app.get("/api/search", response_model=models.SearchResult, responses=ERRORS, tags=["api"])
    def api_search(cur: Cursor, q: Annotated[str, Query(min_length=1, max_length=queries.MAX_QUERY_CHARS)]) -> dict:
        """Articles whose title or text, and events whose evidence, contain ``q`` (case-insensitive)."""
        return queries.search(cur, q)

    # ------------------------------------------------------------------ HTML

    def page(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request, cur: Cursor) -> HTMLResponse:
        data = queries.overview(cur, state.counts())
        return page(request, "overview.html", {
            "data": data, "timeline": charts.timeline_chart(data["timeline"]), "dots": charts.map_dots(data["map"]),
            "map_w": charts.MAP_WIDTH, "map_h": charts.MAP_HEIGHT, "nav": "overview",
        })

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_html(request: Request, cur: Cursor, q: EQ) -> HTMLResponse:
        result = queries.events_page(cur, q)
        return page(request, "events.html", {"result": result, "q": q, "params": q.as_params(), "nav": "events",
                                             "max_page_size": queries.MAX_PAGE_SIZE})

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_html(request: Request, cur: Cursor, article_id: str) -> HTMLResponse:
        art = queries.article(cur, article_id)
        if art is None:
            raise not_found(f"article {article_id!r}")
        return page(request, "article.html", {"art": art, "body": highlight(art["text"], article_spans(art)),
                                              "nav": "events"})

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_html(request: Request, cur: Cursor, a: str, b: str) -> HTMLResponse:
        data = queries.dyad(cur, a, b)
        by_day: dict[str, list[dict[str, Any]]] = {}
        for ev in data["events"]:
            key = ev["effective_date"].isoformat() if ev["effective_date"] else "undated"
            by_day.setdefault(key, []).append(ev)
        return page(request, "dyad.html", {"data": data, "chart": charts.dyad_chart(data["days"]), "by_day": by_day,
                                           "pairs": queries.top_pairs(cur), "nav": "dyads"})

    @app.get("/dyads", response_class=HTMLResponse, include_in_schema=False)
    def dyads_html(request: Request, cur: Cursor) -> HTMLResponse:
        return page(request, "dyads.html", {"pairs": queries.top_pairs(cur), "nav": "dyads"})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_html(request: Request, cur: Cursor, q: Text = None) -> HTMLResponse:
        result = queries.search(cur, q) if q and q.strip() else None
        return page(request, "search.html", {"result": result, "q": q or "", "nav": "search"})

    return app


def serve(db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run the dashboard with uvicorn until interrupted."""
    import uvicorn

    app = create_app(db_path)
    uvicorn.run(app, host=host, port=port, log_level="info")
