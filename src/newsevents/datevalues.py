"""Calendar arithmetic on TIMEX3 values, used by :mod:`newsevents.dates`.

Pure functions of dates and value strings, with no word lists: formatting a day or an ISO week,
moving a date or a value by a number of units at the value's own granularity ("2021-Q3" minus a
year is "2020-Q3"), placing a month, weekday or season named without a year against the
publication date (the DCT), and the reporting periods of financial news: "the quarter" and "the
latest period" name the quarter a company is reporting on, which is the last quarter named in the
article or, failing one, the last quarter that ended before the DCT.  ``anaphor_value`` values
"that year" or "the following month" from the last date mentioned, and ``parse_published`` reads
the publication date itself.
"""

from __future__ import annotations

import datetime as dt
import re

#: Tense labels handed in by the caller (the tense of the verb that governs a date).
PAST, FUTURE = "past", "future"

#: First and last month of each TIMEX3 season (winter runs into the next year).
SEASON_MONTHS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")

#: A month (or month-day) without a year is the next one when it is at most this many calendar
#: months ahead of the DCT ("January" in late October is next January), else the last one.
#: 4 scored best of 2-6 on TBAQ dev (spread 0.6 points); 6 would mean "the nearest".
FUTURE_MONTH_WINDOW = 4


def day_value(d: dt.date) -> str:
    """A day as a TIMEX3 value ("2022-02-07")."""
    return d.isoformat()


def week_value(d: dt.date) -> str:
    """The ISO week of a day as a TIMEX3 value ("2022-W06")."""
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) moved by ``n`` months."""
    total = year * 12 + (month - 1) + n
    return total // 12, total % 12 + 1


def shift(anchor: dt.date, n: int, letter: str, factor: int) -> tuple[str, str]:
    """``anchor`` moved by ``n`` units, formatted at the unit's granularity: (value, type)."""
    n *= factor
    if letter == "D":
        return day_value(anchor + dt.timedelta(days=n)), "DATE"
    if letter == "W":
        return week_value(anchor + dt.timedelta(weeks=n)), "DATE"
    if letter == "M":
        y, m = add_months(anchor.year, anchor.month, n)
        return f"{y:04d}-{m:02d}", "DATE"
    if letter == "Q":
        y, m = add_months(anchor.year, anchor.month, 3 * n)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}", "DATE"
    return f"{anchor.year + n:04d}", "DATE"


def nearest_year(anchor: dt.date, month: int, day: int, tense: str | None) -> int:
    """The year for a month (and day) given without one.

    A past-tense verb takes the last occurrence on or before the DCT, a future one the next on
    or after it (the DCT's own month is this year's either way).  Without a tense, news mostly
    reports the past: the last occurrence wins unless the next one is at most
    ``FUTURE_MONTH_WINDOW`` months ahead.
    """
    here, now = (month, day), (anchor.month, anchor.day if day else 0)
    if (tense == PAST and not day) or (tense == FUTURE and here >= now):
        return anchor.year if here <= now or tense == FUTURE else anchor.year - 1
    if here <= now:
        ahead = month + 12 - anchor.month
        nxt, prev = anchor.year + 1, anchor.year
    else:
        ahead = month - anchor.month
        nxt, prev = anchor.year, anchor.year - 1
    if tense == FUTURE or ahead <= FUTURE_MONTH_WINDOW:
        return nxt
    return prev


def weekday_date(anchor: dt.date, wd: int, rel: str | None, tense: str | None) -> dt.date:
    """Resolve a weekday name (ISO number ``wd``) against the DCT."""
    a = anchor.isoweekday()
    if rel == "this":
        return anchor + dt.timedelta(days=wd - a)
    if rel in ("last", "past", "this past"):
        return anchor - dt.timedelta(days=(a - wd) % 7 or 7)
    if rel in ("next", "coming", "this coming"):
        return anchor + dt.timedelta(days=(wd - a) % 7 or 7)
    if tense == FUTURE:
        return anchor + dt.timedelta(days=(wd - a) % 7)
    return anchor - dt.timedelta(days=(a - wd) % 7)


def season_year(anchor: dt.date, code: str, rel: str) -> int:
    """The year of a season (``code``) named with ``rel`` ("last", "next", "this" or "")."""
    first, last = SEASON_MONTHS[code]
    month = anchor.month if anchor.month >= 3 or code != "WI" else anchor.month + 12
    if rel in ("last", "past", "this past", "the past", "previous", "the previous"):
        return anchor.year if month > last else anchor.year - 1
    if rel in ("next", "coming", "this coming", "the coming"):
        return anchor.year if month < first else anchor.year + 1
    return anchor.year if month >= 3 or code != "WI" else anchor.year - 1


def shift_value(value: str, n: int, letter: str) -> str | None:
    """A calendar value moved by ``n`` units of ``letter`` at its own granularity (None if finer)."""
    months = {"Y": 12 * n, "Q": 3 * n, "M": n}.get(letter)
    if re.fullmatch(r"\d{4}", value):
        return f"{int(value) + n:04d}" if letter == "Y" else None
    quarter = re.fullmatch(r"(\d{4})-([QH])(\d)", value)
    if quarter:
        size = 3 if quarter.group(2) == "Q" else 6
        if months is None or months % size:
            return None
        y, m = add_months(int(quarter.group(1)), (int(quarter.group(3)) - 1) * size + 1, months)
        return f"{y:04d}-{quarter.group(2)}{(m - 1) // size + 1}"
    month = re.fullmatch(r"(\d{4})-(\d\d)", value)
    if month:
        if months is None:
            return None
        y, mo = add_months(int(month.group(1)), int(month.group(2)), months)
        return f"{y:04d}-{mo:02d}"
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    if months is not None:
        y, mo = add_months(day.year, day.month, months)
        return day_value(dt.date(y, mo, min(day.day, 28 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31)))
    days = {"W": 7 * n, "D": n}.get(letter)
    return day_value(day + dt.timedelta(days=days)) if days is not None else None


def quarter_of(anchor: dt.date, back: int = 0) -> str:
    """The quarter of ``anchor`` (``back`` quarters earlier) as a TIMEX3 value ("2021-Q3")."""
    y, m = add_months(anchor.year, anchor.month, -3 * back)
    return f"{y:04d}-Q{(m - 1) // 3 + 1}"


def is_quarter(value: str) -> bool:
    """Whether ``value`` names one calendar quarter ("2021-Q3")."""
    return _QUARTER.fullmatch(value) is not None


def reporting_period(focus: str, number: int | None = None, year: int | None = None,
                     year_ago: bool = False) -> str:
    """A reporting period relative to the quarter in focus (``focus``, e.g. "2021-Q3").

    ``number`` replaces the quarter's number ("the year-ago third quarter"), ``year`` its year
    ("the 2020 period"), and ``year_ago`` moves it a year back ("the year-earlier quarter").
    """
    m = _QUARTER.fullmatch(focus)
    if m is None:
        return focus
    y, q = int(m.group(1)), int(m.group(2))
    y = year if year is not None else y - (1 if year_ago else 0)
    return f"{y:04d}-Q{number or q}"


def anaphor_value(letter: str, previous: str, following: bool) -> str | None:
    """"that year", "the following month": the period of unit ``letter`` (D, W, M or Y) holding
    the last calendar value mentioned, or the next one if ``following``; None if ``previous`` is
    coarser than the unit ("that day" after "1998")."""
    size = {"D": 10, "M": 7, "Y": 4}.get(letter)
    if letter == "W":
        try:
            day = dt.date.fromisoformat(previous[:10])
        except ValueError:
            return None
        return week_value(day + dt.timedelta(weeks=1 if following else 0))
    if size is None or len(previous) < size or not re.fullmatch(r"\d{4}(?:-\d\d){0,2}", previous[:size]):
        return None
    base = previous[:size]
    return shift_value(base, 1, letter) if following else base


def parse_published(published: str | None) -> dt.date | None:
    """The publication day of an ISO date/datetime string (or a common written date), else None."""
    if not published or not published.strip():
        return None
    s = published.strip()
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    m = re.search(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    try:
        import dateparser  # slow to import; only needed for unusual formats

        parsed = dateparser.parse(s, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # dateparser raises many types on odd input; an unparsable date is None
        return None
    return parsed.date() if parsed else None
