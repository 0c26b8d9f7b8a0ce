"""Tone: GDELT-style document tone from a sentiment lexicon.

Definitions (those of the GDELT GKG ``V2Tone`` field):

* ``word_count``: the number of word tokens.  A word is a spaCy token containing at least one
  letter, not counting contraction clitics glued to the previous token ("n't", "'s", "'re"), so
  "don't" is one word, as a reader counts it.  Pure numbers and punctuation are not words.
* ``positive``: the percentage (0-100) of words that are positive in the lexicon;
* ``negative``: the percentage of words that are negative in the lexicon;
* ``tone`` = positive - negative (from -100 to +100); ``polarity`` = positive + negative.

The lexicon is VADER's (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based Model for
Sentiment Analysis of Social Media Text", ICWSM), the file ``vader_lexicon.txt`` shipped inside
the ``vaderSentiment`` package (MIT licence): about 7,500 English words, slang terms and
emoticons, each with the mean valence (-4 .. +4) given by ten human raters.  It is read from the
installed package at run time with ``importlib.resources`` and cached per process.

A word is positive when its mean valence is above ``POSITIVE_THRESHOLD`` and negative when it
is below ``NEGATIVE_THRESHOLD``.  A token is looked up by its lower-cased text first, then by its
lower-cased lemma ("rejects" -> "reject").  Proper nouns are never scored (a person called Hope,
a place called Liberty) and neither are prepositions ("like" as in "leaders like Macron"): VADER
rates the adjective/verb sense of such words.  Only the valence sign counts, as in GDELT; VADER's
intensifier, negation and capitalisation rules are not applied.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

from newsevents.errors import KnowledgeError
from newsevents.records import Tone

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Package and file of the lexicon (read at run time, never copied into this repository).
LEXICON_PACKAGE = "vaderSentiment"
LEXICON_FILE = "vader_lexicon.txt"

#: A word is positive if its VADER mean valence is above this.  Zero, as GDELT counts every
#: word its dictionary rates positive; VADER's list holds no neutral entries, so any lower
#: cut would only drop weakly rated words such as "significant" (+0.8) arbitrarily.
POSITIVE_THRESHOLD = 0.0

#: A word is negative if its VADER mean valence is below this (see ``POSITIVE_THRESHOLD``).
NEGATIVE_THRESHOLD = 0.0

#: Digits kept in the returned percentages: four is enough to compare runs and keeps JSON short.
ROUND_DIGITS = 4

#: Parts of speech never scored (see the module docstring).
UNSCORED_POS = frozenset({"PROPN", "ADP"})

#: Contraction clitics that spaCy splits off a word and that do not count as words.
_CLITICS = frozenset({"n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m",
                      "’m"})


@functools.lru_cache(maxsize=1)
def load_lexicon() -> dict[str, float]:
    """The VADER lexicon as ``{token: mean valence}``; read once per process."""
    try:
        text = resources.files(LEXICON_PACKAGE).joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise KnowledgeError(
            f"the sentiment lexicon {LEXICON_PACKAGE}/{LEXICON_FILE} cannot be read "
            f"(install vaderSentiment): {exc}"
        ) from exc
    lexicon: dict[str, float] = {}
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        try:
            lexicon[fields[0].lower()] = float(fields[1])
        except (IndexError, ValueError) as exc:
            raise KnowledgeError(f"{LEXICON_FILE} line {line_no} is malformed: {line[:60]!r}") from exc
    if not lexicon:
        raise KnowledgeError(f"{LEXICON_FILE} is empty")
    return lexicon


def is_word(tok: Token) -> bool:
    """Whether ``tok`` counts as a word (see the module docstring)."""
    if not any(c.isalpha() for c in tok.text):
        return False
    glued = tok.i > 0 and not tok.doc[tok.i - 1].whitespace_
    return not (glued and tok.lower_ in _CLITICS)


def word_valence(tok: Token, lexicon: dict[str, float] | None = None) -> float:
    """The lexicon valence of a word token, 0.0 when it is not rated or not scored."""
    if tok.pos_ in UNSCORED_POS:
        return 0.0
    lex = lexicon if lexicon is not None else load_lexicon()
    value = lex.get(tok.lower_)
    if value is None:
        value = lex.get(tok.lemma_.lower(), 0.0)
    return value


def score_tone(doc: Doc) -> Tone:
    """GDELT tone of ``doc``: percentages of positive and negative words, their difference and sum."""
    lexicon = load_lexicon()
    words = 0
    positive = 0
    negative = 0
    previous_spaced = True  # is_word inlined: a glued clitic follows a token without trailing whitespace
    for tok in doc:
        glued = not previous_spaced
        previous_spaced = bool(tok.whitespace_)
        if not any(map(str.isalpha, tok.text)) or (glued and tok.lower_ in _CLITICS):
            continue
        words += 1
        valence = word_valence(tok, lexicon)
        if valence > POSITIVE_THRESHOLD:
            positive += 1
        elif valence < NEGATIVE_THRESHOLD:
            negative += 1
    if words == 0:
        return Tone()
    pos_pct = 100.0 * positive / words
    neg_pct = 100.0 * negative / words
    return Tone(
        tone=round(pos_pct - neg_pct, ROUND_DIGITS),
        positive=round(pos_pct, ROUND_DIGITS),
        negative=round(neg_pct, ROUND_DIGITS),
        polarity=round(pos_pct + neg_pct, ROUND_DIGITS),
        word_count=words,
    )
