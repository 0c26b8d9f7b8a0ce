"""Temporal expressions: find dates in the cleaned text and give them TIMEX3 values.

``find_dates`` scans the text with a cascade of regular expressions built once from the word
lists in ``data/dates.yaml`` (months, weekdays, numbers, units, reference words...), and uses the
spaCy DATE/TIME entities of ``doc`` (when given) to license ambiguous words ("May", a bare year)
and to tell the tense of the governing verb.  Each match is normalised by a small handler:

* absolute dates keep their granularity: "7 February 2022" -> ``2022-02-07``, "March 2002" ->
  ``2002-03``, "in 2014" -> ``2014``, "the 1990s" -> ``199``;
* relative dates are resolved against the publication date (the DCT): "yesterday", "this
  Monday" (the Monday of the publication week), "on Thursday" (the most recent Thursday in past
  or unknown tense, the next one in future tense), "last week" -> ``2022-W05``, "next year";
* reporting periods of financial news: "the quarter", "the latest period" -> the last quarter
  named (if it has ended) or else the last quarter before the DCT; "the year-ago quarter",
  "year-earlier results" and "a year ago" in such a report -> that quarter a year back;
* durations ("the past two weeks" -> ``P2W``), reference words ("now" -> ``PRESENT_REF``) and
  sets ("every Monday" -> ``XXXX-WXX-1``, "daily" -> ``P1D``).

Without a publication date, relative expressions keep unresolved values (``XXXX-XX-XX``) and
absolute ones resolve normally.  ``sentence_date`` picks the event date of a sentence.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from newsevents.datevalues import (
    FUTURE,
    PAST,
    SEASON_MONTHS,
    anaphor_value,
    day_value,
    is_quarter,
    nearest_year,
    parse_published,
    quarter_of,
    reporting_period,
    season_year,
    shift,
    shift_value,
    week_value,
    weekday_date,
)
from newsevents.errors import KnowledgeError
from newsevents.records import DateMention

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: spaCy entity labels used as candidate date spans.
SPACY_DATE_LABELS: frozenset[str] = frozenset({"DATE", "TIME"})

#: spaCy number labels that veto a bare four-digit year ("1990 soldiers" is a CARDINAL).
SPACY_NUMBER_LABELS: frozenset[str] = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})

#: A bare year needs no licensing word inside this range; outside it ("in 1648") it does.
#: Chosen as the span of years modern news mentions without a preposition.
FREE_YEAR_RANGE = (1900, 2099)

#: Oldest and newest year accepted at all (below 1000 four-digit numbers are rarely years).
YEAR_RANGE = (1000, 2099)

#: How many heads we climb from a date to find its governing verb (a date is usually an
#: adverbial modifier one or two arcs below its verb); a generous bound, not tuned.
MAX_HEAD_CLIMB = 6

#: Characters before a date searched for future cues ("will", "as soon as"), cut further at the
#: clause start; about one clause, not tuned.
CUE_WINDOW = 80

#: "a year earlier" refers to the last date mentioned if it is at most this many characters
#: before (about two sentences); otherwise to the DCT.  200 and 400 scored alike on TBAQ dev.
ANAPHOR_WINDOW = 300

#: Prepositions after which a month may lie ahead of a past-tense verb ("was extended until
#: March", "loans through January"); the past tense then does not place the month.
FORWARD_PREPOSITION = re.compile(r"\b(?:until|till|through|to|by|before)\s+$", re.IGNORECASE)

#: "the quarter", "a year earlier" refer to the last quarter named only if it is at most this many
#: characters back (about two paragraphs; digests of company results change company often).
#: 600 scored best of 300, 600, 1000, 2000 and unlimited on TBAQ dev, by 1-3 of 1666 expressions.
REPORT_FOCUS_WINDOW = 600

#: Prepositions that make a bare "the year" a date ("for the year", "earlier in the year").
WHOLE_PERIOD_PREPOSITION = re.compile(r"\b(?:for|in|during|of|through|throughout|into)\s+$", re.IGNORECASE)

#: Unresolved values used when there is no publication date.
UNKNOWN_DAY, UNKNOWN_WEEK, UNKNOWN_MONTH, UNKNOWN_YEAR = "XXXX-XX-XX", "XXXX-WXX", "XXXX-XX", "XXXX"



class DatesKnowledgeError(KnowledgeError):
    """``data/dates.yaml`` is missing a section or holds a malformed entry."""


# ----------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class Lexicon:
    """The validated contents of ``data/dates.yaml``."""

    months: dict[str, int]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    licensing_words: tuple[str, ...]
    numbers: dict[str, int]
    vague_numbers: tuple[str, ...]
    ordinals: dict[str, int]
    units: dict[str, tuple[str, bool, int]]  # word -> (letter, is time unit, factor)
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    refs: dict[str, str]  # phrase -> PRESENT_REF | PAST_REF | FUTURE_REF
    set_adverbs: dict[str, str]
    future_cues: tuple[str, ...]
    adverb_followers: frozenset[str]
    quantity_words: tuple[str, ...]
    time_zones: tuple[str, ...]
    macros: tuple[tuple[str, str], ...]  # (name, regex) expanded in order
    rules: tuple[tuple[str, str], ...]  # (handler name, regex) in priority order


def _words(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DatesKnowledgeError(f"dates.yaml: '{key}' must be a list of non-empty strings")
    return tuple(v.lower() for v in value)


def _int_map(raw: dict[str, Any], key: str) -> dict[str, int]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        raise DatesKnowledgeError(f"dates.yaml: '{key}' must map words to integers")
    return {str(k).lower(): int(v) for k, v in value.items()}


def _str_map(raw: dict[str, Any], key: str) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise DatesKnowledgeError(f"dates.yaml: '{key}' must map words to strings")
    return {str(k).lower(): v for k, v in value.items()}


def parse_lexicon(raw: Any) -> Lexicon:
    """Validate the parsed YAML of ``dates.yaml`` and build a :class:`Lexicon`."""
    if not isinstance(raw, dict):
        raise DatesKnowledgeError("dates.yaml: top level must be a mapping")
    months = _int_map(raw, "months")
    if sorted(set(months.values())) != list(range(1, 13)):
        raise DatesKnowledgeError("dates.yaml: 'months' must name all twelve months (1-12)")
    weekdays = _int_map(raw, "weekdays")
    if sorted(weekdays.values()) != list(range(1, 8)):
        raise DatesKnowledgeError("dates.yaml: 'weekdays' must map seven names to 1-7")
    units: dict[str, tuple[str, bool, int]] = {}
    raw_units = raw.get("units")
    if not isinstance(raw_units, dict) or not raw_units:
        raise DatesKnowledgeError("dates.yaml: 'units' must be a mapping")
    for word, spec in raw_units.items():
        if not isinstance(spec, dict) or spec.get("letter") not in ("S", "M", "H", "D", "W", "Q", "Y"):
            raise DatesKnowledgeError(f"dates.yaml: unit '{word}' needs a letter among S M H D W Q Y")
        units[str(word).lower()] = (spec["letter"], bool(spec.get("time", False)), int(spec.get("factor", 1)))
    refs: dict[str, str] = {}
    for key in ("present_ref", "past_ref", "future_ref"):
        for phrase in _words(raw, key):
            refs[phrase] = key.upper()
    seasons = _str_map(raw, "seasons")
    if not set(seasons.values()) <= set(SEASON_MONTHS):
        raise DatesKnowledgeError("dates.yaml: season codes must be SP, SU, FA or WI")
    return Lexicon(
        months=months,
        ambiguous_months=frozenset(_words(raw, "ambiguous_months")),
        weekdays=weekdays,
        licensing_words=_words(raw, "licensing_words"),
        numbers=_int_map(raw, "numbers"),
        vague_numbers=_words(raw, "vague_numbers"),
        ordinals=_int_map(raw, "ordinals"),
        units=units,
        seasons=seasons,
        parts_of_day=_str_map(raw, "parts_of_day"),
        refs=refs,
        set_adverbs=_str_map(raw, "set_adverbs"),
        future_cues=_words(raw, "future_cues"),
        adverb_followers=frozenset(_words(raw, "adverb_followers")),
        quantity_words=_words(raw, "quantity_words"),
        time_zones=tuple(v for v in (raw.get("time_zones") or []) if isinstance(v, str)),
        macros=tuple(_str_map(raw, "macros").items()),
        rules=_rules(raw),
    )


def _rules(raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    rules = raw.get("rules")
    if not isinstance(rules, list) or not rules:
        raise DatesKnowledgeError("dates.yaml: 'rules' must be a non-empty list")
    out: list[tuple[str, str]] = []
    for rule in rules:
        if not isinstance(rule, dict) or not isinstance(rule.get("name"), str) or not rule.get("pattern"):
            raise DatesKnowledgeError(f"dates.yaml: malformed rule {rule!r}")
        out.append((rule["name"], str(rule["pattern"])))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load (once) and validate the packaged ``data/dates.yaml``."""
    try:
        text = resources.files("newsevents").joinpath("data/dates.yaml").read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise DatesKnowledgeError(f"cannot read dates.yaml: {exc}") from exc
    return parse_lexicon(raw)


# ----------------------------------------------------------------------------- patterns


def _alt(words: Sequence[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    parts = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts) + ")"


def _proper_alt(names: Sequence[str], abbreviations: Sequence[str] = ()) -> str:
    """Case-sensitive alternation of capitalised (or upper-case) names; abbreviations may end with '.'."""
    alts: list[str] = []
    for name in sorted(set(names) | set(abbreviations), key=len, reverse=True):
        dot = r"\.?" if name in abbreviations else ""
        for form in (name.capitalize(), name.upper()):
            alts.append(f"{re.escape(form)}\\b{dot}")
    return "(?-i:" + "|".join(alts) + ")"


@dataclass(frozen=True)
class Patterns:
    """All compiled regexes, in priority order (an earlier pattern wins a tie of length)."""

    rules: tuple[tuple[str, re.Pattern[str]], ...]
    future_cue: re.Pattern[str]
    licensing: re.Pattern[str]
    quantity: re.Pattern[str]
    month_abbreviations: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_patterns() -> Patterns:
    """Compile (once) the rules of ``dates.yaml``, expanding their ``@macros``."""
    lex = load_lexicon()
    abbreviations = [m for m in lex.months if any(o != m and o.startswith(m) for o in lex.months)]
    tens = [w for w, v in lex.numbers.items() if v % 10 == 0 and 20 <= v <= 90]
    digits = [w for w, v in lex.numbers.items() if 1 <= v <= 9 and w not in ("a", "an")]
    macros: dict[str, str] = {
        "month": _proper_alt([m for m in lex.months if m not in abbreviations], abbreviations),
        "weekday": _proper_alt(list(lex.weekdays)),
        "weekdays_plural": "(?-i:" + "|".join(f"{w.capitalize()}s" for w in lex.weekdays) + ")",
        "number": rf"(?:\d{{1,3}}(?:\.5)?|{_alt(tens)}[-\s]{_alt(digits)}|{_alt(list(lex.numbers))}"
        rf"|{_alt(lex.vague_numbers)})",
        "unit": _alt(list(lex.units)),
        "season": _alt(list(lex.seasons)),
        "part": _alt(list(lex.parts_of_day)),
        "ordinal": _alt(list(lex.ordinals)),
        "zone": f"(?-i:{_alt(lex.time_zones)})" if lex.time_zones else "(?!x)x",
        "set_adverbs": _alt(list(lex.set_adverbs)),
        "refs": _alt(list(lex.refs)),
    }

    def expand(pattern: str, where: str) -> str:
        def one(m: re.Match[str]) -> str:
            if m.group(1) not in macros:
                raise DatesKnowledgeError(f"dates.yaml: unknown macro @{m.group(1)} in {where}")
            return macros[m.group(1)]

        return re.sub(r"@(\w+)", one, pattern)

    for name, pattern in lex.macros:
        macros[name] = expand(pattern, f"macro {name}")
    rules: list[tuple[str, re.Pattern[str]]] = []
    for name, pattern in lex.rules:
        if name not in _HANDLERS:
            raise DatesKnowledgeError(f"dates.yaml: rule '{name}' has no handler")
        try:
            rules.append((name, re.compile(expand(pattern, f"rule {name}"), re.IGNORECASE | re.VERBOSE)))
        except re.error as exc:
            raise DatesKnowledgeError(f"dates.yaml: rule '{name}' does not compile: {exc}") from exc
    return Patterns(
        rules=tuple(rules),
        future_cue=re.compile(r"(?<!\w)" + _alt(lex.future_cues) + r"(?!\w)", re.IGNORECASE),
        licensing=re.compile(r"(?<!\w)" + _alt(lex.licensing_words) + r"[-\s]+$", re.IGNORECASE),
        quantity=re.compile(r"(?<!\w)" + _alt(lex.quantity_words) + r"\s+$", re.IGNORECASE),
        month_abbreviations=frozenset(abbreviations),
    )


def _num(text: str, lex: Lexicon) -> int | None:
    """The value of a number phrase; ``None`` for a vague quantity ("several")."""
    t = re.sub(r"\s+", " ", text.lower()).strip()
    if re.fullmatch(r"\d+(?:\.5)?", t):
        return int(float(t)) if not t.endswith(".5") else None
    if t in lex.numbers:
        return lex.numbers[t]
    parts = re.split(r"[-\s]", t)
    if len(parts) == 2 and parts[0] in lex.numbers and parts[1] in lex.numbers:
        return lex.numbers[parts[0]] + lex.numbers[parts[1]]
    return None


def _norm(word: str | None) -> str | None:
    return re.sub(r"\s+", " ", word.lower()).strip() if word else None


# ----------------------------------------------------------------------------- normalisation


@dataclass(frozen=True)
class _Context:
    """What a handler needs besides its match: the DCT, a lazy tense and spaCy licensing."""

    anchor: dt.date | None
    tense: Callable[[int, int], str | None]
    licensed: Callable[[int, int], bool]
    vetoed: Callable[[int, int], bool]
    adjective: Callable[[int, int], bool]
    text: str


_Result = tuple[str, str] | None


def _month_of(m: re.Match[str], lex: Lexicon) -> int:
    return lex.months[m.group("mon").lower().rstrip(".")]


def _h_iso(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    try:
        d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    if m.group("h"):
        return f"{day_value(d)}T{m.group('h')}:{m.group('mi')}", "TIME"
    return day_value(d), "DATE"


def _day_of_match(m: re.Match[str], ctx: _Context, lex: Lexicon) -> str:
    """The day a clock time belongs to: its weekday or relative-day word, else the DCT."""
    if ctx.anchor is None:
        return UNKNOWN_DAY
    groups = m.groupdict()
    if groups.get("wd"):
        wd = lex.weekdays[groups["wd"].lower()]
        return day_value(weekday_date(ctx.anchor, wd, None, ctx.tense(m.start("t"), m.end("t"))))
    rd = _norm(groups.get("rd"))
    offsets = {"the day before yesterday": -2, "yesterday": -1, "the day after tomorrow": 2, "tomorrow": 1}
    return day_value(ctx.anchor + dt.timedelta(days=offsets.get(rd or "", 0)))


def _h_time(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    if m.group("noon"):
        hour, minute = (12, 0) if m.group("noon").lower() == "noon" else (24, 0)
    else:
        hour, minute = int(m.group("h")), int(m.group("mi") or 0)
        pm = m.group("ap").lower().startswith("p")
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if pm else 0)
    return f"{_day_of_match(m, ctx, lex)}T{hour:02d}:{minute:02d}", "TIME"


def _h_month_day(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    month, day = _month_of(m, lex), int(m.group("d"))
    if not 1 <= day <= 31:
        return None
    rel = _norm(m.groupdict().get("rel"))
    if m.group("y"):
        year = int(m.group("y"))
    elif ctx.anchor is not None:
        a = ctx.anchor
        year = nearest_year(a, month, day, ctx.tense(m.start("t"), m.end("t")))
        if rel == "last" and (month, day) >= (a.month, a.day):
            year = a.year - 1
        elif rel == "next" and (month, day) <= (a.month, a.day):
            year = a.year + 1
    else:
        return f"XXXX-{month:02d}-{day:02d}", "DATE"
    try:
        return day_value(dt.date(year, month, day)), "DATE"
    except ValueError:
        return None


def _h_month_year(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    return f"{int(m.group('y')):04d}-{_month_of(m, lex):02d}", "DATE"


def _h_month(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    """A month without a year: "last March", "early May", or a bare licensed month name."""
    month = _month_of(m, lex)
    groups = m.groupdict()
    rel = _norm(groups.get("rel"))
    if not rel and not groups.get("mod"):
        word = m.group("mon").lower().rstrip(".")
        s, e = m.start("t"), m.end("t")
        before = ctx.text[max(0, s - 24):s]
        licensed = bool(load_patterns().licensing.search(before)) or ctx.licensed(s, e)
        abbreviated = word in load_patterns().month_abbreviations
        if abbreviated and not m.group("mon").endswith("."):
            return None  # "Jan" without a dot or a day is a name
        if not licensed and (word in lex.ambiguous_months or abbreviated):
            return None
        if not ctx.licensed(s, e) and re.match(r"\s+(?-i:[A-Z][a-z])", ctx.text[e:e + 3]):
            return None  # "April Smith", "August Wilson"
    yrel = _norm(groups.get("yrel"))
    if ctx.anchor is None:
        return f"XXXX-{month:02d}", "DATE"
    a = ctx.anchor
    if yrel:  # "June last year", "in March of next year"
        year = a.year + {"last": -1, "next": 1}.get(yrel, 0)
    elif rel in ("last", "this past"):
        year = a.year if month < a.month else a.year - 1
    elif rel in ("next", "this coming"):
        year = a.year if month > a.month else a.year + 1
    elif rel == "this":
        year = a.year
    else:
        tense = ctx.tense(m.start("t"), m.end("t"))
        if tense == PAST and FORWARD_PREPOSITION.search(ctx.text[max(0, m.start("t") - 12):m.start("t")]):
            tense = None  # "was postponed until March": a past verb, a date that may lie ahead
        year = nearest_year(a, month, 0, tense)
    return f"{year:04d}-{month:02d}", "DATE"


def _h_quarter(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    word = m.group("ord").lower()
    n = lex.ordinals.get(word) or int(word[0])
    half = m.group("qh").lower().startswith("h")
    if n > (2 if half else 4):
        return None
    groups = m.groupdict()
    if groups.get("y"):
        year = int(groups["y"])
    elif ctx.anchor is None:
        return f"XXXX-{'H' if half else 'Q'}{n}", "DATE"
    else:
        year = ctx.anchor.year + {"last": -1, "next": 1}.get(_norm(groups.get("yrel")) or "", 0)
    return f"{year:04d}-{'H' if half else 'Q'}{n}", "DATE"


def _report_value(m: re.Match[str], focus: str, anchor: dt.date | None, lex: Lexicon) -> str:
    """"the quarter", "the latest period", "the year-ago quarter", "the 2020 period": a reporting
    period relative to the quarter in ``focus`` (the current quarter for "the current quarter")."""
    groups = m.groupdict()
    word = (groups.get("ord") or "").lower()
    number = lex.ordinals.get(word) if word else None
    if groups.get("cur"):
        focus = quarter_of(anchor) if anchor else "XXXX-QX"
    year = int(groups["y"]) if groups.get("y") else None
    year_ago = bool(groups.get("ago") or groups.get("adj"))
    if number and year is None and not year_ago:  # "its fourth quarter": as "the fourth quarter"
        return f"{anchor.year:04d}-Q{number}" if anchor else f"XXXX-Q{number}"
    return reporting_period(focus, number, year, year_ago)


def _h_report(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    word = (m.group("ord") or "").lower()
    if word and lex.ordinals.get(word, 5) > 4:
        return None
    default = quarter_of(ctx.anchor, back=1) if ctx.anchor else "XXXX-QX"
    return _report_value(m, default, ctx.anchor, lex), "DATE"


def _h_part_day(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    part = lex.parts_of_day[m.group("part").lower()]
    rel = _norm(m.group("rel"))
    if ctx.anchor is None:
        return f"{UNKNOWN_DAY}T{part}", "TIME"
    shift = {"last": -1, "yesterday": -1, "tomorrow": 1}.get(rel or "", 0)  # "last night" is yesterday's
    return f"{day_value(ctx.anchor + dt.timedelta(days=shift))}T{part}", "TIME"


def _h_rel_day(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    rd = _norm(m.group("rd")) or ""
    part = lex.parts_of_day.get((m.group("part") or "").lower())
    if rd == "tonight":
        part = "NI"
    day = _day_of_match(m, ctx, lex) if ctx.anchor is not None else UNKNOWN_DAY
    if part:
        return f"{day}T{part}", "TIME"
    return day, "DATE"


def _h_weekday(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    wd = lex.weekdays[m.group("wd").lower()]
    part = lex.parts_of_day.get((m.group("part") or "").lower())
    rel = _norm(m.group("rel"))
    if ctx.anchor is None:
        day = f"XXXX-WXX-{wd}"
    else:
        day = day_value(weekday_date(ctx.anchor, wd, rel, ctx.tense(m.start("t"), m.end("t"))))
    if part and rel == "this":
        return f"{day}T{part}", "TIME"
    return day, "DATE"  # "Friday night" is dated by its day (parts of named days are vague in news)


def _h_period(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    """"last week", "this year", "next month", "earlier this year", "last summer"..."""
    rel = _norm(m.group("rel")) or ""
    unit = m.group("unit").lower()
    step = -1 if rel in ("last", "past", "this past", "the past", "previous", "the previous") else (
        1 if rel in ("next", "coming", "this coming", "the coming") else 0)
    a = ctx.anchor
    if unit in lex.seasons:
        code = lex.seasons[unit]
        return (f"{season_year(a, code, rel):04d}-{code}" if a else f"XXXX-{code}"), "DATE"
    if a is None:
        unknown = {"week": UNKNOWN_WEEK, "weekend": UNKNOWN_WEEK + "-WE", "month": UNKNOWN_MONTH}
        return unknown.get(unit, UNKNOWN_YEAR), "DATE"
    if unit == "weekend":
        return week_value(a + dt.timedelta(weeks=step)) + "-WE", "DATE"
    if unit == "decade":
        return f"{(a.year // 10 + step):03d}", "DATE"
    if unit == "century":
        return f"{(a.year // 100 + step):02d}", "DATE"
    letter = {"week": "W", "month": "M", "quarter": "Q", "year": "Y"}[unit]
    return shift(a, step, letter, 1)


def _h_whole_period(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    """"for the full year", "the end of the month", "the fiscal year ended June 30" (a duration)."""
    s, e = m.start("t"), m.end("t")
    unit = m.group("unit").lower()
    if re.match(r"\s+(?:ended|ending|to\s+date)\b", ctx.text[e:e + 16]):
        return ("P1Y" if unit == "year" else "P1M"), "DURATION"
    if not m.group("mod"):
        follower = ctx.text[e:e + 8]
        if unit == "month" or re.match(r"\s+(?:before|after|earlier|later|ago|when|that|in|of|two)\b", follower):
            return None  # "the year before", "the year when...", "the year two thousand"
        if not (m.group("adj") or WHOLE_PERIOD_PREPOSITION.search(ctx.text[max(0, s - 12):s])):
            return None  # a bare "the year" is a date after "for", "in", "during"... only
    if ctx.anchor is None:
        return (UNKNOWN_YEAR if unit == "year" else UNKNOWN_MONTH), "DATE"
    return shift(ctx.anchor, 0, "Y" if unit == "year" else "M", 1)


def _h_year_end(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    return (f"{ctx.anchor.year:04d}" if ctx.anchor else UNKNOWN_YEAR), "DATE"


def _h_anaphor(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    """"that year", "later that month", "the following day": valued in find_dates from the last date."""
    if m.group("that") and m.group("unit").lower() == "day" and not (m.group("lat") or m.group("same")):
        return None  # a bare "that day" is mostly generic ("trades made that day")
    return UNKNOWN_DAY, "DATE"


def _h_weekend(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    a = ctx.anchor
    if a is None:
        return UNKNOWN_WEEK + "-WE", "DATE"
    if ctx.tense(m.start("t"), m.end("t")) == FUTURE or a.isoweekday() >= 6:
        return week_value(a) + "-WE", "DATE"
    return week_value(a - dt.timedelta(weeks=1)) + "-WE", "DATE"


def _duration(n: int | None, letter: str, is_time: bool, factor: int, half: bool = False) -> str:
    """A TIMEX3 duration; ``half`` adds half a unit ("5 1/2 hours" -> PT5H30M, "2 1/2 years" -> P2Y6M)."""
    amount = "X" if n is None else str(n * factor)
    if half and n is not None:
        smaller = {("Y", False): "6M", ("D", False): "T12H", ("H", True): "30M", ("M", True): "30S"}
        if factor == 1 and (letter, is_time) in smaller:
            return f"{'PT' if is_time else 'P'}{amount}{letter}{smaller[letter, is_time]}"
        amount = f"{n * factor + factor / 2:g}"
    return f"PT{amount}{letter}" if is_time else f"P{amount}{letter}"


def _h_duration(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    """"two years", "the past two weeks", "five-hour"; with "ago"/"later" a point in time."""
    num_text = m.group("num")
    n = _num(num_text, lex)
    unit_word = m.group("unit").lower()
    letter, is_time, factor = lex.units[unit_word]
    ago = _norm(m.group("ago"))
    lone_article = num_text.lower() in ("a", "an")
    if lone_article and not ago:
        before = ctx.text[max(0, m.start("t") - 12):m.start("t")].lower()
        if re.search(r"(?:\d|million|billion|trillion|dollars?|euros?|percent|%|cents?)\s*$", before):
            return _duration(1, letter, is_time, factor), "SET"  # "$5 billion a year"
    if ago:
        if n is None:
            return ("PAST_REF" if ago in ("ago", "earlier", "before") else "FUTURE_REF"), "DATE"
        if is_time or ctx.anchor is None:
            return (day_value(ctx.anchor) if ctx.anchor else UNKNOWN_DAY), ("TIME" if is_time else "DATE")
        sign = -1 if ago in ("ago", "earlier", "before") else 1
        return shift(ctx.anchor, sign * n, letter, factor)
    fraction = unit_word == "quarter" and n is not None and n <= 3
    if fraction and not ago and re.match(r"\s+of\b", ctx.text[m.end("t"):m.end("t") + 4]):
        return None  # "a quarter of the vote", "three quarters of voters" are fractions
    if m.group("pl") and re.search(r"-\s*" + re.escape(m.group("unit")) + "s$", m.group("t"), re.I):
        return None  # "three-quarters" is a fraction; hyphenated durations are singular ("two-year")
    if num_text.isdigit() and m.group("pl") is None and n and n > 1 and "-" not in m.group("t"):
        return None  # "5 year" without plural or hyphen is rarely a duration ("2 year olds")
    return _duration(n, letter, is_time, factor, bool(m.group("half") or m.group("and_half"))), "DURATION"


def _h_vague(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    letter, is_time, factor = lex.units[m.group("unit").lower()]
    return _duration(None, letter, is_time, factor), "DURATION"


def _h_decade(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    if m.group("y4"):
        return m.group("y4")[:3], "DATE"
    yy = int(m.group("y2"))
    century = 19
    if ctx.anchor is not None and yy <= ctx.anchor.year % 100:
        century = ctx.anchor.year // 100
    return f"{century}{yy // 10}", "DATE"


def _h_century(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    c = int(m.group("c"))
    return (f"{c - 1:02d}", "DATE") if 1 <= c <= 21 else None


def _h_year(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    y = int(m.group("y"))
    s, e = m.start("t"), m.end("t")
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1] or ctx.vetoed(s, e):
        return None
    fiscal = not m.group("t")[:1].isdigit()
    before = ctx.text[max(0, s - 24):s]
    if not fiscal and load_patterns().quantity.search(before):
        return None  # "about 1990 soldiers"
    cue = load_patterns().licensing.search(before)
    strong_cue = cue is not None and cue.group(0).split()[0].lower() not in ("and", "or")
    licensed = fiscal or ctx.licensed(s, e) or strong_cue
    if not licensed and not FREE_YEAR_RANGE[0] <= y <= FREE_YEAR_RANGE[1]:
        return None
    return f"{y:04d}", "DATE"


def _h_set_every(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    n = _num(m.group("num"), lex) if m.group("num") else 1
    if "other" in m.group("t").lower():
        n = 2 * (n or 1)
    if m.group("wd"):
        return f"XXXX-WXX-{lex.weekdays[m.group('wd').lower()]}", "SET"
    if m.group("part"):
        return f"XXXX-XX-XXT{lex.parts_of_day[m.group('part').lower()]}", "SET"
    letter, is_time, factor = lex.units[m.group("unit").lower()]
    return _duration(n, letter, is_time, factor), "SET"


def _h_set_times(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    letter, is_time, factor = lex.units[m.group("unit").lower()]
    return _duration(1, letter, is_time, factor), "SET"


def _h_set_plural(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    return f"XXXX-WXX-{lex.weekdays[m.group('wd').lower()[:-1]]}", "SET"


def _h_set_adverb(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    if ctx.adjective(m.start("t"), m.end("t")):
        return None
    return lex.set_adverbs[_norm(m.group("t")) or ""], "SET"


def _h_ref(m: re.Match[str], ctx: _Context, lex: Lexicon) -> _Result:
    return lex.refs[_norm(m.group("t")) or ""], "DATE"


_HANDLERS: dict[str, Callable[[re.Match[str], _Context, Lexicon], _Result]] = {
    "iso": _h_iso, "time": _h_time, "mdy": _h_month_day, "dmy": _h_month_day,
    "month_year": _h_month_year, "month_yrel": _h_month, "month_rel": _h_month, "month_mod": _h_month,
    "month": _h_month,
    "quarter": _h_quarter, "qcode": _h_quarter, "report": _h_report,
    "part_day": _h_part_day, "rel_day": _h_rel_day, "weekday": _h_weekday, "period": _h_period,
    "weekend": _h_weekend, "whole_period": _h_whole_period, "year_end": _h_year_end, "anaphor": _h_anaphor,
    "duration": _h_duration, "vague": _h_vague, "for_units": _h_vague,
    "decade": _h_decade, "century": _h_century, "year": _h_year, "set_every": _h_set_every,
    "set_times": _h_set_times, "set_plural": _h_set_plural, "set_adverb": _h_set_adverb, "ref": _h_ref,
}


# ----------------------------------------------------------------------------- tense


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    priority: int
    value: str
    type: str
    rule: str
    match: re.Match[str]


_CALENDAR = re.compile(r"\d{4}(?:-Q\d|-H\d|-\d\d(?:-\d\d)?)?")


def _anaphoric(m: re.Match[str], previous: tuple[int, str], text: str, lex: Lexicon) -> str | None:
    """"a year earlier", "two days later": relative to the last date mentioned, not to the DCT."""
    ago = _norm(m.group("ago")) or ""
    n = _num(m.group("num"), lex)
    letter, is_time, factor = lex.units[m.group("unit").lower()]
    end, value = previous
    if n is None or is_time or ago == "from now" or m.start("t") - end > ANAPHOR_WINDOW:
        return None
    if ago == "ago":
        # deictic, except in period comparisons ("$5 in the third quarter, from $4 a year ago"),
        # where it moves the fiscal period named earlier in the same sentence
        if not re.fullmatch(r"\d{4}-[QH]\d", value) or re.search(r"[.!?]\s", text[end:m.start("t")]):
            return None
    return shift_value(value, (-1 if ago in ("ago", "earlier", "before") else 1) * n * factor, letter)


def _reported(c: _Candidate, value: str, anchor: dt.date | None) -> bool:
    """Whether a date names a quarter a company can report on: one that ended before the DCT
    ("the third quarter" in October), not one still running or ahead ("fourth-quarter sales
    are expected to..."), and not one named relative to another ("the year-ago quarter")."""
    if not is_quarter(value) or (anchor is not None and value >= quarter_of(anchor)):
        return False
    return c.rule in ("quarter", "qcode") or c.rule == "report" and not any(
        c.match.group(g) for g in ("ago", "adj", "y", "cur"))


def _year_back(m: re.Match[str], lex: Lexicon) -> bool:
    """Whether a duration match is "a year ago" or "a year earlier"."""
    return (_norm(m.group("ago")) in ("ago", "earlier") and _num(m.group("num"), lex) == 1
            and lex.units[m.group("unit").lower()][0] == "Y")


def _tense_from_doc(doc: Doc, start: int, end: int) -> str | None:
    """Past/future from the verb that governs the date, using spaCy's tags and auxiliaries."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(MAX_HEAD_CLIMB):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & {"will", "shall", "'ll", "wo", "would", "going"}:
        return FUTURE
    if tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return PAST
    if tok.tag_ == "VBN" and (not auxes or words & {"has", "have", "had", "was", "were", "'s", "'ve"}):
        return PAST
    if tok.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return FUTURE
    return None


def _tense_from_text(text: str, start: int, end: int) -> str | None:
    """Future when a cue word ("will", "plans to") opens the clause before the date (no parse).

    Without a parse only future reference is detected; past is the default reading of news.
    """
    window_start = max(0, start - CUE_WINDOW)
    stop = max(text.rfind(m, window_start, start) for m in (". ", "\n", "; ", ", "))
    before = text[(stop + 1 if stop >= 0 else window_start):start]
    return FUTURE if load_patterns().future_cue.search(before) else None


# ----------------------------------------------------------------------------- public API


def find_dates(text: str, published: str | None, doc: Doc | None = None) -> list[DateMention]:
    """Temporal expressions of ``text`` with TIMEX3 values resolved against ``published``.

    ``doc`` (a spaCy parse of exactly ``text``) is optional: its DATE/TIME entities license
    ambiguous words and its tags give the tense that places a bare weekday or month.
    """
    lex = load_lexicon()
    patterns = load_patterns()
    anchor = parse_published(published)
    ents: list[tuple[int, int, str]] = []
    parsed_doc = doc if doc is not None and doc.text == text else None  # once: spaCy rebuilds doc.text per access
    if parsed_doc is not None:
        ents = [(e.start_char, e.end_char, e.label_) for e in parsed_doc.ents]

    def licensed(s: int, e: int) -> bool:
        return any(a <= s and e <= b and label in SPACY_DATE_LABELS for a, b, label in ents)

    def vetoed(s: int, e: int) -> bool:
        inside = [label for a, b, label in ents if a < e and s < b]
        return bool(inside) and all(label in SPACY_NUMBER_LABELS for label in inside)

    def adjective(s: int, e: int) -> bool:
        follower = re.match(r"\s+([a-z]+)\b", text[e:e + 30])
        return follower is not None and follower.group(1) not in lex.adverb_followers

    def tense(s: int, e: int) -> str | None:
        cue = _tense_from_text(text, s, e)
        if cue is None and parsed_doc is not None:
            return _tense_from_doc(parsed_doc, s, e)
        return cue

    ctx = _Context(anchor, tense, licensed, vetoed, adjective, text)
    candidates: list[_Candidate] = []
    for priority, (name, rx) in enumerate(patterns.rules):
        handler = _HANDLERS[name]
        for m in rx.finditer(text):
            res = handler(m, ctx, lex)
            if res is not None:
                candidates.append(_Candidate(m.start("t"), m.end("t"), priority, res[0], res[1], name, m))
    candidates.sort(key=lambda c: (c.start - c.end, c.priority, c.start))
    kept: list[_Candidate] = []
    for cand in candidates:
        if all(cand.end <= k.start or k.end <= cand.start for k in kept):
            kept.append(cand)
    kept.sort(key=lambda c: c.start)
    out: list[DateMention] = []
    previous: tuple[int, str] | None = None  # end and value of the last calendar date
    focus: str | None = None  # the last quarter named: the period a financial report is about
    focus_end = 0
    for c in kept:
        value = c.value
        if focus is not None and c.start - focus_end > REPORT_FOCUS_WINDOW:
            focus = None
        if c.rule == "report" and focus is not None:
            value = _report_value(c.match, focus, anchor, lex)
        elif c.rule == "duration" and focus is not None and c.type == "DATE" and _year_back(c.match, lex):
            value = reporting_period(focus, year_ago=True)  # "from $4 a year earlier"
        elif c.rule == "duration" and previous is not None and c.type == "DATE":
            value = _anaphoric(c.match, previous, text, lex) or value
        elif c.rule == "anaphor":
            unit = {"day": "D", "week": "W", "month": "M", "year": "Y"}[c.match.group("unit").lower()]
            resolved = anaphor_value(unit, previous[1], not c.match.group("that")) if previous else None
            if resolved is None:
                continue  # nothing to refer to
            value = resolved
        if _reported(c, value, anchor):
            focus, focus_end = value, c.end
        out.append(DateMention(text=text[c.start:c.end], start=c.start, end=c.end, value=value, type=c.type))
        if c.type == "DATE" and _CALENDAR.fullmatch(value):
            previous = (c.end, value)
    return out


def sentence_date(
    dates: Sequence[DateMention], start: int, end: int, published: str | None
) -> tuple[str | None, str]:
    """The event date of the sentence ``[start, end)`` and where it came from.

    The first DATE (or TIME) inside the sentence whose value names a full day gives
    ``(YYYY-MM-DD, "sentence")``; otherwise the publication day gives ``(published[:10],
    "published")``; otherwise ``(None, "none")``.
    """
    for d in sorted(dates, key=lambda d: d.start):
        if start <= d.start and d.end <= end and d.type in ("DATE", "TIME"):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.value[:10]) and d.value[10:11] in ("", "T"):
                return d.value[:10], "sentence"
    day = parse_published(published)
    if day is not None:
        return day.isoformat(), "published"
    return None, "none"
