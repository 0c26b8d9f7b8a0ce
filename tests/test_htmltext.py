"""Tests for HTML-to-text extraction (htmltext.py)."""

from __future__ import annotations

from newsevents.clean import clean_text
from newsevents.htmltext import HtmlText, html_to_text

PARAS = [
    "The foreign ministers of both countries met in Vienna on Thursday to discuss a new round of talks.",
    "According to officials, the meeting lasted more than three hours and ended without an agreement.",
    "A spokesperson said further consultations were planned for the coming weeks in the same city.",
    "Observers noted that the tone of the discussions had improved compared with previous meetings.",
]

PAGE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Ministers meet in Vienna | Example News</title>
<meta property="og:title" content="Ministers meet in Vienna">
<meta name="author" content="Maria Example">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-03-09T10:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Ministers meet in Vienna</h1>
{''.join(f'<p>{p}</p>' for p in PARAS)}
</article>
<footer><p>Copyright 2023 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_trafilatura_extracts_body_and_metadata() -> None:
    out = html_to_text(PAGE, url="https://news.example.com/world/vienna-talks")
    assert isinstance(out, HtmlText)
    assert out.method == "trafilatura"
    assert out.title == "Ministers meet in Vienna"
    assert out.date == "2023-03-09"
    assert out.author == "Maria Example"
    assert out.sitename == "Example News"
    for p in PARAS:
        assert p in out.body
    assert "Home" not in out.body
    assert "\n\n" in out.body  # paragraphs separated by a blank line
    doc = clean_text(out.body, title=out.title)
    assert doc.text.startswith("Ministers meet in Vienna\n\nThe foreign ministers")


def test_fallback_on_page_without_article() -> None:
    page = "<html><head><title>Short page</title></head><body><div>" + "<p>Tiny.</p>" + (
        "<p>" + PARAS[0] + "</p>") + "</div></body></html>"
    out = html_to_text(page)
    assert PARAS[0] in out.body
    assert out.method in ("trafilatura", "fallback")


def test_empty_and_broken_html() -> None:
    assert html_to_text("") == HtmlText(None, "", method="fallback")
    out = html_to_text("<html><body><p>unclosed <b>markup")
    assert isinstance(out.body, str)
    assert html_to_text("   ").body == ""
