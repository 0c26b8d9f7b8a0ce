"""The DuckDB store: one file holds every article, event mention, real-world event, actor and run.

``Store.open(path)`` connects (``":memory:"`` for tests), refuses files that are not DuckDB
databases or that belong to something else, and applies the named, ordered migrations of
``newsevents.storeschema``.  ``Store.add_results`` writes a batch of ``ArticleResult`` objects in
one transaction: an article whose content hash is already stored is skipped, so re-ingesting is a
no-op and a run killed mid-batch (even by ``kill -9``) leaves nothing of that batch behind; the
next run redoes it and ends with the rows of an uninterrupted run.  Reading goes through
``events`` (filtered mentions, newest first), ``event_groups``, ``stats``, ``summary``,
``dyad_series`` and ``top_actors``.

One event, many mentions
------------------------
Every coded event *mention* is a row of ``events``.  In the same transaction each mention is
assigned to a row of ``event_groups``, the real-world happening, which carries GDELT's
NumMentions, NumSources (distinct ``articles.source``, else URL host, else article id) and
NumArticles, plus ``confidence`` = 1 - prod(1 - mention confidence) (independent-evidence
"noisy or").  A mention joins an existing group when all of these hold against the group's
*founding* mention (anchoring on the founder stops chains of near matches drifting apart):

- the same CAMEO root (``04`` consult, ``19`` fight...);
- each side (source, target) is compatible: both empty, or some CAMEO actor code of one is a
  prefix of (or equal to) some code of the other (``RUS`` ~ ``RUSGOV``, but ``SOMCOP`` !~
  ``SOMCVL``); where a side has no codes, the actors' ISO countries intersect; where it has
  neither, the lower-cased first actor names are equal.  One empty side against a filled one
  never matches;
- the event dates are at most ``EVENT_DATE_WINDOW_DAYS`` apart.  A mention's date is its resolved
  date when that spans at most ``MAX_DATE_SPAN_DAYS`` (a day or a week), else the article's
  publication day; a mention with no date at all joins only groups founded in its own article;
- the same place when both have one: the same GeoNames id (or name when there is no id), or one
  is a country and the other lies in it.  A group without a place adopts the first one a member
  brings.

Among several candidate groups the nearest in time wins, then one at the same place, then the
oldest.  Negated and hypothetical mentions are kept in ``events`` but join no group (they do not
say that something happened).  Group dates span their members; casualties are the largest
figure any member reports.  Assignment is sequential over mentions in input order, so a resumed
run reproduces the groups of an uninterrupted one.

Offsets stored here are character offsets into ``articles.text`` (the cleaned text).  Child
tables name them ``char_start``/``char_end`` because ``END`` is an SQL keyword.  All values
reach DuckDB as parameters: rows are sent column-wise as typed lists and ``UNNEST``-ed, which
is about a hundred times faster than ``executemany`` in DuckDB.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from newsevents.errors import StoreError
from newsevents.queries import EventFilter, dyad_series_sql, filter_sql, iso_date, top_actors_sql
from newsevents.records import Actor, ArticleResult, Event
from newsevents.storeschema import (
    ALL_TABLES,
    MIGRATIONS,
    MIGRATIONS_TABLE_SQL,
    STATS_TABLES,
    batch_rows,
    cameo_root,
    timex_bounds,
)

__all__ = ["MAX_LIMIT", "MIGRATIONS", "EventFilter", "Store", "timex_bounds"]

# Largest number of rows ``events`` returns in one call; chosen so that one API page or CLI
# listing stays well under a few MB of JSON.  Bulk extraction goes through the exporters.
MAX_LIMIT = 10_000

# How many actor pairs ``summary`` lists: a screenful in the demo summary.
TOP_PAIRS = 10

# Mentions whose dates are at most this many days apart may be one event.  One day, as GDELT
# and ICEWS de-duplication do: overnight events are reported with the next day's date, and
# "yesterday" resolves against publication times in different time zones.
EVENT_DATE_WINDOW_DAYS = 1

# A resolved date covering more days than this (a month, a year) is too vague to place an event;
# the article's publication day is used instead.  Seven keeps ISO-week dates ("last week").
MAX_DATE_SPAN_DAYS = 7

# Feature codes of GeoNames places that stand for a whole country (PCLI independent state...).
_COUNTRY_FEATURE_PREFIX = "PCL"

# Largest per-mention confidence used in the noisy-or, so that one mention at 1.0 does not pin a
# group to exactly 1 and the logarithm stays finite.
_MAX_MENTION_CONFIDENCE = 0.999

# event_groups columns filled by the recount after each batch (num_mentions ... last_added).
_GROUP_COUNT_COLUMNS = 10


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
                con.execute(MIGRATIONS_TABLE_SQL)
            applied = dict(con.execute("SELECT version, name FROM schema_migrations").fetchall())
        except duckdb.Error as exc:
            raise StoreError(_damage_message(self.path, str(exc))
                             or f"cannot read the schema of {self.path}: {exc}") from exc
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
                rows = batch_rows(todo, article_pks, event_ids, run_id, _now())
                changed = self._assign_groups(todo, article_pks, rows)
                for table, table_rows in rows.items():
                    self._insert_rows(table, table_rows)
                self._refresh_groups(rows, changed)
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

    # ------------------------------------------------------------------ merging mentions into events

    def _assign_groups(
        self, todo: Sequence[tuple[ArticleResult, str]], article_pks: Sequence[int],
        rows: dict[str, list[tuple[Any, ...]]],
    ) -> list[_Group]:
        """Set ``group_id`` on the batch's event rows and put new groups in ``rows["event_groups"]``.

        Returns the stored groups that gained members (their dates or place may have changed).
        """
        published = {row[0]: row[6] for row in rows["articles"]}
        mentions: list[tuple[int, int, Event]] = []  # (row index in rows["events"], article_pk, event)
        k = 0
        for (res, _), apk in zip(todo, article_pks, strict=True):
            for ev in res.events:
                mentions.append((k, apk, ev))
                k += 1
        live = [(i, apk, ev) for i, apk, ev in mentions if not (ev.negated or ev.hypothetical)]
        if not live:
            return []
        dated = [d for _, apk, ev in live for d in _mention_dates(ev, published[apk]) if d is not None]
        by_root: dict[str | None, list[_Group]] = {}
        if dated:
            window = dt.timedelta(days=EVENT_DATE_WINDOW_DAYS)
            for g in self._load_groups(sorted({r for _, _, ev in live if (r := cameo_root(ev.cameo))}),
                                       min(dated) - window, max(dated) + window):
                by_root.setdefault(g.root, []).append(g)
        new_ids = iter(self._next_ids("group_id_seq", len(live)))
        events = rows["events"]
        touched: dict[int, _Group] = {}
        for i, apk, ev in live:
            root = cameo_root(ev.cameo)
            source, target = _Side.of(ev.source), _Side.of(ev.target)
            start, end = _mention_dates(ev, published[apk])
            loc = ev.location
            where = _where(loc.geonameid, loc.name, loc.country, loc.feature) if loc else None
            group = _choose_group(by_root.get(root, ()), root, source, target, start, end, where, apk)
            if group is None:
                eid = events[i][0]
                group = _Group(
                    group_id=next(new_ids), root=root, source=source, target=target, key_start=start,
                    key_end=end, where=where, first_article_pk=apk, date_start=start, date_end=end,
                    place=_place_columns(ev),
                    founder=(ev.cameo, root, ev.goldstein, ev.quad_class, ev.plover,
                             _distinct(a.code for a in ev.source), _distinct(a.code for a in ev.target),
                             _distinct(a.country for a in ev.source), _distinct(a.country for a in ev.target),
                             source.name, target.name, start, end),
                    first_ids=(eid, apk),
                )
                by_root.setdefault(root, []).append(group)
            else:
                group.date_start = _min_date(group.date_start, start)
                group.date_end = _max_date(group.date_end, end)
                if group.where is None and where is not None:
                    group.where, group.place = where, _place_columns(ev)
                group.changed = True
            touched[group.group_id] = group
            events[i] = (*events[i][:-1], group.group_id)
        rows["event_groups"] = [
            (g.group_id, *g.founder, g.date_start, g.date_end, *(g.place or (None,) * 7), *g.first_ids,
             *(None,) * _GROUP_COUNT_COLUMNS)
            for g in touched.values() if g.founder is not None
        ]
        return [g for g in touched.values() if g.founder is None]

    def _load_groups(self, roots: Sequence[str], first: dt.date, last: dt.date) -> list[_Group]:
        """Stored groups that a mention with one of ``roots`` dated within [first, last] could join."""
        if not roots:
            return []
        rows = self._con.execute(
            """
            SELECT group_id, cameo_root, source_codes, source_countries, source_name,
                   target_codes, target_countries, target_name, key_start, key_end,
                   location_geonameid, location_name, location_country, location_feature,
                   first_article_pk, date_start, date_end
            FROM event_groups
            WHERE cameo_root IN (SELECT unnest(?::VARCHAR[]))
              AND key_start IS NOT NULL AND key_end >= ? AND key_start <= ?
            ORDER BY group_id
            """,
            [list(roots), first, last],
        ).fetchall()
        return [
            _Group(
                group_id=int(r[0]), root=r[1], source=_Side.from_row(r[2], r[3], r[4]),
                target=_Side.from_row(r[5], r[6], r[7]), key_start=r[8], key_end=r[9],
                where=_where(r[10], r[11], r[12], r[13]), first_article_pk=int(r[14]), date_start=r[15],
                date_end=r[16],
            )
            for r in rows
        ]

    def _refresh_groups(self, rows: dict[str, list[tuple[Any, ...]]], changed: Sequence[_Group]) -> None:
        """After the batch's rows are in: update changed stored groups and recount every touched group."""
        for g in changed:
            self._con.execute(
                "UPDATE event_groups SET date_start = ?, date_end = ? WHERE group_id = ?",
                [g.date_start, g.date_end, g.group_id],
            )
            if g.place is not None:
                self._con.execute(
                    "UPDATE event_groups SET location_name = ?, location_country = ?, location_admin1 = ?, "
                    "location_lat = ?, location_lon = ?, location_geonameid = ?, location_feature = ? "
                    "WHERE group_id = ?",
                    [*g.place, g.group_id],
                )
        ids = sorted({int(r[-1]) for r in rows["events"] if r[-1] is not None})
        if not ids:
            return
        self._con.execute(
            f"""
            UPDATE event_groups g SET
                num_mentions = s.n, num_articles = s.n_articles, num_sources = s.n_sources,
                confidence = s.confidence, avg_tone = s.tone, dead = s.dead, injured = s.injured,
                arrested = s.arrested, first_added = s.first_added, last_added = s.last_added
            FROM (
                SELECT e.group_id, count(*) AS n, count(DISTINCT e.article_pk) AS n_articles,
                       count(DISTINCT coalesce(a.source, nullif(regexp_extract(a.url, '://([^/:]+)', 1), ''),
                                               a.id)) AS n_sources,
                       1 - exp(sum(ln(1 - least(greatest(coalesce(e.confidence, 0), 0),
                                                {_MAX_MENTION_CONFIDENCE})))) AS confidence,
                       avg(a.tone) AS tone, max(e.dead) AS dead, max(e.injured) AS injured,
                       max(e.arrested) AS arrested, min(a.processed_at) AS first_added,
                       max(a.processed_at) AS last_added
                FROM events e JOIN articles a ON a.article_pk = e.article_pk
                WHERE e.group_id IN (SELECT unnest(?::BIGINT[]))
                GROUP BY e.group_id
            ) s
            WHERE g.group_id = s.group_id
            """,
            [ids],
        )

    # ------------------------------------------------------------------ ingest state (feeds, seen URLs, stories)

    def get_feed_state(self, url: str) -> dict[str, Any] | None:
        """``{url, etag, last_modified, last_polled, last_status}`` of a polled feed, or None if never polled."""
        rows = self._dicts("SELECT url, etag, last_modified, last_polled, last_status FROM feeds WHERE url = ?", [url])
        return rows[0] if rows else None

    def save_feed_state(self, url: str, etag: str | None, last_modified: str | None, status: int | str | None) -> None:
        """Record the outcome of polling a feed now (HTTP status or an error word, stored as text)."""
        self._check_writable()
        try:
            self._con.execute(
                "INSERT INTO feeds VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "last_polled = excluded.last_polled, last_status = excluded.last_status",
                [url, etag, last_modified, _now(), None if status is None else str(status)],
            )
        except duckdb.Error as exc:
            raise StoreError(f"cannot save the state of feed {url} in {self.path}: {exc}") from exc

    def seen_urls(self, urls: Sequence[str]) -> set[str]:
        """The subset of ``urls`` already marked seen (one query)."""
        if not urls:
            return set()
        rows = self._query("SELECT url FROM seen_urls WHERE url IN (SELECT unnest(?::VARCHAR[]))", [list(urls)])
        return {str(r[0]) for r in rows}

    def mark_urls_seen(self, items: Sequence[tuple[str, str | None]]) -> int:
        """Mark (url, content hash) pairs seen in one transaction; URLs seen before keep their first record.

        Returns how many URLs were new.
        """
        self._check_writable()
        first: dict[str, str | None] = {}
        for url, digest in items:
            if url and url not in first:
                first[url] = digest
        if not first:
            return 0
        try:
            self._con.execute("BEGIN TRANSACTION")
            known = {r[0] for r in self._con.execute(
                "SELECT url FROM seen_urls WHERE url IN (SELECT unnest(?::VARCHAR[]))", [list(first)]).fetchall()}
            new = [(u, h) for u, h in first.items() if u not in known]
            if new:
                self._con.execute(
                    "INSERT INTO seen_urls SELECT unnest(?::VARCHAR[]), ?::TIMESTAMP, unnest(?::VARCHAR[])",
                    [[u for u, _ in new], _now(), [h for _, h in new]],
                )
            self._con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise StoreError(f"cannot mark URLs seen in {self.path}: {exc}") from exc
        return len(new)

    def save_story_clusters(self, items: Sequence[tuple[str, str]]) -> int:
        """Record (cluster id, article content hash) memberships; unknown hashes and known pairs are skipped.

        Returns how many memberships were added.
        """
        self._check_writable()
        if not items:
            return 0
        try:
            self._con.execute("BEGIN TRANSACTION")
            cur = self._con.execute(
                """
                INSERT INTO story_clusters
                SELECT DISTINCT i.cluster_id, a.article_pk
                FROM (SELECT unnest(?::VARCHAR[]) AS cluster_id, unnest(?::VARCHAR[]) AS content_hash) i
                JOIN articles a ON a.content_hash = i.content_hash
                WHERE NOT EXISTS (SELECT 1 FROM story_clusters s
                                  WHERE s.cluster_id = i.cluster_id AND s.article_pk = a.article_pk)
                """,
                [[c for c, _ in items], [h for _, h in items]],
            )
            added = cur.fetchone()
            self._con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise StoreError(f"cannot save story clusters in {self.path}: {exc}") from exc
        return int(added[0]) if added else 0

    def story_clusters(self) -> dict[str, list[str]]:
        """Cluster id -> article ids, in article order."""
        out: dict[str, list[str]] = {}
        for cluster, article_id in self._query(
            "SELECT s.cluster_id, a.id FROM story_clusters s JOIN articles a USING (article_pk) "
            "ORDER BY s.cluster_id, a.article_pk"
        ):
            out.setdefault(str(cluster), []).append(str(article_id))
        return out

    # ------------------------------------------------------------------ reading

    def stats(self) -> dict[str, int]:
        """Row counts: articles, events, actors, places, quotes, dates, amounts, errors, runs..."""
        out: dict[str, int] = {}
        for key, table in STATS_TABLES:
            out[key] = int(self._query(f"SELECT count(*) FROM {table}")[0][0])
        out["errors"] = out["article_errors"] + out["input_errors"]
        return out

    def events(self, flt: EventFilter) -> list[dict[str, Any]]:
        """Events matching ``flt``, newest first, with article id/url/title and evidence text."""
        if not isinstance(flt.limit, int) or flt.limit < 1:
            raise StoreError(f"limit must be a positive integer, got {flt.limit!r}")
        where, params = filter_sql(flt)
        sql = (
            "SELECT * FROM event_list e"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY e.effective_date DESC NULLS LAST, e.article_pk DESC, e.event_index LIMIT ?"
        )
        return self._dicts(sql, [*params, min(flt.limit, MAX_LIMIT)])

    def event_groups(self, flt: EventFilter | None = None) -> list[dict[str, Any]]:
        """Real-world events (merged mentions), newest first; ``flt`` selects groups having a matching mention."""
        flt = flt or EventFilter()
        if not isinstance(flt.limit, int) or flt.limit < 1:
            raise StoreError(f"limit must be a positive integer, got {flt.limit!r}")
        where, params = filter_sql(flt)
        sql = "SELECT g.* FROM event_groups g"
        if where:
            sql += " WHERE g.group_id IN (SELECT e.group_id FROM event_list e WHERE " + " AND ".join(where) + ")"
        sql += " ORDER BY g.date_start DESC NULLS LAST, g.group_id DESC LIMIT ?"
        return self._dicts(sql, [*params, min(flt.limit, MAX_LIMIT)])

    def dyad_series(
        self, source_country: str, target_country: str, date_from: str, date_to: str
    ) -> list[dict[str, Any]]:
        """Per day: real-world events of one directed country dyad, mean Goldstein, counts by QuadClass."""
        first = iso_date(date_from, "date_from")
        last = iso_date(date_to, "date_to")
        return self._dicts(dyad_series_sql(), [source_country.upper(), target_country.upper(), first, last])

    def top_actors(self, date_from: str, date_to: str, limit: int = 20) -> list[dict[str, Any]]:
        """The actor codes in most real-world events between two days, with mentions and mean Goldstein."""
        first = iso_date(date_from, "date_from")
        last = iso_date(date_to, "date_to")
        return self._dicts(top_actors_sql(), [first, last, max(1, min(int(limit), MAX_LIMIT))])

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

    def iter_sql(self, sql: str, params: Sequence[Any] | None = None, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Rows of a read-only query as dicts, fetched in batches (for the exporters; never pass user SQL)."""
        try:
            cur = self._con.cursor()
            cur.execute(sql, params or [])
            names = [d[0] for d in cur.description or ()]
            while rows := cur.fetchmany(batch):
                for row in rows:
                    yield dict(zip(names, row, strict=True))
        except duckdb.Error as exc:
            raise StoreError(f"reading from {self.path} failed: {exc}") from exc

    def arrow_table(self, table: str) -> Any:
        """One of the store's tables as a ``pyarrow.Table`` (needs pyarrow)."""
        if table not in (*ALL_TABLES, "event_list"):
            raise StoreError(f"unknown table {table!r}")
        try:
            relation = self._con.sql(f"SELECT * FROM {table}")
            # ``to_arrow_table`` in DuckDB >= 1.1 (2.x warns about the DB-API path); ``arrow`` before.
            fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
            return fetch()
        except duckdb.Error as exc:
            raise StoreError(f"reading {table} from {self.path} failed: {exc}") from exc

    def iter_table(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one of the store's tables (or the ``event_list`` view), for exporters."""
        if table not in (*ALL_TABLES, "event_list"):
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


#: Phrases of DuckDB errors that mean the file (or its write-ahead log) is damaged, not busy.
_DAMAGE_PHRASES = ("corrupt", "checksum", "could not read enough bytes", "replaying wal")


def _damage_message(path: str, text: str) -> str | None:
    """A clear message with the recovery for a damaged database file; None when ``text`` is not about damage."""
    if not any(p in text.lower() for p in _DAMAGE_PHRASES):
        return None
    return (f"{path} is damaged: restore it from a copy, or rebuild it by running the same inputs into a new "
            f"file (newsevents run PATH... --db NEW.duckdb; see docs/RELIABILITY.md). DuckDB said: {text}")


def _connect_message(path: str, exc: duckdb.Error) -> str:
    text = str(exc)
    lowered = text.lower()
    if (damaged := _damage_message(path, text)) is not None:
        return damaged
    if "could not set lock" in lowered or "conflicting lock" in lowered:
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


# ---------------------------------------------------------------------- merging mentions


@dataclass(frozen=True)
class _Side:
    """What the merge rule compares of one side (source or target) of a mention."""

    codes: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    name: str | None = None  # lower-cased first actor label, for uncoded actors
    filled: bool = False

    @classmethod
    def of(cls, actors: Sequence[Actor]) -> _Side:
        return cls(
            codes=frozenset(a.code.upper() for a in actors if a.code),
            countries=frozenset(a.country.upper() for a in actors if a.country),
            name=(actors[0].name or actors[0].text or "").strip().lower() or None if actors else None,
            filled=bool(actors),
        )

    @classmethod
    def from_row(cls, codes: Sequence[str | None] | None, countries: Sequence[str | None] | None,
                 name: str | None) -> _Side:
        code_set = frozenset(c for c in codes or () if c)
        country_set = frozenset(c for c in countries or () if c)
        return cls(code_set, country_set, name, bool(code_set or country_set or name))

    def compatible(self, other: _Side) -> bool:
        if not self.filled or not other.filled:
            return self.filled == other.filled
        if self.codes and other.codes:
            return any(a.startswith(b) or b.startswith(a) for a in self.codes for b in other.codes)
        if self.countries and other.countries:
            return bool(self.countries & other.countries)
        return self.name is not None and self.name == other.name


@dataclass(frozen=True)
class _Where:
    """A place as the merge rule sees it."""

    key: str  # "g<geonameid>" or the lower-cased name
    country: str | None
    is_country: bool

    def compatible(self, other: _Where) -> bool:
        if self.key == other.key:
            return True
        if self.is_country and self.country and self.country == other.country:
            return True
        return other.is_country and other.country is not None and other.country == self.country


def _where(geonameid: int | None, name: str | None, country: str | None, feature: str | None) -> _Where | None:
    if geonameid is None and not name:
        return None
    key = f"g{geonameid}" if geonameid is not None else str(name).strip().lower()
    return _Where(key, country.upper() if country else None,
                  bool(feature and feature.upper().startswith(_COUNTRY_FEATURE_PREFIX)))


@dataclass
class _Group:
    """An event group while mentions are being assigned: the founder's key plus what members changed."""

    group_id: int
    root: str | None
    source: _Side
    target: _Side
    key_start: dt.date | None
    key_end: dt.date | None
    where: _Where | None
    first_article_pk: int
    date_start: dt.date | None
    date_end: dt.date | None
    place: tuple[Any, ...] | None = None  # location columns adopted from a member (new or changed groups)
    founder: tuple[Any, ...] | None = None  # set for groups created in this batch: their static columns
    first_ids: tuple[int, int] = (0, 0)  # founding event id and article pk
    changed: bool = False


def _mention_dates(ev: Event, published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    start, end = timex_bounds(ev.date)
    if start is not None and end is not None and (end - start).days <= MAX_DATE_SPAN_DAYS:
        return start, end
    return published, published


def _date_gap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> int:
    """Days between two date ranges (0 when they overlap)."""
    return max(0, (max(a_start, b_start) - min(a_end, b_end)).days)


def _place_columns(ev: Event) -> tuple[Any, ...] | None:
    p = ev.location
    if p is None:
        return None
    return (p.name, p.country, p.admin1, p.lat, p.lon, p.geonameid, p.feature)


def _choose_group(
    candidates: Sequence[_Group], root: str | None, source: _Side, target: _Side,
    start: dt.date | None, end: dt.date | None, where: _Where | None, article_pk: int,
) -> _Group | None:
    """The group this mention joins under the merge rule of the module docstring, or None."""
    best: tuple[int, int, int] | None = None
    chosen: _Group | None = None
    for g in candidates:
        if g.root != root or not g.source.compatible(source) or not g.target.compatible(target):
            continue
        if where is not None and g.where is not None and not g.where.compatible(where):
            continue
        if start is None or end is None or g.key_start is None or g.key_end is None:
            if g.first_article_pk != article_pk or (start is None) != (g.key_start is None):
                continue
            gap = 0
        else:
            gap = _date_gap(start, end, g.key_start, g.key_end)
            if gap > EVENT_DATE_WINDOW_DAYS:
                continue
        same_place = 0 if (where is not None and g.where is not None and g.where.key == where.key) else 1
        rank = (gap, same_place, g.group_id)
        if best is None or rank < best:
            best, chosen = rank, g
    return chosen


def _distinct(values: Iterator[str | None]) -> list[str]:
    """Non-empty values without repeats, in first-seen order."""
    return list(dict.fromkeys(v for v in values if v))


def _min_date(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _max_date(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)
