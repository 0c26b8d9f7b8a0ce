"""Tests for newsevents.datevalues: calendar arithmetic on TIMEX3 values (DCT 2022-02-07, a Monday)."""

from __future__ import annotations

import datetime as dt

from newsevents.datevalues import (
    FUTURE,
    PAST,
    add_months,
    anaphor_value,
    is_quarter,
    nearest_year,
    parse_published,
    quarter_of,
    reporting_period,
    shift,
    shift_value,
    week_value,
    weekday_date,
)

DCT = dt.date(2022, 2, 7)


def test_weeks_months_and_shifts_keep_their_granularity() -> None:
    assert week_value(DCT) == "2022-W06"
    assert add_months(2022, 1, -1) == (2021, 12)
    assert shift(DCT, 1, "W", -1) == ("2022-W05", "DATE")  # last week
    assert shift(DCT, 1, "M", -1) == ("2022-01", "DATE")  # last month
    assert shift(DCT, 1, "Q", -1) == ("2021-Q4", "DATE")
    assert shift(DCT, 2, "Y", -1) == ("2020", "DATE")  # two years ago


def test_shift_value_moves_a_value_by_its_own_unit() -> None:
    assert shift_value("2021-Q3", -1, "Y") == "2020-Q3"
    assert shift_value("2021-Q1", -1, "Q") == "2020-Q4"
    assert shift_value("2022-03", 1, "M") == "2022-04"
    assert shift_value("2022-01-31", 1, "M") == "2022-02-28"
    assert shift_value("1998", 1, "M") is None  # a year cannot move by a month


def test_months_and_weekdays_without_a_year() -> None:
    assert nearest_year(DCT, 12, 0, PAST) == 2021  # "in December" told in the past tense
    assert nearest_year(DCT, 3, 0, FUTURE) == 2022
    assert nearest_year(DCT, 11, 0, None) == 2021  # news mostly reports the past
    assert weekday_date(DCT, 4, None, PAST) == dt.date(2022, 2, 3)  # "on Thursday"
    assert weekday_date(DCT, 4, None, FUTURE) == dt.date(2022, 2, 10)
    assert weekday_date(DCT, 1, "this", None) == DCT


def test_reporting_periods_and_anaphors() -> None:
    assert quarter_of(DCT) == "2022-Q1" and quarter_of(DCT, back=1) == "2021-Q4"
    assert is_quarter("2021-Q4") and not is_quarter("2021-12")
    assert reporting_period("2021-Q4", year_ago=True) == "2020-Q4"
    assert reporting_period("2021-Q4", number=3) == "2021-Q3"
    assert anaphor_value("Y", "1998-05-04", following=False) == "1998"
    assert anaphor_value("M", "1998-05-04", following=True) == "1998-06"
    assert anaphor_value("D", "1998", following=False) is None


def test_parse_published() -> None:
    assert parse_published("2022-02-07T10:00:00Z") == DCT
    assert parse_published("20220207") == DCT
    assert parse_published("") is None
