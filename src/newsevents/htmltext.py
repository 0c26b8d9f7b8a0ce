"""HTML page to article text and metadata, for the clean stage.

A cascade, as trafilatura itself documents it: trafilatura's main extractor with metadata
(title, author, site name, date found by htmldate); when it returns no text, trafilatura's
``baseline`` (the ``articleBody`` of JSON-LD, else ``<article>``/``<p>`` text); when that is
empty too, the text of the page's ``<p>`` elements read with lxml.  The body is returned as
paragraphs separated by blank lines; ``clean_text`` is applied to it by the caller.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

__all__ = ["HtmlText", "html_to_text"]

#: A fallback paragraph shorter than this many characters is navigation or a caption, not
#: article prose (menus, "Share", dates); 40 characters is about six words.
MIN_FALLBACK_PARAGRAPH_CHARS = 40

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.+-Z]+)?")


@dataclass(frozen=True)
class HtmlText:
    """The article found in an HTML page."""

    title: str | None
    body: str
    author: str | None = None
    sitename: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD) or None
    method: str = "trafilatura"  # trafilatura | fallback


def html_to_text(html: str, url: str | None = None) -> HtmlText:
    """Extract the article body and metadata from ``html`` (never raises on bad HTML)."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    if not html or not html.strip():
        return HtmlText(None, "", method="fallback")
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        )
    except Exception:  # trafilatura raises assorted errors on broken pages; fall back
        doc = None
    title = author = sitename = date = None
    body = ""
    if doc is not None and not isinstance(doc, dict):
        title, author, sitename = _opt(doc.title), _opt(doc.author), _opt(doc.sitename)
        date = _iso(doc.date)
        body = _paragraphs(doc.text or "")
    body = _drop_repeated_title(body, title)
    if body:
        return HtmlText(title, body, author, sitename, date, "trafilatura")
    body = _fallback(html)
    if title is None:
        title = _page_title(html)
    return HtmlText(title, body, author, sitename, date, "fallback")


def _fallback(html: str) -> str:
    try:
        _, text, _ = trafilatura.baseline(html)
    except Exception:
        text = ""
    if text and text.strip():
        return _paragraphs(text)
    try:
        tree = lxml_html.fromstring(html)
    except Exception:
        return ""
    paras = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    return "\n\n".join(p for p in paras if len(p) >= MIN_FALLBACK_PARAGRAPH_CHARS)


def _drop_repeated_title(body: str, title: str | None) -> str:
    """Remove a first paragraph that repeats the title (the page's <h1>)."""
    if not title:
        return body
    first, _, rest = body.partition("\n\n")
    return rest if first.casefold() == title.casefold() else body


def _page_title(html: str) -> str | None:
    try:
        tree = lxml_html.fromstring(html)
    except Exception:
        return None
    node = tree.find(".//title")
    return _opt(node.text_content()) if node is not None else None


def _paragraphs(text: str) -> str:
    """One paragraph per line -> paragraphs separated by a blank line."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _opt(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _iso(value: object) -> str | None:
    if value is None:
        return None
    m = _DATE.match(str(value))
    return m.group()[:10] if m else None
