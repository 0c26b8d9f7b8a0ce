"""Tests for newsevents.tone: GDELT-style tone from the VADER lexicon."""

from __future__ import annotations

import pytest

from newsevents.nlp import load_model
from newsevents.records import Tone
from newsevents.tone import is_word, load_lexicon, score_tone, word_valence


def _tone(text: str) -> Tone:
    return score_tone(load_model()(text))


def test_positive_sentence() -> None:
    # 11 words; welcomed, peaceful, agreement, praised, excellent, progress are positive
    tone = _tone("The leaders welcomed the peaceful agreement and praised the excellent progress.")
    assert tone.word_count == 11
    assert tone.positive == pytest.approx(100 * 6 / 11, abs=1e-4)
    assert tone.negative == 0.0
    assert tone.tone == pytest.approx(tone.positive - tone.negative, abs=1e-4)
    assert tone.polarity == pytest.approx(tone.positive + tone.negative, abs=1e-4)


def test_negative_sentence() -> None:
    # 14 words; rebels, killed, brutal, attack, war, terrible, suffering are negative
    tone = _tone("Rebels killed ten civilians in a brutal attack, and the war caused terrible suffering.")
    assert tone.word_count == 14
    assert tone.negative == pytest.approx(50.0)
    assert tone.positive == 0.0
    assert tone.tone == pytest.approx(-50.0)
    assert tone.polarity == pytest.approx(50.0)


def test_positive_beats_negative() -> None:
    good = _tone("Both sides praised the talks as a great success and celebrated the truce.")
    bad = _tone("Both sides condemned the deadly raid as a cruel crime and mourned the victims.")
    assert good.tone > 0 > bad.tone


def test_word_count_skips_numbers_punctuation_and_clitics() -> None:
    doc = load_model()("They don't accept 2,500 refugees -- yet.")
    words = [t.text for t in doc if is_word(t)]
    assert words == ["They", "do", "accept", "refugees", "yet"]
    assert score_tone(doc).word_count == 5


def test_preposition_like_is_not_scored() -> None:
    # "like" as a verb is positive in VADER, as a preposition it is not scored
    nlp = load_model()
    verb = [t for t in nlp("We really like the new plan.") if t.lower_ == "like"][0]
    prep = [t for t in nlp("Cities like Paris were busy.") if t.lower_ == "like"][0]
    assert verb.pos_ == "VERB" and prep.pos_ == "ADP"
    assert word_valence(verb) > 0
    assert word_valence(prep) == 0.0


def test_empty_text() -> None:
    assert _tone("") == Tone()
    assert _tone("12 , 14 .").word_count == 0


def test_lexicon_is_read_from_package() -> None:
    lexicon = load_lexicon()
    assert len(lexicon) > 7000
    assert lexicon["war"] < 0 < lexicon["peace"]
