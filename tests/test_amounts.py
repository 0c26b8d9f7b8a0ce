"""Tests for newsevents.amounts: numbers with the thing they count."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from newsevents.amounts import casualties, find_amounts, load_units, parse_units
from newsevents.errors import KnowledgeError
from newsevents.nlp import load_model
from newsevents.records import Amount


def _amounts(text: str) -> list[Amount]:
    doc = load_model()(text)
    found = find_amounts(doc)
    for a in found:
        assert text[a.start:a.end] == a.text
    return found


def _one(text: str) -> Amount:
    found = _amounts(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "span"),
    [
        ("The army moved more than 100,000 troops towards the frontier.", 100000, "troops", "more than",
         "more than 100,000 troops"),
        ("At least 12 people were killed when the bridge fell.", 12, "people", "at least",
         "At least 12 people"),
        ("The ministers held three phone conversations about the port.", 3, "phone conversations", None,
         "three phone conversations"),
        ("The fund approved $2.5 billion for the dam.", 2_500_000_000, "USD", None, "$2.5 billion"),
        ("The war drove 1.2 million refugees from the valley.", 1_200_000, "refugees", None,
         "1.2 million refugees"),
        ("Dozens of protesters blocked the road.", 24, "protesters", "dozens", "Dozens of protesters"),
        ("Three hundred and twenty sailors reached the coast.", 320, "sailors", None,
         "Three hundred and twenty sailors"),
        ("Twenty-five students signed the letter.", 25, "students", None, "Twenty-five students"),
        ("Unemployment fell to 7.5% in the north.", 7.5, "percent", None, "7.5%"),
        ("Exports rose by 12 per cent after the deal.", 12, "percent", None, "12 per cent"),
        ("The club sold its stadium for £40m to a bank.", 40_000_000, "GBP", None, "£40m"),
        ("Kyiv will pay 3 million euros to the contractor.", 3_000_000, "EUR", None, "3 million euros"),
        ("Tens of thousands of workers marched on the capital.", 20000, "workers", "tens of thousands",
         "Tens of thousands of workers"),
        ("The ship carried up to 5,000 tonnes of wheat.", 5000, "tonnes", "up to", "up to 5,000 tonnes"),
        ("Several thousand villagers fled the fire.", 3000, "villagers", "several",
         "Several thousand villagers"),
        ("Police detained a dozen young men at the station.", 12, "men", None, "a dozen young men"),
        ("Four of the hostages were freed at dawn.", 4, "hostages", None, "Four of the hostages"),
    ],
)
def test_amount_cases(text: str, value: float, unit: str, qualifier: str | None, span: str) -> None:
    amount = _one(text)
    assert amount.value == pytest.approx(value)
    assert amount.unit == unit
    assert amount.qualifier == qualifier
    assert amount.text == span


@pytest.mark.parametrize(
    "text",
    [
        "The treaty was signed in 2014 after long delays.",  # year
        "The summit opened on 5 March 2021 at 10:30.",  # date and time
        "It was the second visit by the envoy.",  # ordinal
        "The 21st round of talks ended without a deal.",  # ordinal in digits
        "For details call 555-123-4567 before noon.",  # phone number
        "The hosts won the match 2-1 in the final.",  # score
        "A 12-year-old boy was rescued from the river.",  # hyphenated age
        "She is one of the negotiators.",  # "one of the"
        "Forty were injured in the blast.",  # no counted noun
        "The talks lasted two weeks.",  # duration
        "He has tried three times to reach the mayor.",  # frequency
        "The rivals disagreed on 2,sides over how long.",  # glued junk
        "His 2008 campaign was short.",  # year as modifier
        "One third of the voters stayed home.",  # fraction
    ],
)
def test_not_amounts(text: str) -> None:
    assert _amounts(text) == []


def test_several_amounts_in_order_without_overlap() -> None:
    found = _amounts("Rebels took 40 hostages and asked for $2 million, while 300 families left.")
    assert [(a.value, a.unit) for a in found] == [(40, "hostages"), (2_000_000, "USD"), (300, "families")]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_preposition_is_not_a_hedge() -> None:
    amount = _one("The mayor protested over two arrests in the square.")
    assert amount.qualifier is None
    assert amount.text == "two arrests"


def test_units_file_validates() -> None:
    units = load_units()
    assert units.number_words["seven"] == 7
    assert units.currency_symbols["$"] == "USD"
    with pytest.raises(KnowledgeError):
        parse_units({"number_words": {"one": "uno"}})
    with pytest.raises(KnowledgeError):
        parse_units([1, 2])


def _casualties(text: str) -> tuple[int | None, int | None, int | None]:
    doc = load_model()(text)
    return casualties(find_amounts(doc), (0, len(text)), doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunmen killed at least 12 people in the market on Sunday.", (12, None, None)),
        ("Twelve people were killed and 40 were injured in the blast.", (12, 40, None)),
        ("The attack left five dead and dozens wounded.", (5, 24, None)),
        ("The death toll rose to 30, officials said.", (30, None, None)),
        ("Three soldiers died and two were hurt when their vehicle hit a mine.", (3, 2, None)),
        ("Police arrested 20 protesters in the capital.", (None, None, 20)),
        ("About 100 people were taken into custody after the riots.", (None, None, 100)),
    ],
)
def test_casualties(text: str, expected: tuple[int | None, int | None, int | None]) -> None:
    assert _casualties(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The government spent $2 billion on 3 new hospitals.",
        "He was arrested in 2014 for fraud.",
        "Russia has massed more than 100,000 troops near the border.",
    ],
)
def test_no_casualties(text: str) -> None:
    assert _casualties(text) == (None, None, None)


def test_casualties_only_count_inside_the_sentence_span() -> None:
    text = "Five people were killed. Officials met on Monday."
    doc = load_model()(text)
    second = list(doc.sents)[1]
    assert casualties(find_amounts(doc), (second.start_char, second.end_char), doc) == (None, None, None)
    assert casualties(find_amounts(doc), (0, len(text)), doc)[0] == 5


def test_casualty_words_are_validated() -> None:
    data = yaml.safe_load(resources.files("newsevents").joinpath("data/units.yaml").read_text(encoding="utf-8"))
    assert "kill" in parse_units(data).casualty_words["dead"]
    with pytest.raises(KnowledgeError, match="casualties"):
        parse_units({**data, "casualties": {"missing": ["vanish"]}})
