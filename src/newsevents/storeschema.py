"""The newsevents database schema: named, ordered migrations and the record-to-row mapping.

``MIGRATIONS`` is append-only: a released migration is never edited; a change is a new entry
with the next version number.  ``Store.open`` applies the pending ones in order, each in its own
transaction, and records them in ``schema_migrations``.

Migrations:

1. the initial tables (articles, events = one row per coded event *mention*, event_actors,
   places, quotes, dates, amounts, themes, entities, repairs, article_errors, input_errors, runs);
2. the ``event_list`` view (events joined to their article);
3. ingest state: ``articles.duplicate_of``, ``story_clusters``, ``feeds`` (conditional-GET state
   per feed URL) and ``seen_urls``;
4. casualties (``events.dead/injured/arrested``), ``events.group_id`` and ``event_groups``: one
   row per real-world event, merging its mentions (see ``newsevents.store`` for the rule).

``batch_rows`` turns ``ArticleResult`` objects into row tuples in the column order the
migrations create (columns added by ``ALTER TABLE`` come last).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from newsevents.records import Actor, ArticleResult, Event, Place

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "initial schema",
        """
        CREATE SEQUENCE article_pk_seq START 1;
        CREATE SEQUENCE event_id_seq START 1;
        CREATE SEQUENCE input_error_id_seq START 1;
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            argv VARCHAR,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            stats JSON
        );
        CREATE TABLE articles (
            article_pk BIGINT PRIMARY KEY,
            id VARCHAR NOT NULL,
            content_hash VARCHAR NOT NULL UNIQUE,
            url VARCHAR,
            title VARCHAR,
            published VARCHAR,
            published_date DATE,
            source VARCHAR,
            language VARCHAR,
            text VARCHAR NOT NULL,
            tone DOUBLE,
            tone_positive DOUBLE,
            tone_negative DOUBLE,
            tone_polarity DOUBLE,
            word_count INTEGER,
            processed_at TIMESTAMP NOT NULL,
            run_id VARCHAR
        );
        CREATE TABLE events (
            event_id BIGINT PRIMARY KEY,
            article_pk BIGINT NOT NULL,
            event_index INTEGER NOT NULL,
            sentence INTEGER,
            span_start INTEGER,
            span_end INTEGER,
            evidence VARCHAR,
            trigger_text VARCHAR,
            trigger_start INTEGER,
            trigger_end INTEGER,
            cameo VARCHAR NOT NULL,
            cameo_root VARCHAR,
            goldstein DOUBLE,
            quad_class INTEGER,
            plover VARCHAR,
            mode VARCHAR,
            context VARCHAR[],
            negated BOOLEAN,
            hypothetical BOOLEAN,
            future BOOLEAN,
            historical BOOLEAN,
            date VARCHAR,
            date_start DATE,
            date_end DATE,
            date_from VARCHAR,
            location_text VARCHAR,
            location_start INTEGER,
            location_end INTEGER,
            location_name VARCHAR,
            location_country VARCHAR,
            location_admin1 VARCHAR,
            location_lat DOUBLE,
            location_lon DOUBLE,
            location_geonameid BIGINT,
            location_feature VARCHAR,
            confidence DOUBLE,
            source_codes VARCHAR[],
            target_codes VARCHAR[],
            source_names VARCHAR[],
            target_names VARCHAR[]
        );
        CREATE TABLE event_actors (
            event_id BIGINT NOT NULL,
            article_pk BIGINT NOT NULL,
            role VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            text VARCHAR,
            char_start INTEGER,
            char_end INTEGER,
            name VARCHAR,
            code VARCHAR,
            country VARCHAR,
            sector VARCHAR,
            kind VARCHAR
        );
        CREATE TABLE places (
            article_pk BIGINT NOT NULL,
            place_index INTEGER NOT NULL,
            text VARCHAR,
            char_start INTEGER,
            char_end INTEGER,
            name VARCHAR,
            country VARCHAR,
            admin1 VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            geonameid BIGINT,
            feature VARCHAR
        );
        CREATE TABLE quotes (
            article_pk BIGINT NOT NULL,
            quote_index INTEGER NOT NULL,
            text VARCHAR,
            char_start INTEGER,
            char_end INTEGER,
            verb VARCHAR,
            speaker_text VARCHAR,
            speaker_start INTEGER,
            speaker_end INTEGER,
            speaker_name VARCHAR,
            speaker_code VARCHAR
        );
        CREATE TABLE dates (
            article_pk BIGINT NOT NULL,
            date_index INTEGER NOT NULL,
            text VARCHAR,
            char_start INTEGER,
            char_end INTEGER,
            value VARCHAR,
            date_type VARCHAR,
            date_start DATE,
            date_end DATE
        );
        CREATE TABLE amounts (
            article_pk BIGINT NOT NULL,
            amount_index INTEGER NOT NULL,
            text VARCHAR,
            char_start INTEGER,
            char_end INTEGER,
            value DOUBLE,
            unit VARCHAR,
            qualifier VARCHAR
        );
        CREATE TABLE themes (
            article_pk BIGINT NOT NULL,
            theme_index INTEGER NOT NULL,
            name VARCHAR,
            text VARCHAR,
            char_start INTEGER,
            char_end INTEGER,
            plover_context VARCHAR
        );
        CREATE TABLE entities (
            article_pk BIGINT NOT NULL,
            entity_index INTEGER NOT NULL,
            text VARCHAR,
            label VARCHAR,
            char_start INTEGER,
            char_end INTEGER
        );
        CREATE TABLE repairs (
            article_pk BIGINT NOT NULL,
            repair_index INTEGER NOT NULL,
            char_start INTEGER,
            char_end INTEGER,
            kind VARCHAR,
            before VARCHAR,
            after VARCHAR
        );
        CREATE TABLE article_errors (
            article_pk BIGINT NOT NULL,
            error_index INTEGER NOT NULL,
            stage VARCHAR,
            code VARCHAR,
            message VARCHAR
        );
        CREATE TABLE input_errors (
            input_error_id BIGINT PRIMARY KEY,
            origin VARCHAR,
            message VARCHAR,
            run_id VARCHAR,
            recorded_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        2,
        "event_list view",
        """
        CREATE VIEW event_list AS
        SELECT
            e.event_id, a.id AS article_id, e.article_pk, a.url, a.title, a.published,
            a.source AS article_source, e.event_index, e.sentence, e.span_start, e.span_end,
            e.evidence, e.trigger_text AS trigger, e.trigger_start, e.trigger_end,
            e.cameo, e.cameo_root, e.goldstein, e.quad_class, e.plover, e.mode, e.context,
            e.negated, e.hypothetical, e.future, e.historical,
            e.date, e.date_start, e.date_end, e.date_from,
            coalesce(e.date_start, a.published_date) AS effective_date,
            e.location_name AS location, e.location_country, e.location_admin1,
            e.location_lat AS lat, e.location_lon AS lon, e.location_geonameid AS geonameid,
            e.location_feature, e.confidence,
            e.source_codes, e.target_codes, e.source_names, e.target_names
        FROM events e JOIN articles a ON a.article_pk = e.article_pk;
        """,
    ),
    (
        3,
        "ingest state: duplicates, story clusters, feeds, seen urls",
        """
        ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR;
        CREATE TABLE story_clusters (
            cluster_id VARCHAR NOT NULL,
            article_pk BIGINT NOT NULL
        );
        CREATE TABLE feeds (
            url VARCHAR PRIMARY KEY,
            etag VARCHAR,
            last_modified VARCHAR,
            last_polled TIMESTAMP,
            last_status VARCHAR
        );
        CREATE TABLE seen_urls (
            url VARCHAR PRIMARY KEY,
            first_seen TIMESTAMP NOT NULL,
            content_hash VARCHAR
        );
        """,
    ),
    (
        4,
        "casualties and real-world event groups",
        """
        ALTER TABLE events ADD COLUMN dead INTEGER;
        ALTER TABLE events ADD COLUMN injured INTEGER;
        ALTER TABLE events ADD COLUMN arrested INTEGER;
        ALTER TABLE events ADD COLUMN group_id BIGINT;
        CREATE SEQUENCE group_id_seq START 1;
        CREATE TABLE event_groups (
            group_id BIGINT PRIMARY KEY,
            cameo VARCHAR NOT NULL,
            cameo_root VARCHAR,
            goldstein DOUBLE,
            quad_class INTEGER,
            plover VARCHAR,
            source_codes VARCHAR[],
            target_codes VARCHAR[],
            source_countries VARCHAR[],
            target_countries VARCHAR[],
            source_name VARCHAR,
            target_name VARCHAR,
            key_start DATE,
            key_end DATE,
            date_start DATE,
            date_end DATE,
            location_name VARCHAR,
            location_country VARCHAR,
            location_admin1 VARCHAR,
            location_lat DOUBLE,
            location_lon DOUBLE,
            location_geonameid BIGINT,
            location_feature VARCHAR,
            first_event_id BIGINT,
            first_article_pk BIGINT,
            num_mentions INTEGER,
            num_sources INTEGER,
            num_articles INTEGER,
            confidence DOUBLE,
            avg_tone DOUBLE,
            dead INTEGER,
            injured INTEGER,
            arrested INTEGER,
            first_added TIMESTAMP,
            last_added TIMESTAMP
        );
        CREATE OR REPLACE VIEW event_list AS
        SELECT
            e.event_id, a.id AS article_id, e.article_pk, a.url, a.title, a.published,
            a.source AS article_source, e.event_index, e.sentence, e.span_start, e.span_end,
            e.evidence, e.trigger_text AS trigger, e.trigger_start, e.trigger_end,
            e.cameo, e.cameo_root, e.goldstein, e.quad_class, e.plover, e.mode, e.context,
            e.negated, e.hypothetical, e.future, e.historical,
            e.date, e.date_start, e.date_end, e.date_from,
            coalesce(e.date_start, a.published_date) AS effective_date,
            e.location_name AS location, e.location_country, e.location_admin1,
            e.location_lat AS lat, e.location_lon AS lon, e.location_geonameid AS geonameid,
            e.location_feature, e.confidence,
            e.source_codes, e.target_codes, e.source_names, e.target_names,
            e.dead, e.injured, e.arrested, e.group_id, a.duplicate_of
        FROM events e JOIN articles a ON a.article_pk = e.article_pk;
        """,
    ),
)


MIGRATIONS_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""

# Tables written by ``add_results`` from the records, in insertion order.  Their rows are tuples
# in the tables' column order (as created by MIGRATIONS); ``tests/test_store.py`` round-trips every one.
ARTICLE_TABLES: tuple[str, ...] = (
    "articles", "events", "event_actors", "places", "quotes", "dates", "amounts", "themes",
    "entities", "repairs", "article_errors",
)

# Every table a reader may list (exports, ``iter_table``).
ALL_TABLES: tuple[str, ...] = (
    *ARTICLE_TABLES, "event_groups", "input_errors", "runs", "story_clusters", "feeds", "seen_urls",
    "schema_migrations",
)

# Tables counted by ``stats`` under their stats key.
STATS_TABLES: tuple[tuple[str, str], ...] = (
    ("articles", "articles"), ("events", "events"), ("event_groups", "event_groups"),
    ("actors", "event_actors"), ("places", "places"),
    ("quotes", "quotes"), ("dates", "dates"), ("amounts", "amounts"), ("themes", "themes"),
    ("entities", "entities"), ("repairs", "repairs"), ("article_errors", "article_errors"),
    ("input_errors", "input_errors"), ("runs", "runs"),
)

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_DAY_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def timex_bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last calendar day covered by a TIMEX3 date value, or ``(None, None)``.

    ``2022-02-07`` (or a datetime) is that day; ``2022-02`` the month; ``2022-W06`` the ISO
    week; ``2022-Q1`` the quarter; ``2022`` the year.  Durations, sets and references such as
    ``P2W`` or ``PRESENT_REF`` have no bounds.
    """
    if not value:
        return None, None
    v = value.strip()
    try:
        if m := _DAY_RE.match(v):
            day = dt.date.fromisoformat(m.group(1))
            return day, day
        if m := _WEEK_RE.match(v):
            year, week = int(m.group(1)), int(m.group(2))
            monday = dt.date.fromisocalendar(year, week, 1)
            return monday, monday + dt.timedelta(days=6)
        if m := _QUARTER_RE.match(v):
            year, quarter = int(m.group(1)), int(m.group(2))
            first = dt.date(year, 3 * quarter - 2, 1)
            return first, _month_end(year, 3 * quarter)
        if m := _MONTH_RE.match(v):
            year, month = int(m.group(1)), int(m.group(2))
            return dt.date(year, month, 1), _month_end(year, month)
        if m := _YEAR_RE.match(v):
            year = int(m.group(1))
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None, None
    return None, None


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def cameo_root(cameo: str) -> str | None:
    digits = cameo.strip()
    return digits[:2] if len(digits) >= 2 and digits[:2].isdigit() else None


def _place_fields(place: Place | None) -> tuple[Any, ...]:
    if place is None:
        return (None,) * 10
    return (
        place.text, place.start, place.end, place.name, place.country, place.admin1,
        place.lat, place.lon, place.geonameid, place.feature,
    )


def _actor_label(actor: Actor) -> str:
    return actor.name or actor.text


def _event_row(event_id: int, article_pk: int, index: int, ev: Event, text: str) -> tuple[Any, ...]:
    span_start, span_end = ev.span
    date_start, date_end = timex_bounds(ev.date)
    return (
        event_id, article_pk, index, ev.sentence, span_start, span_end, text[span_start:span_end],
        ev.trigger.text, ev.trigger.start, ev.trigger.end, ev.cameo, cameo_root(ev.cameo), ev.goldstein,
        ev.quad_class, ev.plover, ev.mode, list(ev.context), ev.negated, ev.hypothetical, ev.future,
        ev.historical, ev.date, date_start, date_end, ev.date_from, *_place_fields(ev.location),
        ev.confidence, [a.code for a in ev.source], [a.code for a in ev.target],
        [_actor_label(a) for a in ev.source], [_actor_label(a) for a in ev.target],
        ev.dead, ev.injured, ev.arrested, None,  # group_id: set by the store when it merges mentions
    )


def batch_rows(
    todo: Sequence[tuple[ArticleResult, str]],
    article_pks: Sequence[int],
    event_ids: Sequence[int],
    run_id: str,
    now: dt.datetime,
) -> dict[str, list[tuple[Any, ...]]]:
    """Rows for every table, keyed by table name, in insertion order (``events.group_id`` left None)."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in ARTICLE_TABLES}
    next_event = iter(event_ids)
    for (res, content_hash), apk in zip(todo, article_pks, strict=True):
        published_day, _ = timex_bounds(res.published)
        tone = res.tone
        rows["articles"].append((
            apk, res.id, content_hash, res.url, res.title, res.published, published_day, res.source,
            res.language, res.text, tone.tone, tone.positive, tone.negative, tone.polarity,
            tone.word_count, now, run_id, res.duplicate_of,
        ))
        for i, ev in enumerate(res.events):
            eid = next(next_event)
            rows["events"].append(_event_row(eid, apk, i, ev, res.text))
            for role, actors in (("source", ev.source), ("target", ev.target)):
                for pos, a in enumerate(actors):
                    rows["event_actors"].append((
                        eid, apk, role, pos, a.text, a.start, a.end, a.name, a.code, a.country, a.sector,
                        a.kind,
                    ))
        for i, p in enumerate(res.places):
            rows["places"].append((apk, i, *_place_fields(p)))
        for i, q in enumerate(res.quotes):
            sp = q.speaker
            rows["quotes"].append((
                apk, i, q.text, q.start, q.end, q.verb,
                sp.text if sp else None, sp.start if sp else None, sp.end if sp else None,
                sp.name if sp else None, sp.code if sp else None,
            ))
        for i, d in enumerate(res.dates):
            rows["dates"].append((apk, i, d.text, d.start, d.end, d.value, d.type, *timex_bounds(d.value)))
        for i, m in enumerate(res.amounts):
            rows["amounts"].append((apk, i, m.text, m.start, m.end, m.value, m.unit, m.qualifier))
        for i, t in enumerate(res.themes):
            rows["themes"].append((apk, i, t.name, t.text, t.start, t.end, t.plover_context))
        for i, en in enumerate(res.entities):
            rows["entities"].append((apk, i, en.text, en.label, en.start, en.end))
        for i, r in enumerate(res.repairs):
            rows["repairs"].append((apk, i, r.start, r.end, r.kind, r.before, r.after))
        for i, er in enumerate(res.errors):
            rows["article_errors"].append((apk, i, er.stage, er.code, er.message))
    return rows
