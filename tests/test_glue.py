"""Tests for glued-word detection (glue.py) through clean_text and directly."""

from __future__ import annotations

import pytest

from newsevents.clean import clean_text, load_knowledge
from newsevents.glue import find_splits


def cleaned(text: str) -> str:
    return clean_text(text).text


@pytest.mark.parametrize("glued, fixed", [
    ("The envoy Emmanuel Macronheld talks.", "The envoy Emmanuel Macron held talks."),
    ("Tension around Ukrainebut no deal.", "Tension around Ukraine but no deal."),
    ("Speaking to the dailyMacron said no.", "Speaking to the daily Macron said no."),
    ("The officers of the NYPDoverruled him.", "The officers of the NYPD overruled him."),
    ("She went to the ERBut left soon.", "She went to the ER But left soon."),
    ("It was Clinton’scampaign manager.", "It was Clinton’s campaign manager."),
    ("The Trumpcampaign and Obamahas spoken.", "The Trump campaign and Obama has spoken."),
    ("Votes in the U.S.presidential race.", "Votes in the U.S. presidential race."),
    ("A vote in theU.S. Senate.", "A vote in the U.S. Senate."),
    ("TheGOPnominee spoke.", "The GOP nominee spoke."),
    ("The result ofthe vote.", "The result of the vote."),
    ("A senior aideCheryl spoke.", "A senior aide Cheryl spoke."),
    ("The talks ended in Kyiv.The next round is set.", "The talks ended in Kyiv. The next round is set."),
    ("He said no.“We will wait,” he added.", "He said no. “We will wait,” he added."),
    ("The city was quiet.I left early.", "The city was quiet. I left early."),
    ("Ministers were demanding.in an interview he said so.",
     "Ministers were demanding. in an interview he said so."),
])
def test_glued_words_split(glued: str, fixed: str) -> None:
    assert cleaned(glued) == fixed


MUST_NOT_SPLIT = [
    "Kazakhstan", "McDonald", "iPhone", "YouTube", "AstraZeneca", "PlayStation", "#StandWithUkraine",
    "@KremlinPress", "https://example.com/PressRelease", "press.office@example.org", "H2O", "COVID-19",
    "O'Neill", "MacArthur", "DeSantis", "LeBron", "DiCaprio", "eBay", "macOS", "JPMorgan", "WhatsApp",
    "GlaxoSmithKline", "RealClearPolitics", "PowerPoint", "U.S.", "e.g.", "i.e.", "3.5", "example.com",
    "file.txt", "report.pdf", "Ph.D.", "a.m.", "Washington", "Boston", "Sanderson", "Trumpism",
    "Obamacare", "Pizzagate", "Naryshkin", "Volodin", "Zelenskyy", "NATO", "NGOs", "CEOs", "PhDs",
    "McConnell", "seethe", "lathe", "Republican", "another", "nonetheless", "breathe", "5G", "MH17",
]


@pytest.mark.parametrize("word", MUST_NOT_SPLIT)
def test_must_not_split(word: str) -> None:
    text = f"Officials mentioned {word} during the briefing."
    doc = clean_text(text)
    assert doc.text == text
    assert not [r for r in doc.repairs if r.kind in ("glue_split", "sentence_space")]


def test_plain_prose_untouched() -> None:
    text = ("Sergei Lavrov met Antony Blinken in Geneva on Friday. The ministers discussed security "
            "guarantees, NATO's open-door policy and the deployment of troops near the border. "
            "Afterwards, Blinken told reporters the talks were \"frank and substantive\".")
    assert cleaned(text) == text


def test_name_standing_alone_elsewhere_licenses_split() -> None:
    # "Tarkovin" alone is an unknown name; "Tarkov" standing alone in the text makes the split.
    assert "Tarkovin" in cleaned("The mayor Tarkovin spoke.")
    assert "Tarkov in Minsk" in cleaned("The mayor Tarkovin Minsk spoke. Later Tarkov left.")


def test_find_splits_positions() -> None:
    lex = load_knowledge().lexicon
    text = "x Macronheld y"
    (split,) = find_splits(text, lex)
    assert (split.start, split.end, split.kind) == (2, 12, "glue_split")
    assert split.inserts == (8,)
    assert find_splits("Kazakhstan and YouTube", lex) == []
    (one,) = find_splits("Dmitry Zubrikovsaid it", lex, frozenset({"Dmitry Zubrikov"}))
    assert one.inserts == (15,)


def test_repeated_camel_name_is_a_name() -> None:
    once = "Shares of SkyHarbor rose."
    assert "Sky Harbor" in cleaned(once)
    many = "SkyHarbor said profits rose. SkyHarbor expects more. Analysts like SkyHarbor today."
    assert cleaned(many) == many


def test_non_english_text_not_split() -> None:
    text = ("Il ministro degli esteri ha incontrato ieri il collega francese per discutere della "
            "situazione politica nella regione e delle prossime elezioni. Portatile nuovo per tutti "
            "quanti nella città, secondo il governo italiano e le autorità locali della provincia.")
    assert cleaned(text) == text
