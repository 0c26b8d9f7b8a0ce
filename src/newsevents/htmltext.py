"""HTML page to article text and metadata, for the clean stage.

A cascade, as trafilatura itself documents it: trafilatura's main extractor with metadata
(title, author, site name, date found by htmldate), tables included and ``favor_precision``
set; when it returns no text, trafilatura's ``baseline`` (the ``articleBody`` of JSON-LD, else
``<article>``/``<p>`` text); when that is empty too, the text of the page's ``<p>`` elements read
with lxml, and last a tree-free reading of the page's text blocks.

After extraction, page-level rules that hold for any site refine the body (each is a function
below, with the threshold it uses as a named constant):

1. hover cards (tooltip/popover/rollover blocks holding links or pictures) are pruned from the
   page before extraction: they are hidden UI whose text lands inside sentences;
2. leading headings (the page's headline and standfirst, which the ``title`` field carries) and a
   first paragraph that repeats the title are dropped (``_drop_leading_headlines``);
3. an article body split into several sibling containers of the same class (by advertisement
   slots) is read whole: trafilatura keeps the first container only (``_merge_sibling_containers``);
4. short paragraphs and list items made of the page's link texts ("Related: ...", lists of other
   stories) are dropped (``_drop_link_blocks``);
5. trailing credit, contact and newsletter lines ("Reporting by ...", "Follow him on Twitter",
   "Sign up for ...") are trimmed from the end (``_trim_tail``).

The body is returned as paragraphs separated by blank lines; ``clean_text`` is applied to it by
the caller.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

__all__ = ["HtmlText", "html_to_text"]

#: A fallback paragraph shorter than this many characters is navigation or a caption, not
#: article prose (menus, "Share", dates); 40 characters is about six words.
MIN_FALLBACK_PARAGRAPH_CHARS = 40

#: A leading paragraph sharing at least this share of its words (or of the title's words) with the
#: title is a headline variant (the <h1> differs from og:title). 0.6 was chosen on the development
#: pages: it catches reworded headlines, and no lead sentence there shares as much with its title.
TITLE_OVERLAP = 0.6
#: A headline or standfirst is at most this many words (longer leading text is prose).
MAX_HEADLINE_WORDS = 25

#: Link blocks: a paragraph of at most this many words whose characters are at least
#: ``LINK_BLOCK_SHARE`` link text of the page is a link to another page, not article prose.
#: 20 words covers "Related: <headline>" lines; 0.7 leaves a short label ("Related:", "[VIDEO]").
MAX_LINK_BLOCK_WORDS = 20
LINK_BLOCK_SHARE = 0.7
#: Only link texts of at least this many characters count (one-word inline links such as a
#: name or "here" occur in prose and must not make a sentence look like a link block).
MIN_ANCHOR_CHARS = 12

#: Sibling containers: the article is read whole only when the paragraph found in the page is at
#: least this long (so that its container is identified with confidence), ...
MIN_HOST_PARAGRAPH_CHARS = 80
#: ... there are at most this many containers of that class (more is a list of teasers), ...
MAX_SIBLING_CONTAINERS = 8
#: ... and each sibling adds at least this many new prose paragraphs (a lone pull quote is not
#: a continuation of the article).
MIN_SIBLING_PARAGRAPHS = 2
#: A sibling paragraph that is at least this share link text is a teaser, not a continuation.
MAX_SIBLING_ANCHOR_SHARE = 0.5

#: Tail lines longer than this many words are article prose, whatever cue they contain.
MAX_TAIL_WORDS = 60

#: Hover cards and tooltips with links or pictures: hidden UI whose text trafilatura would put
#: inside the sentence that holds the hovered name.
HOVER_CARD_XPATH = (
    "//*[contains(@class, 'tooltip') or contains(@class, 'popover') or contains(@class, 'rollover')"
    " or contains(@class, 'hovercard')][count(.//a) >= 2 or .//img]"
)

#: Credit, contact, newsletter and separator lines that end news pages.
_TAIL = re.compile(
    r"""^\(?(?:additional\ )?(?:reporting|writing|editing|edited|compiled|produced)\ by\b
    |\bcontributed\ (?:to\ )?(?:this|the)\ (?:report|story|article)\b
    |^(?:contributing|contributors?)\s*:
    |\bfollow\ (?:him|her|them|us|me)\ (?:on\b|at\b|@)
    |\b(?:can|may)\ be\ reached\ at\b
    |\breach\ (?:the\ )?(?:reporters?|writers?|authors?|him|her|them)\ (?:at|on|via)\b
    |\b(?:e-?mail|contact)\ (?:\w+\ ){0,3}at\ \S+@
    |\bsign\ up\b|\bsubscribe\ (?:to|now|for|today|here)\b|\b(?:our|daily|weekly|free)\ (?:\w+\ )?newsletters?\b
    |\binbox\b
    |^(?:more|follow)\ (?:\S+\ ){0,3}(?:coverage|news)\b.*https?://
    |^[^\w]*$|^_+$""",
    re.IGNORECASE | re.VERBOSE,
)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]$")
_BULLET = re.compile(r"^[-–•*]\s+")

#: Tags whose text is never article prose, and tags that end a block of text (for ``_flat_paragraphs``).
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article",
                         "section", "blockquote", "td", "tr", "table", "header", "main", "aside", "pre", "hr"})

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
    try:
        tree = load_html(html)
    except Exception:  # noqa: BLE001 - lxml raises assorted errors on broken pages; fall back
        tree = None
    doc = None
    if tree is not None:
        try:
            doc = trafilatura.bare_extraction(
                tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
                favor_precision=True, prune_xpath=HOVER_CARD_XPATH,
            )
        except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on broken pages; fall back
            doc = None
    title = author = sitename = date = None
    body = ""
    if doc is not None and not isinstance(doc, dict):
        title, author, sitename = _opt(doc.title), _opt(doc.author), _opt(doc.sitename)
        date = _iso(doc.date)
        body = _paragraphs(_body_text(doc.body) or doc.text or "")
    anchors = _anchor_texts(tree)
    if body:
        paras = _drop_leading_headlines(body.split("\n\n"), title)
        paras = _merge_sibling_containers(tree, paras, anchors)
        body = "\n\n".join(_trim_tail(_drop_link_blocks(paras, anchors)))
    if body:
        return HtmlText(title, body, author, sitename, date, "trafilatura")
    body = _fallback(html)
    if body:
        body = "\n\n".join(_trim_tail(_drop_link_blocks(body.split("\n\n"), anchors)))
    if title is None:
        title = _page_title(html)
    return HtmlText(title, body, author, sitename, date, "fallback")


def _body_text(body: etree._Element | None) -> str:
    """The text of trafilatura's own body tree without its leading headings (headline, standfirst).

    The page's headline is reported as ``title``; trafilatura keeps it (or a reworded <h1> and the
    standfirst under it) as ``<head>`` elements before the first paragraph.  Trees from
    trafilatura's internal fallbacks (raw HTML, not ``<body>``) are left as they are ("" returned).
    """
    if body is None or body.tag != "body":
        return ""
    for child in list(body):
        if child.tag != "head" and _text(child):
            break
        body.remove(child)
    return xmltotxt(body, False)


def _drop_leading_headlines(paras: list[str], title: str | None) -> list[str]:
    """Drop a first paragraph that repeats the title: equal, or a short headline-like variant."""
    if not paras or not title:
        return paras
    first = paras[0]
    if first.casefold() == title.casefold():
        return paras[1:]
    a, b = set(_words(first)), set(_words(title))
    if (a and b and len(_words(first)) <= MAX_HEADLINE_WORDS and not _SENTENCE_END.search(first)
            and max(len(a & b) / len(a), len(a & b) / len(b)) >= TITLE_OVERLAP):
        return paras[1:]
    return paras


def _anchor_texts(tree: lxml_html.HtmlElement | None) -> frozenset[str]:
    """The texts of the page's links that are long enough to identify a link block."""
    if tree is None:
        return frozenset()
    found = set()
    for node in tree.iter("a"):
        text = " ".join(node.text_content().split())
        if len(text) >= MIN_ANCHOR_CHARS:
            found.add(text)
    return frozenset(found)


def _anchor_share(text: str, anchors: frozenset[str]) -> float:
    """Share of ``text``'s characters covered by link texts of the page (capped at 1)."""
    if not text:
        return 0.0
    return min(1.0, sum(len(a) for a in anchors if a in text) / len(text))


def _drop_link_blocks(paras: list[str], anchors: frozenset[str]) -> list[str]:
    """Drop short paragraphs and list items that are mostly the text of a link to elsewhere.

    A paragraph of one token (a URL or an e-mail address shown as a link) is what the page says,
    not a link block, and is kept.
    """
    if not anchors:
        return paras
    kept = []
    for para in paras:
        text = _BULLET.sub("", para)
        if (" " in text and len(_words(text)) <= MAX_LINK_BLOCK_WORDS
                and _anchor_share(text, anchors) >= LINK_BLOCK_SHARE):
            continue
        kept.append(para)
    return kept


def _merge_sibling_containers(tree: lxml_html.HtmlElement | None, paras: list[str],
                              anchors: frozenset[str]) -> list[str]:
    """Add the paragraphs of sibling body containers (same tag and class) in document order.

    Sites cut a long article into several ``<div class="article-body">`` blocks with
    advertisements between them; extractors keep the block they scored best.
    """
    if tree is None or not paras:
        return paras
    longest = max(paras, key=len)
    if len(longest) < MIN_HOST_PARAGRAPH_CHARS:
        return paras
    host = next((p.getparent() for p in tree.iter("p") if _norm(p.text_content()) == longest), None)
    if host is None or not (host.get("class") or "").strip():
        return paras
    same = [e for e in tree.iter(host.tag) if e.get("class") == host.get("class")]
    if not 2 <= len(same) <= MAX_SIBLING_CONTAINERS:
        return paras
    have = {" ".join(_words(p)) for p in paras}
    before: list[str] = []
    after: list[str] = []
    seen_host = False
    for container in same:
        if container is host:
            seen_host = True
            continue
        new = []
        for p in container.iter("p"):
            text = _norm(p.text_content())
            key = " ".join(_words(text))
            if (len(text) >= MIN_FALLBACK_PARAGRAPH_CHARS and key not in have
                    and _anchor_share(text, anchors) < MAX_SIBLING_ANCHOR_SHARE):
                new.append(text)
                have.add(key)
        if len(new) >= MIN_SIBLING_PARAGRAPHS:
            (after if seen_host else before).extend(new)
    return before + paras + after


def _trim_tail(paras: list[str]) -> list[str]:
    """Remove trailing credit, contact, newsletter and separator lines."""
    end = len(paras)
    while end and len(_words(paras[end - 1])) <= MAX_TAIL_WORDS and _TAIL.search(paras[end - 1]):
        end -= 1
    return paras[:end]


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
    found = "\n\n".join(p for p in paras if len(p) >= MIN_FALLBACK_PARAGRAPH_CHARS)
    return found or _flat_paragraphs(html)


class _FlatParser(HTMLParser):
    """Text blocks of a page read as a flat stream of tags, however deeply they nest.

    libxml2 (under lxml and trafilatura) stops building the tree at a nesting depth of 256, so the
    text of a page nested deeper is lost to the tree-based steps; this parser keeps no tree.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS and self.blocks[-1]:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS and self.blocks[-1]:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.blocks[-1].append(data)


def _flat_paragraphs(html: str) -> str:
    """The last fallback: prose-sized text blocks of the page, found without building a tree."""
    parser = _FlatParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never let a page stop the article
        return ""
    paras = [" ".join("".join(block).split()) for block in parser.blocks]
    return "\n\n".join(p for p in paras if len(p) >= MIN_FALLBACK_PARAGRAPH_CHARS)


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


def _text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _norm(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


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
