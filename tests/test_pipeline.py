"""End-to-end tests of newsevents.pipeline.process: the seed article, invariants, failure policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents import extract, extract_many
from newsevents.ingest import iter_articles
from newsevents.pipeline import Options, load_resources, process, process_many
from newsevents.records import Article
from newsevents.schema import validate

GLUED = ("Macronheld", "Ukrainebut", "Peskovat", "dailyMacron", "demanding.in")
BOILERPLATE = ("related news", "Source link", "Please enter your comment", "Please enter your name")


@pytest.fixture(scope="module")
def seed(seed_path: Path):  # type: ignore[no-untyped-def]
    (article,) = list(iter_articles([str(seed_path)]))
    return process(article, Options(published="2022-02-07"))


def test_seed_meeting_is_consult_between_france_and_russia_in_moscow_on_the_day(seed) -> None:  # type: ignore[no-untyped-def]
    meetings = [e for e in seed.events if e.plover == "CONSULT" and "Moscow" in seed.text[e.span[0]:e.span[1]]]
    assert meetings, [(e.cameo, e.trigger.text) for e in seed.events]
    ev = meetings[0]
    assert {a.country for a in ev.source} == {"FRA"}
    assert {a.country for a in ev.target} == {"RUS"}
    assert ev.location is not None and ev.location.name == "Moscow" and ev.location.country == "RUS"
    assert ev.date == "2022-02-07" and ev.date_from == "sentence"


def test_seed_peskov_quote_is_attributed_to_him(seed) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for q in seed.quotes if "too complicated" in q.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.name == "Dmitry Peskov"
    assert quotes[0].speaker.code == "RUSGOV"


def test_seed_text_has_no_boilerplate_and_no_glued_words(seed) -> None:  # type: ignore[no-untyped-def]
    for word in GLUED:
        assert word not in seed.text
    for line in BOILERPLATE:
        assert line.lower() not in seed.text.lower()
    kinds = {r.kind for r in seed.repairs}
    assert {"glue_split", "boilerplate", "sentence_space"} <= kinds


def test_seed_threat_is_coded_but_slim_hopes_are_not(seed) -> None:  # type: ignore[no-untyped-def]
    threats = [e for e in seed.events if e.plover == "THREATEN"]
    assert any("political-military" in seed.text[e.span[0]:e.span[1]] for e in threats)
    assert not any("slim" in seed.text[e.span[0]:e.span[1]] for e in threats)


def test_seed_rejection_has_two_sources(seed) -> None:  # type: ignore[no-untyped-def]
    rejections = [e for e in seed.events if e.plover == "REJECT" and e.trigger.text == "rejected"]
    assert rejections
    assert {a.code for a in rejections[0].source} == {"USA", "IGOWSTNAT"}
    assert {a.country for a in rejections[0].target} == {"RUS"}


def test_seed_record_validates(seed) -> None:  # type: ignore[no-untyped-def]
    assert validate(seed.to_dict()) == []


def test_every_example_validates_and_is_deterministic() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    arts = list(iter_articles([str(examples)]))
    assert len(arts) >= 30
    first = [process(a).to_dict() for a in arts]
    for rec in first:
        assert validate(rec) == [], rec["id"]
    again = [process(a).to_dict() for a in arts[:5]]
    assert again == first[:5]


def test_bad_article_is_recorded_not_raised() -> None:
    res = process(Article(id="x", origin="f.jsonl:3", error="malformed JSON"))
    assert res.text == "" and res.errors[0].code == "E101" and "f.jsonl:3" in res.errors[0].message


def test_bad_publication_date_is_an_error_but_the_article_is_analysed() -> None:
    res = extract({"text": "Chad and Niger held talks in N'Djamena.", "published": "yesterday-ish"})
    assert any(e.code == "E102" for e in res.errors)
    assert res.events


def test_non_english_article_is_kept_without_english_rules() -> None:
    res = extract({"text": "Le gouvernement a rencontré les syndicats.", "language": "fr"})
    assert res.language == "fr" and not res.events and any(e.code == "E130" for e in res.errors)


def test_max_chars_cuts_with_an_error() -> None:
    res = extract("Kenya and Tanzania signed a deal. " * 50, max_chars=100)
    assert len(res.text) == 100 and any(e.code == "E120" for e in res.errors)


def test_html_article_goes_through_extraction() -> None:
    html = ("<html><head><title>Talks in Oslo</title>"
            "<meta property='article:published_time' content='2021-06-01'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Talks in Oslo</h1>"
            "<p>Norwegian diplomats hosted Colombian negotiators in Oslo on Monday for a new round of talks.</p>"
            "<p>The delegations agreed to meet again next month, officials said.</p></article>"
            "<footer>Copyright 2021 Example News. All rights reserved.</footer></body></html>")
    res = extract({"html": html, "url": "https://example.org/oslo"})
    assert "Norwegian diplomats hosted" in res.text and "All rights reserved" not in res.text
    assert res.published and res.published.startswith("2021-06-01")
    assert any(e.plover == "CONSULT" for e in res.events)


def test_extract_many_keeps_order() -> None:
    out = list(extract_many(["Peru thanked Chile.", {"id": "b", "text": "Iraq criticised Turkey."}]))
    assert out[1].id == "b" and len(out) == 2


BATCH_TEXTS = [
    "Egypt and Ethiopia agreed on Monday to resume talks on the dam, officials in Cairo said.",
    "",
    "Die Regierung in Berlin hat am Montag neue Hilfen beschlossen.",
    "Police in Lagos arrested 45 protesters, a spokesman said. “We will not allow chaos,” he said.",
]


def _batch() -> list[Article]:
    return [Article(id=f"b{i}", text=t, published="2024-03-04", language="de" if i == 2 else None)
            for i, t in enumerate(BATCH_TEXTS)]


def test_process_many_equals_process_article_by_article() -> None:
    one = [process(a).to_dict() for a in _batch()]
    many = [r.to_dict() for r in process_many(_batch(), batch_size=3)]
    assert many == one
    assert [r["id"] for r in many] == ["b0", "b1", "b2", "b3"]
    assert many[1]["errors"] and many[2]["errors"]  # no text; not English: recorded, the others analysed
    assert many[0]["events"] and many[3]["quotes"]


def test_process_many_parses_alone_when_a_batch_parse_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = load_resources().nlp

    calls: list[int] = []

    def broken_pipe(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise ValueError("a text the batch cannot parse")

    monkeypatch.setattr(nlp, "pipe", broken_pipe)
    one = [process(a).to_dict() for a in _batch()]
    assert [r.to_dict() for r in process_many(_batch())] == one
    assert calls  # the batch parse was tried, failed, and each article was parsed alone
