"""Quote marks: where the quotations of a text are, from its characters alone.

The first pass of ``quotes.find_quotes`` (the second, attribution, needs the parse).  Double
quotes (straight ``"`` and curly ``“…”``, and the ``''…''``/````…''`` pairs of some wire copy) are
paired paragraph by paragraph; a paragraph that opens a quotation without closing it is continued
by the next paragraph when that one opens with a quote mark (the press convention for
multi-paragraph quotations).  Single-quoted phrases (``‘…’`` or ``'…'``) outside double quotes are
kept when short.  Apostrophes (``Macron’s``, ``don’t``, ``’90s``) are never marks: an opening mark
must follow a non-word character and precede a letter, a closing one must follow a non-space and
precede a non-word character.  Unbalanced or over-long spans are dropped (nothing rather than
garbage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["quote_mark_spans"]

#: Longest quotation, in characters, inside one paragraph.  The longest direct quotation in
#: the PolNeAR development set is about 920 characters; 1500 leaves room while an unbalanced
#: mark in a long article cannot swallow a whole page.
MAX_QUOTE_CHARS = 1500

#: Most paragraphs a continued (multi-paragraph) quotation may span; chosen by hand: longer
#: runs in news copy are nearly always a missing closing mark, not a speech.
MAX_QUOTE_PARAGRAPHS = 8

#: Longest single-quoted phrase kept outside double quotes.  Single quotes at top level are
#: headline quotations and short scare quotes; beyond ~120 characters a stray apostrophe is far
#: more likely than a quotation (chosen by inspecting news text).
MAX_SINGLE_QUOTE_CHARS = 120

DOUBLE_OPEN = "“„"
DOUBLE_CLOSE = "”"
DOUBLE_BOTH = '"'
DOUBLE_PAIRS = ("''", "``")
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
SINGLE_BOTH = "'"
#: A space then an ellipsis right after an opening mark (the quotation starts mid-sentence).
ELLIPSIS = re.compile(r"[ \t\u00a0](?:…|\.\.\.)[ \t\u00a0]*\w")


@dataclass(frozen=True)
class _Mark:
    pos: int
    opens: bool
    closes: bool
    width: int = 1


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _double_marks(text: str, start: int, end: int) -> list[_Mark]:
    r"""The double quote marks of ``text[start:end]`` with the roles their context allows.

    Two apostrophes (``''``) or back-ticks (``\`\```) stand for a double mark, as in some
    newspaper archives.
    """
    marks: list[_Mark] = []
    i = start
    while i < end:
        ch = text[i]
        pair = text[i : i + 2]
        width = 2 if pair in DOUBLE_PAIRS else 1
        if width == 1 and ch not in DOUBLE_OPEN and ch not in DOUBLE_CLOSE and ch != DOUBLE_BOTH:
            i += 1
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + width] if i + width < end else " "
        # a quotation may open on an ellipsis set off by a space (“ … and then we left”)
        open_ctx = not after.isspace() or ELLIPSIS.match(text, i + width, end) is not None
        close_ctx = not before.isspace()
        if ch in DOUBLE_OPEN or pair == "``":
            # a curly opening mark glued to the end of a word is a mis-typed closing mark
            closes = close_ctx and (not open_ctx or not _is_word(after))
            marks.append(_Mark(i, True, closes, width))
        elif ch in DOUBLE_CLOSE:
            marks.append(_Mark(i, open_ctx and not close_ctx, True))
        else:
            marks.append(_Mark(i, open_ctx or not close_ctx, close_ctx or not open_ctx, width))
        i += width
    return marks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, whitespace-trimmed."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _double_spans(text: str) -> list[tuple[int, int]]:
    """Balanced double-quoted spans (end after the closing mark), continued across paragraphs.

    A curly opening mark met inside a curly quotation opens a quotation nested in it (``“I’d
    rather live in what he calls “hell” than …”``, where the inner marks should have been
    single); when the outer quotation closes in the same paragraph, it is the span, else the
    nested ones are kept as before.
    """
    spans: list[tuple[int, int]] = []
    paras = _paragraphs(text)
    open_at: int | None = None  # start of the quotation being read
    outer: int | None = None  # start of the curly quotation ``open_at`` is nested in
    nested: list[tuple[int, int]] = []  # closed quotations nested in ``outer``
    para_count = 0
    for idx, (ps, pe) in enumerate(paras):
        marks = _double_marks(text, ps, pe)
        skip_first = False
        if open_at is not None:  # continuing from the previous paragraph
            if marks and marks[0].pos == ps and marks[0].opens:
                skip_first = True
                para_count += 1
            else:
                open_at = None
        for k, mark in enumerate(marks):
            if skip_first and k == 0:
                continue
            if open_at is None:
                if mark.opens:
                    open_at, para_count = mark.pos, 1
            elif mark.closes and (mark.pos > open_at + 1 or para_count > 1):
                close_end = mark.pos + mark.width
                if para_count <= MAX_QUOTE_PARAGRAPHS and _within_limit(text, open_at, close_end):
                    (nested if outer is not None else spans).append((open_at, close_end))
                open_at, outer = outer, None
                if open_at is None:
                    nested = []
            elif mark.opens and outer is None and text[open_at] in DOUBLE_OPEN and text[mark.pos] in DOUBLE_OPEN:
                outer, open_at = open_at, mark.pos  # a quotation inside a curly quotation
            elif mark.opens:  # a second opening mark: the first one was never closed
                open_at, para_count = mark.pos, 1
        if outer is not None or nested:  # the outer quotation was not closed in its paragraph
            if outer is None:
                open_at = None
            spans.extend(nested)
            nested, outer = [], None
        if open_at is not None:
            nxt = paras[idx + 1][0] if idx + 1 < len(paras) else None
            if nxt is None or not _starts_with_mark(text, nxt):
                open_at = None
    return sorted(spans)


def _starts_with_mark(text: str, pos: int) -> bool:
    return text[pos] in DOUBLE_OPEN + DOUBLE_BOTH + DOUBLE_CLOSE or text[pos : pos + 2] in DOUBLE_PAIRS


def _within_limit(text: str, start: int, end: int) -> bool:
    """Each paragraph of the quotation no longer than ``MAX_QUOTE_CHARS``."""
    return all(len(part) <= MAX_QUOTE_CHARS for part in text[start:end].split("\n"))


def _single_spans(text: str, taken: list[tuple[int, int]], elisions: frozenset[str]) -> list[tuple[int, int]]:
    """Short single-quoted phrases outside the double-quoted spans ``taken``."""
    spans: list[tuple[int, int]] = []

    def inside(i: int) -> bool:
        return any(s <= i < e for s, e in taken)

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in SINGLE_OPEN + SINGLE_BOTH or inside(i):
            i += 1
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        word = re.match(r"[A-Za-z]+", text[i + 1 : i + 8])
        if _is_word(before) or not after.isalpha() or (word and word.group(0).lower() in elisions):
            i += 1
            continue
        close = _single_close(text, i)
        if close is None or inside(close):
            i += 1
            continue
        spans.append((i, close + 1))
        i = close + 1
    return spans


def _single_close(text: str, start: int) -> int | None:
    """Position of the closing single mark for the mark at ``start``, or None."""
    limit = min(len(text), start + MAX_SINGLE_QUOTE_CHARS + 1)
    fallback: int | None = None
    for j in range(start + 2, limit):
        ch = text[j]
        if ch == "\n":
            break
        if ch not in SINGLE_CLOSE + SINGLE_BOTH:
            continue
        before, after = text[j - 1], text[j + 1] if j + 1 < len(text) else " "
        if before.isspace() or _is_word(after):
            continue
        # "the voters’ choice": a plural possessive, unless nothing better comes
        if before == "s" and after == " " and j + 2 < len(text) and text[j + 2].islower():
            fallback = fallback if fallback is not None else j
            continue
        return j
    return fallback


def quote_mark_spans(text: str, elisions: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of the quotations in ``text``, quote marks included, in text order;
    ``elisions`` are words written with a leading apostrophe ("'em", "'90s") that open no quote."""
    doubles = _double_spans(text)
    singles = _single_spans(text, doubles, elisions)
    spans = [
        s
        for s in doubles + singles
        if any(c.isalpha() for c in text[s[0] : s[1]]) and not (s[0] > 0 and text[s[0] - 1] == "=")
    ]
    return sorted(spans)
