"""Bounded fuzzing of the cleaner, the HTML path and the JSONL reader (hypothesis; issue #9).

Each fuzz target must never raise and must keep its contract on arbitrary input: the cleaner
returns a text with an offset per character and repairs inside the text; the HTML extractor
returns a body (possibly empty) for any markup, however broken or deeply nested; the JSONL
reader yields exactly one Article per non-blank line.  Runs are short (``max_examples``) and
derandomized so the suite stays fast and repeatable; a longer hunt is the same test with
``--hypothesis-seed`` and a larger ``FUZZ_EXAMPLES`` environment variable.

Inputs that once crashed something are kept in ``tests/data/fuzz_regressions/`` (see its
README) and replayed through the full ``extract`` path by ``test_regression_case``.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents import cli
from newsevents.clean import clean_text
from newsevents.htmltext import html_to_text
from newsevents.ingest import read_jsonl_stream
from newsevents.schema import validate

REGRESSIONS = Path(__file__).parent / "data" / "fuzz_regressions"

#: Examples per fuzz target: about a second each here; raise it for a longer hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any code point, surrogates included (hypothesis leaves them out of st.text() by default).
ANY_CHAR = st.one_of(st.characters(codec=None, exclude_categories=()),
                     st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                     st.sampled_from("\x00\x07\x1b\x7f\x85\x9d\u00a0\u200b\u2028\ufeff\r\n\t \"'&<>"))
TEXT = st.text(ANY_CHAR, max_size=200)
WORDS = st.sampled_from(["Russia", "met", "Macronheld", "talks", "in", "Paris", "\u00e2\u20ac\u201d", "&amp;",
                         "Related news", "\n", "\n\n", " ", ".", "\u201c", "\u201d", "Source link", "caf\u00c3\u00a9"])
TEXTISH = st.lists(st.one_of(WORDS, TEXT), max_size=30).map(" ".join)


@FUZZ
@given(st.one_of(TEXT, TEXTISH), st.one_of(st.none(), TEXT, WORDS))
def test_cleaner_never_raises_and_keeps_its_map(body: str, title: str | None) -> None:
    doc = clean_text(body, title)
    assert len(doc.offsets) == len(doc.text)
    assert all(0 <= r.start <= r.end <= len(doc.text) for r in doc.repairs)
    assert not any("\ud800" <= ch <= "\udfff" for ch in doc.text)  # lone surrogates never reach the output


TAGS = ("p", "div", "span", "article", "script", "style", "a", "br", "table", "td", "li", "h1", "title", "head",
        "body", "html", "meta", "noscript", "svg", "template", "iframe", "!--", "![CDATA[")


@st.composite
def markup(draw: st.DrawFn) -> str:
    """HTML-ish soup: random tags (often unclosed or misnested), attributes, entities and text."""
    out: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 6))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attr = draw(st.sampled_from(("", " class='x'", ' id="a"b', " style=", " href='javascript:x'", " \x00")))
            out.append(f"<{tag}{attr}>")
        elif kind == 1:
            out.append(f"</{tag}>")
        elif kind == 2:
            out.append(draw(st.sampled_from(("&amp;", "&#0;", "&#xD800;", "&nbsp;", "&bogus;", "&#99999999;", "<", ">",
                                              "-->", "]]>", "<!DOCTYPE html>", "<?xml?>"))))
        elif kind == 3:
            depth = draw(st.integers(1, 400))  # past libxml2's depth limit of 256 sometimes
            out.append(f"<{tag}>" * depth)
        else:
            out.append(draw(st.one_of(TEXTISH, TEXT)))
    return "".join(out)


@FUZZ
@given(markup())
def test_html_extractor_never_raises(html: str) -> None:
    page = html_to_text(html)
    assert isinstance(page.body, str)
    assert page.method in ("trafilatura", "fallback")


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["id", "text", "html", "title", "url", "published", "source", "language", "x"]), inner, max_size=6)),
    max_leaves=12,
)


@FUZZ
@given(st.lists(st.one_of(JSON_VALUES.map(lambda v: json.dumps(v, ensure_ascii=True)), TEXT.map(
    lambda t: t.replace("\n", " ").replace("\r", " ").replace("\x85", " ").replace("\u2028", " ")
    .replace("\u2029", " ").replace("\x0b", " ").replace("\x0c", " ").replace("\x1c", " ").replace("\x1d", " ")
    .replace("\x1e", " ")), st.sampled_from(("[" * 2000, "{" * 1500 + "}" * 1500, '{"text": "\\ud800"}'))),
    max_size=8))
def test_jsonl_reader_gives_one_article_per_line(lines: list[str]) -> None:
    stream = io.StringIO("\n".join(lines) + "\n")
    articles = list(read_jsonl_stream(stream, "fuzz"))
    assert len(articles) == sum(1 for line in lines if line.strip())
    for a in articles:
        for value in (a.id, a.text, a.html, a.title, a.url, a.published, a.source, a.language, a.error):
            if value is not None:
                value.encode("utf-8")  # no lone surrogate gets through


@pytest.mark.parametrize("path", sorted(p for p in REGRESSIONS.iterdir() if p.suffix != ".md"), ids=lambda p: p.name)
def test_regression_case(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if path.name.startswith("clean-"):
        doc = clean_text(path.read_text(encoding="utf-8", errors="surrogateescape"))
        assert len(doc.offsets) == len(doc.text)
        assert clean_text(doc.text).text == doc.text  # idempotent
        return
    status = cli.main(["extract", str(path)])
    out, err = capsys.readouterr()
    out.encode("utf-8")
    records = [json.loads(line) for line in out.splitlines()]
    assert records and "Traceback" not in err
    assert status == (0 if any(r["text"] for r in records) else 2)
    for record in records:
        assert validate(record) == []
        assert record["text"] or record["errors"]  # a record is either analysed or says why not
    if path.name.startswith("html-deep"):
        assert "water agreement" in records[0]["text"]
    if path.name.startswith("jsonl-deep"):
        assert records[-1]["id"] == "after" and records[-1]["events"]
