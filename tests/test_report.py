"""Tests for newsevents.report: summary and event table rendering with rich."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console

from newsevents.records import Actor, ArticleResult, Event, Trigger
from newsevents.report import TRIGGER_STYLE, evidence_text, render_events, render_summary
from newsevents.store import EventFilter, Store

SENTENCE = "Chile and Peru signed a fishing agreement in Lima on Friday."


def _row(**over: Any) -> dict[str, Any]:
    span_start = 100
    trig = SENTENCE.index("signed")
    row: dict[str, Any] = {
        "event_id": 1, "article_id": "a1", "title": "Fishing pact", "url": "https://example.net/1",
        "evidence": SENTENCE, "span_start": span_start, "span_end": span_start + len(SENTENCE),
        "trigger": "signed", "trigger_start": span_start + trig, "trigger_end": span_start + trig + 6,
        "cameo": "057", "plover": "AGREE", "source_codes": ["CHL"], "source_names": ["Chile"],
        "target_codes": ["PER"], "target_names": ["Peru"], "date": "2023-05-12",
        "effective_date": dt.date(2023, 5, 12), "location": "Lima", "location_country": "PER",
    }
    row.update(over)
    return row


def _console() -> Console:
    return Console(record=True, width=120, color_system=None)


def test_evidence_text_highlights_trigger_by_offset() -> None:
    text = evidence_text(_row())
    assert text.plain == SENTENCE
    styled = [(s.start, s.end) for s in text.spans if s.style == TRIGGER_STYLE]
    assert len(styled) == 1
    start, end = styled[0]
    assert text.plain[start:end] == "signed"


def test_evidence_text_falls_back_to_trigger_text() -> None:
    text = evidence_text(_row(trigger_start=None, trigger_end=None))
    (span,) = [s for s in text.spans if s.style == TRIGGER_STYLE]
    assert text.plain[span.start:span.end] == "signed"


def test_evidence_text_no_trigger_no_highlight() -> None:
    text = evidence_text(_row(trigger="absent", trigger_start=None))
    assert text.plain == SENTENCE
    assert not text.spans


def test_evidence_text_truncates_around_trigger() -> None:
    long = "word " * 60 + "signed" + " tail" * 60
    trig = long.index("signed")
    row = _row(evidence=long, span_start=0, trigger_start=trig, trigger_end=trig + 6)
    text = evidence_text(row, width=40)
    assert text.plain.startswith("…") and text.plain.endswith("…")
    assert len(text.plain) == 42
    (span,) = [s for s in text.spans if s.style == TRIGGER_STYLE]
    assert text.plain[span.start:span.end] == "signed"


def test_render_summary_sections() -> None:
    summary = {
        "articles": 3,
        "events": 4,
        "by_plover": [("AGREE", 3), (None, 1)],
        "top_pairs": [("CHL", "PER", 2)],
        "examples": [_row()],
    }
    console = _console()
    render_summary(summary, console)
    out = console.export_text()
    assert "3 articles, 4 events" in out
    assert "Events by PLOVER type" in out
    assert "AGREE" in out and "75.0%" in out and "(no PLOVER type)" in out
    assert "Top actor pairs" in out
    assert "CHL" in out and "PER" in out
    assert "057 AGREE" in out
    assert "Chile (CHL) → Peru (PER)" in out
    assert "2023-05-12" in out and "Lima, PER" in out
    assert SENTENCE in out
    assert "Fishing pact" in out


def test_render_summary_escapes_article_text() -> None:
    row = _row(
        evidence="They signed [bold]nothing[/bold] today.", span_start=0, trigger_start=5, trigger_end=11,
        source_names=["[red]Chile"], title="[link]bad[/link]",
    )
    console = _console()
    render_summary({"articles": 1, "events": 1, "by_plover": [], "top_pairs": [], "examples": [row]}, console)
    out = console.export_text()
    assert "[bold]nothing[/bold]" in out
    assert "[red]Chile (CHL)" in out
    assert "[link]bad[/link]" in out


def test_render_summary_empty() -> None:
    console = _console()
    render_summary({"articles": 0, "events": 0, "by_plover": [], "top_pairs": [], "examples": []}, console)
    out = console.export_text()
    assert "0 articles, 0 events" in out
    assert "No events stored yet." in out


def test_render_events_table() -> None:
    rows = [_row(), _row(event_id=2, date=None, effective_date=dt.date(2023, 5, 1), location=None,
                         location_country=None, cameo="112", plover="ACCUSE")]
    console = _console()
    render_events(rows, console)
    out = console.export_text()
    assert "2023-05-12" in out and "2023-05-01*" in out
    assert "ACCUSE" in out and "057" in out
    assert "→ Peru (PER)" in out
    assert "2 events; * publication date" in out
    assert "fishing agreement" in out


def test_render_events_empty() -> None:
    console = _console()
    render_events([], console)
    assert "No events match." in console.export_text()


def test_render_from_store_rows() -> None:
    text = "Talks\n\nNorway hosted envoys from Sudan in Oslo."
    start = text.index("Norway")
    trig = text.index("hosted")
    ev = Event(
        span=(start, len(text)), sentence=1, trigger=Trigger("hosted", trig, trig + 6),
        source=(Actor("Norway", start, start + 6, name="Norway", code="NOR", country="NOR", kind="country"),),
        target=(Actor("Sudan", text.index("Sudan"), text.index("Sudan") + 5, name="Sudan", code="SDN"),),
        cameo="043", goldstein=2.8, quad_class=1, plover="CONSULT", date="2024-01-09", confidence=0.8,
    )
    with Store.open(":memory:") as store:
        store.add_results([(ArticleResult(id="n1", text=text, title="Talks", events=(ev,)), "h1")], "r")
        console = _console()
        render_summary(store.summary(), console)
        render_events(store.events(EventFilter()), console)
    out = console.export_text()
    assert "043 CONSULT" in out
    assert "Norway (NOR) → Sudan (SDN)" in out
    assert out.count("Norway hosted envoys from Sudan in Oslo.") == 2
