"""The Ray engine: ``pipeline.process`` on a pool of Ray actors, results as Parquet for DuckDB.

Ray is an optional extra (``pip install 'newsevents[ray]'``); nothing here imports it until it is
used, and ``RayUnavailable`` says how to install it.  The same per-article function runs
everywhere: each actor loads the model and knowledge once (``pipeline.load_resources``) and
calls ``process`` on chunks of articles.

- ``ray_process(articles, options, actors)`` streams articles to the actors and yields results
  in input order, with at most ``actors * IN_FLIGHT_PER_ACTOR`` chunks in flight (memory stays
  flat); an actor that dies is replaced and the chunk it held is re-run one article at a time,
  so only an article that kills its actor twice is lost (recorded as an ``E900`` result).
- ``ray_to_parquet(paths, out_dir, ...)`` writes one Parquet row per input article
  (``seq``, ``id``, ``content_hash``, ``record``: the ``newsevents/1`` record as JSON), in part
  files of ``ROWS_PER_FILE`` rows, so output is flat in memory too.
- ``load_parquet(store, path)`` loads such files (a file, a folder or a glob) into a store,
  idempotently like ``run``: rows whose content hash is stored already are skipped.

Ray is started locally (``ray.init()``) unless ``address`` names a cluster (``"auto"`` or
``"ray://head:10001"``); a Ray instance the caller already started is used as it is.  Parquet is
written and read with DuckDB, so the extra needs nothing beyond ``ray`` itself.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb

from newsevents.errors import NewsEventsError, StoreError
from newsevents.ingest import content_hash, iter_articles
from newsevents.parallel import crash_result, process_chunk
from newsevents.pipeline import Options, load_resources
from newsevents.records import (
    Article,
    ArticleResult,
)

#: Articles per actor call: large enough that Ray's per-call overhead (~1 ms) is noise next to
#: ~30 ms of parsing per article, small enough that results arrive steadily.
DEFAULT_CHUNK_SIZE = 8

#: Chunks queued per actor beyond the one it is working on, so that no actor waits for the driver.
IN_FLIGHT_PER_ACTOR = 2

#: Rows per Parquet part file: ~1,000 articles are a few MB of JSON, a row group DuckDB reads fast.
ROWS_PER_FILE = 1000

#: Articles per transaction when loading Parquet into the store (the runner's batch size).
LOAD_BATCH_SIZE = 25

PARQUET_COLUMNS = "seq BIGINT, id VARCHAR, content_hash VARCHAR, record VARCHAR"


class RayUnavailable(NewsEventsError):
    """Ray is not installed or cannot start."""

    code = "E202"


def require_ray() -> Any:
    """Import ray, or raise RayUnavailable with the install hint."""
    try:
        import ray
    except ImportError as exc:
        raise RayUnavailable("the Ray engine needs Ray: pip install 'newsevents[ray]'") from exc
    return ray


def ensure_ray(address: str | None = None, num_cpus: int | None = None) -> bool:
    """Start (or join, with ``address``) Ray unless it is running; True when this call started it."""
    ray = require_ray()
    if ray.is_initialized():
        return False
    try:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
    except Exception as exc:  # noqa: BLE001 - any start-up failure is reported the same way
        raise RayUnavailable(f"cannot start or join Ray ({address or 'local'}): {exc}") from exc
    return True


class ArticleWorker:
    """A Ray actor body: loads the model once, then processes chunks of articles."""

    def __init__(self, options: Options) -> None:
        self.options = options
        load_resources(options.knowledge_dirs, options.model)

    def process(self, articles: list[Article]) -> list[ArticleResult]:
        return process_chunk(articles, self.options)

    def ping(self) -> bool:
        return True


def ray_process(articles: Iterable[Article], options: Options | None = None, actors: int = 2,
                chunk_size: int = DEFAULT_CHUNK_SIZE, address: str | None = None) -> Iterator[ArticleResult]:
    """``process`` over ``articles`` on ``actors`` Ray actors; results in input order, memory bounded."""
    ray = require_ray()
    opts = options or Options()
    started = ensure_ray(address)
    remote_cls = ray.remote(num_cpus=1)(ArticleWorker)
    # an actor needs a whole CPU: more actors than the cluster has CPUs would wait for ever
    cpus = int(ray.cluster_resources().get("CPU", 1))
    pool = [remote_cls.remote(opts) for _ in range(max(1, min(actors, cpus)))]
    source = iter(articles)
    pending: deque[tuple[list[Article], int, Any]] = deque()
    turn = 0
    try:
        while True:
            while len(pending) < len(pool) * IN_FLIGHT_PER_ACTOR:
                chunk = list(islice(source, max(1, chunk_size)))
                if not chunk:
                    break
                slot = turn % len(pool)
                turn += 1
                pending.append((chunk, slot, pool[slot].process.remote(chunk)))
            if not pending:
                return
            chunk, slot, ref = pending.popleft()
            try:
                results: list[ArticleResult] = ray.get(ref)
            except ray.exceptions.RayActorError:
                yield from _retry_singly(ray, pool, slot, remote_cls, opts, chunk)
                continue
            yield from results
    finally:
        for actor in pool:
            ray.kill(actor)
        if started:
            ray.shutdown()


def _retry_singly(ray: Any, pool: list[Any], slot: int, remote_cls: Any, opts: Options,
                  chunk: list[Article]) -> Iterator[ArticleResult]:
    """After an actor died: a fresh actor in its slot, then the chunk again one article at a time."""
    pool[slot] = remote_cls.remote(opts)
    for article in chunk:
        try:
            yield from ray.get(pool[slot].process.remote([article]))
        except ray.exceptions.RayActorError:
            yield crash_result(article, "the Ray actor died while processing this article")
            pool[slot] = remote_cls.remote(opts)


# ---------------------------------------------------------------------------- Parquet


@dataclass
class ParquetSummary:
    articles: int = 0
    files: int = 0
    events: int = 0
    errors: int = 0


def _write_part(rows: list[tuple[int, str, str, str]], path: Path) -> None:
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE part ({PARQUET_COLUMNS})")
        con.execute("INSERT INTO part SELECT unnest($1::BIGINT[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), "
                    "unnest($4::VARCHAR[])", [list(col) for col in zip(*rows, strict=True)])
        con.execute(f"COPY part TO '{_sql_path(path)}' (FORMAT parquet)")
    except duckdb.Error as exc:
        raise StoreError(f"cannot write {path}: {exc}") from exc
    finally:
        con.close()


def _sql_path(path: Path | str) -> str:
    return str(path).replace("'", "''")


def write_parquet(items: Iterable[tuple[ArticleResult, str]], out_dir: str | Path,
                  rows_per_file: int = ROWS_PER_FILE) -> ParquetSummary:
    """Write (result, content hash) pairs as Parquet part files in ``out_dir``, in order."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise StoreError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.glob("part-*.parquet")):
        raise StoreError(f"{out} already holds part files; use an empty folder")
    summary = ParquetSummary()
    rows: list[tuple[int, str, str, str]] = []
    for result, digest in items:
        rows.append((summary.articles, result.id, digest, json.dumps(result.to_dict(), ensure_ascii=False)))
        summary.articles += 1
        summary.events += len(result.events)
        summary.errors += bool(result.errors)
        if len(rows) >= rows_per_file:
            _write_part(rows, out / f"part-{summary.files:05d}.parquet")
            summary.files += 1
            rows = []
    if rows:
        _write_part(rows, out / f"part-{summary.files:05d}.parquet")
        summary.files += 1
    return summary


def ray_to_parquet(paths: Iterable[str], out_dir: str | Path, options: Options | None = None, actors: int = 2,
                   chunk_size: int = DEFAULT_CHUNK_SIZE, address: str | None = None) -> ParquetSummary:
    """Read ``paths``, process every article on Ray, write one Parquet row per article to ``out_dir``."""
    hashes: deque[str] = deque()

    def articles() -> Iterator[Article]:
        for article in iter_articles(paths):
            hashes.append(content_hash(article))
            yield article

    results = ray_process(articles(), options, actors, chunk_size, address)
    return write_parquet(((r, hashes.popleft()) for r in results), out_dir)


# ---------------------------------------------------------------------------- loading


def result_from_record(record: dict[str, Any]) -> ArticleResult:
    """The ArticleResult of a ``newsevents/1`` record (see ``ArticleResult.from_dict``)."""
    return ArticleResult.from_dict(record)


@dataclass
class LoadSummary:
    rows: int = 0
    inserted: int = 0
    skipped: int = 0
    failed: int = 0


def parquet_files(path: str | Path) -> list[Path]:
    """The Parquet files of ``path`` (a file or a folder of ``*.parquet``), in name order."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.parquet"))
        if not files:
            raise StoreError(f"{p} holds no .parquet file")
        return files
    if not p.is_file():
        raise StoreError(f"{p} does not exist")
    return [p]


def load_parquet(store: Any, path: str | Path, batch_size: int = LOAD_BATCH_SIZE,
                 argv: str | None = None) -> LoadSummary:
    """Load Parquet written by ``write_parquet`` into ``store`` (a ``Store``); idempotent, streaming.

    Articles that could not be read (no text, errors only) go to the store's input errors,
    as ``run`` records them.
    """
    files = parquet_files(path)
    summary = LoadSummary()
    run_id = store.start_run(argv or f"load-parquet {path}")
    con = duckdb.connect()
    try:
        for file in files:  # one part file (ROWS_PER_FILE rows) at a time: memory stays flat
            try:
                cur = con.execute("SELECT content_hash, record FROM read_parquet(?) ORDER BY seq", [str(file)])
                rows = cur.fetchall()
            except duckdb.Error as exc:
                raise StoreError(f"cannot read Parquet {file}: {exc}") from exc
            for start in range(0, len(rows), batch_size):
                batch: list[tuple[ArticleResult, str]] = []
                for digest, record_json in rows[start:start + batch_size]:
                    summary.rows += 1
                    result = result_from_record(json.loads(record_json))
                    if not result.text and result.errors:
                        summary.failed += 1
                        store.add_input_error(result.id, "; ".join(e.message for e in result.errors), run_id)
                    else:
                        batch.append((result, digest))
                added = store.add_results(batch, run_id)
                summary.inserted += added
                summary.skipped += len(batch) - added
    finally:
        con.close()
    store.finish_run(run_id, {"seen": summary.rows, "inserted": summary.inserted, "skipped": summary.skipped,
                              "failed": summary.failed})
    return summary
