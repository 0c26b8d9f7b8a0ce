"""``run``: articles from files into the DuckDB store, idempotent, resumable and streaming.

The runner reads articles in order, skips those whose content hash is already stored (so a
re-run adds nothing and a killed run resumes where it stopped), calls ``pipeline.process`` on the
rest -- in this process, in worker processes (``workers > 1``, see ``parallel``) or on Ray
(``engine="ray"``, see ``rayrun``) -- and writes them in batches, one transaction per batch: a run
killed at any moment loses at most the batches in flight, which the next run redoes.  Unreadable
inputs are recorded in the ``input_errors`` table and never stop the batch.

Nothing holds the whole input: articles are read lazily, at most a bounded look-ahead of them is
being processed, and results are written as soon as a batch is full.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from newsevents.errors import InputError
from newsevents.ingest import content_hash, iter_articles
from newsevents.parallel import DEFAULT_CHUNK_SIZE, process_parallel
from newsevents.pipeline import Options
from newsevents.records import Article, ArticleResult
from newsevents.store import Store

#: Articles per transaction. Small enough that a kill loses little work, large enough that
#: commit overhead stays under a few percent of parse time (measured on the examples).
BATCH_SIZE = 25

#: Engines of ``run``: ``local`` (this process or worker processes) and ``ray``.
ENGINES = ("local", "ray")


@dataclass
class RunSummary:
    run_id: str = ""
    seen: int = 0
    processed: int = 0
    skipped: int = 0
    inserted: int = 0
    failed: int = 0
    events: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def failure_ratio(self) -> float:
        return self.failed / self.seen if self.seen else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"run_id": self.run_id, "seen": self.seen, "processed": self.processed, "skipped": self.skipped,
                "inserted": self.inserted, "failed": self.failed, "events": self.events,
                "seconds": round(self.seconds, 2)}


Progress = Callable[[RunSummary, str], None]
Processor = Callable[[Iterable[Article]], Iterator[ArticleResult]]


def make_processor(options: Options, workers: int = 1, chunk_size: int = DEFAULT_CHUNK_SIZE, engine: str = "local",
                   ray_address: str | None = None) -> Processor:
    """A function from an article stream to the result stream, in order, for the chosen engine."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine == "ray":
        from newsevents.rayrun import ray_process

        return lambda articles: ray_process(articles, options, actors=max(1, workers), chunk_size=chunk_size,
                                            address=ray_address)
    return lambda articles: process_parallel(articles, options, workers, chunk_size)


def run(paths: Iterable[str], store: Store, options: Options | None = None, batch_size: int = BATCH_SIZE,
        progress: Progress | None = None, argv: str | None = None, workers: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE, engine: str = "local", ray_address: str | None = None,
        dedup: bool = True) -> RunSummary:
    """Process every article of ``paths`` into ``store``; returns counts for the closing summary.

    With ``dedup`` (the default) copies and near-copies of articles stored in the last days or seen
    earlier in the run get ``duplicate_of`` and a story cluster.
    """
    from newsevents.watch import seed_deduplicator  # watch builds on the runner: import here

    opts = options or Options()
    processor = make_processor(opts, workers, chunk_size, engine, ray_address)
    summary = RunSummary(run_id=store.start_run(argv or " ".join(sys.argv)))
    copies, hashes = seed_deduplicator(store) if dedup else (None, {})
    clusters: list[tuple[str, str]] = []  # (cluster root's content hash, member's content hash)
    t0 = time.monotonic()
    batch: list[tuple[ArticleResult, str]] = []
    in_flight: set[str] = set()  # hashes sent for processing and not yet committed
    sent: deque[tuple[str, str]] = deque()  # (hash, label) of the articles sent, in order

    def report(label: str) -> None:
        if progress is not None:
            progress(summary, label)

    def flush() -> None:
        if batch:
            summary.inserted += store.add_results(batch, summary.run_id)
            in_flight.difference_update(h for _, h in batch)
            batch.clear()
        if clusters:
            store.save_story_clusters(clusters)
            clusters.clear()

    def todo() -> Iterator[Article]:
        """The articles to process; records the unreadable and the already stored as it goes."""
        for article in iter_articles(paths):
            summary.seen += 1
            label = article.origin or article.id or "?"
            if not (article.text or article.html or article.title):
                summary.failed += 1
                message = article.error or "article has no text"
                summary.problems.append(f"{label}: {message}")
                store.add_input_error(label, message, summary.run_id)
                report(label)
                continue
            digest = content_hash(article)
            if digest in in_flight or store.has_article(digest):
                summary.skipped += 1
                report(label)
                continue
            in_flight.add(digest)
            sent.append((digest, label))
            yield article

    for result in processor(todo()):
        digest, label = sent.popleft()
        if copies is not None and result.text:
            hashes[result.id] = digest
            root = copies.check(result.id, result.text)
            if root is not None:
                result = replace(result, duplicate_of=root)
                if root in hashes:
                    clusters.extend([(hashes[root], hashes[root]), (hashes[root], digest)])
        summary.processed += 1
        summary.events += len(result.events)
        if result.errors:
            summary.problems.extend(f"{label}: {e.message}" for e in result.errors)
        batch.append((result, digest))
        if len(batch) >= batch_size:
            flush()
        report(label)
    flush()
    summary.seconds = time.monotonic() - t0
    store.finish_run(summary.run_id, summary.as_dict())
    return summary
