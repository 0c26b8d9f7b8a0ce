"""Tests of the HTTP API and dashboard (newsevents.server) through FastAPI's in-process client.

The database is built by the real pipeline (``runner.run``) from a few short articles written
here, one of them titled with a script tag.  ``shared_db`` builds it once per session for this file, the browser and
schemathesis tests.
"""

from __future__ import annotations

import argparse
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from newsevents.server import charts, queries  # noqa: E402
from newsevents.server.app import SECURITY_HEADERS, create_app  # noqa: E402
from newsevents.server.highlight import Span, highlight  # noqa: E402

XSS_TITLE = "<script>alert(1)</script>"

ARTICLES: tuple[dict[str, str], ...] = (
    {
        "id": "xss-talks", "title": XSS_TITLE, "published": "2022-03-29",
        "text": "Russian and Ukrainian negotiators met in Istanbul on Tuesday for a new round of peace talks. "
        "Russia promised to scale down military operations around Kyiv. "
        "\"We have made progress,\" Ukrainian negotiator David Arakhamia told reporters.",
    },
    {
        "id": "world/france-condemns", "title": "France condemns Russian shelling of Kharkiv",
        "published": "2022-03-01",
        "text": "France condemned Russia on Monday after heavy shelling of Kharkiv killed dozens of civilians. "
        "Russian forces attacked Ukraine's second city for a fifth day. "
        "\"This is a war crime,\" French President Emmanuel Macron said in Paris.",
    },
    {
        "id": "china-brazil", "title": "China and Brazil sign trade agreement in Beijing",
        "published": "2023-04-14",
        "text": "China and Brazil signed a trade agreement in Beijing on Friday. "
        "Brazilian President Luiz Inacio Lula da Silva met Chinese President Xi Jinping. "
        "The two leaders praised the new partnership.",
    },
)


def build_db(path: Path) -> Path:
    """Run the real pipeline on ARTICLES into a DuckDB file at ``path``; returns ``path``."""
    from newsevents.runner import run
    from newsevents.store import Store

    source = path.parent / "server_articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with Store.open(path) as store:
        run([str(source)], store, argv="tests")
    return path


def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test database, built once per pytest session and reused by the three server test files."""
    path = tmp_path_factory.getbasetemp() / "newsevents-server-db" / "server.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_db(path)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_db(tmp_path_factory)


@pytest.fixture(scope="module")
def client(db: Path) -> Any:
    with TestClient(create_app(db)) as c:
        yield c


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


# ---------------------------------------------------------------------- JSON API


def test_events_list_pagination_and_sorting(client: Any) -> None:
    everything = client.get("/api/events", params={"page_size": 200}).json()
    assert everything["total"] >= 4
    assert len(everything["items"]) == everything["total"]
    first = client.get("/api/events", params={"page_size": 1, "page": 1}).json()
    second = client.get("/api/events", params={"page_size": 1, "page": 2}).json()
    assert first["pages"] == everything["total"] and len(first["items"]) == 1
    assert first["items"][0]["event_id"] != second["items"][0]["event_id"]
    by_gs = client.get("/api/events", params={"sort": "goldstein", "order": "asc", "page_size": 200}).json()
    values = [e["goldstein"] for e in by_gs["items"] if e["goldstein"] is not None]
    assert values == sorted(values) and len(values) >= 2
    dates = [e["effective_date"] for e in everything["items"] if e["effective_date"]]
    assert dates == sorted(dates, reverse=True)


def test_events_filters(client: Any) -> None:
    rus = client.get("/api/events", params={"actor": "RUS", "page_size": 200}).json()
    assert rus["total"] >= 1
    for ev in rus["items"]:
        assert any(c and c.startswith("RUS") for c in ev["source_codes"] + ev["target_codes"]) or "Russia" in str(ev)
    window = client.get("/api/events", params={"date_from": "2023-01-01", "date_to": "2023-12-31"}).json()
    assert window["total"] >= 1
    assert all(e["effective_date"].startswith("2023") for e in window["items"])
    some_type = rus["items"][0]["plover"] or "CONSULT"
    typed = client.get("/api/events", params={"type": some_type.lower(), "page_size": 200}).json()
    assert typed["total"] >= 1 and all(e["plover"] == some_type for e in typed["items"])
    none = client.get("/api/events", params={"text": "zzzz-not-in-any-sentence"}).json()
    assert none["total"] == 0 and none["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": queries.MAX_PAGE_SIZE + 1},
        {"page_size": 0},
        {"page": 0},
        {"page": "abc"},
        {"page": queries.MAX_PAGE + 1},
        {"date_from": "2022-13-45"},
        {"date_to": "yesterday"},
        {"date_from": "2023-01-02", "date_to": "2023-01-01"},
        {"sort": "title"},
        {"order": "up"},
        {"cameo_root": "ab"},
        {"text": "x" * (queries.MAX_QUERY_CHARS + 1)},
    ],
)
def test_malformed_event_parameters_are_400(client: Any, params: dict[str, Any]) -> None:
    assert_error(client.get("/api/events", params=params), 400, "invalid_parameter")


def test_article_has_text_and_every_span(client: Any) -> None:
    art = client.get("/api/articles/world/france-condemns").json()
    text = art["text"]
    assert text.startswith("France condemns Russian shelling of Kharkiv")
    assert art["events"] and art["actors"] and art["places"] and art["quotes"] and art["dates"]
    for kind in ("actors", "places", "quotes", "dates"):
        for span in art[kind]:
            assert text[span["start"]:span["end"]] == span["text"], (kind, span)
    for ev in art["events"]:
        assert text[ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"]
        for actor in ev["source"] + ev["target"]:
            assert text[actor["start"]:actor["end"]] == actor["text"]
    assert any("war crime" in q["text"] for q in art["quotes"])


def test_unknown_article_and_route_are_404(client: Any) -> None:
    assert_error(client.get("/api/articles/no-such-article"), 404, "not_found")
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    page = client.get("/articles/no-such-article")
    assert page.status_code == 404 and "no-such-article" in page.text


def test_dyads(client: Any) -> None:
    pairs = client.get("/api/dyads").json()["pairs"]
    assert pairs and all(p["a"] < p["b"] and p["events"] >= 1 for p in pairs)
    top = pairs[0]
    series = client.get("/api/dyads", params={"a": top["b"], "b": top["a"]}).json()
    assert sum(d["events"] for d in series["days"]) + series["undated_events"] == len(series["events"])
    assert len(series["events"]) >= top["events"]
    for day in series["days"]:
        assert day["cooperation"] + day["conflict"] <= day["events"]
    assert_error(client.get("/api/dyads", params={"a": "RUS"}), 400, "invalid_parameter")
    assert_error(client.get("/api/dyads", params={"a": " ", "b": "UKR"}), 400, "invalid_parameter")


def test_stats_match_the_store(client: Any, db: Path) -> None:
    from newsevents.store import Store

    body = client.get("/api/stats").json()
    with Store.open(db, read_only=True) as store:
        counts = store.stats()
    assert body["counts"] == counts
    assert sum(t["events"] for t in body["by_plover"]) == counts["events"]
    assert body["first_date"] <= body["last_date"]


def test_search(client: Any) -> None:
    body = client.get("/api/search", params={"q": "beijing"}).json()
    assert [a["id"] for a in body["articles"]] == ["china-brazil"]
    assert "Beijing" in body["articles"][0]["snippet"]
    assert_error(client.get("/api/search"), 400, "invalid_parameter")
    assert_error(client.get("/api/search", params={"q": ""}), 400, "invalid_parameter")


def test_openapi_document(client: Any) -> None:
    doc = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/articles/{article_id}", "/api/dyads", "/api/stats", "/api/search"):
        assert path in doc["paths"], path
    assert "/" not in doc["paths"] and "/events" not in doc["paths"]
    params = {p["name"]: p for p in doc["paths"]["/api/events"]["get"]["parameters"]}
    assert params["page_size"]["schema"]["maximum"] == queries.MAX_PAGE_SIZE


def test_wrong_method_and_read_only(client: Any) -> None:
    assert_error(client.post("/api/events"), 405, "method_not_allowed")
    assert client.app.state.newsevents.store.read_only


# ---------------------------------------------------------------------- pages


def test_pages_render_the_same_data_as_the_api(client: Any) -> None:
    api = client.get("/api/events", params={"page_size": 5, "sort": "confidence"}).json()
    page = client.get("/events", params={"page_size": 5, "sort": "confidence"})
    assert page.status_code == 200
    links = [a["href"] for t, a in tags(page.text) if t == "a" and "event-link" in (a.get("class") or "")]
    expected = [f"/articles/{e['article_id']}#event-{e['event_index']}" for e in api["items"]]
    assert links == expected
    overview = client.get("/")
    assert overview.status_code == 200
    latest = queries.LATEST_EVENTS
    api_latest = client.get("/api/events", params={"page_size": latest}).json()["items"]
    over_links = [a["href"] for t, a in tags(overview.text) if t == "a" and "event-link" in (a.get("class") or "")]
    assert over_links == [f"/articles/{e['article_id']}#event-{e['event_index']}" for e in api_latest]


def test_every_page_renders(client: Any) -> None:
    pair = client.get("/api/dyads").json()["pairs"][0]
    for url in ("/", "/events", "/events?actor=RUS&date_from=&date_to=", "/articles/xss-talks",
                "/articles/world/france-condemns", f"/dyads/{pair['a']}/{pair['b']}", "/dyads", "/search",
                "/search?q=talks", "/static/style.css", "/static/world-land.svg"):
        r = client.get(url)
        assert r.status_code == 200, url
        for header, value in SECURITY_HEADERS.items():
            assert r.headers[header] == value
    bad = client.get("/events", params={"page": "x"})
    assert bad.status_code == 400 and "invalid_parameter" in bad.text


def test_titles_and_text_are_escaped(client: Any) -> None:
    for url in ("/", "/events", "/articles/xss-talks", "/search?q=negotiators"):
        html = client.get(url).text
        assert XSS_TITLE not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert not [t for t, _ in tags(html) if t == "script"], url


def test_article_page_highlights_spans(client: Any) -> None:
    html = client.get("/articles/world/france-condemns").text
    marks = [a.get("class") or "" for t, a in tags(html) if t == "mark"]
    for kind in ("hl-trigger", "hl-actor", "hl-place", "hl-quote", "hl-date"):
        assert any(kind in m.split() for m in marks if m), kind
    cards = [a["id"] for t, a in tags(html) if t == "div" and (a.get("id") or "").startswith("event-")]
    anchors = {a["href"] for t, a in tags(html) if t == "a" and (a.get("href") or "").startswith("#event-")}
    assert anchors and anchors <= {f"#{c}" for c in cards}


def test_dyad_page_links_points_to_events(client: Any) -> None:
    pair = client.get("/api/dyads").json()["pairs"][0]
    html = client.get(f"/dyads/{pair['a']}/{pair['b']}").text
    days = {a["id"] for t, a in tags(html) if t == "div" and (a.get("id") or "").startswith("day-")}
    hrefs = {a["href"] for t, a in tags(html) if t == "a" and (a.get("href") or "").startswith("#day-")}
    assert hrefs and hrefs <= {f"#{d}" for d in days}


# ---------------------------------------------------------------------- units


def test_highlight_escapes_and_nests_overlaps() -> None:
    text = 'A <b>"quote" by Macron</b> & more'
    q0, m0 = text.index('"'), text.index("Macron")
    spans = [Span(q0, text.index("</b>"), "quote", "quote"), Span(m0, m0 + 6, "actor", "actor FRA <x>"),
             Span(-5, 1, "date", "d"), Span(len(text) - 3, 99, "place", "p"), Span(4, 4, "trigger", "empty")]
    html = str(highlight(text, spans))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&lt;/b&gt; &amp; m" in html
    assert '<mark class="hl-actor hl-quote" title="actor FRA &lt;x&gt;; quote">Macron</mark>' in html
    assert '<mark class="hl-quote" title="quote">&#34;quote&#34; by </mark>' in html
    assert html.startswith('<mark class="hl-date" title="d">A</mark>')
    assert html.endswith('<mark class="hl-place" title="p">ore</mark>')
    assert "empty" not in html


def test_highlight_links_triggers_to_their_event() -> None:
    html = str(highlight("Russia attacked.", [Span(7, 15, "trigger", "event 190", "event-3")]))
    assert html == 'Russia <a href="#event-3"><mark class="hl-trigger" title="event 190">attacked</mark></a>.'


def test_map_projection_corners() -> None:
    assert charts.project(90, -180) == (0.0, 0.0)
    assert charts.project(-90, 180) == (charts.MAP_WIDTH, charts.MAP_HEIGHT)
    assert charts.project(0, 0) == (charts.MAP_WIDTH / 2, charts.MAP_HEIGHT / 2)
    svg = (Path(charts.__file__).parent / "static" / "world-land.svg").read_text(encoding="utf-8")
    assert f'viewBox="0 0 {charts.MAP_WIDTH} {charts.MAP_HEIGHT}"' in svg


def test_timeline_chart_fills_gaps_and_stacks() -> None:
    import datetime as dt

    rows = [{"bucket": dt.date(2022, 1, 1), "plover": "CONSULT", "events": 2},
            {"bucket": dt.date(2022, 1, 1), "plover": "other", "events": 1},
            {"bucket": dt.date(2022, 3, 1), "plover": "CONSULT", "events": 4}]
    chart = charts.timeline_chart({"bucket": "month", "types": ["CONSULT", "other"], "rows": rows})
    assert len(chart["bars"]) == 3
    assert chart["y_ticks"][-1]["text"] == "5"
    tallest = max(chart["bars"], key=lambda b: b["h"])
    assert tallest["title"] == "2022-03: CONSULT 4"
    assert [b["title"] for b in chart["bars"][:2]] == ["2022-01: CONSULT 2", "2022-01: other 1"]
    assert charts.timeline_chart({"bucket": "day", "types": [], "rows": []})["bars"] == []


# ---------------------------------------------------------------------- command line


def test_serve_command_parses_and_calls_the_server(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    from newsevents import cli, cli_serve
    from newsevents.server import app as app_module

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(app_module, "serve", lambda path, host, port: calls.append((path, host, port)))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("newsevents.cli_serve",))
    assert cli.main(["serve", "--db", str(db)]) == 0
    assert calls == [(str(db), "127.0.0.1", 8000)]
    assert cli.main(["serve", "--db", str(db), "--port", "0"]) == 2
    parser = argparse.ArgumentParser()
    cli_serve.register(parser.add_subparsers())
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port, args.func) == ("0.0.0.0", 9000, cli_serve.cmd_serve)


def test_missing_database_is_a_store_error(tmp_path: Path) -> None:
    from newsevents.errors import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.duckdb")
