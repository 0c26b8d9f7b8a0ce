"""Checks on the bundled example corpus (examples/) itself, not on the engine.

The demo, the documentation and several tests rely on examples/ being a readable, varied, dated
corpus; these tests keep it that way when articles are added or edited.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsevents.ingest import iter_articles
from newsevents.records import Article

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

MIN_ARTICLES = 30  # the task asks for at least 30 articles
#: Body length bounds in words: short wire stories; a few words of slack either side of 150-450.
MIN_WORDS, MAX_WORDS = 140, 470
FIRST_YEAR, LAST_YEAR = 2015, 2026
#: Each PLOVER event type must be declared by at least this many articles in the README table.
MIN_ARTICLES_PER_TYPE = 2
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# "BAKU, Sept 20, 2023 (newsevents) -" or "WASHINGTON/LONDON, March 26, 2018 (newsevents) -"
DATELINE = re.compile(
    r"^[A-Z][A-Z .'/-]+, (?P<month>[A-Z][a-z]{2,8})\.? (?P<day>\d{1,2}), (?P<year>\d{4}) \(newsevents\) - "
)
FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


class _PageParser(HTMLParser):
    """Collects the published-time meta tag and the text of <article>."""

    def __init__(self) -> None:
        super().__init__()
        self.published: str | None = None
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("property") == "article:published_time":
            self.published = a.get("content")
        if tag == "article":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.parts.append(data)


def _parse_page(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def _dateline_date(text: str) -> dt.date | None:
    m = DATELINE.match(text.lstrip())
    if not m:
        return None
    month = MONTHS.get(m["month"][:3].lower())
    if month is None:
        return None
    return dt.date(int(m["year"]), month, int(m["day"]))


def _published_date(article: Article) -> dt.date | None:
    """The date the engine can use: metadata for html/jsonl, the dateline for txt."""
    if article.published:
        return dt.datetime.fromisoformat(article.published).date()
    if article.html is not None:
        meta = _parse_page(article.html).published
        return dt.datetime.fromisoformat(meta).date() if meta else None
    return _dateline_date(article.text or "")


def _body(article: Article) -> str:
    if article.html is not None:
        return " ".join(_parse_page(article.html).parts)
    return article.text or ""


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    if not EXAMPLES.is_dir():
        pytest.skip("examples/ is not present")
    return list(iter_articles([str(EXAMPLES)]))


def test_enough_articles_and_every_format(articles: list[Article]) -> None:
    assert len(articles) >= MIN_ARTICLES
    suffixes = Counter(Path((a.origin or "").split(":")[0]).suffix for a in articles)
    assert suffixes[".txt"] >= 1 and suffixes[".html"] >= 1 and suffixes[".jsonl"] >= 1, suffixes


def test_every_article_reads_cleanly(articles: list[Article]) -> None:
    for a in articles:
        assert a.error is None, (a.origin, a.error)
        assert (a.text or a.html or "").strip(), a.origin


def test_ids_are_unique_and_dated_slugs(articles: list[Article]) -> None:
    ids = [a.id for a in articles]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    for i in ids:
        assert i and FILE_DATE.match(i), i


def test_every_article_has_a_publication_date_matching_its_id(articles: list[Article]) -> None:
    for a in articles:
        day = _published_date(a)
        assert day is not None, f"{a.origin}: no publication date in metadata or dateline"
        assert FIRST_YEAR <= day.year <= LAST_YEAR, (a.origin, day)
        m = FILE_DATE.match(a.id or "")
        assert m and m.group(1) == day.isoformat(), (a.origin, day)


def test_txt_files_have_a_title_and_a_dateline(articles: list[Article]) -> None:
    txt = [a for a in articles if (a.origin or "").endswith(".txt")]
    assert txt
    for a in txt:
        assert a.title, a.origin
        assert _dateline_date(a.text or "") is not None, a.origin


def test_html_pages_look_like_news_pages() -> None:
    pages = sorted((EXAMPLES / "html").glob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for needle in ("<title>", "<nav", "<article", "Related stories", "<footer", "newsletter"):
            assert needle in html, (page.name, needle)
        assert _parse_page(html).published, page.name


def test_jsonl_records_carry_every_field() -> None:
    files = sorted((EXAMPLES / "jsonl").glob("*.jsonl"))
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            assert set(rec) >= {"id", "url", "title", "published", "source", "text"}, path.name
            assert rec["url"].startswith("https://example.org/"), rec["id"]


def test_article_lengths_are_wire_sized(articles: list[Article]) -> None:
    for a in articles:
        words = len(_body(a).split())
        assert MIN_WORDS <= words <= MAX_WORDS, (a.origin, words)


def test_readme_lists_every_article_and_covers_every_event_type(articles: list[Article]) -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in readme.splitlines() if re.match(r"\| \d{4}-", line)]
    listed = {cells[0].strip() for cells in rows}
    assert listed == {a.id for a in articles}
    per_type: Counter[str] = Counter()
    for cells in rows:
        for t in cells[3].split(","):
            per_type[t.strip()] += 1
    assert set(per_type) <= set(PLOVER_TYPES), set(per_type) - set(PLOVER_TYPES)
    for t in PLOVER_TYPES:
        assert per_type[t] >= MIN_ARTICLES_PER_TYPE, (t, per_type[t])


def test_some_articles_carry_scraping_defects(articles: list[Article]) -> None:
    bodies = {a.id: _body(a) for a in articles}
    glued_or_unspaced = [i for i, b in bodies.items() if re.search(r"[a-z]\.[A-Z][a-z]", b)]
    boilerplate = [i for i, b in bodies.items()
                   if re.search(r"^(Related news|Source link|Share this article|Read more:)", b, re.M)]
    mojibake = [i for i, b in bodies.items() if "\u00e2\u20ac" in b]
    curly = [i for i, b in bodies.items() if "\u201c" in b]
    assert len(glued_or_unspaced) >= 2 and len(boilerplate) >= 2, (glued_or_unspaced, boilerplate)
    assert mojibake and curly
