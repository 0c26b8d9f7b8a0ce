"""Read-side SQL of the store: the event filter and the analytic queries.

``EventFilter`` says which event mentions ``Store.events`` returns; ``filter_sql`` turns it into
WHERE clauses on the ``event_list`` view (aliased ``e``) with every value passed as a parameter.
``dyad_series_sql`` and ``top_actors_sql`` are the two analyst queries the benchmark times
(``bench/store_bench.py``): a daily cooperation-conflict series for one dyad and the most active
actors, both on ``event_groups`` (one row per real-world event, so a story reported a hundred
times counts once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from newsevents.errors import StoreError


@dataclass(frozen=True)
class EventFilter:
    """What ``Store.events`` returns; every set field narrows the result (logical AND)."""

    actor: str | None = None  # source/target code prefix, country code, or part of the name/text
    plover: str | None = None  # PLOVER type, e.g. CONSULT
    cameo_root: str | None = None  # "04"
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    text: str | None = None  # substring of the evidence sentence (case-insensitive)
    limit: int = 100  # at most MAX_LIMIT
    dyad: str | None = None  # "RUS,UKR": a source matching the first side and a target matching the second
    country: str | None = None  # ISO alpha-3 of a source/target actor or of the event's place
    place: str | None = None  # part of the place name, its admin1, or its country code
    group_id: int | None = None  # only the mentions of one real-world event


def iso_date(value: str | None, what: str) -> dt.date | None:
    """Parse a filter date, raising StoreError on nonsense."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise StoreError(f"{what} must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def parse_dyad(value: str) -> tuple[str, str]:
    """``"RUS,UKR"`` -> ("RUS", "UKR"); StoreError unless there are exactly two non-empty sides."""
    parts = [p.strip() for p in value.replace("-", ",").split(",")]
    if len(parts) != 2 or not all(parts):
        raise StoreError(f"a dyad is two actor codes separated by a comma, e.g. RUS,UKR; got {value!r}")
    return parts[0], parts[1]


_ACTOR_MATCH = (
    "starts_with(upper(x.code), upper(?)) OR upper(x.country) = upper(?) "
    "OR contains(lower(x.name), lower(?)) OR contains(lower(x.text), lower(?))"
)


def _actor_exists(role: str | None) -> str:
    role_sql = f" AND x.role = '{role}'" if role else ""
    return f"EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.event_id{role_sql} AND ({_ACTOR_MATCH}))"


def filter_sql(flt: EventFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses (on the event_list view aliased ``e``) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if flt.actor:
        where.append(_actor_exists(None))
        params += [flt.actor.strip()] * 4
    if flt.dyad:
        first, second = parse_dyad(flt.dyad)
        where.append(_actor_exists("source"))
        params += [first] * 4
        where.append(_actor_exists("target"))
        params += [second] * 4
    if flt.country:
        where.append(
            "(upper(e.location_country) = upper(?) OR EXISTS (SELECT 1 FROM event_actors x "
            "WHERE x.event_id = e.event_id AND upper(x.country) = upper(?)))"
        )
        params += [flt.country.strip()] * 2
    if flt.place:
        where.append(
            "(contains(lower(e.location), lower(?)) OR contains(lower(e.location_admin1), lower(?)) "
            "OR upper(e.location_country) = upper(?))"
        )
        params += [flt.place.strip()] * 3
    if flt.plover:
        where.append("upper(e.plover) = upper(?)")
        params.append(flt.plover.strip())
    if flt.cameo_root:
        root = flt.cameo_root.strip()
        if root.isdigit() and len(root) == 1:
            root = "0" + root
        where.append("e.cameo_root = ?")
        params.append(root)
    start = iso_date(flt.date_from, "date_from")
    end = iso_date(flt.date_to, "date_to")
    if start is not None:
        where.append("coalesce(e.date_end, e.effective_date) >= ?")
        params.append(start)
    if end is not None:
        where.append("e.effective_date <= ?")
        params.append(end)
    if flt.text:
        where.append("contains(lower(e.evidence), lower(?))")
        params.append(flt.text)
    if flt.group_id is not None:
        where.append("e.group_id = ?")
        params.append(int(flt.group_id))
    return where, params


def dyad_series_sql() -> str:
    """Daily series for one directed dyad of countries: per day, events and mean Goldstein by QuadClass.

    Parameters: source country, target country, first day, last day (inclusive).  Columns: day,
    events, goldstein (mean), q1..q4 (counts of verbal/material cooperation/conflict), mentions.
    """
    return """
        SELECT date_start AS day,
               count(*) AS events,
               avg(goldstein) AS goldstein,
               count(*) FILTER (WHERE quad_class = 1) AS q1,
               count(*) FILTER (WHERE quad_class = 2) AS q2,
               count(*) FILTER (WHERE quad_class = 3) AS q3,
               count(*) FILTER (WHERE quad_class = 4) AS q4,
               sum(num_mentions) AS mentions
        FROM event_groups
        WHERE list_contains(source_countries, ?) AND list_contains(target_countries, ?)
          AND date_start BETWEEN ? AND ?
        GROUP BY day
        ORDER BY day
    """


def top_actors_sql() -> str:
    """The most active actor codes (as source or target) between two days; parameters: first, last, limit.

    An event counts once per code: target codes already among the sources are dropped (the
    store keeps each side's code list free of repeats).  Two plain UNNESTs are several times
    faster in DuckDB than one ``list_distinct(list_concat(...))``.
    """
    return """
        SELECT code, count(*) AS events, sum(num_mentions) AS mentions, avg(goldstein) AS goldstein
        FROM (
            SELECT unnest(source_codes) AS code, num_mentions, goldstein
            FROM event_groups WHERE date_start BETWEEN $1 AND $2
            UNION ALL
            SELECT code, num_mentions, goldstein FROM (
                SELECT unnest(target_codes) AS code, source_codes, num_mentions, goldstein
                FROM event_groups WHERE date_start BETWEEN $1 AND $2
            )
            WHERE NOT list_contains(source_codes, code)
        )
        WHERE code IS NOT NULL
        GROUP BY code
        ORDER BY events DESC, code
        LIMIT $3
    """
