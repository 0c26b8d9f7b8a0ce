"""Find words glued together when HTML links were dropped ("Macronheld", "dailyMacron").

When a page is turned into text, the space next to an inline link is often lost, so a name
and its neighbour become one token: ``Macronheld``, ``Ukrainebut``, ``dailyMacron``,
``Clinton’scampaign``, ``NYPDoverruled``, and sentence ends fuse: ``Moscow.The``,
``demanding.in``.  This module only *finds* where a space is missing; ``clean.py`` inserts
the spaces and keeps the offset map.

Every split is licensed by a capitalisation or punctuation cue and checked against word
frequencies (wordfreq): the split parts must be more probable, under a unigram model, than
the whole token.  Frequencies are Zipf values (log10 of frequency per billion words), so the
unigram log-probability of "a b" relative to "ab" is ``z(a) + z(b) - 9 - z(ab)``.
Each cue adds a named bonus to that log-odds.  The text itself adds evidence: a name that
stands alone elsewhere in it counts as known ("Peskov said" licenses "Peskovat"), a word
repeated several times is a name of the text and stays whole ("WeWork"), and glued words are
only split in text that reads as English.  Tokens that are URLs, domains, file names, e-mail
addresses, @handles or #hashtags are never touched, nor are tokens mixing letters and digits
(H2O, MH17).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from wordfreq import zipf_frequency

__all__ = ["GlueLexicon", "GlueSplit", "find_splits"]

#: Zipf value given to a word of ``extra_vocabulary`` that wordfreq rates lower: about the
#: frequency of a moderately known surname ("Peskov" 1.89, "Macron" 2.95 in wordfreq 3.1).
EXTRA_VOCAB_ZIPF = 3.0

#: Zipf value assumed for a word wordfreq does not list (its English list stops near 1.0).
UNKNOWN_ZIPF = 1.0

#: Zipf value of 9 is one occurrence per word: the unigram model's log-probability offset.
ZIPF_PER_WORD = 9.0

#: A camel-case whole at or above this Zipf value is a real word or brand (YouTube 4.66,
#: PlayStation 3.94, DeSantis 2.44, webOS 2.0), below it the web-noise merges that wordfreq
#: also lists ("theamerican" 1.18).  Chosen from those values.
CAMEL_KNOWN_WHOLE_ZIPF = 2.0

#: A lower-case left part glued to a capitalised word ("dailyMacron") must be at least this
#: common: rules out brand prefixes such as "mRNA", "iPhone" (one letter) and rare stems.
MIN_LOWER_LEFT_ZIPF = 3.0

#: A capitalised left part glued to a lower-case word ("Peskovat", "Caddelltold") must be a
#: name wordfreq knows at least this well (Peskov 1.89, Caddell 1.82); unknown stems such as
#: "Narysh" in "Naryshkin" stay whole.
MIN_NAME_LEFT_ZIPF = 1.5

#: A right part of four letters or more must be at least this common to be split off a
#: capitalised word ("Republicannominee" -> nominee 3.5, "Obamascrutinized" 2.9); keeps rare
#: tails attached.  Tried 3.0 and 2.0 on the glue dev set: 2.5 restores more, changes no
#: more original tokens.
MIN_RIGHT_ZIPF = 2.5

#: Before a right part of one to three letters ("is", "on", "a", "ten"), a capitalised left part
#: must be this well known or stand alone elsewhere in the text or be in the vocabulary:
#: unknown names end in such letters ("Dainis", "Minyon", "Malkia"); Kaine 2.83 passes,
#: Dain 2.25 and Peskov 1.89 do not (Peskov is found by standing alone in its article).
MIN_NAME_LEFT_ZIPF_SHORT_RIGHT = 2.5

#: A capitalised left part of a split without a case cue must have at least this many letters:
#: short names ("Don", "Leh") too often end in a common word ("Donand" stays whole).
MIN_NAME_LEFT_LEN = 4

#: A three-letter right part split off a capitalised word must be a function word or at least
#: this common ("law" 5.2, "tax" 4.9, "day" 5.8) -- rarer three-letter tails are name endings.
MIN_SHORT_RIGHT_ZIPF = 4.5

#: A word (case-sensitive) found this many times in one text is a name of that text, not
#: glue: a lost space is a one-off at a link edge, names repeat ("WeWork", "MagSafe" in the
#: HTML dev pages).  Measured: 2 -> glue repair 0.913, HTML+clean F1 0.943; 3 -> 0.955 and
#: 0.943; never -> 0.959 and 0.939 (glue sets repeat the same glued name, "Clintonsays").
MIN_REPEATS_AS_NAME = 3

#: Glue words are only split in English text: the share of lower-case words (three letters or
#: more, first 400) that wordfreq rates >= ENGLISH_WORD_ZIPF must reach this.  English articles
#: of the glue dev set score 0.94 and up, the Italian/German pages of the HTML set 0.2-0.4.
MIN_ENGLISH_SHARE = 0.6
ENGLISH_WORD_ZIPF = 3.0
#: Fewer lower-case words than this: too little to judge, assume English.
MIN_WORDS_FOR_LANGUAGE = 20

#: Bonus (in Zipf units) for a split at a lower->Upper transition, the strongest cue: the
#: glue corpus needs about 3.2 for "inviteGennifer"-like cases, camel-case brands are vetoed by
#: CAMEL_KNOWN_WHOLE_ZIPF instead.
CAMEL_BONUS = 4.0

#: Bonus for a split with no case cue (capitalised name + lower-case word, "Trumphas"), only
#: tried when wordfreq does not know the whole token.  With an unknown whole the split wins
#: when z(left) + z(right) > 10 - bonus = 6.0: on the glue dev set real pairs score 6.2 and up
#: ("Moskowrote" 6.18, "Bligesings" 6.53), false splits of rare names 5.2 and below
#: ("Coelbart" 5.19, "Weinbrecht" 4.92).
NOCUE_BONUS = 4.0

#: A lower-case word after a fused sentence end ("demanding.in") must be at least this common
#: (in 7.27, an 6.9): only very common words start a sentence in lower case by mistake.
MIN_LOWER_AFTER_DOT_ZIPF = 5.0

#: The word before a fused sentence end with a lower-case continuation must be a real word.
MIN_WORD_BEFORE_DOT_ZIPF = 3.0

_LETTER_RUN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_PROTECTED = re.compile(r"://|^www\.|@|^#|\\|^[\w.+-]+\.[a-z]{2,4}/", re.IGNORECASE)
_ABBREV_GLUE = re.compile(r"(?<![A-Z])(?:[A-Z]\.){2,}(?=[^\W\d_]{2})")
_DOT_UPPER = re.compile(r"(?<=[^\W\d_][^\W\d_A-Z])([.!?][”\"’)]?)(?=[“‘\"]?[A-Z][^\W\d_A-Z]|I\b)")
_DOT_LOWER = re.compile(r"(?<=[^\W\d_]{2})\.(?=[a-z]+(?:[^a-z.]|$))")
_POSSESSIVE = ("'s", "’s")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
_MIXED_ID = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")  # H2O, COVID19, 5G, tweet ids
_STANDALONE_NAME = re.compile(r"(?<![\w’'-])[A-Z][a-z]{2,}(?=[’']s\b|[^\w’'-]|$)")


@dataclass(frozen=True)
class GlueLexicon:
    """Word lists from ``data/boilerplate.yaml`` (section ``glue``) that guide splitting."""

    function_words: frozenset[str]
    the_left_words: frozenset[str]
    the_right_words: frozenset[str]
    name_suffixes: frozenset[str]
    camel_prefixes: frozenset[str]
    dotted_suffixes: frozenset[str]


@dataclass(frozen=True)
class _Known:
    """Words known beyond wordfreq: ``words`` (caller's vocabulary: known, never split) and
    ``names`` (capitalised words standing alone elsewhere in the same text: known only)."""

    words: frozenset[str]
    names: frozenset[str]


@dataclass(frozen=True)
class GlueSplit:
    """Spaces to insert in one token: ``inserts`` are positions in the scanned text."""

    start: int
    end: int
    inserts: tuple[int, ...]
    kind: str  # glue_split | sentence_space


def find_splits(text: str, lex: GlueLexicon, vocabulary: frozenset[str] = frozenset()) -> list[GlueSplit]:
    """All glued tokens in ``text`` with the positions where a space is missing.

    ``vocabulary`` holds known names (single words or multi-word names): they count as known
    words and are never split themselves.
    """
    names = frozenset(t.lower() for t in _STANDALONE_NAME.findall(text))
    vocab = _Known(_vocabulary_words(vocabulary), names)
    english = _looks_english(text)
    repeats = Counter(_strip_possessive(w) for w in _LETTER_RUN.findall(text))
    domain = _domain_pattern(lex.dotted_suffixes)
    out: list[GlueSplit] = []
    right_words = tuple(lex.the_right_words)
    for m in re.finditer(r"\S+", text):
        token = m.group()
        if token.isascii() and token.isalpha() and token.islower() and not token.endswith(right_words):
            continue  # a plain lower-case word: no dot to split at, and _best_split finds no cue in it
        if _PROTECTED.search(token) or _MIXED_ID.search(token) or token.lower() in vocab.words \
                or domain.search(token):
            continue
        dots = _dot_splits(token, lex, vocab)
        glue: list[int] = []
        for run in _LETTER_RUN.finditer(token) if english else ():
            word = run.group()
            if word.lower() in vocab.words or repeats[_strip_possessive(word)] >= MIN_REPEATS_AS_NAME:
                continue
            abbrev = token[run.end():run.end() + 1] == "."
            glue.extend(run.start() + k for k in _split_word(word, lex, vocab, abbrev))
        if dots:
            out.append(GlueSplit(m.start(), m.end(), tuple(m.start() + k for k in dots), "sentence_space"))
        if glue:
            glue = sorted(set(glue) - set(dots))
            if glue:
                out.append(GlueSplit(m.start(), m.end(), tuple(m.start() + k for k in glue), "glue_split"))
    return out


@functools.lru_cache(maxsize=4)
def _vocabulary_words(vocabulary: frozenset[str]) -> frozenset[str]:
    """The lower-cased single words of a (large, reused) vocabulary, computed once."""
    return frozenset(w.lower() for v in vocabulary for w in v.split())


@functools.lru_cache(maxsize=8)
def _domain_pattern(suffixes: frozenset[str]) -> re.Pattern[str]:
    """A dot followed by a domain or file ending: "example.com", "PanARMENIAN.Net"."""
    return re.compile(r"[^\W\d_]\.(?:" + "|".join(sorted(suffixes)) + r")\b", re.IGNORECASE)


def _looks_english(text: str) -> bool:
    """Is ``text`` English enough for wordfreq's English frequencies to judge glue?"""
    words = _LOWER_WORD.findall(text, 0, 20000)[:400]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True
    known = sum(_wordfreq(w) >= ENGLISH_WORD_ZIPF for w in words)
    return known / len(words) >= MIN_ENGLISH_SHARE


# ---------------------------------------------------------------------------- sentence ends
def _dot_splits(token: str, lex: GlueLexicon, vocab: _Known) -> list[int]:
    """Positions after a fused sentence end or abbreviation ("Moscow.The", "U.S.troops")."""
    if "." not in token and "!" not in token and "?" not in token:
        return []
    points = [m.end() for m in _DOT_UPPER.finditer(token)]
    for m in _ABBREV_GLUE.finditer(token):
        rest = _LETTER_RUN.match(token, m.end())
        first = rest.group() if rest else ""
        cuts = _split_word(first, lex, vocab, rest is not None and token[rest.end():rest.end() + 1] == ".")
        first = first[: cuts[0]] if cuts else first  # "U.S.theMoscow": judge "the"
        if first and (first[0].isupper() or _zipf(first, vocab) >= MIN_RIGHT_ZIPF):
            points.append(m.end())
    for m in _DOT_LOWER.finditer(token):
        left = _LETTER_RUN.findall(token[: m.start()])
        right = re.compile(r"[a-z]+").match(token, m.end())
        seg = max((q for q in points if q <= m.start()), default=0)
        if not left or right is None or "." in token[seg:m.start()]:
            continue  # "v1.2.x", "a.b.c": dotted names; judged after the splits already found
        lword, rword = left[-1], right.group()
        cuts = _split_word(lword, lex, vocab)
        if cuts:  # "MoscowMoscow.the": judge the last word the glue split will leave
            lword = lword[cuts[-1]:]
        if rword in lex.dotted_suffixes or len(lword) < 2:
            continue
        if _zipf(lword, vocab) >= MIN_WORD_BEFORE_DOT_ZIPF \
                and _zipf(rword, vocab) >= MIN_LOWER_AFTER_DOT_ZIPF:
            points.append(m.end())
    return sorted(set(points))


# ---------------------------------------------------------------------------- glued words
def _split_word(word: str, lex: GlueLexicon, vocab: _Known, abbrev: bool = False) -> list[int]:
    """Split points inside one run of letters, found recursively (best split first).

    ``abbrev``: the run is followed by a dot, so a one-capital right part is an initial or an
    abbreviation ("theU.S.", "governorL.").
    """
    best = _best_split(word, lex, vocab, abbrev)
    if best is None:
        return []
    left, right = word[:best], word[best:]
    return (_split_word(left, lex, vocab) + [best]
            + [best + k for k in _split_word(right, lex, vocab, abbrev)])


def _best_split(word: str, lex: GlueLexicon, vocab: _Known, abbrev: bool = False) -> int | None:
    if len(word) < 3 or word.lower() in vocab.words:
        return None
    if word.islower() and not word.endswith(tuple(lex.the_right_words)) and "'s" not in word \
            and "’s" not in word:
        return None  # no cue can fire in a plain lower-case word
    if word[0].isupper() and sum(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)) >= 2:
        return None  # several capitalised parts: a brand or name ("RealClearPolitics")
    whole = _zipf(word, vocab, names=False)
    best: tuple[float, int] | None = None
    for k in range(1, len(word)):
        if len(word) - k == 1 and not (abbrev and word[k].isupper()) and word[k:] not in lex.function_words:
            continue
        if k == 1 and word[:1] not in lex.function_words:
            continue
        score = _score(word, k, whole, lex, vocab)
        if score is not None and score > 0 and (best is None or score > best[0]):
            best = (score, k)
    return None if best is None else best[1]


def _score(word: str, k: int, whole: float, lex: GlueLexicon, vocab: _Known) -> float | None:
    """Log-odds (Zipf units) that ``word`` is two words split at ``k``; None if no cue."""
    left, right = word[:k], word[k:]
    a, b = word[k - 1], word[k]
    if not (a.isalpha() and b.isalpha()):
        if left.endswith(_POSSESSIVE) and b.isalpha() and len(right) >= 2:
            return _possessive(left, right, vocab)
        return None
    base = max(whole, UNKNOWN_ZIPF)
    if a.islower() and b.isupper():
        return _camel(left, right, whole, base, lex, vocab)
    if a.isupper() and b.isupper() and left.isupper() and right[1:].islower() and len(right) >= 3:
        # "ERBut": an acronym glued to a capitalised word
        if whole >= CAMEL_KNOWN_WHOLE_ZIPF or len(left) < 2:
            return None
        return _zipf(left, vocab) + _zipf(right, vocab) - ZIPF_PER_WORD + CAMEL_BONUS - base
    if a.isupper() and b.islower() and left.isupper() and right.islower() and len(left) >= 2:
        # "NYPDoverruled": an acronym glued to a lower-case word
        if whole > 0 or not _good_right(right, lex, vocab):
            return None
        return _zipf(left, vocab) + _zipf(right, vocab) - ZIPF_PER_WORD + NOCUE_BONUS - base
    if a.islower() and b.islower() and right.islower():
        if left[0].isupper():
            # "Trumphas", "McAuliffehas", "Republicannominee": a name and a lower-case word
            if whole > 0 or len(left) < MIN_NAME_LEFT_LEN or not _good_right(right, lex, vocab):
                return None
            lz = _zipf(left, vocab)
            if len(_strip_possessive(right)) <= 3 and lz < MIN_NAME_LEFT_ZIPF_SHORT_RIGHT:
                return None
            if lz < MIN_NAME_LEFT_ZIPF:
                if not (right in lex.function_words and len(right) >= 4):
                    return None
                lz = UNKNOWN_ZIPF  # "Obstfeldsaid": any name before "said", "would"...
            return lz + _zipf(right, vocab) - ZIPF_PER_WORD + NOCUE_BONUS - base
        if left.islower() and right in lex.the_right_words:
            # "ofthe", "supportthe": never English words ("seethe", "lathe" are known wholes)
            if left in lex.the_left_words or (whole == 0 and _zipf(left, vocab) >= MIN_LOWER_LEFT_ZIPF):
                return CAMEL_BONUS
    return None


def _camel(left: str, right: str, whole: float, base: float, lex: GlueLexicon,
           vocab: _Known) -> float | None:
    """A lower->Upper transition: "dailyMacron", "TheAmerican", but not "YouTube", "McDonald"."""
    # an initial or abbreviation before a dot: "theU.S.", "onD.C." (not "SpaceX.")
    initial = len(right) == 1 and left.islower()
    if (whole >= CAMEL_KNOWN_WHOLE_ZIPF and not initial) or left in lex.camel_prefixes:
        return None
    stem = _strip_possessive(left)
    lz = _zipf(stem, vocab)
    if len(stem) == 1:
        lz = lz if stem in lex.function_words else 0.0  # "aSenate" but not "iPhone", "eBay"
    elif lz < (MIN_LOWER_LEFT_ZIPF if stem.islower() else MIN_NAME_LEFT_ZIPF):
        if _best_split(stem, lex, vocab) is None:
            return None
        lz = MIN_LOWER_LEFT_ZIPF  # itself glued: "UniversityinNew", "CubaandIran"
    if lz <= 0:
        return None
    rz = max(_zipf(right, vocab), _name_prior(right))
    return lz + rz - ZIPF_PER_WORD + CAMEL_BONUS - base


def _possessive(left: str, right: str, vocab: _Known) -> float | None:
    """"Clinton’scampaign": a possessive glued to the next word."""
    if right[0].isupper() or _zipf(right, vocab) >= MIN_RIGHT_ZIPF:
        return CAMEL_BONUS
    return None


def _good_right(right: str, lex: GlueLexicon, vocab: _Known) -> bool:
    """May ``right`` be split off as a word of its own after a capitalised stem?"""
    if right in lex.function_words:
        return True
    right = _strip_possessive(right)
    if right in lex.name_suffixes or len(right) <= 2:
        return False
    if len(right) == 3:
        return _zipf(right, vocab) >= MIN_SHORT_RIGHT_ZIPF
    return right in lex.function_words or _zipf(right, vocab) >= MIN_RIGHT_ZIPF


def _name_prior(word: str) -> float:
    """A capitalised word unknown to wordfreq is most likely a rare name, not noise."""
    return EXTRA_VOCAB_ZIPF if word[:1].isupper() and len(word) >= 3 else 0.0


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE) and len(word) > 3 else word


def _zipf(word: str, vocab: _Known, names: bool = True) -> float:
    """Zipf frequency, raised for known words (``names``: also the text's standalone names)."""
    key = _strip_possessive(word).lower()
    value = _wordfreq(key)
    if key in vocab.words or (names and key in vocab.names):
        return max(value, EXTRA_VOCAB_ZIPF)
    return value


@functools.lru_cache(maxsize=65536)
def _wordfreq(word: str) -> float:
    return float(zipf_frequency(word, "en"))
