"""Amounts: numbers together with the thing they count ("more than 100,000 troops").

``find_amounts(doc)`` scans a parsed article for runs of number tokens ("100,000", "2.5bn",
"three hundred and fifty", "a dozen", "tens of thousands") and keeps a run only when it
quantifies something:

* a currency: a sign before it ("$2.5 billion", "£40m") or a currency word after it
  ("3 million euros") -> ``unit`` is the ISO 4217 code (``USD``, ``EUR``...);
* a percentage ("12%", "7 per cent") -> ``unit`` ``"percent"`` (``"percentage points"`` for
  "2 percentage points");
* a counted noun right after it ("100,000 troops", "three phone conversations") or after "of"
  ("dozens of protesters", "five of the soldiers") -> ``unit`` is that noun *as written*,
  lower-cased, together with the nouns compounding it ("phone conversations"), without
  adjectives ("three Russian soldiers" -> ``soldiers``).  The written plural is kept rather than
  the lemma because it is what a reader expects to see ("12 people", not "12 person").

What is deliberately *not* an amount: a number with no counted noun ("40 were injured",
"2,sides over how long"), years and dates ("in 2014", tokens spaCy labels DATE or TIME),
durations and frequencies ("two weeks", "three times": nouns listed in ``excluded_nouns``),
ordinals ("second", "21st"), phone numbers and scores ("555-123-4567", "2-1"), hyphenated
modifiers ("a 12-year-old"), and "one of the ...".

Vague quantities follow one convention (documented in ``data/units.yaml``): the value is the
smallest number the plural can mean, i.e. twice the base ("dozens" = 24, "hundreds" = 200,
"tens of thousands" = 20,000) and the word is kept as the ``qualifier``.  Hedges before a number
("more than", "at least", "about"...) become the ``qualifier`` and are included in the span.
All word lists live in ``data/units.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from newsevents.errors import KnowledgeError
from newsevents.records import Amount

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Most tokens (adjectives and compounding nouns) allowed between a number and its counted
#: noun: "three [senior Russian army] officers", "hundreds of [coal - fired power] plants".
#: Chosen by hand on news prose: longer runs were nearly always a parse error or a list.
MAX_NOUN_PHRASE_TOKENS = 6

#: A bare four-digit integer in this range after a preposition is read as a year ("in 2014
#: troops ...") unless it carries a currency or percent; the range covers modern news.
YEAR_RANGE = (1800, 2100)

#: Prepositions that make a bare four-digit number a year (see ``YEAR_RANGE``).
YEAR_PREPOSITIONS = frozenset({"in", "since", "by", "until", "till", "from", "to", "of", "before", "after",
                               "during", "through", "circa"})

#: The PLOVER casualty fields ``casualties`` fills, in the order it returns them.
CASUALTY_FIELDS = ("dead", "injured", "arrested")

#: How many steps up the parse a count may climb to its casualty word ("[12] people were killed":
#: 12 -> people -> killed is two; "killing at least [12]": 12 -> killing is one).  Three allows a
#: preposition ("the death toll rose to [30]": 30 -> to -> rose, with "death" on "toll").
CASUALTY_HOPS = 3

#: Part-of-speech tags that may stand between a number and its counted noun.
_NP_POS = frozenset({"ADJ", "NOUN", "PROPN"})

_DIGITS_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SUFFIXED_RE = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([a-z]+)$")
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)


@dataclass(frozen=True)
class UnitKnowledge:
    """The validated content of ``units.yaml``."""

    number_words: dict[str, float]
    scale_words: dict[str, float]
    suffix_scales: dict[str, float]
    currency_only_suffixes: frozenset[str]
    vague_quantities: dict[str, float]
    vague_multipliers: dict[tuple[str, ...], float]
    currency_symbols: dict[str, str]
    currency_words: dict[tuple[str, ...], str]
    percent_words: dict[tuple[str, ...], str]
    qualifiers: tuple[tuple[str, ...], ...]
    excluded_nouns: frozenset[str]
    casualty_words: dict[str, frozenset[str]] = field(default_factory=dict)  # dead/injured/arrested -> lemmas


def _number_map(raw: Any, key: str) -> dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise KnowledgeError(f"units.yaml: '{key}' must be a non-empty mapping")
    out: dict[str, float] = {}
    for word, value in raw.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise KnowledgeError(f"units.yaml: {key}.{word} must be a number, not {value!r}")
        out[str(word).lower()] = float(value)
    return out


def _code_map(raw: Any, key: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        raise KnowledgeError(f"units.yaml: '{key}' must be a non-empty mapping")
    out: dict[str, str] = {}
    for word, code in raw.items():
        if not isinstance(code, str) or not code:
            raise KnowledgeError(f"units.yaml: {key}.{word} must be a non-empty string")
        out[str(word).lower()] = code
    return out


def _word_list(raw: Any, key: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w for w in raw):
        raise KnowledgeError(f"units.yaml: '{key}' must be a list of non-empty strings")
    return [w.lower() for w in raw]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split())


def _phrase_map(table: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {_phrase(k): v for k, v in table.items()}


def parse_units(data: Any) -> UnitKnowledge:
    """Validate the parsed YAML of a units file; raise ``KnowledgeError`` when malformed."""
    if not isinstance(data, dict):
        raise KnowledgeError("units.yaml: the top level must be a mapping")
    suffixes = _number_map(data.get("suffix_scales"), "suffix_scales")
    currency_only = frozenset(_word_list(data.get("currency_only_suffixes", []), "currency_only_suffixes"))
    if not currency_only <= set(suffixes):
        raise KnowledgeError("units.yaml: currency_only_suffixes must all be suffix_scales")
    return UnitKnowledge(
        number_words=_number_map(data.get("number_words"), "number_words"),
        scale_words=_number_map(data.get("scale_words"), "scale_words"),
        suffix_scales=suffixes,
        currency_only_suffixes=currency_only,
        vague_quantities=_number_map(data.get("vague_quantities"), "vague_quantities"),
        vague_multipliers={_phrase(k): v for k, v in
                           _number_map(data.get("vague_multipliers"), "vague_multipliers").items()},
        currency_symbols=_code_map(data.get("currency_symbols"), "currency_symbols"),
        currency_words=_phrase_map(_code_map(data.get("currency_words"), "currency_words")),
        percent_words=_phrase_map(_code_map(data.get("percent_words"), "percent_words")),
        qualifiers=tuple(sorted({_phrase(q) for q in _word_list(data.get("qualifiers"), "qualifiers")},
                                key=len, reverse=True)),
        excluded_nouns=frozenset(_word_list(data.get("excluded_nouns"), "excluded_nouns")),
        casualty_words=_casualty_words(data.get("casualties")),
    )


def _casualty_words(raw: Any) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not set(raw) <= set(CASUALTY_FIELDS):
        raise KnowledgeError(f"units.yaml: 'casualties' must map {', '.join(CASUALTY_FIELDS)} to word lists")
    return {k: frozenset(w.lower() for w in _word_list(v, f"casualties.{k}")) for k, v in raw.items()}


@functools.lru_cache(maxsize=8)
def load_units(path: str | None = None) -> UnitKnowledge:
    """Load and validate ``units.yaml`` (the packaged one unless ``path`` is given); cached."""
    try:
        if path is None:
            text = resources.files("newsevents").joinpath("data/units.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read units file {path or 'data/units.yaml'}: {exc}") from exc
    return parse_units(data)


@dataclass
class _Group:
    """A run of number tokens ``[start, end)`` and what it reads as."""

    start: int
    end: int
    value: float
    qualifier: str | None = None
    needs_currency: bool = False  # a suffix such as "m" that only means million after a currency


def _digit_value(text: str) -> float | None:
    if _DIGITS_RE.match(text):
        return float(text.replace(",", ""))
    return None


_GLUE_MARKS = frozenset({"-", "–", "/"})


def _hyphen_glued(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is glued to a hyphen, dash or slash ("2-1", "12-year-old")."""
    after = end < len(doc) and not doc[end - 1].whitespace_ and doc[end].text in _GLUE_MARKS
    before = start > 0 and not doc[start - 1].whitespace_ and doc[start - 1].text in _GLUE_MARKS
    return after or before


def _read_number(doc: Doc, i: int, units: UnitKnowledge) -> _Group | None:
    """Read the run of number tokens starting at ``doc[i]``, or None if none starts there."""
    n = len(doc)
    total = 0.0
    current: float | None = None
    j = i
    needs_currency = False
    while j < n:
        tok = doc[j]
        low = tok.lower_
        if tok.ent_type_ in {"DATE", "TIME"}:
            break
        digit = _digit_value(tok.text)
        suffixed = _SUFFIXED_RE.match(low)
        if digit is not None and current is None and total == 0.0:
            current = digit
            # a separate scale suffix glued to the digits: "40" + "m"
            if j + 1 < n and not tok.whitespace_ and doc[j + 1].lower_ in units.suffix_scales:
                suffix = doc[j + 1].lower_
                current *= units.suffix_scales[suffix]
                needs_currency = suffix in units.currency_only_suffixes
                j += 2
                break
            j += 1
            continue
        if suffixed and current is None and total == 0.0 and suffixed.group(2) in units.suffix_scales:
            suffix = suffixed.group(2)
            current = float(suffixed.group(1).replace(",", "")) * units.suffix_scales[suffix]
            needs_currency = suffix in units.currency_only_suffixes
            j += 1
            break
        if low in units.number_words:
            value = units.number_words[low]
            if current is None:
                current = value
            elif (current % 100 == 0 and value < 100) or (current % 10 == 0 and current < 100 and value < 10):
                current += value  # "three hundred (and) fifty", "twenty-five"
            else:
                break  # "five six" is not one number
            j += 1
            if (j + 1 < n and doc[j].text in {"-", "–"} and not doc[j - 1].whitespace_
                    and doc[j + 1].lower_ in units.number_words):
                j += 1
            continue
        if low in units.scale_words and current is not None:
            scale = units.scale_words[low]
            if scale < 1000:  # "hundred", "dozen" multiply in place
                current *= scale
            else:
                total += current * scale
                current = None
            j += 1
            # "three hundred and fifty"
            if (j + 1 < n and doc[j].lower_ == "and" and doc[j + 1].lower_ in units.number_words
                    and doc[j - 1].lower_ in units.scale_words):
                j += 1
            continue
        if low in {"a", "an"} and j == i and j + 1 < n and doc[j + 1].lower_ in units.scale_words:
            current = 1.0
            j += 1
            continue
        break
    if j == i or (current is None and total == 0.0):
        return None
    # do not stop inside a dangling "a"/"an" or "and"
    while j > i and doc[j - 1].lower_ in {"a", "an", "and", "-"}:
        j -= 1
    if j == i:
        return None
    return _Group(i, j, total + (current or 0.0), needs_currency=needs_currency)


def _read_vague(doc: Doc, i: int, units: UnitKnowledge) -> _Group | None:
    """Read "dozens", "tens of thousands", "several hundred", "a few thousand" at ``doc[i]``."""
    n = len(doc)
    low = doc[i].lower_
    if low in units.vague_quantities:
        value = units.vague_quantities[low]
        j = i + 1
        # "tens of thousands", "hundreds of millions"
        if j + 1 < n and doc[j].lower_ == "of" and doc[j + 1].lower_ in units.vague_quantities:
            plural = doc[j + 1].lower_
            singular = plural[:-1]
            if singular in units.scale_words:
                value = value * units.scale_words[singular]
                j += 2
        return _Group(i, j, value, qualifier=doc[i:j].text.lower())
    for phrase, mult in units.vague_multipliers.items():
        k = i + len(phrase)
        if low != phrase[0]:  # cheap first-word test before building any span
            continue
        if k < n and tuple(doc[x].lower_ for x in range(i, k)) == phrase and doc[k].lower_ in units.scale_words:
            return _Group(i, k + 1, mult * units.scale_words[doc[k].lower_], qualifier=" ".join(phrase))
    return None


def _match_phrase(doc: Doc, i: int, table: dict[tuple[str, ...], str]) -> tuple[str, int] | None:
    """Longest phrase of ``table`` starting at ``doc[i]``: (its value, the end token index)."""
    best: tuple[str, int] | None = None
    for phrase, value in table.items():
        k = i + len(phrase)
        if k <= len(doc) and tuple(t.lower_ for t in doc[i:k]) == phrase:
            if best is None or k > best[1]:
                best = (value, k)
    return best


def _inner_hyphen(doc: Doc, k: int) -> bool:
    """Whether ``doc[k]`` is a hyphen inside a word ("coal-fired")."""
    return (doc[k].text == "-" and k > 0 and k + 1 < len(doc) and not doc[k - 1].whitespace_
            and not doc[k].whitespace_ and doc[k + 1].is_alpha)


def _counted_noun(doc: Doc, j: int, units: UnitKnowledge) -> tuple[str, int] | None:
    """The counted noun phrase starting at ``doc[j]``: (unit text, end token index) or None."""
    n = len(doc)
    k = j
    last_noun = -1
    while k < n and k - j < MAX_NOUN_PHRASE_TOKENS:
        tok = doc[k]
        if k > j and _inner_hyphen(doc, k):
            k += 1  # a hyphenated modifier: "coal-fired power plants"
            continue
        if tok.pos_ in _NP_POS or (tok.pos_ == "VERB" and tok.dep_ == "amod"):
            if tok.pos_ == "NOUN":
                last_noun = k
            k += 1
            if tok.pos_ == "NOUN" and not (k < n and (doc[k].pos_ == "NOUN" or _inner_hyphen(doc, k))):
                break
            continue
        break
    if last_noun < 0:
        return None
    head = doc[last_noun]
    if head.lower_ in units.excluded_nouns or head.lemma_.lower() in units.excluded_nouns:
        return None
    if not head.text[0].isalpha():
        return None
    first = last_noun
    while (first > j and doc[first - 1].pos_ == "NOUN" and doc[first - 1].whitespace_
           and doc[first - 1].text.islower()):
        first -= 1  # lower-case compounding nouns: "phone conversations", "police officers"
    return doc[first:last_noun + 1].text.lower(), last_noun + 1


def _qualifier_before(doc: Doc, i: int, units: UnitKnowledge) -> tuple[str, int] | None:
    """A hedge ("more than", "at least"...) ending right before ``doc[i]``: (text, start index)."""
    for phrase in units.qualifiers:
        k = i - len(phrase)
        if k >= 0 and tuple(t.lower_ for t in doc[k:i]) == phrase:
            if doc[k].dep_ == "prep":
                return None  # "protests over two raids": a preposition, not a hedge
            return " ".join(phrase), k
    return None


def _is_year(doc: Doc, group: _Group, noun_end: int | None = None) -> bool:
    """A bare four-digit number in ``YEAR_RANGE`` used as a year, not a count.

    It is a year after a preposition ("in 2014"), after a determiner or possessive ("the 2008
    campaign", "Obama's 2012 race"), or before a singular noun ("2016 election").  Counts of a
    thousand or more are normally written with a comma, so "1500 soldiers" after a verb stays
    an amount.
    """
    if group.end - group.start != 1:
        return False
    text = doc[group.start].text
    if not (len(text) == 4 and text.isdigit()):
        return False
    lo, hi = YEAR_RANGE
    if not lo <= int(text) <= hi:
        return False
    if group.start > 0:
        prev = doc[group.start - 1]
        if prev.lower_ in YEAR_PREPOSITIONS or prev.pos_ == "DET" or prev.tag_ in {"POS", "PRP$"}:
            return True
    return noun_end is not None and doc[noun_end - 1].tag_ in {"NN", "NNP"}


def _excluded_group(doc: Doc, group: _Group) -> bool:
    """Numbers that are never amounts: dates, times, ordinals, glued hyphen forms, "one of"."""
    toks = doc[group.start:group.end]
    if any(t.ent_type_ in {"DATE", "TIME"} or _ORDINAL_RE.match(t.text) for t in toks):
        return True
    if _hyphen_glued(doc, group.start, group.end):
        return True
    if group.start > 0 and doc[group.start - 1].text in {"#", "No.", "no."}:
        return True
    return False


def _amount_at(doc: Doc, i: int, units: UnitKnowledge) -> tuple[Amount, int] | None:
    """Try to read an amount whose number starts at ``doc[i]``: (amount, next token index)."""
    n = len(doc)
    group = _read_vague(doc, i, units) or _read_number(doc, i, units)
    if group is None or _excluded_group(doc, group):
        return None
    start = group.start
    unit: str | None = None
    end = group.end
    # currency sign before the number: "$2.5 billion", "US$5 billion"
    if start > 0 and doc[start - 1].lower_ in units.currency_symbols:
        unit = units.currency_symbols[doc[start - 1].lower_]
        start -= 1
    elif group.needs_currency:
        return None
    j = group.end
    if unit is None and j < n:
        pct = _match_phrase(doc, j, units.percent_words)
        money = _match_phrase(doc, j, units.currency_words)
        if pct is not None:
            unit, end = pct
        elif money is not None:
            unit, end = money
    if unit is None:
        if _is_year(doc, group):
            return None
        k = j
        if k < n and doc[k].lower_ == "of":
            if group.qualifier is None and group.value == 1:
                return None  # "one of the ..."
            k += 1
            if k < n and doc[k].pos_ == "DET":
                k += 1
            money = _match_phrase(doc, k, units.currency_words)
            if money is not None:
                unit, end = money
        if unit is None:
            noun = _counted_noun(doc, k, units)
            if noun is None or _is_year(doc, group, noun[1]):
                return None
            unit, end = noun
    qualifier = group.qualifier
    hedge = _qualifier_before(doc, start, units)
    if hedge is not None:
        qualifier = hedge[0] if qualifier is None else f"{hedge[0]} {qualifier}"
        start = hedge[1]
    span = doc[start:end]
    return Amount(text=span.text, start=span.start_char, end=span.end_char, value=group.value, unit=unit,
                  qualifier=qualifier), end


def _starter_words(units: UnitKnowledge) -> frozenset[str]:
    """Lower-cased words that can begin an amount: vague quantities, first words of vague multipliers,
    number words and the article of "a hundred"."""
    return frozenset({*units.vague_quantities, *(p[0] for p in units.vague_multipliers if p), *units.number_words,
                      "a", "an"})


def find_amounts(doc: Doc, units: UnitKnowledge | None = None) -> list[Amount]:
    """Every amount in ``doc`` (a number with its currency, percent sign or counted noun).

    ``units`` overrides the packaged ``units.yaml``.  Amounts are returned in text order and do
    not overlap; offsets are character offsets into ``doc.text``.
    """
    known = units or load_units()
    starters = _starter_words(known)
    # Only a token that can begin a number, a vague quantity or "a hundred" can begin an amount (see
    # _read_vague and _read_number): one pass over the tokens spares _amount_at on every other word.
    may_start = [t.lower_ in starters or _DIGITS_RE.match(t.text) is not None
                 or _SUFFIXED_RE.match(t.lower_) is not None for t in doc]
    out: list[Amount] = []
    i = 0
    n = len(doc)
    while i < n:
        if not may_start[i]:
            i += 1
            continue
        found = _amount_at(doc, i, known)
        if found is None:
            i += 1
            continue
        amount, i = found
        out.append(amount)
    return out


def _casualty_field(tok: Token, words: dict[str, frozenset[str]]) -> str | None:
    """The casualty field a count token belongs to, from the words it hangs on or that qualify it."""
    node = tok
    for _ in range(CASUALTY_HOPS + 1):
        lemmas = {node.lemma_.lower(), node.lower_}
        for c in node.children:
            if c.i == tok.i:
                continue
            if c.dep_ in ("amod", "compound", "acomp", "advcl"):
                lemmas.add(c.lemma_.lower())
            elif c.dep_ in ("nsubj", "nsubjpass") and node.pos_ in ("VERB", "AUX"):  # "the death toll rose to 30"
                lemmas.update(g.lemma_.lower() for g in c.children if g.dep_ in ("compound", "amod"))
            elif c.dep_ == "prep" and node.pos_ == "VERB":  # "taken into custody"
                lemmas.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
        for name in CASUALTY_FIELDS:
            if lemmas & words.get(name, frozenset()):
                return name
        if node.head is node or node.dep_ in ("ROOT", "conj", "ccomp", "relcl"):
            break
        node = node.head
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None  # "five dead", "12 injured"
    if nxt is not None:
        for name in CASUALTY_FIELDS:
            if nxt.lower_ in words.get(name, frozenset()) or nxt.lemma_.lower() in words.get(name, frozenset()):
                return name
    return None


def casualties(amounts: Iterable[Amount], sentence_span: tuple[int, int], doc: Doc,
               units: UnitKnowledge | None = None) -> tuple[int | None, int | None, int | None]:
    """PLOVER's (dead, injured, arrested) counts stated in the sentence ``[start, end)`` of ``doc``.

    A count is an amount of the sentence ("12 people") or a bare number ("40 were injured",
    "killing 12"); it fills a field when a casualty word of ``units.yaml`` governs it within
    ``CASUALTY_HOPS`` parse steps or qualifies it ("five dead").  Several counts of one field keep
    the largest ("12 people were killed, including five children" -> 12).  Money, percentages
    and counts of other things ("3 villages were destroyed") fill nothing.
    """
    known = units or load_units()
    words = known.casualty_words
    start, end = sentence_span
    found: dict[str, float] = {}
    seen: set[int] = set()
    counts: list[tuple[float, Token]] = []
    for a in amounts:
        if a.start < start or a.end > end or (a.unit or "").isupper() or a.unit in ("percent", "percentage points"):
            continue
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is None:
            continue
        nums = [t for t in span if t.like_num]
        seen.update(t.i for t in span)
        anchor = span.root if nums else span[-1]
        counts.append((a.value, anchor))
        counts.extend((a.value, t) for t in nums[-1:])
    for tok in doc.char_span(start, end, alignment_mode="expand") or ():
        if tok.i in seen or tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
            continue
        group = _read_vague(doc, tok.i, known) or (_read_number(doc, tok.i, known) if tok.like_num else None)
        if group is not None and group.start == tok.i and not _is_year(doc, group):
            counts.append((group.value, doc[group.end - 1]))
            seen.update(range(group.start, group.end))
    for value, tok in counts:
        name = _casualty_field(tok, words)
        if name is not None:
            found[name] = max(found.get(name, 0.0), value)
    dead, injured, arrested = (int(found[f]) if f in found else None for f in CASUALTY_FIELDS)
    return dead, injured, arrested
