"""Read queries behind the HTTP API and the dashboard: one data path for JSON and HTML.

Every function takes a DuckDB cursor on a newsevents store (``Store._con.cursor()``, one per
request, because a DuckDB connection must not be shared between threads) and returns plain
dicts and lists; ``app.py`` serves them as JSON and renders the very same values into the
pages.  All values reach DuckDB as parameters; the only SQL fragments chosen at run time (the
ORDER BY of the events list, the time bucket of the overview) come from fixed tables here.

Actors are grouped under one *label* per actor mention: its country (ISO alpha-3) when it has
one, else its CAMEO code unless that is a bare sector code (``MIL``), else its name or text.
So "Russia", "the Kremlin" and "Putin" all count for ``RUS``, and the pair ``RUS``-``UKR``
gathers every Russian-Ukrainian event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from newsevents.errors import InputError, StoreError
from newsevents.queries import EventFilter, filter_sql

# Largest page of /api/events and /events: a page of 200 events is ~400 KB of JSON, enough for
# an analyst's table and small enough to render quickly; bulk access goes through the exporters.
MAX_PAGE_SIZE = 200
# Page size when none is asked for: one screenful of the events table.
DEFAULT_PAGE_SIZE = 50
# Highest page number accepted, so that OFFSET stays a small integer (10^5 pages of 200 events
# is 20 million events, more than any store this tool builds on one machine).
MAX_PAGE = 100_000
# How many actors and actor pairs the overview and /api/dyads list: a screenful of each.
TOP_N = 12
# Most events listed under a dyad's series or returned by the overview's "latest events".
MAX_DYAD_EVENTS = 1_000
LATEST_EVENTS = 15
# Hits per kind (articles, events) returned by /api/search.
SEARCH_LIMIT = 50
# Longest accepted search text or filter value (characters); longer input is a client error.
MAX_QUERY_CHARS = 200
# Characters of context on each side of a search hit in the snippet.
SNIPPET_CONTEXT = 80
# Most PLOVER types drawn separately in the overview chart; the rest are summed as "other".
# Eight distinguishable colours is what the chart palette holds.
CHART_TYPES = 8
# Time-bucket choice for the overview chart: days up to this many days of data, weeks up to
# TIMELINE_WEEK_MAX_DAYS, months beyond (so the chart has at most ~100-150 bars).
TIMELINE_DAY_MAX_DAYS = 120
TIMELINE_WEEK_MAX_DAYS = 3 * 366

SORTS: dict[str, str] = {
    "date": "e.effective_date {order} NULLS LAST, e.article_pk {order}, e.event_index",
    "confidence": "e.confidence {order} NULLS LAST, e.effective_date DESC NULLS LAST, e.event_id",
    "goldstein": "e.goldstein {order} NULLS LAST, e.effective_date DESC NULLS LAST, e.event_id",
}
ORDERS = ("asc", "desc")

# One label per actor mention (see the module docstring); ``x`` is an event_actors row.
_LABEL = (
    "coalesce(nullif(x.country, ''), CASE WHEN x.code <> coalesce(x.sector, '') THEN nullif(x.code, '') END, "
    "nullif(x.name, ''), x.text)"
)

_EVENT_FIELDS = (
    "event_id", "article_id", "title", "url", "published", "event_index", "sentence", "span_start", "span_end",
    "evidence", "trigger", "trigger_start", "trigger_end", "cameo", "cameo_root", "goldstein", "quad_class", "plover",
    "mode", "context", "negated", "hypothetical", "future", "historical", "date", "effective_date", "location",
    "location_country", "lat", "lon", "confidence", "source_codes", "target_codes", "source_names", "target_names",
)
# The columns of an event in every listing, from the event_list view aliased ``e``.
EVENT_COLUMNS = ", ".join(f"e.{name}" for name in _EVENT_FIELDS)


@dataclass(frozen=True)
class EventQuery:
    """Filters, sorting and page of an events listing (validated by ``check``)."""

    actor: str | None = None
    plover: str | None = None
    cameo_root: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str | None = None
    sort: str = "date"
    order: str = "desc"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def check(self) -> None:
        """Raise InputError when a value is out of range (the API turns it into a 400)."""
        if self.sort not in SORTS:
            raise InputError(f"sort must be one of {', '.join(SORTS)}, got {self.sort!r}")
        if self.order not in ORDERS:
            raise InputError(f"order must be asc or desc, got {self.order!r}")
        if not 1 <= self.page <= MAX_PAGE:
            raise InputError(f"page must be between 1 and {MAX_PAGE}, got {self.page}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InputError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {self.page_size}")
        for name in ("actor", "plover", "cameo_root", "text"):
            value = getattr(self, name)
            if value is not None and len(value) > MAX_QUERY_CHARS:
                raise InputError(f"{name} is longer than {MAX_QUERY_CHARS} characters")
        if self.cameo_root is not None and self.cameo_root.strip() and not self.cameo_root.strip().isdigit():
            raise InputError(f"cameo_root must be digits such as 04, got {self.cameo_root!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("date_from is after date_to")

    def as_params(self) -> dict[str, Any]:
        """The query-string parameters that reproduce this query (for page links)."""
        out: dict[str, Any] = {}
        for name in ("actor", "plover", "cameo_root", "date_from", "date_to", "text"):
            value = getattr(self, name)
            if value not in (None, ""):
                out["type" if name == "plover" else name] = str(value)
        if self.sort != "date":
            out["sort"] = self.sort
        if self.order != "desc":
            out["order"] = self.order
        if self.page_size != DEFAULT_PAGE_SIZE:
            out["page_size"] = self.page_size
        return out


def _rows(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    try:
        cur.execute(sql, params or [])
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc}") from exc


def _one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> dict[str, Any] | None:
    rows = _rows(cur, sql, params)
    return rows[0] if rows else None


def _where(q: EventQuery) -> tuple[str, list[Any]]:
    flt = EventFilter(
        actor=q.actor or None, plover=q.plover or None, cameo_root=q.cameo_root or None,
        date_from=q.date_from.isoformat() if q.date_from else None,
        date_to=q.date_to.isoformat() if q.date_to else None, text=q.text or None,
    )
    where, params = filter_sql(flt)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def events_page(cur: duckdb.DuckDBPyConnection, q: EventQuery) -> dict[str, Any]:
    """One page of events matching ``q``, with the total count and the query echoed back."""
    q.check()
    where, params = _where(q)
    total_row = _one(cur, f"SELECT count(*) AS n FROM event_list e{where}", params)
    total = int(total_row["n"]) if total_row else 0
    order_by = SORTS[q.sort].format(order=q.order.upper())
    items = _rows(
        cur,
        f"SELECT {EVENT_COLUMNS} FROM event_list e{where} ORDER BY {order_by} LIMIT ? OFFSET ?",
        [*params, q.page_size, (q.page - 1) * q.page_size],
    )
    return {
        "total": total, "page": q.page, "page_size": q.page_size,
        "pages": max(1, -(-total // q.page_size)), "sort": q.sort, "order": q.order, "items": items,
    }


def _event_actors(cur: duckdb.DuckDBPyConnection, article_pk: int) -> dict[int, dict[str, list[dict[str, Any]]]]:
    rows = _rows(
        cur,
        "SELECT event_id, role, position, text, char_start AS start, char_end AS \"end\", name, code, country, "
        "sector, kind FROM event_actors WHERE article_pk = ? ORDER BY event_id, role, position",
        [article_pk],
    )
    out: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        event_id, role = r.pop("event_id"), r.pop("role")
        r.pop("position")
        out.setdefault(event_id, {"source": [], "target": []}).setdefault(role, []).append(r)
    return out


def article(cur: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """An article with its text and every span (events, actors, places, quotes, dates), or None.

    Ids are not unique in a store (two different texts may share an id); the first stored wins.
    """
    head = _one(
        cur,
        "SELECT article_pk, id, url, title, published, source, language, text, tone, tone_positive, "
        "tone_negative, tone_polarity, word_count FROM articles WHERE id = ? ORDER BY article_pk LIMIT 1",
        [article_id],
    )
    if head is None:
        return None
    pk = head.pop("article_pk")
    actors_by_event = _event_actors(cur, pk)
    events = _rows(
        cur,
        f"SELECT {EVENT_COLUMNS}, v.location_start, v.location_end FROM event_list e "
        "JOIN events v ON v.event_id = e.event_id WHERE e.article_pk = ? ORDER BY e.event_index",
        [pk],
    )
    for ev in events:
        roles = actors_by_event.get(ev["event_id"], {})
        ev["source"] = roles.get("source", [])
        ev["target"] = roles.get("target", [])
    actors = _rows(
        cur,
        "SELECT text, char_start AS start, char_end AS \"end\", any_value(name) AS name, any_value(code) AS code, "
        "any_value(country) AS country, any_value(kind) AS kind, count(DISTINCT event_id) AS events "
        "FROM event_actors WHERE article_pk = ? AND char_start IS NOT NULL "
        "GROUP BY text, char_start, char_end ORDER BY char_start, char_end",
        [pk],
    )
    places = _rows(
        cur,
        "SELECT text, char_start AS start, char_end AS \"end\", name, country, admin1, lat, lon, geonameid, feature "
        "FROM places WHERE article_pk = ? ORDER BY place_index",
        [pk],
    )
    quotes = _rows(
        cur,
        "SELECT text, char_start AS start, char_end AS \"end\", verb, speaker_text, speaker_start, speaker_end, "
        "speaker_name, speaker_code FROM quotes WHERE article_pk = ? ORDER BY quote_index",
        [pk],
    )
    for quote in quotes:
        speaker = {k[8:]: quote.pop(k) for k in list(quote) if k.startswith("speaker_")}
        quote["speaker"] = speaker if speaker.get("text") or speaker.get("name") else None
    dates = _rows(
        cur,
        "SELECT text, char_start AS start, char_end AS \"end\", value, date_type AS type FROM dates "
        "WHERE article_pk = ? ORDER BY date_index",
        [pk],
    )
    return {**head, "events": events, "actors": actors, "places": places, "quotes": quotes, "dates": dates}


def top_actors(cur: duckdb.DuckDBPyConnection, n: int = TOP_N) -> list[dict[str, Any]]:
    """The actors (by label) taking part in the most events."""
    return _rows(
        cur,
        f"SELECT {_LABEL} AS label, mode(x.name) FILTER (WHERE x.kind = 'country') AS country_name, "
        "mode(x.name) AS name, count(DISTINCT x.event_id) AS events "
        f"FROM event_actors x WHERE {_LABEL} IS NOT NULL GROUP BY label ORDER BY events DESC, label LIMIT ?",
        [n],
    )


def top_pairs(cur: duckdb.DuckDBPyConnection, n: int = TOP_N) -> list[dict[str, Any]]:
    """The most active actor pairs (either direction, self-pairs left out), with mean Goldstein."""
    return _rows(
        cur,
        f"""
        WITH s AS (SELECT DISTINCT x.event_id, {_LABEL} AS label FROM event_actors x WHERE x.role = 'source'),
             t AS (SELECT DISTINCT x.event_id, {_LABEL} AS label FROM event_actors x WHERE x.role = 'target'),
             p AS (SELECT DISTINCT s.event_id, least(s.label, t.label) AS a, greatest(s.label, t.label) AS b
                   FROM s JOIN t ON s.event_id = t.event_id
                   WHERE s.label IS NOT NULL AND t.label IS NOT NULL AND s.label <> t.label)
        SELECT p.a, p.b, count(*) AS events, round(avg(e.goldstein), 2) AS mean_goldstein
        FROM p JOIN events e ON e.event_id = p.event_id
        GROUP BY p.a, p.b ORDER BY events DESC, p.a, p.b LIMIT ?
        """,
        [n],
    )


def _matches(label_param: str) -> str:
    """SQL: an event_actors row ``x`` stands for the actor label given as parameter ``label_param``."""
    return f"(upper({_LABEL}) = upper({label_param}) OR starts_with(upper(x.code), upper({label_param})))"


def dyad(cur: duckdb.DuckDBPyConnection, a: str, b: str) -> dict[str, Any]:
    """Daily counts, cooperation/conflict split and mean Goldstein of the events between a and b."""
    a, b = a.strip(), b.strip()
    for name, value in (("a", a), ("b", b)):
        if not value or len(value) > MAX_QUERY_CHARS:
            raise InputError(f"{name} must be an actor label of 1 to {MAX_QUERY_CHARS} characters")
    pair_events = f"""
        WITH src AS (SELECT x.event_id FROM event_actors x WHERE x.role = 'source' AND {_matches('$1')}),
             tgt AS (SELECT x.event_id FROM event_actors x WHERE x.role = 'target' AND {_matches('$2')}),
             src2 AS (SELECT x.event_id FROM event_actors x WHERE x.role = 'source' AND {_matches('$2')}),
             tgt2 AS (SELECT x.event_id FROM event_actors x WHERE x.role = 'target' AND {_matches('$1')}),
             ids AS ((SELECT event_id FROM src INTERSECT SELECT event_id FROM tgt)
                     UNION (SELECT event_id FROM src2 INTERSECT SELECT event_id FROM tgt2))
    """
    days = _rows(
        cur,
        pair_events + """
        SELECT e.effective_date AS date, count(*) AS events,
               count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict,
               round(avg(e.goldstein), 2) AS mean_goldstein
        FROM event_list e WHERE e.event_id IN (SELECT event_id FROM ids) AND e.effective_date IS NOT NULL
        GROUP BY e.effective_date ORDER BY e.effective_date
        """,
        [a, b],
    )
    events = _rows(
        cur,
        pair_events + f"""
        SELECT {EVENT_COLUMNS} FROM event_list e WHERE e.event_id IN (SELECT event_id FROM ids)
        ORDER BY e.effective_date NULLS LAST, e.article_pk, e.event_index LIMIT $3
        """,
        [a, b, MAX_DYAD_EVENTS],
    )
    undated = sum(1 for ev in events if ev["effective_date"] is None)
    return {"a": a, "b": b, "days": days, "events": events, "undated_events": undated}


def stats(cur: duckdb.DuckDBPyConnection, counts: dict[str, int]) -> dict[str, Any]:
    """Row counts (``Store.stats``), events by PLOVER type and QuadClass, and the date range."""
    by_plover = _rows(
        cur, "SELECT plover, count(*) AS events FROM events GROUP BY plover ORDER BY events DESC, plover NULLS LAST"
    )
    by_quad = _rows(
        cur, "SELECT quad_class, count(*) AS events FROM events GROUP BY quad_class ORDER BY quad_class NULLS LAST"
    )
    span = _one(cur, "SELECT min(effective_date) AS first, max(effective_date) AS last FROM event_list") or {}
    return {"counts": counts, "by_plover": by_plover, "by_quad_class": by_quad,
            "first_date": span.get("first"), "last_date": span.get("last")}


def _snippet(text: str, needle: str) -> str:
    pos = text.lower().find(needle.lower())
    if pos < 0:
        return text[: 2 * SNIPPET_CONTEXT]
    start, end = max(0, pos - SNIPPET_CONTEXT), min(len(text), pos + len(needle) + SNIPPET_CONTEXT)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(cur: duckdb.DuckDBPyConnection, q: str) -> dict[str, Any]:
    """Articles whose title or text contains ``q`` and events whose evidence does (case-insensitive)."""
    q = q.strip()
    if not q or len(q) > MAX_QUERY_CHARS:
        raise InputError(f"q must be 1 to {MAX_QUERY_CHARS} characters")
    articles = _rows(
        cur,
        "SELECT a.id, a.title, a.published, a.url, a.text, "
        "(SELECT count(*) FROM events e WHERE e.article_pk = a.article_pk) AS events FROM articles a "
        "WHERE contains(lower(coalesce(a.title, '')), lower(?)) OR contains(lower(a.text), lower(?)) "
        "ORDER BY a.published DESC NULLS LAST, a.article_pk LIMIT ?",
        [q, q, SEARCH_LIMIT],
    )
    for art in articles:
        art["snippet"] = _snippet(art.pop("text") or "", q)
    events = _rows(
        cur,
        f"SELECT {EVENT_COLUMNS} FROM event_list e WHERE contains(lower(e.evidence), lower(?)) "
        "ORDER BY e.effective_date DESC NULLS LAST, e.event_id LIMIT ?",
        [q, SEARCH_LIMIT],
    )
    return {"q": q, "articles": articles, "events": events}


def timeline(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Events per time bucket and PLOVER type (the CHART_TYPES commonest; the rest as "other")."""
    span = _one(cur, "SELECT min(effective_date) AS first, max(effective_date) AS last FROM event_list")
    if not span or span["first"] is None:
        return {"bucket": "day", "types": [], "rows": []}
    days = (span["last"] - span["first"]).days
    bucket = "day" if days <= TIMELINE_DAY_MAX_DAYS else "week" if days <= TIMELINE_WEEK_MAX_DAYS else "month"
    top = [r["plover"] for r in _rows(
        cur, "SELECT plover, count(*) AS n FROM events WHERE plover IS NOT NULL GROUP BY plover "
        "ORDER BY n DESC, plover LIMIT ?", [CHART_TYPES])]
    rows = _rows(
        cur,
        "SELECT CAST(date_trunc(?, effective_date) AS DATE) AS bucket, "
        "CASE WHEN list_contains(?::VARCHAR[], plover) THEN plover ELSE 'other' END AS plover, count(*) AS events "
        "FROM event_list WHERE effective_date IS NOT NULL GROUP BY ALL ORDER BY bucket, plover",
        [bucket, top],
    )
    types = top + (["other"] if any(r["plover"] == "other" for r in rows) else [])
    return {"bucket": bucket, "types": types, "rows": rows}


def map_points(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Event locations with coordinates, one point per place, with its event count."""
    return _rows(
        cur,
        "SELECT location AS name, location_country AS country, round(lat, 3) AS lat, round(lon, 3) AS lon, "
        "count(*) AS events, round(avg(goldstein), 2) AS mean_goldstein FROM event_list "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180 "
        "GROUP BY ALL ORDER BY events DESC, name",
    )


def latest_events(cur: duckdb.DuckDBPyConnection, n: int = LATEST_EVENTS) -> list[dict[str, Any]]:
    """The ``n`` most recent events (by event date, else publication date)."""
    return events_page(cur, EventQuery(page_size=min(n, MAX_PAGE_SIZE)))["items"]


def overview(cur: duckdb.DuckDBPyConnection, counts: dict[str, int]) -> dict[str, Any]:
    """Everything the overview page shows, as one dict (also served as /api/overview)."""
    return {
        "stats": stats(cur, counts), "timeline": timeline(cur), "top_actors": top_actors(cur),
        "top_pairs": top_pairs(cur), "map": map_points(cur), "latest": latest_events(cur),
    }
