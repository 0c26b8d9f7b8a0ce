"""Server-side highlighting of an article's spans, every piece of text escaped.

The spans of an article (event triggers, actors, places, quotations, dates) overlap: a quotation
holds actors, a trigger sits in a quotation.  ``highlight`` cuts the text at every span boundary
into pieces over which the set of covering spans is constant, escapes each piece, and wraps the
covered ones in one ``<mark>`` whose classes name every kind that covers it (``hl-actor
hl-quote``) and whose ``title`` says what each span is.  Offsets are character offsets into the
text; spans out of range are clipped and empty ones dropped, so bad offsets never break a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

# Kinds of span, in the order their classes and titles are listed.
KINDS = ("trigger", "actor", "place", "date", "quote")


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of text: ``kind`` one of KINDS, ``label`` shown on hover."""

    start: int
    end: int
    kind: str
    label: str
    anchor: str | None = None  # id of the element this span links to (e.g. the event's card)


def _label(kind: str, item: dict[str, Any]) -> str:
    if kind == "actor":
        return f"actor {item.get('code') or ''} {item.get('name') or ''}".strip()
    if kind == "place":
        return f"place {item.get('name') or item.get('text')} {item.get('country') or ''}".strip()
    if kind == "date":
        return f"date {item.get('value') or '?'}"
    speaker = item.get("speaker")
    return "quote" + (f" by {speaker.get('name') or speaker.get('text')}" if isinstance(speaker, dict) else "")


def article_spans(art: dict[str, Any]) -> list[Span]:
    """The spans of an article as returned by ``queries.article``."""
    spans: list[Span] = []
    for ev in art.get("events") or []:
        start, end = ev.get("trigger_start"), ev.get("trigger_end")
        if isinstance(start, int) and isinstance(end, int):
            label = f"event {ev.get('cameo')} {ev.get('plover') or 'no PLOVER type'}"
            spans.append(Span(start, end, "trigger", label, f"event-{ev.get('event_index')}"))
    for key, kind in (("actors", "actor"), ("places", "place"), ("dates", "date"), ("quotes", "quote")):
        for item in art.get(key) or []:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int):
                spans.append(Span(start, end, kind, _label(kind, item)))
    return spans


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` as escaped HTML with each stretch covered by spans wrapped in a classed ``<mark>``."""
    n = len(text)
    clipped = [s for s in (Span(max(0, s.start), min(n, s.end), s.kind, s.label, s.anchor) for s in spans)
               if s.start < s.end and s.kind in KINDS]
    cuts = sorted({0, n, *(s.start for s in clipped), *(s.end for s in clipped)})
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[left:right])
        covering = [s for s in clipped if s.start <= left and right <= s.end]
        if not covering:
            out.append(piece)
            continue
        covering.sort(key=lambda s: (KINDS.index(s.kind), s.start, s.end))
        kinds = list(dict.fromkeys(s.kind for s in covering))
        classes = " ".join(f"hl-{k}" for k in kinds)
        title = "; ".join(dict.fromkeys(s.label for s in covering))
        anchor = next((s.anchor for s in covering if s.anchor), None)
        mark = Markup('<mark class="{}" title="{}">{}</mark>').format(classes, title, piece)
        if anchor:
            mark = Markup('<a href="#{}">{}</a>').format(anchor, mark)
        out.append(mark)
    return Markup("").join(out)
