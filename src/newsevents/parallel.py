"""Worker processes: ``pipeline.process`` over many articles on several cores, in input order.

``process_parallel(articles, options, workers)`` streams articles to a pool of worker processes
and yields their ``ArticleResult``\\ s in input order.  Memory stays flat whatever the input size:
the input iterator is read lazily and at most ``workers * IN_FLIGHT_PER_WORKER`` chunks of
``chunk_size`` articles are in flight (sent and not yet yielded) at any moment.

Each worker loads the model and knowledge once (``pipeline.load_resources`` is cached per
process).  With the ``fork`` start method (the default on Linux) the parent loads them before the
pool starts, so workers begin with a ready model whose pages they share copy-on-write, and a
missing model is reported once, cleanly, before any work is sent.

Failure policy: ``process`` records per-stage failures itself; an exception that still escapes it
becomes an error result for that article only.  A worker that dies (a segfault in a native
library, the OOM killer) breaks the pool: the chunks that were in flight are then re-run one
article at a time on a fresh pool, so that the article that kills a worker is found and recorded
as an error result (``E900``, stage ``worker``) and none of the others is lost.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from newsevents.errors import InputError
from newsevents.ingest import with_id
from newsevents.records import Article, ArticleError, ArticleResult

if TYPE_CHECKING:  # the pipeline (and spaCy) is imported when work starts, so that --help stays fast
    from newsevents.pipeline import Options

#: Articles sent to a worker in one task.  Measured with bench/throughput.py on the examples
#: and PolNeAR texts (2 workers): 1 costs ~3% in pickling/IPC round trips, 4 and 8 are within
#: noise of each other; larger chunks only delay the first results and hold more memory.
DEFAULT_CHUNK_SIZE = 4

#: Chunks queued per worker beyond the one it is working on, so that a worker never waits for
#: the parent; 2 keeps both cores busy in the benchmark while bounding memory to a few chunks.
IN_FLIGHT_PER_WORKER = 2

#: How many times a broken pool is rebuilt before giving up on parallelism for the rest of the
#: input (each rebuild reloads the model in the workers).  A handful of crashing articles in a
#: large input is survivable; a pool that breaks on every article means the environment is bad.
MAX_POOL_RESTARTS = 20

#: Start methods accepted by ``--start-method``; ``fork`` shares the loaded model copy-on-write.
START_METHODS = ("fork", "forkserver", "spawn")


@dataclass(frozen=True)
class ParallelOptions:
    """How to spread the work: worker processes, chunk size and start method."""

    workers: int = 1
    chunk_size: int = DEFAULT_CHUNK_SIZE
    start_method: str | None = None  # None: fork where available, else the platform default


def default_start_method() -> str:
    """``fork`` where the platform has it (workers inherit the loaded model), else the default."""
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods else multiprocessing.get_start_method()


def _warm(options: Options) -> None:
    """Pool initializer: load the model and knowledge once in this worker (a no-op after fork)."""
    from newsevents.pipeline import load_resources

    load_resources(options.knowledge_dirs, options.model)


def crash_result(article: Article, message: str, stage: str = "worker") -> ArticleResult:
    """The error record of an article that could not be processed at all."""
    article = with_id(article)
    return ArticleResult(id=str(article.id), text="", url=article.url, title=article.title,
                         published=article.published, source=article.source, language=article.language,
                         errors=(ArticleError(stage, "E900", message),))


#: Failures of the machine, not of the article: they stop the run instead of being recorded.
ENVIRONMENT_ERRORS = (OSError, MemoryError)


def process_chunk(articles: list[Article], options: Options) -> list[ArticleResult]:
    """Run ``process`` on a chunk (parsed in batches by ``process_many``); an escaping exception costs one
    article only: the chunk is then redone article by article."""
    from newsevents.pipeline import process, process_many

    try:
        return list(process_many(articles, options))
    except ENVIRONMENT_ERRORS:
        raise
    except Exception:  # noqa: BLE001 - find the bad article below
        pass
    out: list[ArticleResult] = []
    for article in articles:
        try:
            out.append(process(article, options))
        except ENVIRONMENT_ERRORS:
            raise  # a full disk or no memory: the run must stop and redo the batch, not store it as done
        except Exception as exc:  # noqa: BLE001 - a bad article must not lose its chunk
            out.append(crash_result(article, f"{type(exc).__name__}: {exc}", stage="pipeline"))
    return out


class _Pool:
    """A ProcessPoolExecutor that can be rebuilt after a worker dies."""

    def __init__(self, options: Options, workers: int, start_method: str) -> None:
        self.options = options
        self.workers = workers
        self.context = multiprocessing.get_context(start_method)
        self.restarts = 0
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context,
                                   initializer=_warm, initargs=(self.options,))

    def submit(self, chunk: list[Article]) -> Future[list[ArticleResult]]:
        return self.executor.submit(process_chunk, chunk, self.options)

    def rebuild(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self.executor = self._new()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _isolate(pool: _Pool, chunks: Iterable[list[Article]]) -> Iterator[ArticleResult]:
    """Re-run chunks one article at a time after a crash, so that only the culprit is lost."""
    for chunk in chunks:
        for article in chunk:
            try:
                yield from pool.submit([article]).result()
            except BrokenProcessPool:
                yield crash_result(article, "the worker process died while processing this article")
                pool.rebuild()


def process_parallel(articles: Iterable[Article], options: Options | None = None, workers: int = 2,
                     chunk_size: int = DEFAULT_CHUNK_SIZE, start_method: str | None = None) -> Iterator[ArticleResult]:
    """``process`` over ``articles`` in ``workers`` processes; results in input order, memory bounded.

    ``workers <= 1`` runs in this process (no pool, no pickling).  Raises ``InputError`` for a
    bad ``chunk_size``/``start_method`` and ``ModelError`` (before any work) if the model is missing.
    """
    from newsevents.pipeline import PARSE_BATCH, Options, load_resources

    opts = options or Options()
    if chunk_size < 1:
        raise InputError(f"chunk size must be at least 1, not {chunk_size}")
    if workers <= 1:
        source = iter(articles)
        while chunk := list(islice(source, max(chunk_size, PARSE_BATCH))):
            yield from process_chunk(chunk, opts)
        return
    method = start_method or default_start_method()
    if method not in multiprocessing.get_all_start_methods():
        raise InputError(f"start method {method!r} is not available here; use one of "
                         + ", ".join(multiprocessing.get_all_start_methods()))
    if method == "fork":
        load_resources(opts.knowledge_dirs, opts.model)  # once, in the parent; inherited by the workers
    pool = _Pool(opts, workers, method)
    limit = workers * IN_FLIGHT_PER_WORKER
    source = iter(articles)
    pending: deque[tuple[list[Article], Future[list[ArticleResult]]]] = deque()
    try:
        while True:
            while len(pending) < limit:
                chunk = list(islice(source, chunk_size))
                if not chunk:
                    break
                pending.append((chunk, pool.submit(chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                if pool.restarts >= MAX_POOL_RESTARTS:
                    raise
                lost = [chunk] + [c for c, _ in pending]
                pending.clear()
                pool.rebuild()
                yield from _isolate(pool, lost)
                continue
            yield from results
    finally:
        pool.close()


def cpu_count() -> int:
    """Cores this process may use (the affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def add_parallel_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers``, ``--chunk-size``, ``--engine`` and the Ray options to a command's parser."""
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (0: one per core; default 1, in-process)")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, metavar="N",
                        help=f"articles per task sent to a worker (default {DEFAULT_CHUNK_SIZE})")
    parser.add_argument("--engine", choices=("local", "ray"), default="local",
                        help="local worker processes (default) or Ray (needs the [ray] extra)")
    parser.add_argument("--ray-address", default=None, metavar="ADDRESS",
                        help="Ray cluster to join (e.g. ray://head:10001 or auto); default: a local Ray instance")


def parallel_options(args: argparse.Namespace) -> ParallelOptions:
    """The ParallelOptions of parsed ``add_parallel_options`` arguments (``--workers 0``: all cores)."""
    workers = getattr(args, "workers", 1)
    if workers < 0:
        raise InputError(f"--workers must be 0 (all cores) or more, not {workers}")
    chunk = getattr(args, "chunk_size", DEFAULT_CHUNK_SIZE)
    if chunk < 1:
        raise InputError(f"--chunk-size must be at least 1, not {chunk}")
    return ParallelOptions(workers=workers or cpu_count(), chunk_size=chunk)


def process_articles(articles: Iterable[Article], options: Options | None = None,
                     args: argparse.Namespace | None = None) -> Iterator[ArticleResult]:
    """The results of ``articles`` with the engine and workers chosen on the command line, in order."""
    from newsevents.pipeline import Options

    opts = options or Options()
    if args is not None and getattr(args, "engine", "local") == "ray":
        from newsevents.rayrun import ray_process

        par = parallel_options(args)
        return ray_process(articles, opts, actors=par.workers, chunk_size=par.chunk_size,
                           address=getattr(args, "ray_address", None))
    par = parallel_options(args) if args is not None else ParallelOptions()
    return process_parallel(articles, opts, par.workers, par.chunk_size, par.start_method)
