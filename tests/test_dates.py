"""Tests for newsevents.dates: TIMEX3 values, offsets, tense, false positives, sentence_date."""

from __future__ import annotations

import pytest

from newsevents.dates import (
    DatesKnowledgeError,
    find_dates,
    load_lexicon,
    load_patterns,
    parse_lexicon,
    parse_published,
    sentence_date,
)
from newsevents.records import DateMention

#: Monday 7 February 2022 (ISO week 6), the publication date used throughout.
PUBLISHED = "2022-02-07"


def values(text: str, published: str | None = PUBLISHED) -> list[tuple[str, str, str]]:
    """(text, value, type) of every mention, checking that offsets slice the text exactly."""
    found = find_dates(text, published)
    for d in found:
        assert text[d.start:d.end] == d.text
    return [(d.text, d.value, d.type) for d in found]


def value_of(text: str, phrase: str, published: str | None = PUBLISHED) -> str:
    hits = [v for t, v, _ in values(text, published) if t == phrase]
    assert hits, f"{phrase!r} not found in {values(text, published)}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The two presidents sat down this Monday in the Kremlin.", "this Monday", "2022-02-07"),
        ("The envoy flew home on Thursday after the talks.", "Thursday", "2022-02-03"),
        ("The envoy will fly home on Thursday.", "Thursday", "2022-02-10"),
        ("Officials spoke on Sunday.", "Sunday", "2022-02-06"),
        ("Shelling resumed last Friday.", "last Friday", "2022-02-04"),
        ("The summit opens next Friday.", "next Friday", "2022-02-11"),
        ("Ministers gather this Friday.", "this Friday", "2022-02-11"),
        ("Diplomats met last week in Geneva.", "last week", "2022-W05"),
        ("The vote is this week.", "this week", "2022-W06"),
        ("Yesterday the border was quiet.", "Yesterday", "2022-02-06"),
        ("Crowds gathered today in the square.", "today", "2022-02-07"),
        ("The council votes tomorrow.", "tomorrow", "2022-02-08"),
        ("Exports fell last month.", "last month", "2022-01"),
        ("Elections are due next year.", "next year", "2023"),
        ("The treaty was signed in 2014 by both sides.", "2014", "2014"),
        ("The plant closed in March 2002 after a strike.", "March 2002", "2002-03"),
        ("The ceasefire began on 7 February 2022 at dawn.", "7 February 2022", "2022-02-07"),
        ("The ceasefire began on February 7, 2022.", "February 7, 2022", "2022-02-07"),
        ("The ceasefire began Feb. 7 at dawn.", "Feb. 7", "2022-02-07"),
        ("The file is dated 2021-11-30 in the archive.", "2021-11-30", "2021-11-30"),
        ("Prices climbed over the past two weeks.", "the past two weeks", "P2W"),
        ("The siege lasted two years.", "two years", "P2Y"),
        ("The rescue took three days.", "three days", "P3D"),
        ("A five-hour meeting ended without a deal.", "five-hour", "PT5H"),
        ("The army is now on alert.", "now", "PRESENT_REF"),
        ("Fuel is currently rationed.", "currently", "PRESENT_REF"),
        ("The mayor recently resigned.", "recently", "PAST_REF"),
        ("Patrols go out every Monday.", "every Monday", "XXXX-WXX-1"),
        ("The bulletin is issued daily by the ministry.", "daily", "P1D"),
        ("Talks happen weekly in Vienna.", "weekly", "P1W"),
        ("The town grew fast in the 1990s.", "the 1990s", "199"),
        ("This morning troops moved north.", "This morning", "2022-02-07TMO"),
        ("The strike ended three days ago.", "three days ago", "2022-02-04"),
        ("Sales rose in the third quarter of 2021.", "the third quarter of 2021", "2021-Q3"),
        ("Rebels attacked the depot at 9 a.m. on Tuesday.", "9 a.m. on Tuesday", "2022-02-01T09:00"),
        ("Monday's meeting was tense.", "Monday's", "2022-02-07"),
        ("Inflation slowed earlier this year.", "earlier this year", "2022"),
        ("The bridge was built in the 19th century.", "the 19th century", "18"),
        ("Fighting flared in early March and eased by late November.", "early March", "2022-03"),
        ("A decade ago the valley was farmland.", "A decade ago", "2012"),
    ],
)
def test_values(text: str, phrase: str, value: str) -> None:
    assert value_of(text, phrase) == value


def test_types() -> None:
    got = {t: typ for t, _, typ in values("Now, after two weeks, the market opens daily this morning.")}
    assert got == {"Now": "DATE", "two weeks": "DURATION", "daily": "SET", "this morning": "TIME"}


def test_month_without_year_takes_nearest_plausible_year() -> None:
    # a past month from early February is last year; a month just ahead is this year
    assert value_of("Riots broke out in November.", "November") == "2021-11"
    assert value_of("Elections are planned in April.", "April") == "2022-04"
    assert value_of("It happened on Dec. 24.", "Dec. 24") == "2021-12-24"
    # future tense moves a month that is far ahead into the coming year
    assert value_of("Talks resumed in December.", "December") == "2021-12"
    assert value_of("Talks will resume in December.", "December") == "2022-12"


def test_a_year_earlier_is_relative_to_the_last_date() -> None:
    text = "Profit fell in the second quarter of 2020. A year earlier it had risen."
    assert value_of(text, "A year earlier") == "2019-Q2"


@pytest.mark.parametrize(
    "text",
    [
        "You may leave whenever you like.",
        "Thousands march through the capital.",
        "The march was peaceful.",
        "About 1990 soldiers crossed the line.",
        "Russia massed more than 100,000 troops, 2,300 tanks and 1500 guns at 3.1415 sites.",
        "Jan Kowalski and April Jones are reporters for a daily newspaper.",
        "She is 44 years old.",
        "Only three-quarters of voters turned out.",
    ],
)
def test_false_positives(text: str) -> None:
    assert values(text) == []


def test_licensed_ambiguous_months() -> None:
    assert value_of("The vote was postponed until May.", "May") == "2022-05"
    assert value_of("Snow fell in March 2021.", "March 2021") == "2021-03"
    assert value_of("The offensive began on May 9.", "May 9") == "2022-05-09"


def test_without_publication_date() -> None:
    got = dict((t, v) for t, v, _ in values("On Thursday, last week and on 3 March 2019 and 3 March.", None))
    assert got["Thursday"] == "XXXX-WXX-4"
    assert got["last week"] == "XXXX-WXX"
    assert got["3 March 2019"] == "2019-03-03"
    assert got["3 March"] == "XXXX-03-03"


def test_published_formats() -> None:
    assert str(parse_published("2022-02-07T15:30:00+01:00")) == "2022-02-07"
    assert str(parse_published("20220207")) == "2022-02-07"
    assert parse_published("") is None
    assert value_of("It rained yesterday.", "yesterday", "2022-02-07T23:59:00Z") == "2022-02-06"


def test_glued_text_and_offsets() -> None:
    text = "Headline\n\nMacron arrived on Monday and talks lasted five hours.Peskovat spoke yesterday."
    found = find_dates(text, PUBLISHED)
    assert [(d.text, d.value) for d in found] == [
        ("Monday", "2022-02-07"), ("five hours", "PT5H"), ("yesterday", "2022-02-06")]
    for d in found:
        assert text[d.start:d.end] == d.text


def test_with_spacy_doc() -> None:
    from newsevents.nlp import load_model

    text = "The minister said he would travel to Kyiv on Tuesday. The army withdrew on Tuesday."
    doc = load_model()(text)
    found = find_dates(text, PUBLISHED, doc)
    assert [d.value for d in found] == ["2022-02-08", "2022-02-01"]


def test_sentence_date_from_sentence() -> None:
    text = "Shelling resumed. Talks took two days and ended on Friday."
    dates = find_dates(text, PUBLISHED)
    second = text.index("Talks")
    assert sentence_date(dates, second, len(text), PUBLISHED) == ("2022-02-04", "sentence")


def test_sentence_date_falls_back_to_published() -> None:
    text = "Shelling resumed last week. Talks took two days."
    dates = find_dates(text, PUBLISHED)
    assert sentence_date(dates, 0, len(text), PUBLISHED) == ("2022-02-07", "published")
    assert sentence_date(dates, 0, len(text), "2022-02-07T10:00:00") == ("2022-02-07", "published")
    assert sentence_date(dates, 0, len(text), None) == (None, "none")


def test_sentence_date_ignores_dates_outside_the_sentence() -> None:
    dates = [DateMention("Friday", 40, 46, "2022-02-04", "DATE"),
             DateMention("now", 2, 5, "PRESENT_REF", "DATE")]
    assert sentence_date(dates, 0, 30, PUBLISHED) == ("2022-02-07", "published")
    assert sentence_date(dates, 0, 50, PUBLISHED) == ("2022-02-04", "sentence")


def test_lexicon_validation() -> None:
    lex = load_lexicon()
    assert lex.months["sept"] == 9 and lex.weekdays["sunday"] == 7
    assert load_patterns().rules[0][0] == "iso"
    with pytest.raises(DatesKnowledgeError):
        parse_lexicon({"months": {"january": 1}})
    with pytest.raises(DatesKnowledgeError):
        parse_lexicon([1, 2])


def test_month_named_with_last_this_or_next_year() -> None:
    assert values("The rebels split in June last year.") == [("June last year", "2021-06", "DATE")]
    assert value_of("Voting ends in March of next year.", "March of next year") == "2023-03"
    assert value_of("Prices doubled in January this year.", "January this year") == "2022-01"


def test_current_month_in_future_tense_is_this_year() -> None:
    assert value_of("The lease will expire at the end of February.", "the end of February") == "2022-02"


def test_past_tense_places_a_bare_month_before_the_dct() -> None:
    from newsevents.nlp import load_model

    nlp = load_model()
    late_october = "2021-10-28"
    cases = [
        ("The chief executive resigned in January for health reasons.", "2021-01"),
        ("The offer was extended until January by the board.", "2022-01"),  # a deadline ahead
        ("The bank grants loans through January.", "2022-01"),  # no tense: the window
    ]
    for text, value in cases:
        found = find_dates(text, late_october, nlp(text))
        assert [d.value for d in found] == [value], text


#: Thursday 28 October 2021: quarterly results season for the third quarter (2021-Q3).
RESULTS_SEASON = "2021-10-28"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Profit rose 5% in the quarter.", "the quarter", "2021-Q3"),
        ("Sales in the latest period were flat.", "the latest period", "2021-Q3"),
        ("In the year-ago quarter, the firm lost money.", "the year-ago quarter", "2020-Q3"),
        ("The year-earlier results were restated.", "year-earlier", "2020-Q3"),
        ("It earned less in the 2020 period.", "the 2020 period", "2020-Q3"),
        ("In the year-ago second quarter, it broke even.", "the year-ago second quarter", "2020-Q2"),
        ("Orders are strong in the current quarter.", "the current quarter", "2021-Q4"),
        ("It expects a loss for its fourth quarter.", "its fourth quarter", "2021-Q4"),
    ],
)
def test_reporting_periods(text: str, phrase: str, value: str) -> None:
    assert value_of(text, phrase, RESULTS_SEASON) == value


def test_reporting_period_follows_the_quarter_named() -> None:
    text = ("Acme earned $4 million in the first quarter. Sales rose to $9 million from $8 million a year ago. "
            "The year-earlier quarter included a gain. Costs fell during the quarter.")
    got = dict((t, v) for t, v, _ in values(text, RESULTS_SEASON))
    assert got["a year ago"] == "2020-Q1"
    assert got["The year-earlier quarter"] == "2020-Q1"
    assert got["the quarter"] == "2021-Q1"


def test_reporting_focus_ignores_quarters_ahead_and_far_back() -> None:
    text = "Sales should recover in the fourth quarter. In the latest quarter they fell."
    assert value_of(text, "the latest quarter", RESULTS_SEASON) == "2021-Q3"
    far = ("Acme earned $4 million in the first quarter. " + "Other news followed. " * 40
           + "Beta lost money in the quarter.")
    assert value_of(far, "the quarter", RESULTS_SEASON) == "2021-Q3"


@pytest.mark.parametrize(
    "text", ["The country is in a transition period.", "Peace held for the period of the talks.",
             "He won a quarter of the vote."])
def test_reporting_period_false_positives(text: str) -> None:
    assert values(text, RESULTS_SEASON) == []


@pytest.mark.parametrize(
    ("text", "phrase", "value", "type_"),
    [
        ("Sales for the full year rose 4%.", "the full year", "2021", "DATE"),
        ("Prices rose earlier in the year.", "the year", "2021", "DATE"),
        ("For the year ended June 30, it earned $2 million.", "the year", "P1Y", "DURATION"),
        ("The plant will close by the end of the year.", "the end of the year", "2021", "DATE"),
        ("Troops should arrive by the end of the month.", "the end of the month", "2021-10", "DATE"),
        ("The merger should close by year-end.", "year-end", "2021", "DATE"),
    ],
)
def test_whole_periods(text: str, phrase: str, value: str, type_: str) -> None:
    got = [(v, t) for p, v, t in values(text, RESULTS_SEASON) if p == phrase]
    assert got == [(value, type_)]


@pytest.mark.parametrize(
    "text", ["It was the year before the war.", "She remembers the year when the dam broke.",
             "The year was hard for farmers.", "The month ahead looks calm."])
def test_whole_period_false_positives(text: str) -> None:
    assert values(text, RESULTS_SEASON) == []


def test_anaphoric_periods_follow_the_last_date() -> None:
    text = ("The general fled in June 1998 and returned later that year. He was promoted on May 3, 1995, "
            "and the following year he was sent abroad. The talks began on 4 March 2003; earlier that day "
            "a bomb went off. The firm was sold in April 2001. The following month its chief resigned.")
    got = dict((t, v) for t, v, _ in values(text))
    assert got["later that year"] == "1998"
    assert got["the following year"] == "1996"
    assert got["earlier that day"] == "2003-03-04"
    assert got["The following month"] == "2001-05"
    # with no date before them they are left out; a bare "that day" is generic
    assert values("Later that year he left.") == []
    assert values("Trades made that day lost money.") == []


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The envoy spent 5 1/2 hours in the capital.", "5 1/2 hours", "PT5H30M"),
        ("They lived in the camps for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
        ("The meeting lasted an hour and a half.", "an hour and a half", "PT1H30M"),
        ("The strike lasted 3 1/2 weeks.", "3 1/2 weeks", "P3.5W"),
    ],
)
def test_half_units(text: str, phrase: str, value: str) -> None:
    assert value_of(text, phrase) == value


def test_planning_to_marks_future() -> None:
    assert value_of("Protesters are planning to march on Saturday.", "Saturday") == "2022-02-12"
