"""Language identification for the clean stage, offline (py3langid's model ships in its wheel).

``detect_language(text) -> (code, confidence)`` returns an ISO 639-1 code and the model's
normalised probability.  News in this project is overwhelmingly English and the engine's rules are
English rules, so the detector is deliberately conservative about *other* languages:

- texts with fewer than ``MIN_LETTERS`` letters (headlines, captions, empty bodies) are English
  with confidence 0.0 -- a few words do not carry enough character n-grams to decide;
- in Latin script, a non-English guess below ``MIN_CONFIDENCE`` is overruled to English
  (confidence 0.0), since a wrong non-English label drops the whole article from analysis
  (``E130``), while a wrong English label only costs a few spurious parses;
- a text mostly in another script (Cyrillic, Arabic, Han, ...) is not English whatever the
  model's confidence, so the model's guess is kept there;
- only the first ``SAMPLE_CHARS`` characters are read: a page of text decides a language.

The identifier is built once per process (``functools.lru_cache``; read-only afterwards).
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["DEFAULT_LANGUAGE", "MIN_CONFIDENCE", "MIN_LATIN_SHARE", "MIN_LETTERS", "detect_language"]

DEFAULT_LANGUAGE = "en"

#: Below this many letters the text is too short to identify and is taken as English.  py3langid
#: mislabels short English headlines ("Gaza truce" came out as Hausa) while full sentences of 40+
#: letters in the eleven languages of tests/test_langid.py were all identified correctly.
MIN_LETTERS = 40

#: A non-English guess needs at least this normalised probability.  On our test sentences every
#: correct non-English guess scored >= 0.97, while English news prose that the model doubted
#: (machine-translated text, name-heavy sentences) stayed below 0.9.
MIN_CONFIDENCE = 0.9

#: A Han, kana or Hangul character counts as this many letters towards ``MIN_LETTERS``: one such
#: character carries about a syllable or a word, and a 30-character Chinese sentence is as
#: decidable as a 90-letter English one (and was identified correctly in our tests).
CJK_LETTER_WEIGHT = 3

#: Below this share of Latin letters a text is in another script and cannot be English.  Names in
#: Latin script inside Russian or Arabic prose stay far below half of the letters.
MIN_LATIN_SHARE = 0.5

#: Characters of text read for the decision (the start of an article; about a page).
SAMPLE_CHARS = 4000

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's bundled model, normalised to probabilities (loaded once, ~0.5 s).

    py3langid unpacks its model through a temporary file; where no temporary file can be written
    (a full disk, a read-only /tmp) the model is unpacked in memory instead (about 70 MB, briefly).
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except OSError:
        return _identifier_in_memory()


def _identifier_in_memory() -> Any:
    """The identifier of ``_identifier`` built without touching the file system beyond the model file."""
    import io
    import lzma
    from array import array

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    def unsigned(values: Any) -> array:  # what py3langid's own loader makes of the index arrays
        out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
        out.frombytes(np.ascontiguousarray(values).tobytes())
        return out

    with lzma.open(MODEL_DIR / MODEL_FILE) as src, np.load(io.BytesIO(src.read()), allow_pickle=False) as data:
        return LanguageIdentifier(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                                  unsigned(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                                  tk_row=unsigned(data["nextmove_row"]))


def letter_count(text: str) -> int:
    """How many letters (any script) ``text`` has, CJK characters weighted by ``CJK_LETTER_WEIGHT``."""
    return len(_LETTER.findall(text)) + (CJK_LETTER_WEIGHT - 1) * len(_CJK.findall(text))


def detect_language(text: str | None) -> tuple[str, float]:
    """The language of ``text`` as ``(ISO 639-1 code, confidence 0-1)``; English when undecidable."""
    sample = _URL.sub(" ", (text or "")[:SAMPLE_CHARS])
    letters = letter_count(sample)
    if letters < MIN_LETTERS:
        return DEFAULT_LANGUAGE, 0.0
    code, prob = _identifier().classify(sample)
    code, prob = str(code), float(prob)
    latin = len(_LATIN.findall(sample)) >= MIN_LATIN_SHARE * len(_LETTER.findall(sample))
    if code != DEFAULT_LANGUAGE and latin and prob < MIN_CONFIDENCE:
        return DEFAULT_LANGUAGE, 0.0
    return code, round(prob, 4)
