"""The DuckDB store: one file holds every article, event, actor, place, quote and run.

``Store.open(path)`` connects (``":memory:"`` for tests), refuses files that are not DuckDB
databases or that belong to something else, and applies the named, ordered ``MIGRATIONS``.
``Store.add_results`` writes a batch of ``ArticleResult`` objects in one transaction: an
article whose content hash is already stored is skipped, so re-ingesting is a no-op and a run
killed mid-batch leaves nothing of that batch behind.  Reading goes through ``events``
(filtered, newest first), ``stats`` and ``summary``.

Offsets stored here are character offsets into ``articles.text`` (the cleaned text).  Child
tables name them ``char_start``/``char_end`` because ``END`` is an SQL keyword.  All values
reach DuckDB as parameters: rows are sent column-wise as typed lists and ``UNNEST``-ed, which
is about a hundred times faster than ``executemany`` in DuckDB.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from newsevents.errors import StoreError
from newsevents.records import Actor, ArticleResult, Event, Place

# Largest number of rows ``events`` returns in one call; chosen so that one API page or CLI
# listing stays well under a few MB of JSON.  Bulk extraction goes through the exporters.
MAX_LIMIT = 10_000

# How many actor pairs ``summary`` lists: a screenful in the demo summary.
TOP_PAIRS = 10

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
)

_MIGRATIONS_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""

# Tables written by ``add_results``, in insertion order.  Their rows are tuples in the
# tables' column order (as created by MIGRATIONS); ``tests/test_store.py`` round-trips every one.
_ARTICLE_TABLES: tuple[str, ...] = (
    "articles", "events", "event_actors", "places", "quotes", "dates", "amounts", "themes",
    "entities", "repairs", "article_errors",
)

# Tables counted by ``stats`` under their stats key.
_STATS_TABLES: tuple[tuple[str, str], ...] = (
    ("articles", "articles"), ("events", "events"), ("actors", "event_actors"), ("places", "places"),
    ("quotes", "quotes"), ("dates", "dates"), ("amounts", "amounts"), ("themes", "themes"),
    ("entities", "entities"), ("repairs", "repairs"), ("article_errors", "article_errors"),
    ("input_errors", "input_errors"), ("runs", "runs"),
)

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_DAY_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


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


def _iso_date(value: str | None, what: str) -> dt.date | None:
    """Parse a filter date, raising StoreError on nonsense."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise StoreError(f"{what} must be an ISO date (YYYY-MM-DD), got {value!r}") from None


class Store:
    """A newsevents DuckDB database.  Use ``Store.open``; usable as a context manager."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self._column_cache: dict[str, list[tuple[str, str]]] = {}

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> Store:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        spath = str(path)
        if spath == ":memory:":
            if read_only:
                raise StoreError("an in-memory database cannot be opened read-only")
        else:
            fpath = Path(spath)
            if fpath.is_dir():
                raise StoreError(f"{spath} is a directory, not a database file")
            if not fpath.exists():
                if read_only:
                    raise StoreError(f"database {spath} does not exist")
                if not fpath.parent.exists():
                    raise StoreError(f"cannot create {spath}: directory {fpath.parent} does not exist")
        try:
            con = duckdb.connect(spath, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(_connect_message(spath, exc)) from exc
        store = cls(con, spath, read_only)
        try:
            store._migrate()
        except BaseException:
            con.close()
            raise
        return store

    def _migrate(self) -> None:
        """Refuse foreign databases, then apply pending MIGRATIONS in order, each in a transaction."""
        con = self._con
        try:
            tables = {
                row[0]
                for row in con.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'main' AND table_catalog = current_database()"
                ).fetchall()
            }
            if tables and "schema_migrations" not in tables:
                shown = ", ".join(sorted(tables)[:5])
                raise StoreError(
                    f"{self.path} is a DuckDB database but not a newsevents one "
                    f"(no schema_migrations table; it has: {shown}); use another file"
                )
            if not tables:
                if self.read_only:
                    raise StoreError(f"{self.path} is an empty database, not a newsevents one")
                con.execute(_MIGRATIONS_TABLE_SQL)
            applied = dict(con.execute("SELECT version, name FROM schema_migrations").fetchall())
        except duckdb.Error as exc:
            raise StoreError(f"cannot read the schema of {self.path}: {exc}") from exc
        known = {version: name for version, name, _ in MIGRATIONS}
        for version, name in sorted(applied.items()):
            if version not in known:
                raise StoreError(
                    f"{self.path} has schema version {version} ({name!r}), newer than this newsevents "
                    f"knows (up to {max(known)}); upgrade newsevents"
                )
            if known[version] != name:
                raise StoreError(
                    f"{self.path}: migration {version} is recorded as {name!r}, expected {known[version]!r}"
                )
        pending = [m for m in MIGRATIONS if m[0] not in applied]
        if pending and self.read_only:
            raise StoreError(f"{self.path} needs schema upgrades; open it once without read-only")
        for version, name, sql in pending:
            try:
                con.execute("BEGIN TRANSACTION")
                con.execute(sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, _now()]
                )
                con.execute("COMMIT")
            except duckdb.Error as exc:
                self._rollback()
                raise StoreError(f"migration {version} ({name}) failed on {self.path}: {exc}") from exc

    # ------------------------------------------------------------------ life cycle

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _rollback(self) -> None:
        try:
            self._con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # no transaction was open

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")

    def _query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        try:
            return self._con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"query failed on {self.path}: {exc}") from exc

    def _dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        try:
            cur = self._con.execute(sql, params or [])
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        except duckdb.Error as exc:
            raise StoreError(f"query failed on {self.path}: {exc}") from exc

    # ------------------------------------------------------------------ runs and errors

    def start_run(self, argv: str) -> str:
        """Record the start of a run and return its id."""
        self._check_writable()
        now = _now()
        run_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        try:
            self._con.execute(
                "INSERT INTO runs (run_id, argv, started_at) VALUES (?, ?, ?)", [run_id, argv, now]
            )
        except duckdb.Error as exc:
            raise StoreError(f"cannot record the run in {self.path}: {exc}") from exc
        return run_id

    def finish_run(self, run_id: str, stats: dict[str, Any]) -> None:
        """Record the end of a run and its statistics (any JSON-able dict)."""
        self._check_writable()
        payload = json.dumps(stats, default=str, sort_keys=True)
        if not self._query("SELECT 1 FROM runs WHERE run_id = ?", [run_id]):
            raise StoreError(f"unknown run {run_id!r}")
        try:
            self._con.execute(
                "UPDATE runs SET finished_at = ?, stats = ? WHERE run_id = ?", [_now(), payload, run_id]
            )
        except duckdb.Error as exc:
            raise StoreError(f"cannot finish run {run_id} in {self.path}: {exc}") from exc

    def add_input_error(self, origin: str, message: str, run_id: str) -> None:
        """Record an input that could not be read at all (no article was produced).

        The same (origin, message) is recorded once, so re-running on the same input adds nothing.
        """
        self._check_writable()
        try:
            if self._query("SELECT 1 FROM input_errors WHERE origin = ? AND message = ? LIMIT 1", [origin, message]):
                return
            self._con.execute(
                "INSERT INTO input_errors VALUES (nextval('input_error_id_seq'), ?, ?, ?, ?)",
                [origin, message, run_id, _now()],
            )
        except duckdb.Error as exc:
            raise StoreError(f"cannot record an input error in {self.path}: {exc}") from exc

    # ------------------------------------------------------------------ writing articles

    def has_article(self, content_hash: str) -> bool:
        """True when an article with this content hash is stored."""
        return bool(self._query("SELECT 1 FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]))

    def existing_hashes(self, hashes: Sequence[str]) -> set[str]:
        """The subset of ``hashes`` already stored (one query; for resuming large runs)."""
        if not hashes:
            return set()
        rows = self._query(
            "SELECT content_hash FROM articles WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))",
            [list(hashes)],
        )
        return {str(row[0]) for row in rows}

    def add_results(self, items: Sequence[tuple[ArticleResult, str]], run_id: str) -> int:
        """Store a batch of (result, content hash) in one transaction; return articles inserted.

        Items whose hash is already stored (or repeated within the batch) are skipped.  If
        anything fails, the whole batch is rolled back and StoreError is raised.
        """
        self._check_writable()
        for _, content_hash in items:
            if not isinstance(content_hash, str) or not content_hash:
                raise StoreError("every item needs a non-empty content hash")
        if not items:
            return 0
        try:
            self._con.execute("BEGIN TRANSACTION")
            stored = {
                row[0]
                for row in self._con.execute(
                    "SELECT content_hash FROM articles WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))",
                    [[h for _, h in items]],
                ).fetchall()
            }
            todo: list[tuple[ArticleResult, str]] = []
            for result, content_hash in items:
                if content_hash not in stored:
                    stored.add(content_hash)
                    todo.append((result, content_hash))
            if todo:
                article_pks = self._next_ids("article_pk_seq", len(todo))
                event_ids = self._next_ids("event_id_seq", sum(len(r.events) for r, _ in todo))
                rows = _batch_rows(todo, article_pks, event_ids, run_id, _now())
                for table, table_rows in rows.items():
                    self._insert_rows(table, table_rows)
            self._con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise StoreError(f"writing a batch of {len(items)} articles to {self.path}: {exc}") from exc
        except BaseException:
            self._rollback()
            raise
        return len(todo)

    def _next_ids(self, sequence: str, n: int) -> list[int]:
        if n == 0:
            return []
        rows = self._con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()
        return sorted(int(r[0]) for r in rows)

    def _columns(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of a table's columns in order, read from the database once per Store."""
        if table not in self._column_cache:
            self._column_cache[table] = [
                (str(name), str(ctype))
                for name, ctype in self._con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
        return self._column_cache[table]

    def _insert_rows(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows column-wise: one typed list parameter per column, UNNEST-ed together."""
        if not rows:
            return
        columns = self._columns(table)
        if len(columns) != len(rows[0]):
            raise StoreError(f"internal error: {table} has {len(columns)} columns, rows have {len(rows[0])}")
        select = ", ".join(f"unnest(${i + 1}::{ctype}[])" for i, (_, ctype) in enumerate(columns))
        names = ", ".join(name for name, _ in columns)
        params = [list(col) for col in zip(*rows, strict=True)]
        self._con.execute(f"INSERT INTO {table} ({names}) SELECT {select}", params)

    # ------------------------------------------------------------------ reading

    def stats(self) -> dict[str, int]:
        """Row counts: articles, events, actors, places, quotes, dates, amounts, errors, runs..."""
        out: dict[str, int] = {}
        for key, table in _STATS_TABLES:
            out[key] = int(self._query(f"SELECT count(*) FROM {table}")[0][0])
        out["errors"] = out["article_errors"] + out["input_errors"]
        return out

    def events(self, flt: EventFilter) -> list[dict[str, Any]]:
        """Events matching ``flt``, newest first, with article id/url/title and evidence text."""
        if not isinstance(flt.limit, int) or flt.limit < 1:
            raise StoreError(f"limit must be a positive integer, got {flt.limit!r}")
        where, params = _filter_sql(flt)
        sql = (
            "SELECT * FROM event_list e"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY e.effective_date DESC NULLS LAST, e.article_pk DESC, e.event_index LIMIT ?"
        )
        return self._dicts(sql, [*params, min(flt.limit, MAX_LIMIT)])

    def summary(self, n_events: int = 10) -> dict[str, Any]:
        """Counts, events by PLOVER type, top actor pairs and ``n_events`` varied example events.

        Examples are picked round-robin over PLOVER types (the most confident event of each
        type first, preferring events with both a source and a target) so the demo shows range;
        negated and hypothetical events are not shown as examples.
        """
        n_events = max(0, min(int(n_events), MAX_LIMIT))
        counts = self.stats()
        by_plover = [
            (row[0], int(row[1]))
            for row in self._query(
                "SELECT plover, count(*) AS n FROM events GROUP BY plover ORDER BY n DESC, plover NULLS LAST"
            )
        ]
        top_pairs = [
            (row[0], row[1], int(row[2]))
            for row in self._query(
                """
                WITH s AS (SELECT event_id, coalesce(code, name, text) AS label
                           FROM event_actors WHERE role = 'source'),
                     t AS (SELECT event_id, coalesce(code, name, text) AS label
                           FROM event_actors WHERE role = 'target')
                SELECT s.label, t.label, count(DISTINCT s.event_id) AS n
                FROM s JOIN t ON s.event_id = t.event_id
                WHERE s.label IS NOT NULL AND t.label IS NOT NULL
                GROUP BY s.label, t.label
                ORDER BY n DESC, s.label, t.label
                LIMIT ?
                """,
                [TOP_PAIRS],
            )
        ]
        examples = self._dicts(
            """
            SELECT * EXCLUDE (pick) FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY plover
                    ORDER BY (len(source_codes) > 0 AND len(target_codes) > 0) DESC,
                             confidence DESC NULLS LAST, event_id
                ) AS pick
                FROM event_list
                WHERE NOT negated AND NOT hypothetical
            )
            ORDER BY pick, confidence DESC NULLS LAST, event_id
            LIMIT ?
            """,
            [n_events],
        )
        return {
            "articles": counts["articles"],
            "events": counts["events"],
            "by_plover": by_plover,
            "top_pairs": top_pairs,
            "examples": examples,
        }

    def iter_table(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one of the store's tables (or the ``event_list`` view), for exporters."""
        if table not in (*_ARTICLE_TABLES, "input_errors", "runs", "event_list", "schema_migrations"):
            raise StoreError(f"unknown table {table!r}")
        try:
            cur = self._con.cursor()
            cur.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description or ()]
            while batch := cur.fetchmany(1000):
                for row in batch:
                    yield dict(zip(names, row, strict=True))
        except duckdb.Error as exc:
            raise StoreError(f"reading {table} from {self.path} failed: {exc}") from exc


# ---------------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    """Current UTC time without tzinfo (DuckDB TIMESTAMP)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _connect_message(path: str, exc: duckdb.Error) -> str:
    text = str(exc)
    lowered = text.lower()
    if "lock" in lowered:
        return (
            f"database {path} is locked by another process (DuckDB allows one writer at a time); "
            f"wait for it to finish or use another file. DuckDB said: {text}"
        )
    if "not a valid duckdb database" in lowered:
        return f"{path} is not a DuckDB database file; choose another path"
    if "different configuration" in lowered:
        return f"database {path} is already open in this process in another mode (read-only vs read-write)"
    if "serialized" in lowered or "version" in lowered:
        return f"{path} was written by an incompatible DuckDB version: {text}"
    return f"cannot open database {path}: {text}"


def _filter_sql(flt: EventFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses (on the event_list view aliased ``e``) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if flt.actor:
        actor = flt.actor.strip()
        where.append(
            "EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.event_id AND ("
            "starts_with(upper(x.code), upper(?)) OR upper(x.country) = upper(?) "
            "OR contains(lower(x.name), lower(?)) OR contains(lower(x.text), lower(?))))"
        )
        params += [actor] * 4
    if flt.plover:
        where.append("upper(e.plover) = upper(?)")
        params.append(flt.plover.strip())
    if flt.cameo_root:
        root = flt.cameo_root.strip()
        if root.isdigit() and len(root) == 1:
            root = "0" + root
        where.append("e.cameo_root = ?")
        params.append(root)
    start = _iso_date(flt.date_from, "date_from")
    end = _iso_date(flt.date_to, "date_to")
    if start is not None:
        where.append("coalesce(e.date_end, e.effective_date) >= ?")
        params.append(start)
    if end is not None:
        where.append("e.effective_date <= ?")
        params.append(end)
    if flt.text:
        where.append("contains(lower(e.evidence), lower(?))")
        params.append(flt.text)
    return where, params


def _cameo_root(cameo: str) -> str | None:
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
        ev.trigger.text, ev.trigger.start, ev.trigger.end, ev.cameo, _cameo_root(ev.cameo), ev.goldstein,
        ev.quad_class, ev.plover, ev.mode, list(ev.context), ev.negated, ev.hypothetical, ev.future,
        ev.historical, ev.date, date_start, date_end, ev.date_from, *_place_fields(ev.location),
        ev.confidence, [a.code for a in ev.source], [a.code for a in ev.target],
        [_actor_label(a) for a in ev.source], [_actor_label(a) for a in ev.target],
    )


def _batch_rows(
    todo: Sequence[tuple[ArticleResult, str]],
    article_pks: Sequence[int],
    event_ids: Sequence[int],
    run_id: str,
    now: dt.datetime,
) -> dict[str, list[tuple[Any, ...]]]:
    """Rows for every table, keyed by table name, in insertion order."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _ARTICLE_TABLES}
    next_event = iter(event_ids)
    for (res, content_hash), apk in zip(todo, article_pks, strict=True):
        published_day, _ = timex_bounds(res.published)
        tone = res.tone
        rows["articles"].append((
            apk, res.id, content_hash, res.url, res.title, res.published, published_day, res.source,
            res.language, res.text, tone.tone, tone.positive, tone.negative, tone.polarity,
            tone.word_count, now, run_id,
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
