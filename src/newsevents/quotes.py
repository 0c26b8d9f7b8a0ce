"""Direct quotations and their speakers.

``find_quotes(doc)`` finds the quoted passages of a parsed article and attributes each one to
a speaker.  It works in two passes:

1. **Quote marks** (characters only): double quotes (straight ``"`` and curly ``“…”``) are
   paired paragraph by paragraph; a paragraph that opens a quotation without closing it is
   continued by the next paragraph when that one opens with a quote mark (the press
   convention for multi-paragraph quotations).  Single-quoted phrases (``‘…’`` or ``'…'``)
   outside double quotes are kept when short.  Apostrophes (``Macron’s``, ``don’t``,
   ``’90s``) are never marks: an opening mark must follow a non-word character and precede a
   letter, a closing one must follow a non-space and precede a non-word character.
   Unbalanced or over-long spans are dropped (nothing rather than garbage).
2. **Attribution** (the spaCy parse): a quotation that opens its sentence takes the cue
   that follows it (``“…,” he said`` / ``said X`` / ``— Name``); one inside a sentence takes
   the cue right before it (``X said: “…”``, ``X said that “…”``), else the cue after it,
   else a speech verb among its syntactic ancestors (``he will seek “at least …”`` governed
   by ``said``).  The speaker is the cue verb's subject (for a participle cue, ``…, saying
   “…”``, the subject of the clause it hangs on), or the object of ``according to``; without
   a cue word, a colon (``Roe Rebukes Board: ‘…’``, or a paragraph ending ``Roe said:``)
   gives the subject of the clause before it.  A quotation without a cue of its own that
   follows an attributed one closely (``“…,” he said. “…”``) inherits its speaker.

Speaker names are resolved inside the article: a pronoun to the most recent compatible
person, a surname to the fullest form of the name the article gives, a role noun phrase to
the name given in apposition or in a verbless fragment right after the cue.  Cue words,
gendered titles and pronouns are data (``data/speech_verbs.yaml``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from newsevents.errors import KnowledgeError
from newsevents.quotemarks import DOUBLE_BOTH, DOUBLE_CLOSE, DOUBLE_OPEN, DOUBLE_PAIRS, quote_mark_spans
from newsevents.records import Quote, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["QuoteOptions", "SpeechLexicon", "find_quote_spans", "find_quotes", "load_speech_lexicon"]

#: How many tokens after a quotation a trailing cue verb may be (``“…,” the minister of
#: foreign affairs of X said``).  Chosen on the PolNeAR development set: speaker phrases
#: before the verb reach 20 tokens with an apposition ("X, the attorney general of Y, one of
#: the states suing Z, said"); a finite verb of another clause ends the search earlier anyway.
MAX_TRAILER_CUE_TOKENS = 24

#: How far up the parse a participle cue climbs to find the clause subject (``X defended
#: the remark before saying, “…”``: saying -> before -> defended); 4 covers a participle inside
#: a prepositional phrase inside a clause, chosen by hand.
MAX_GOVERNOR_HOPS = 4

#: How many sentences back (the pronoun's own included) a clause subject is preferred as the
#: antecedent of "he"/"she" over a more recent non-subject; 3 chosen by reading news copy.
ANTECEDENT_SENTENCES = 3

#: How many tokens may separate a leading cue verb from the opening mark (``X told reporters
#: on Monday: “…”``); chosen like ``MAX_TRAILER_CUE_TOKENS``.
MAX_LEADER_CUE_TOKENS = 8

#: Longest gap, in characters, between an attributed quotation and a following quotation
#: without a cue that still inherits the speaker (``“…,” he said. “…”``).  Chosen by hand:
#: about one short cue sentence plus a paragraph break.
MAX_INHERIT_GAP_CHARS = 160

#: A quoted phrase of at most this many words standing alone as a paragraph, with no cue, no speaker and no
#: sentence punctuation, is a heading or title ("“New Balance”" over a section), not a quotation.
HEADING_MAX_WORDS = 6

#: How many tokens of a speaker mention are kept (the head noun phrase, not its relative
#: clauses); a safety limit on malformed parses.
MAX_MENTION_TOKENS = 12

DASHES = "—―–"
#: Characters stripped from both ends of a resolved name.
NAME_STRIP = " \t\u00a0,;:-—―–\"“”‘’'()"
#: A dash after a closing quote mark that introduces the speaker's name (epigraph style).
DASH_CUE = re.compile(r"[ \t\u00a0]*(?:[—―–]|--)[ \t\u00a0]*(?=[A-Z])")
SENTENCE_END = frozenset({".", "!", "?"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})

DATA_FILE = "speech_verbs.yaml"
LEXICON_VERSION = 1


@dataclass(frozen=True)
class QuoteOptions:
    """Options of the quotation stage.

    ``partial``: keep quotations that begin inside a sentence without a cue right before
    them (``he will seek “at least signs of de-escalation”``, scare quotes, titles).
    ``join_split``: report a quotation split around its cue (``“…,” he said, “…”``) and its
    continuations as one span from the first opening to the last closing mark (the way
    PolNeAR-style attribution corpora annotate them) instead of one quote per piece.
    ``partial_needs_speaker``: keep a partial quotation only when a speech verb attributes it
    to someone (``Macron said he will seek “at least signs of de-escalation”``); unattributed
    quoted phrases (scare quotes, titles, slogans) are not "who said what".
    ``lexicon``: path of a speech-verb file to use instead of the packaged one.

    Partial quotations are off by default: on the PolNeAR development set they add 214 spans of
    which about ten are annotated as quotations (most are labels and scare quotes: a "disgrace",
    "lies"), so keeping them takes direct-quotation F1 from 0.87 to 0.71 (docs/EVALUATION.md).
    """

    partial: bool = False
    join_split: bool = True
    partial_needs_speaker: bool = True
    lexicon: str | None = None


class SpeechLexiconError(KnowledgeError):
    """The speech-verb data file is missing or malformed."""


@dataclass(frozen=True)
class SpeechLexicon:
    """Cue verbs and phrases, gendered titles and pronouns, as loaded from the data file."""

    verbs: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    male_titles: frozenset[str]
    female_titles: frozenset[str]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    object_pronouns: frozenset[str]
    elisions: frozenset[str]


def _words(data: dict[str, Any], *keys: str) -> frozenset[str]:
    node: Any = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise SpeechLexiconError(f"speech verb file: missing key {'.'.join(keys)!r}")
        node = node[key]
    if not isinstance(node, list) or not all(isinstance(w, str) and w.strip() for w in node):
        raise SpeechLexiconError(f"speech verb file: {'.'.join(keys)!r} must be a list of words")
    return frozenset(w.strip().lower() for w in node)


@functools.lru_cache(maxsize=4)
def load_speech_lexicon(path: str | None = None) -> SpeechLexicon:
    """Load and validate the speech-verb file (the packaged one unless ``path`` is given)."""
    try:
        if path is None:
            raw = resources.files("newsevents").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise SpeechLexiconError(f"cannot read speech verb file: {exc}") from exc
    if not isinstance(data, dict):
        raise SpeechLexiconError("speech verb file must hold a mapping")
    if data.get("version") != LEXICON_VERSION:
        raise SpeechLexiconError(f"speech verb file: 'version' must be {LEXICON_VERSION}")
    phrases_raw = data.get("phrases", [])
    if not isinstance(phrases_raw, list) or not all(
        isinstance(p, list) and p and all(isinstance(w, str) for w in p) for p in phrases_raw
    ):
        raise SpeechLexiconError("speech verb file: 'phrases' must be a list of word lists")
    return SpeechLexicon(
        verbs=_words(data, "verbs"),
        phrases=tuple(tuple(w.lower() for w in p) for p in phrases_raw),
        male_titles=_words(data, "titles", "male"),
        female_titles=_words(data, "titles", "female"),
        male_pronouns=_words(data, "pronouns", "male"),
        female_pronouns=_words(data, "pronouns", "female"),
        object_pronouns=_words(data, "pronouns", "object"),
        elisions=_words(data, "elisions"),
    )


# ---------------------------------------------------------------------------- quote marks


def find_quote_spans(text: str, lexicon: SpeechLexicon | None = None) -> list[tuple[int, int]]:
    """Character spans of the quotations in ``text``, quote marks included, in text order."""
    return quote_mark_spans(text, (lexicon or load_speech_lexicon()).elisions)


# ---------------------------------------------------------------------------- attribution


@dataclass(frozen=True)
class _Cue:
    verb: str | None
    mention: tuple[int, int] | None  # token indices [i, j) of the speaker mention
    anchor: int  # token index of the cue word (for role-name lookups)


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def _is_cue_verb(tok: Token, lex: SpeechLexicon) -> bool:
    return tok.pos_ in {"VERB", "AUX", "NOUN", "PROPN"} and _lemma(tok) in lex.verbs and tok.is_alpha


def _phrase_at(doc: Doc, i: int, lex: SpeechLexicon, hi: int) -> tuple[str, ...] | None:
    for phrase in lex.phrases:
        if i + len(phrase) <= hi and tuple(t.lower_ for t in doc[i : i + len(phrase)]) == phrase:
            return phrase
    return None


def _mention_bounds(tok: Token) -> tuple[int, int]:
    """The noun phrase headed by ``tok``: its left dependents and name parts, no clauses."""
    lo = tok.i
    for left in tok.lefts:
        if left.dep_ not in {"punct", "cc", "advmod", "prep", "mark"} or left.text in {".", "-"}:
            lo = min(lo, left.left_edge.i)
    hi = tok.i + 1
    for right in tok.rights:
        glued = not any(t.is_punct for t in tok.doc[tok.i + 1 : right.left_edge.i])
        if right.dep_ in {"compound", "flat", "nmod", "prep", "pobj", "amod", "nummod"} or (
            right.dep_ == "appos" and glued and right.left_edge.i == hi
        ):  # "her deputy Tom Reed": an apposition without a comma belongs to the mention
            hi = max(hi, right.right_edge.i + 1)
        else:
            break
    hi = min(hi, lo + MAX_MENTION_TOKENS)
    while lo < hi and tok.doc[lo].is_punct:
        lo += 1
    while hi > lo and tok.doc[hi - 1].is_punct and tok.doc[hi - 1].text not in {".", ")"}:
        hi -= 1
    return lo, hi


def _nominal(tok: Token) -> bool:
    """A word that can head a speaker mention (not a relative or possessive pronoun)."""
    return (
        tok.pos_ in {"PROPN", "NOUN", "PRON"}
        and tok.lower_ not in {"who", "which", "that"}
        and tok.tag_ not in {"PRP$", "WP$"}
        and any(c.isalnum() for c in tok.text)  # a dash or symbol mis-tagged as a noun is no speaker
    )


def _is_time(tok: Token) -> bool:
    return tok.ent_type_ in {"DATE", "TIME"}


def _np_at(doc: Doc, k: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase whose first word is token ``k`` (its head found through the parse)."""
    head = doc[k]
    while head.dep_ in {"compound", "flat", "det", "amod", "poss"} and k < head.head.i < hi:
        head = head.head
    if _nominal(head) and not _is_time(head) and head.lower_ != "it":
        return _mention_bounds(head)
    return None


def _subject(
    doc: Doc, verb: Token, lo: int, hi: int, lex: SpeechLexicon, first: bool = False
) -> tuple[int, int] | None:
    """The subject mention of ``verb`` inside tokens [lo, hi), by the parse, else by position.

    ``first``: the window starts right after a quotation, so its first noun phrase is the
    best positional guess (``“…,” Jane Roe, the mayor of X, said``).
    """
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and lo <= child.i < hi and _nominal(child) and not _is_time(child):
            return _mention_bounds(child)
    # "X said, adding: “…”", "X defended it, saying “…”": the subject of the governing verb
    # (after a quotation, ``first``, only inside the window: a subject before it is in the quotation)
    gov, hops = verb, 0
    while gov.dep_ in {"advcl", "xcomp", "conj", "pcomp", "prep"} and hops < MAX_GOVERNOR_HOPS:
        gov, hops = gov.head, hops + 1
        for child in gov.children:
            if child.dep_ in SUBJECT_DEPS and _nominal(child) and gov.pos_ in {"VERB", "AUX"}:
                if first and not lo <= child.i < hi:
                    continue
                return _mention_bounds(child)
    k = lo
    while first and k < verb.i and (doc[k].is_punct or doc[k].is_space):
        k += 1
    if first and k < verb.i and doc[k].pos_ in {"PROPN", "PRON", "DET", "NOUN", "ADJ"}:
        found = _np_at(doc, k, verb.i)
        if found:
            return found
    # "X said" (nominal just before the verb) or "said X" (nominal just after)
    j = verb.i - 1
    while j >= lo and (doc[j].pos_ in {"ADV", "AUX", "PART"} or doc[j].lower_ in {"also", "then"}):
        j -= 1
    if j >= lo and _nominal(doc[j]) and not doc[j].is_punct and not _is_time(doc[j]):
        return _mention_bounds(doc[j].head if doc[j].dep_ in {"compound", "flat"} else doc[j])
    k = verb.i + 1
    while k < hi and (doc[k].pos_ in {"ADV", "PART"} or _is_time(doc[k])):
        k += 1
    if k < hi and doc[k].pos_ in {"PROPN", "PRON", "DET", "NOUN", "ADJ"}:
        return None if doc[k].lower_ in lex.object_pronouns else _np_at(doc, k, hi)
    return None


def _object_np(doc: Doc, after: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase starting at token ``after`` (object of "according to")."""
    k = after
    if k >= hi:
        return None
    head = doc[k]
    while head.head.i != head.i and head.head.i > head.i and head.head.i < hi and head.dep_ != "pobj":
        head = head.head
    return _mention_bounds(head) if _nominal(head) else None


def _dash_cue(doc: Doc, end: int, text: str) -> _Cue | None:
    """``“…” — Jane Roe``: a name after a dash that follows the closing mark at ``end``
    (``text`` is ``doc.text``, passed in because spaCy rebuilds it on each access)."""
    m = DASH_CUE.match(text, end)
    if m is None:
        return None
    span = doc.char_span(m.end(), min(len(text), m.end() + 1), alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    k = j = span.start
    while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].idx >= m.end() and "\n" not in doc[j].text:
        j += 1
        if "\n" in doc[j - 1].whitespace_:
            break
    return _Cue(None, (k, j), k) if j > k else None


def _trailer_cue(doc: Doc, lo: int, hi: int, lex: SpeechLexicon, strict: bool = False) -> _Cue | None:
    """A cue in the tokens [lo, hi) that follow a quotation.

    ``strict`` (for a quotation inside a sentence): no other verb may come before the cue, so
    that a speech verb of a later clause (``… “measures” if X is not met, but it has not
    commented``) is not taken for the quotation's cue.
    """
    k = lo
    while k < hi and doc[k].is_punct:
        k += 1
    far = _subject_cue(doc, k, hi, lex)
    if far is not None:
        return far
    for i in range(k, min(hi, k + MAX_TRAILER_CUE_TOKENS)):
        tok = doc[i]
        phrase = _phrase_at(doc, i, lex, hi)
        if phrase:
            np = _object_np(doc, i + len(phrase), hi)
            if np:
                return _Cue(" ".join(phrase), np, i)
        if _is_cue_verb(tok, lex):
            return _Cue(_lemma(tok), _subject(doc, tok, k, hi, lex, first=True), tok.i)
        if strict and tok.pos_ in {"VERB", "AUX"}:
            return None
        if tok.pos_ == "VERB" and tok.dep_ not in {"amod", "compound"} and i > k and _is_clause_verb(tok):
            return None
    return None


def _subject_cue(doc: Doc, k: int, hi: int, lex: SpeechLexicon) -> _Cue | None:
    """``“…,” Jane Roe, <an apposition of any length>, said``: the noun phrase starting at
    token ``k`` is, by the parse, the subject of a cue verb later in the window [k, hi)."""
    if k >= hi or doc[k].pos_ not in {"PROPN", "NOUN", "DET", "PRON"}:
        return None
    head = doc[k]
    while head.dep_ in {"compound", "flat", "det", "amod"} and k < head.head.i < hi:
        head = head.head
    verb = head.head
    if head.dep_ == "nsubj" and head.i < verb.i < hi and _is_cue_verb(verb, lex) and _nominal(head):
        return _Cue(_lemma(verb), _mention_bounds(head), verb.i)
    return None


def _colon_cue(doc: Doc, text: str, lo: int, hi: int, start: int, names: _Names) -> _Cue | None:
    """``Senator Roe Rebukes Bank Chief: ‘You Failed Us’`` (tokens [lo, hi) before a colon that
    introduces the quotation, no cue word): the subject of that clause speaks; in a verbless
    one (``A word from Jane Roe: “…”``) the first person or organisation it names."""
    if lo >= hi or not text[:start].rstrip().endswith(":"):
        return None
    verbs = [t for t in doc[lo:hi] if t.pos_ in {"VERB", "AUX"}]
    roots = [t for t in verbs if t.head.i == t.i or not lo <= t.head.i < hi]
    if roots:
        subject = next((c for c in roots[0].children if c.dep_ == "nsubj" and _nominal(c) and c.i >= lo), None)
        if subject is None or not (subject.i in names.by_token or subject.tag_ == "PRP"):
            return None  # only a named or pronoun subject: "The report ends on this line: “…”" is no speaker
        return _Cue(None, _mention_bounds(subject), roots[0].i)
    if verbs:
        return None
    ents = [e for e in names.ents if lo <= e.start and e.end <= hi and e.label_ in {"PERSON", "ORG"}]
    return _Cue(None, (ents[0].start, ents[0].end), ents[0].start) if ents else None


def _colon_before(doc: Doc, text: str, q_lo: int, start: int, lex: SpeechLexicon, names: _Names) -> _Cue | None:
    """``Jane Roe said:`` or ``Jane Roe made this comment:`` ending the sentence or paragraph
    before a quotation that opens its own: the cue of that clause (``_leader_cue``, else
    ``_colon_cue``)."""
    j = q_lo - 1
    while j >= 0 and (doc[j].is_space or doc[j].is_quote):
        j -= 1
    if j < 0 or doc[j].text != ":":
        return None
    lo = _leader_bounds(doc, j, 0)
    cue = _leader_cue(doc, lo, j + 1, lex)
    if cue is None or cue.mention is None:  # "X made the following comment:" names no speaker by its cue noun
        cue = _colon_cue(doc, text, lo, j, start, names) or cue
    return cue


def _is_clause_verb(tok: Token) -> bool:
    """A finite verb that starts another clause (so a later cue belongs to that clause)."""
    return tok.tag_ in {"VBD", "VBZ", "VBP"} and tok.dep_ not in {"relcl", "acl"}


def _leader_cue(doc: Doc, lo: int, hi: int, lex: SpeechLexicon) -> _Cue | None:
    """A cue ending the tokens [lo, hi) that precede a quotation (``X said: “…”``)."""
    end = hi
    while end > lo and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"that", "this", "these", "as"}):
        end -= 1
    for i in range(end - 1, max(lo, end - MAX_LEADER_CUE_TOKENS) - 1, -1):
        tok = doc[i]
        if any(i - len(p) + 1 >= lo and _phrase_at(doc, i - len(p) + 1, lex, i + 1) for p in lex.phrases):
            break  # "according to X, “…”" is handled below
        if _is_cue_verb(tok, lex):
            return _Cue(_lemma(tok), _subject(doc, tok, lo, hi, lex), tok.i)
        if tok.pos_ in {"VERB", "AUX"}:
            return None
    # "According to X, “…”"
    for i in range(lo, hi):
        phrase = _phrase_at(doc, i, lex, hi)
        if phrase:
            np = _object_np(doc, i + len(phrase), hi)
            if np:
                return _Cue(" ".join(phrase), np, i)
    return None


def _ancestor_cue(doc: Doc, q_lo: int, q_hi: int, lex: SpeechLexicon) -> _Cue | None:
    """A cue verb governing a partial quotation (tokens [q_lo, q_hi)) in the parse."""
    seen: set[int] = set()
    for tok in doc[q_lo:q_hi]:
        head = tok.head
        if q_lo <= head.i < q_hi:
            continue
        while head.i not in seen:
            seen.add(head.i)
            if not (q_lo <= head.i < q_hi) and _is_cue_verb(head, lex):
                sent = head.sent
                return _Cue(_lemma(head), _subject(doc, head, sent.start, sent.end, lex), head.i)
            if head.head.i == head.i:
                break
            head = head.head
    return None


def _token_window(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def _stops(tok: Token) -> bool:
    """A token that ends the clause around a quotation (sentence punctuation or line break)."""
    return tok.text in SENTENCE_END or "\n" in tok.text or "\n" in tok.whitespace_


def _leader_bounds(doc: Doc, q_lo: int, floor: int) -> int:
    i = q_lo
    while i > floor and not _stops(doc[i - 1]):
        i -= 1
    return i


def _trailer_bounds(doc: Doc, q_hi: int, ceil: int) -> int:
    i = q_hi
    if q_hi > 0 and "\n" in doc[q_hi - 1].whitespace_:
        return i
    while i < ceil:
        if "\n" in doc[i].text:
            break
        i += 1
        if _stops(doc[i - 1]):
            break
    return i


# ---------------------------------------------------------------------------- names


@dataclass(frozen=True)
class _Names:
    """The article's entities, read once per article: spaCy rebuilds ``doc.ents`` from every token on each access."""

    ents: tuple[Span, ...]
    by_token: dict[int, Span]

    @classmethod
    def of(cls, doc: Doc) -> _Names:
        ents = tuple(doc.ents)
        return cls(ents, _ents_by_token(ents))


def _ents_by_token(ents: tuple[Span, ...]) -> dict[int, Span]:
    return {t: ent for ent in ents for t in range(ent.start, ent.end)}


def _gender(doc: Doc, ent: Span, lex: SpeechLexicon) -> str | None:
    prev = doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
    first = ent[0].lower_.rstrip(".")
    for word in (prev, first):
        if word in lex.male_titles:
            return "m"
        if word in lex.female_titles:
            return "f"
    return None


def _full_name(ents: tuple[Span, ...], ent: Span) -> str:
    """The fullest PERSON name in the article (entities ``ents``) ending with the same word as ``ent``."""
    if ent.label_ != "PERSON":
        return ent.text
    last = ent[-1].text
    best = ent
    for other in ents:
        if other.label_ == "PERSON" and other[-1].text == last and len(other) > len(best):
            best = other
    return best.text


def _resolve_name(
    doc: Doc, lo: int, hi: int, anchor: int, lex: SpeechLexicon, quoted: list[tuple[int, int]], names: _Names
) -> str | None:
    """The name a speaker mention (tokens [lo, hi)) stands for, when the article gives one."""
    ents = names.by_token
    head = doc[lo:hi].root
    ent = ents.get(head.i)
    if ent is not None and ent.label_ in NAME_LABELS:
        return _full_name(names.ents, ent)
    if head.pos_ == "PRON" and hi - lo == 1:
        return _pronoun_name(doc, head, lex, quoted, names.ents)
    if head.pos_ == "PROPN":
        return doc[lo:hi].text
    return _role_name(doc, head, anchor, names)


def _pronoun_name(
    doc: Doc, pron: Token, lex: SpeechLexicon, quoted: list[tuple[int, int]], doc_ents: tuple[Span, ...]
) -> str | None:
    """A personal pronoun to the most recent earlier person of a compatible gender.

    People named inside quotations are skipped; among the people of the last
    ``ANTECEDENT_SENTENCES`` sentences a clause subject is preferred (``Mr. Roe met Mr. Doe's
    lawyer. He said`` -> Roe).
    """
    word = pron.lower_
    if word not in lex.male_pronouns and word not in lex.female_pronouns:
        return None
    want = "m" if word in lex.male_pronouns else "f"
    people = [
        e
        for e in _people(doc, doc_ents, pron.i)
        if e.end <= pron.i
        and e.label_ == "PERSON"
        and not any(s <= e.start_char < t for s, t in quoted)
        and _gender(doc, e, lex) in (None, want)
    ]
    if not people:
        return None
    sent = pron.sent
    for _ in range(ANTECEDENT_SENTENCES - 1):
        if sent.start > 0:
            sent = doc[sent.start - 1].sent
    window_start = sent.start
    for ent in reversed(people):
        if ent.start < window_start:
            break
        if ent.root.dep_ in SUBJECT_DEPS:
            return _full_name(doc_ents, ent)
    return _full_name(doc_ents, people[-1])


def _people(doc: Doc, doc_ents: tuple[Span, ...], before: int) -> list[Span]:
    """The entities before token ``before``, plus the surnames of named people that the model
    left untagged (``Roe said …`` after ``Jane Roe``), as one-token PERSON spans, in text order."""
    from spacy.tokens import Span

    ents = [e for e in doc_ents if e.end <= before]
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}
    tagged = {t for e in ents for t in range(e.start, e.end)}
    extra = [
        Span(doc, t.i, t.i + 1, label="PERSON")
        for t in doc[:before]
        if t.pos_ == "PROPN" and t.text in surnames and t.i not in tagged
    ]
    return sorted(ents + extra, key=lambda e: e.start)


def _role_name(doc: Doc, head: Token, anchor: int, names: _Names) -> str | None:
    """A name given for a role noun: in apposition, or as a verbless fragment after the cue."""
    ents = names.by_token
    for child in head.rights:
        if child.dep_ == "appos":
            for t in range(child.left_edge.i, child.right_edge.i + 1):
                if t in ents and ents[t].label_ == "PERSON":
                    return _full_name(names.ents, ents[t])
    # "..., a spokesman said. Jane Roe at her weekly briefing."
    k = anchor + 1
    while k < len(doc) and (doc[k].is_punct or doc[k].is_space) and "\n" not in doc[k].text:
        k += 1
    if k < len(doc) and k in ents and ents[k].label_ == "PERSON" and ents[k].start == k:
        ent = ents[k]
        j = ent.end
        while j < len(doc) and doc[j].text not in SENTENCE_END and "\n" not in doc[j].text:
            if doc[j].pos_ in {"VERB", "AUX"}:
                return None
            j += 1
        return _full_name(names.ents, ent)
    return None


# ---------------------------------------------------------------------------- main


def _clean_name(name: str | None) -> str | None:
    """A name without surrounding punctuation and with single spaces, or None if empty."""
    if name is None:
        return None
    name = " ".join(name.split()).strip(NAME_STRIP)
    return name or None


def _speaker(doc: Doc, cue: _Cue, lex: SpeechLexicon, quoted: list[tuple[int, int]], names: _Names) -> Speaker | None:
    if cue.mention is None:
        return None
    lo, hi = cue.mention
    if lo >= hi:
        return None
    span = doc[lo:hi]
    return Speaker(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        name=_clean_name(_resolve_name(doc, lo, hi, cue.anchor, lex, quoted, names)),
    )


@dataclass
class _Found:
    start: int
    end: int
    cue: _Cue | None
    speaker: Speaker | None
    verb: str | None
    joins_previous: bool
    partial: bool
    leads: bool


def find_quotes(doc: Doc, options: QuoteOptions | None = None) -> list[Quote]:
    """The direct quotations of a parsed article, each with its cue verb and speaker.

    Offsets are character offsets into ``doc.text``; ``Quote.start``/``end`` cover the
    quotation including its marks, ``Speaker.start``/``end`` the speaker's mention.
    """
    opts = options or QuoteOptions()
    lex = load_speech_lexicon(opts.lexicon)
    text = doc.text
    spans = find_quote_spans(text, lex)
    names = _Names.of(doc)
    windows = [_token_window(doc, s, e) for s, e in spans]
    found: list[_Found] = []
    prev_end_tok = 0
    for n, ((start, end), win) in enumerate(zip(spans, windows, strict=True)):
        if win is None:
            continue
        q_lo, q_hi = win
        next_lo = next((w[0] for w in windows[n + 1 :] if w is not None), len(doc))
        lead_lo = _leader_bounds(doc, q_lo, prev_end_tok)
        trail_hi = _trailer_bounds(doc, q_hi, next_lo)
        prev_end_tok = q_hi
        leads_sentence = all(t.is_punct or t.is_space for t in doc[lead_lo:q_lo]) and _after_boundary(
            doc, text, lead_lo, start
        )
        partial = False
        cue: _Cue | None = _dash_cue(doc, end, text)
        if cue is not None:
            pass
        elif leads_sentence:
            cue = _trailer_cue(doc, q_hi, trail_hi, lex) or _colon_before(doc, text, q_lo, start, lex, names)
        else:
            cue = _leader_cue(doc, lead_lo, q_lo, lex)
            partial = not _introduced(doc, text, lead_lo, q_lo, start, cue)
            cue = cue or _trailer_cue(doc, q_hi, trail_hi, lex, strict=True) or _ancestor_cue(doc, q_lo, q_hi, lex)
            partial = partial or (cue is None and _in_apposition(doc, text, lead_lo, q_lo, start))
            cue = cue or _colon_cue(doc, text, lead_lo, q_lo, start, names)
        speaker = _speaker(doc, cue, lex, spans, names) if cue else None
        item = _Found(start, end, cue, speaker, cue.verb if cue else None, False, partial, leads_sentence)
        if found:
            prev = found[-1]
            gap = text[prev.end : start]
            close = len(gap) <= MAX_INHERIT_GAP_CHARS and not _has_quote(gap)
            if cue is None and leads_sentence and prev.speaker is not None and close:
                item.speaker, item.verb, item.joins_previous = prev.speaker, prev.verb, True
            elif cue is not None and prev.cue is not None and prev.cue.anchor == cue.anchor and close:
                item.joins_previous = True
        found.append(item)
    _inherit_backward(text, found)
    kept: list[_Found] = []
    previous_kept = False
    for item in found:
        continues = item.joins_previous and previous_kept  # the second half of "“…,” he said, “…”"
        unwanted = not opts.partial or (opts.partial_needs_speaker and item.speaker is None)
        if item.partial and not continues and unwanted:
            previous_kept = False
            continue
        if opts.join_split and item.joins_previous and previous_kept:
            kept[-1].end = item.end
        else:
            kept.append(item)
        previous_kept = True
    found = [f for f in kept if not _heading(text, f)]
    return [Quote(text[f.start : f.end], f.start, f.end, f.verb, f.speaker) for f in found]


def _heading(text: str, item: _Found) -> bool:
    """Whether a quotation is a short quoted heading alone on its line (see ``HEADING_MAX_WORDS``)."""
    if item.speaker is not None or item.cue is not None:
        return False
    line_start = text.rfind("\n", 0, item.start) + 1
    line_end = text.find("\n", item.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start : item.start].strip() or text[item.end : line_end].strip():
        return False
    inner = text[item.start + 1 : item.end - 1]
    return len(inner.split()) <= HEADING_MAX_WORDS and not any(ch in inner for ch in ".!?…")


def _inherit_backward(text: str, found: list[_Found]) -> None:
    """``“…”`` then, after a paragraph break, ``“…,” she said``: one speaker for both."""
    for item, nxt in zip(reversed(found[:-1]), reversed(found[1:]), strict=True):
        gap = text[item.end : nxt.start]
        if item.speaker is None and item.leads and nxt.leads and nxt.speaker is not None and gap.isspace():
            item.speaker, item.verb, nxt.joins_previous = nxt.speaker, nxt.verb, True


def _introduced(doc: Doc, text: str, lead_lo: int, q_lo: int, start: int, cue: _Cue | None) -> bool:
    """Whether a quotation inside a sentence is a whole utterance rather than a partial one.

    It is when a colon introduces it, or a comma or a bare cue verb in the active voice does and
    it begins with a capital (``X said, “We …”``, ``X said “We …”``); ``X called it “a
    disgrace”`` and ``it was labeled “Mostly True”`` are partial.
    """
    before = text[doc[lead_lo].idx if lead_lo < q_lo else start : start].rstrip()
    first = next((c for c in text[start : start + 6] if c.isalpha()), "")
    if before.endswith(":"):
        return True
    if cue is not None and cue.anchor == q_lo - 2 and doc[q_lo - 1].lower_ == "that":
        # "X said that “nobody was hurt.”": a whole clause quoted when it ends the sentence
        close = text.find(DOUBLE_CLOSE if text[start] in DOUBLE_OPEN else text[start], start + 1)
        return close > 0 and text[close - 1] in ".!?" and first.isalpha()
    if not first.isupper():
        return False
    if before.endswith((",", "-", "—", "–")):  # set off by a comma or a dash: "X -- “We …” -- said"
        return True
    # "X said “We …”" is an utterance; "it was labeled “Mostly Harmless”" names a label
    return cue is not None and cue.anchor == q_lo - 1 and not _passive(doc[cue.anchor])


def _in_apposition(doc: Doc, text: str, lead_lo: int, q_lo: int, start: int) -> bool:
    """A quotation set off by a comma after a verbless phrase: a title or name in apposition
    (``Her op-ed, “Tell Your Story,” is moving``), not an utterance, when no cue attributes it."""
    return (
        lead_lo < q_lo
        and text[:start].rstrip().endswith(",")
        and not any(t.pos_ in {"VERB", "AUX"} for t in doc[lead_lo:q_lo])
    )


def _passive(verb: Token) -> bool:
    """A verb in the passive voice (``was labeled``, ``is called``)."""
    return any(child.dep_ in {"auxpass", "nsubjpass"} for child in verb.children)


def _after_boundary(doc: Doc, text: str, lead_lo: int, start: int) -> bool:
    """Whether the clause search before a quotation (back to token ``lead_lo``) stopped at a
    sentence or paragraph boundary, not merely at the end of the previous quotation.

    In a run of quoted words (``called him a “liar,” “unstable” and “sick”``) the search stops
    at the previous closing mark; the next quotation starts a sentence only when that
    quotation ended one (``“We won.” “They lost.”``) or a line break separates them.
    """
    if lead_lo == 0 or _stops(doc[lead_lo - 1]):
        return True
    gap = text[doc[lead_lo - 1].idx + len(doc[lead_lo - 1]) : start]
    if "\n" in gap:
        return True
    prev = doc[lead_lo - 1]
    if not (prev.is_quote or prev.text in DOUBLE_PAIRS):
        return True  # the search stopped for another reason (e.g. the start of the article)
    inner = text[: prev.idx].rstrip()
    return inner[-1:] in SENTENCE_END


def _has_quote(gap: str) -> bool:
    return any(c in gap for c in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_BOTH)
