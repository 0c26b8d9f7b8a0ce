"""The clean stage: repair scraped article text and keep an exact map back to the input.

``clean_text(body, title)`` returns a ``CleanDoc`` whose ``text`` is the cleaned title, a
blank line and the cleaned body, and whose ``offsets[i]`` is the index in ``raw`` (title,
blank line, body as given) of cleaned character ``i``.  Every change is recorded as a
``Repair`` located in the cleaned text.

Passes, in order, each an edit list applied by one offset-keeping routine (``_apply``):

1. characters: control and zero-width characters dropped, CR/LF and odd spaces unified;
2. encoding: ftfy (mojibake, HTML entities, ligatures, NFC) line by line, the changed
   characters located with a character diff so untouched characters keep their offsets;
3. glue: missing spaces restored in glued tokens and fused sentence ends (``glue.py``);
4. boilerplate: whole short lines matching ``data/boilerplate.yaml`` are cut;
5. whitespace: runs of spaces collapsed, line ends stripped, at most one blank line (this
   pass also runs before the encoding pass, so that ftfy sees the final spacing).

Then the language of the cleaned text is identified (``langid.py``) into ``CleanDoc.language``.

Inserted characters (a restored space) map to the raw index of the character that follows
them; a replacement maps its characters onto the raw span it replaced.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import ftfy
import yaml

from newsevents.errors import KnowledgeError
from newsevents.glue import GlueLexicon, find_splits
from newsevents.htmltext import HtmlText, html_to_text
from newsevents.langid import detect_language
from newsevents.records import CleanDoc, Repair

__all__ = ["CleanOptions", "CleanDoc", "HtmlText", "clean_text", "html_to_text", "load_knowledge"]

#: A line with more words than this is never cut as boilerplate, whatever it matches: the
#: longest formulaic line we want to cut ("Save my name, email, and website in this browser
#: for the next time I comment.") has 14 words; real sentences are usually longer.
MAX_BOILERPLATE_WORDS = 16

#: Glue passes at most per text part.  A split can reveal another in the same token ("Moscow.saidthe"
#: -> "Moscow.said the" -> "Moscow. said the"), and cleaning must be idempotent, so the tokens already
#: split are scanned again; every case the property tests found settled in two rounds, and each round
#: only inserts spaces.  Later rounds look at split tokens only: the text-level evidence of glue.py
#: (names standing alone, repeats) shifts after a split and would license new splits elsewhere.
MAX_GLUE_ROUNDS = 4
_GLUE_KINDS = ("glue_split", "sentence_space")

#: Characters (besides Cc/Cf categories) dropped as invisible: zero-width and BOM-like.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
#: Characters turned into a plain space or a newline.
_SPACE_LIKE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_LINE_LIKE = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
#: Characters the invisible-character scan of _char_pass must look at: all but printable ASCII, tab and
#: newline (none of which is a control, format, surrogate, private-use, invisible or odd space character).
_NOT_PLAIN = re.compile(r"[^\x20-\x7e\n\t]")

_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # curly quotes are correct text; keep them as written
    fix_character_width=False,  # full-width forms can be intended (CJK names)
    fix_line_breaks=False,  # done by the character pass, with offsets
    explain=False,
)


@dataclass(frozen=True)
class CleanOptions:
    """What ``clean_text`` repairs."""

    fix_encoding: bool = True  # ftfy + NFC normalisation, control and zero-width chars removed
    strip_boilerplate: bool = True
    split_glue: bool = True
    extra_vocabulary: frozenset[str] = frozenset()  # known names (actors, places) the lead passes in
    detect_language: bool = True  # fill CleanDoc.language (langid.detect_language on the cleaned text)


@dataclass(frozen=True)
class _Rule:
    name: str
    where: str  # anywhere | edge
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Knowledge:
    """The validated content of ``data/boilerplate.yaml``."""

    rules: tuple[_Rule, ...]
    lexicon: GlueLexicon


@functools.lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """Load and validate ``data/boilerplate.yaml`` once per process."""
    try:
        raw = resources.files("newsevents").joinpath("data/boilerplate.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read data/boilerplate.yaml: {exc}") from exc
    return _parse_knowledge(data)


def _parse_knowledge(data: Any) -> Knowledge:
    if not isinstance(data, dict) or not isinstance(data.get("boilerplate"), list):
        raise KnowledgeError("data/boilerplate.yaml: a mapping with a 'boilerplate' list is required")
    rules: list[_Rule] = []
    for group in data["boilerplate"]:
        name, where = group.get("name"), group.get("where", "anywhere")
        if not isinstance(name, str) or where not in ("anywhere", "edge"):
            raise KnowledgeError(f"data/boilerplate.yaml: bad group {group!r}")
        flags = 0 if group.get("case_sensitive") else re.IGNORECASE
        for pat in group.get("patterns") or []:
            try:
                rules.append(_Rule(name, where, re.compile(str(pat), flags)))
            except re.error as exc:
                raise KnowledgeError(f"data/boilerplate.yaml: bad pattern in {name}: {pat!r}: {exc}") from exc
    glue = data.get("glue")
    fields = ("function_words", "the_left_words", "the_right_words", "name_suffixes", "camel_prefixes",
              "dotted_suffixes")
    if not isinstance(glue, dict) or any(not isinstance(glue.get(f), list) for f in fields):
        raise KnowledgeError(f"data/boilerplate.yaml: section 'glue' needs the lists {', '.join(fields)}")
    for f in fields:
        bad = [w for w in glue[f] if not isinstance(w, str)]
        if bad:  # YAML reads bare on/off/yes/no as booleans: such words must be quoted
            raise KnowledgeError(f"data/boilerplate.yaml: glue.{f} has non-string items {bad!r} (quote them)")
    words = {f: frozenset(glue[f]) for f in fields}
    lexicon = GlueLexicon(**words)
    return Knowledge(tuple(rules), lexicon)


# ---------------------------------------------------------------------------- offset machinery
@dataclass(frozen=True)
class _Edit:
    """Replace ``[start, end)`` of the current text by ``text`` (``start == end``: insert)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Change:
    """A repair to record, located in the text *before* the edits are applied."""

    start: int
    end: int
    kind: str


@dataclass
class _State:
    text: str
    offsets: list[int]
    repairs: list[Repair]


def _apply(state: _State, edits: list[_Edit], changes: list[_Change]) -> _State:
    """Apply non-overlapping ``edits``; carry offsets and older repairs; add ``changes``."""
    if not edits:
        return state
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    old, off = state.text, state.offsets
    n = len(old)
    out: list[str] = []
    new_off: list[int] = []
    pmap = [0] * (n + 1)
    length = 0
    p = 0
    for e in edits:
        if e.start < p:
            raise ValueError(f"overlapping edits at {e.start}")
        for q in range(p, e.start):
            pmap[q] = length + (q - p)
        out.append(old[p:e.start])
        new_off.extend(off[p:e.start])
        length += e.start - p
        pmap[e.start] = length
        if e.end > e.start:
            new_off.extend(off[min(e.start + j, e.end - 1)] for j in range(len(e.text)))
        else:
            anchor = off[e.start] if e.start < n else (off[n - 1] if n else 0)
            new_off.extend([anchor] * len(e.text))
        out.append(e.text)
        length += len(e.text)
        for q in range(e.start + 1, e.end):
            pmap[q] = length
        p = e.end
    for q in range(p, n + 1):
        pmap[q] = length + (q - p)
    out.append(old[p:])
    new_off.extend(off[p:])
    new = "".join(out)
    deleted = [(e.start, e.end) for e in edits if e.end > e.start and not e.text]
    starts = [d[0] for d in deleted]
    repairs: list[Repair] = []
    for r in state.repairs:
        i = bisect.bisect_right(starts, r.start) - 1
        if i >= 0 and r.end > r.start and r.end <= deleted[i][1]:
            continue  # the repaired text was cut away (cut markers, start == end, are kept)
        repairs.append(Repair(pmap[r.start], pmap[r.end], r.kind, r.before, r.after))
    for c in changes:
        s, t = pmap[c.start], pmap[c.end]
        repairs.append(Repair(s, t, c.kind, old[c.start:c.end], new[s:t]))
    repairs.sort(key=lambda r: (r.start, r.end))
    return _State(new, new_off, repairs)


def _simple(state: _State, edits: list[tuple[int, int, str, str]]) -> _State:
    """Apply edits that are each their own repair: ``(start, end, text, kind)``."""
    return _apply(state, [_Edit(s, e, t) for s, e, t, _ in edits], [_Change(s, e, k) for s, e, _, k in edits])


# ---------------------------------------------------------------------------- passes
def _char_pass(state: _State, drop_invisible: bool, keep_c1: bool = False) -> _State:
    """Unify line breaks and odd spaces; drop control and zero-width characters.

    ``keep_c1`` keeps the C1 controls U+0080-U+009F for ftfy: they are often the last byte of a
    mis-decoded UTF-8 character ("â€\x9d" is a closing quote), and the pass after ftfy drops
    whatever is left of them.
    """
    edits: list[tuple[int, int, str, str]] = []
    text = state.text
    for m in _LINE_LIKE.finditer(text):
        edits.append((m.start(), m.end(), "\n", "whitespace"))
    taken = {i for s, e, _, _ in edits for i in range(s, e)}
    for m in _SPACE_LIKE.finditer(text):
        edits.append((m.start(), m.end(), " ", "whitespace"))
    if drop_invisible:
        for m in _NOT_PLAIN.finditer(text):
            i, ch = m.start(), m.group()
            if i in taken or (keep_c1 and "\x80" <= ch <= "\x9f"):
                continue
            cat = unicodedata.category(ch)
            if ch in _INVISIBLE or cat in ("Cc", "Cf", "Cs", "Co") and not _SPACE_LIKE.match(ch):
                edits.append((i, i + 1, "", "control_char"))
    return _simple(state, edits)


def _encoding_pass(state: _State) -> _State:
    """ftfy line by line; a character diff locates what changed."""
    edits: list[tuple[int, int, str, str]] = []
    pos = 0
    for line in state.text.split("\n"):
        if line and not line.isascii() or "&" in line:
            fixed = ftfy.fix_text(line, _FTFY_CONFIG)
            if fixed != line:
                sm = difflib.SequenceMatcher(a=line, b=fixed, autojunk=False)
                for op, i1, i2, j1, j2 in sm.get_opcodes():
                    if op != "equal":
                        edits.append((pos + i1, pos + i2, fixed[j1:j2], "encoding"))
        pos += len(line) + 1
    return _simple(state, edits)


def _glue_pass(state: _State, options: CleanOptions, lexicon: GlueLexicon,
               within: list[tuple[int, int]] | None = None) -> _State:
    """Insert the missing spaces ``glue.find_splits`` finds; with ``within``, only in tokens overlapping those spans."""
    edits: list[_Edit] = []
    changes: list[_Change] = []
    for split in find_splits(state.text, lexicon, options.extra_vocabulary):
        if within is not None and not any(s < split.end and split.start < e for s, e in within):
            continue
        edits.extend(_Edit(p, p, " ") for p in split.inserts)
        changes.append(_Change(split.start, split.end, split.kind))
    return _apply(state, edits, changes)


def _is_boilerplate(line: str, rules: tuple[_Rule, ...]) -> str | None:
    """``anywhere`` / ``edge`` when the whole line matches a rule, else None."""
    norm = " ".join(line.split())
    if not norm or len(norm.split()) > MAX_BOILERPLATE_WORDS:
        return None
    found: str | None = None
    for rule in rules:
        if rule.pattern.fullmatch(norm):
            if rule.where == "anywhere":
                return "anywhere"
            found = "edge"
    return found


def _boilerplate_pass(state: _State, rules: tuple[_Rule, ...]) -> _State:
    """Cut boilerplate lines: ``anywhere`` lines always, ``edge`` lines in the edge runs."""
    text = state.text
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    kinds = [_is_boilerplate(text[s:e], rules) if text[s:e].strip() else "blank" for s, e in spans]
    cut = [k == "anywhere" for k in kinds]
    for order in (range(len(kinds)), range(len(kinds) - 1, -1, -1)):
        for i in order:
            if kinds[i] is None:
                break
            cut[i] = cut[i] or kinds[i] == "edge"
    edits: list[tuple[int, int, str, str]] = []
    for i, (s, e) in enumerate(spans):
        if not cut[i]:
            continue
        if e < len(text):
            edits.append((s, e + 1, "", "boilerplate"))
        elif s > 0 and not (edits and edits[-1][1] == s):
            edits.append((s - 1, e, "", "boilerplate"))
        else:
            edits.append((s, e, "", "boilerplate"))
    return _simple(state, edits)


def _whitespace_pass(state: _State, single_line: bool) -> _State:
    """Collapse spaces, strip line ends, keep at most one blank line, trim the ends."""
    text = state.text
    edits: list[tuple[int, int, str, str]] = []
    if single_line:
        for m in re.finditer(r"\s+", text):
            at_edge = m.start() == 0 or m.end() == len(text)
            if at_edge:
                edits.append((m.start(), m.end(), "", "whitespace"))
            elif m.group() != " ":
                edits.append((m.start() + (m.group()[0] == " "), m.end(), "" if m.group()[0] == " " else " ",
                              "whitespace"))
        return _simple(state, edits)
    for m in re.finditer(r"[^\S\n]+", text):
        s, e = m.start(), m.end()
        if s == 0 or e == len(text) or text[s - 1] == "\n" or text[e] == "\n":
            edits.append((s, e, "", "whitespace"))
        elif m.group() != " ":
            if m.group()[0] == " ":
                edits.append((s + 1, e, "", "whitespace"))
            else:
                edits.append((s, e, " ", "whitespace"))
    state = _simple(state, edits)
    text = state.text
    edits = []
    for m in re.finditer(r"\n{2,}|^\n+|\n+$", text):
        s, e = m.start(), m.end()
        if s == 0 or e == len(text):
            edits.append((s, e, "", "whitespace"))
        elif e - s > 2:
            edits.append((s + 2, e, "", "whitespace"))
    return _simple(state, edits)


def _clean_part(part: str, base: int, options: CleanOptions, know: Knowledge, is_title: bool) -> _State:
    state = _State(part, list(range(base, base + len(part))), [])
    state = _char_pass(state, options.fix_encoding, keep_c1=options.fix_encoding)
    state = _whitespace_pass(state, single_line=is_title)  # before ftfy: it reads "Â " as mojibake
    if options.fix_encoding:
        state = _encoding_pass(state)
        before = state.text
        state = _char_pass(state, True)  # ftfy can decode to a control or private-use character
        if state.text != before:  # a C1 byte ftfy could not use is gone: what is left may now decode
            state = _char_pass(_encoding_pass(state), True)
    if options.split_glue:
        state = _glue_pass(state, options, know.lexicon)
        for _ in range(MAX_GLUE_ROUNDS - 1):  # a split can reveal another in the same token
            split = [(r.start, r.end) for r in state.repairs if r.kind in _GLUE_KINDS]
            before = state.text
            state = _glue_pass(state, options, know.lexicon, split) if split else state
            if state.text == before:
                break
    if options.strip_boilerplate and not is_title:
        state = _boilerplate_pass(state, know.rules)
    return _whitespace_pass(state, single_line=is_title)


def clean_text(body: str, title: str | None = None, options: CleanOptions | None = None) -> CleanDoc:
    """Clean an article body (and title); offsets map every clean character into ``raw``.

    With ``options.detect_language`` the result's ``language`` is that of the cleaned text
    (``langid.detect_language``: English for texts too short to tell).
    """
    options = options or CleanOptions()
    doc = _clean(body, title, options)
    if not options.detect_language:
        return doc
    return replace(doc, language=detect_language(doc.text)[0])


def _clean(body: str, title: str | None, options: CleanOptions) -> CleanDoc:
    know = load_knowledge()
    body = body or ""
    if title is None:
        raw = body
        state = _clean_part(body, 0, options, know, is_title=False)
        return CleanDoc(state.text, raw, tuple(state.offsets), None, 0, tuple(state.repairs))
    raw = title + "\n\n" + body
    head = _clean_part(title, 0, options, know, is_title=True)
    rest = _clean_part(body, len(title) + 2, options, know, is_title=False)
    if not head.text:
        shift = _shifted(rest.repairs, 0)
        return CleanDoc(rest.text, raw, tuple(rest.offsets), None, 0, tuple(shift))
    if not rest.text:
        return CleanDoc(head.text, raw, tuple(head.offsets), head.text, len(head.text), tuple(head.repairs))
    start = len(head.text) + 2
    text = head.text + "\n\n" + rest.text
    offsets = head.offsets + [len(title), len(title) + 1] + rest.offsets
    repairs = head.repairs + _shifted(rest.repairs, start)
    return CleanDoc(text, raw, tuple(offsets), head.text, start, tuple(repairs))  # the title as cleaned


def _shifted(repairs: list[Repair], by: int) -> list[Repair]:
    return [Repair(r.start + by, r.end + by, r.kind, r.before, r.after) for r in repairs]
