"""Invariants of the extract contract, as property-based tests (hypothesis; issue #9).

Article-like texts are generated from word lists -- countries, leaders, verbs of the coder's
vocabulary, quotations, numbers, dates, punctuation, glued words, boilerplate lines and odd
unicode -- so that the whole pipeline does real work on them.  Checked for every example:

- every record validates against the ``newsevents/1`` schema, and every span lies inside
  ``text`` with ``text[start:end]`` equal to the span's text (``newsevents.schema.validate``);
- cleaning is idempotent: cleaning the cleaned text changes nothing;
- the clean offset map points every cleaned character into the raw input;
- output is deterministic: the same input and knowledge give the same record, also in a fresh
  process.

Runs are bounded (``max_examples``, no deadline) to keep the file to a few seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.clean import clean_text
from newsevents.pipeline import Options, process
from newsevents.records import Article
from newsevents.schema import validate

ACTORS = ("Russia", "Ukraine", "France", "China", "the United States", "NATO", "the European Union", "Kenya",
          "President Emmanuel Macron", "Vladimir Putin", "the Kremlin", "Israeli troops", "Hamas", "rebels",
          "the police", "protesters", "the United Nations", "Iran", "Turkey", "Ethiopia", "the government of Peru")
VERBS = ("met", "criticised", "accused", "signed an agreement with", "attacked", "threatened", "praised",
         "rejected", "demanded that", "called on", "visited", "sanctioned", "arrested", "promised aid to",
         "condemned", "held talks with", "warned", "did not attack", "may meet", "will visit")
PLACES = ("in Moscow", "in Paris", "near the border", "in Nairobi", "at the UN headquarters in New York", "in Gaza",
          "in Beijing", "", "", "")
WHEN = ("on Monday", "on Feb. 7, 2022", "last week", "yesterday", "in 2019", "on 3 March", "this morning", "", "")
AMOUNTS = ("more than 100,000 troops", "12 protesters", "$3.5 billion", "at least 40 people", "two ministers")
QUOTES = ('"We will not accept this," the minister said.', "\u201cThe talks were useful,\u201d Peskov told reporters.",
          "'Nothing is decided,' a spokesman said.", '"It is war" \u2014 he said.')
NOISE = ("Related news", "Source link", "Leave a comment", "Macronheld", "Ukrainebut", "demanding.in",
         "caf\u00c3\u00a9",
         "\u00a0", "\u200b", "\t", "&amp;", "\U0001f600", "\u0645\u0631\u062d\u0628\u0627", "\u4e2d\u56fd", "\ufffd",
         "...", " - ", "\u2014", "(", ")", ";", "\x07", "\r\n", "\u2028")


@st.composite
def sentences(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(QUOTES))
    if kind == 1:
        return draw(st.sampled_from(NOISE))
    parts = [draw(st.sampled_from(ACTORS)), draw(st.sampled_from(VERBS)), draw(st.sampled_from(ACTORS)),
             draw(st.sampled_from(PLACES)), draw(st.sampled_from(WHEN))]
    if kind == 2:
        parts.append("after " + draw(st.sampled_from(AMOUNTS)) + " were deployed")
    text = " ".join(p for p in parts if p)
    return text[0].upper() + text[1:] + draw(st.sampled_from((".", ".", "!", "?", "", ":")))


@st.composite
def articles(draw: st.DrawFn) -> tuple[str | None, str]:
    title = draw(st.one_of(st.none(), sentences()))
    paragraphs = draw(st.lists(st.lists(sentences(), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=4))
    joiner = draw(st.sampled_from(("\n\n", "\n", " ", "\n\n\n")))
    return title, joiner.join(paragraphs)


@st.composite
def raw_texts(draw: st.DrawFn) -> str:
    """Sentence-like text with arbitrary unicode mixed in, for the cleaner."""
    pieces = draw(st.lists(st.one_of(sentences(), st.text(max_size=12)), min_size=1, max_size=8))
    return draw(st.sampled_from((" ", "\n", "", "\n\n"))).join(pieces)


#: Examples per pipeline property (about 0.1 s each) and per cleaner property (about 5 ms each): a few
#: seconds in the suite.  ``PROPERTY_EXAMPLES=400`` (the pipeline count; the cleaner gets 6x) runs a longer hunt.
PIPELINE_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "25"))
CLEAN_EXAMPLES = 6 * PIPELINE_EXAMPLES

PIPELINE_SETTINGS = settings(max_examples=PIPELINE_EXAMPLES, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CLEAN_SETTINGS = settings(max_examples=CLEAN_EXAMPLES, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
OPTIONS = Options(published="2022-02-07")


@PIPELINE_SETTINGS
@given(articles())
def test_records_validate_and_spans_match_the_text(article: tuple[str | None, str]) -> None:
    title, body = article
    record = process(Article(id="p", title=title, text=body), OPTIONS).to_dict()
    assert validate(record) == []
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # writable as UTF-8 JSON


@PIPELINE_SETTINGS
@given(articles())
def test_processing_is_deterministic(article: tuple[str | None, str]) -> None:
    title, body = article
    first = process(Article(id="p", title=title, text=body), OPTIONS).to_dict()
    again = process(Article(id="p", title=title, text=body), OPTIONS).to_dict()
    assert first == again


@CLEAN_SETTINGS
@given(raw_texts(), st.one_of(st.none(), sentences()))
def test_cleaning_twice_changes_nothing(body: str, title: str | None) -> None:
    once = clean_text(body, title)
    if once.body_start:  # clean the cleaned title as a title again and the cleaned body as a body
        twice = clean_text(once.text[once.body_start:], once.text[:once.body_start].removesuffix("\n\n"))
    else:
        twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.repairs == ()


@CLEAN_SETTINGS
@given(raw_texts(), st.one_of(st.none(), sentences()))
def test_offsets_map_into_the_raw_input(body: str, title: str | None) -> None:
    doc = clean_text(body, title)
    assert len(doc.offsets) == len(doc.text)
    assert all(0 <= o < max(1, len(doc.raw)) for o in doc.offsets)
    assert list(doc.offsets) == sorted(doc.offsets)  # cleaning never reorders text
    for i, ch in enumerate(doc.text):  # an unrepaired character is the raw character it maps to
        if not any(r.start <= i < r.end for r in doc.repairs) and not ch.isspace():
            assert doc.raw[doc.offsets[i]] == ch


def test_same_output_in_a_fresh_process() -> None:
    inputs = [
        {"id": "a", "title": "Talks in Moscow", "published": "2022-02-07",
         "text": 'Macronheld talks with Vladimir Putin in Moscow on Monday. "We will not accept this," '
                 "Peskov said. Russia deployed more than 100,000 troops near the border."},
        {"id": "b", "text": "Kenya and Ethiopia signed a water agreement in Nairobi on Feb. 7, 2022.",
         "published": "2022-02-08"},
    ]
    lines = "".join(json.dumps(r) + "\n" for r in inputs)
    out = subprocess.run([sys.executable, "-m", "newsevents.cli", "extract"], input=lines, capture_output=True,
                         text=True, timeout=300, check=True)
    here = [process(Article(**r)).to_dict() for r in inputs]
    there = [json.loads(line) for line in out.stdout.splitlines()]
    assert there == here
