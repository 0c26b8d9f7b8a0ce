"""Monitoring: poll news feeds on a schedule and store what is new, as GDELT does every 15 minutes.

``watch(feeds, store)`` polls every feed once per ``interval`` seconds (``once`` for a single
round, e.g. from cron) and, for each round, ``poll_once``:

1. asks each feed with a conditional GET (the ETag / Last-Modified of the previous poll, kept in
   the database's ``feeds`` table): an unchanged feed costs one ``304`` and nothing else;
2. keeps the items whose URL is not in the database's ``seen_urls`` (so a restart refetches
   nothing), fetches their pages politely (``feeds.Fetcher``: robots.txt, a per-host rate limit,
   timeouts, a clear user agent) and runs ``pipeline.process`` on each;
3. marks copies and near-copies (``dedup.Deduplicator``, seeded from the articles stored in the
   last ``DEDUP_WINDOW_DAYS`` days) in ``duplicate_of`` and ``story_clusters``;
4. writes each feed's new articles with ``Store.add_results`` (an article whose content hash is
   stored already is skipped), *then* marks their URLs seen, *then* saves the feed's state.

A page that cannot be fetched (robots.txt, HTTP error, not HTML) is stored from the item's feed
summary with an error saying so, and its URL is not tried again.  Items with neither a link nor
a guid cannot be remembered and are skipped.

That order makes a kill at any moment safe: work done before the kill is either stored and
marked, or redone on the next poll without being counted twice (content hashes).  One feed or
page failing is recorded (``feeds.last_status``, the run's problems) and never stops the round.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsevents.dedup import Deduplicator
from newsevents.errors import InputError
from newsevents.feeds import FeedItem, Fetcher, FetchOptions, fetch_feed, fetch_item, item_article
from newsevents.ingest import URL_PREFIXES, content_hash, with_id
from newsevents.records import Article, ArticleResult
from newsevents.store import Store

__all__ = ["DEFAULT_INTERVAL", "PollSummary", "WatchOptions", "poll_once", "read_feed_list", "watch"]

#: Seconds between polling rounds: GDELT publishes every 15 minutes, and most news feeds do not
#: change faster; polling more often only costs the feed servers 304s.
DEFAULT_INTERVAL = 900

#: The shortest interval allowed: below a minute a watcher is hammering feeds, not monitoring them.
MIN_INTERVAL = 60

#: Stored articles of the last this-many days seed the copy detector at start-up: the same wire
#: story is republished within hours to a few days; older stories are not worth the start-up time.
DEDUP_WINDOW_DAYS = 3

Processor = Callable[[Article], ArticleResult]


@dataclass(frozen=True)
class WatchOptions:
    interval: float = DEFAULT_INTERVAL
    once: bool = False
    fetch_pages: bool = True  # False: store each item's feed summary instead of its page
    dedup: bool = True
    fetch: FetchOptions | None = None


@dataclass
class PollSummary:
    """What one polling round did."""

    started: str = ""
    feeds: int = 0
    unchanged: int = 0  # feeds answering 304 Not Modified
    failed: int = 0  # feeds that could not be fetched or parsed
    items: int = 0  # items in the feeds that changed
    new: int = 0  # items whose URL had not been seen
    stored: int = 0  # articles added to the database
    already: int = 0  # new URLs whose content was stored already (the same text under another URL)
    copies: int = 0  # stored articles marked as copies of an earlier one
    events: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "problems"} | {"problems": len(self.problems)}

    def line(self) -> str:
        return (f"{self.started}: {self.feeds} feeds ({self.unchanged} unchanged, {self.failed} failed), "
                f"{self.new} new of {self.items} items, {self.stored} stored ({self.copies} copies), "
                f"{self.events} events, {self.seconds:.1f}s")


def read_feed_list(entries: Iterable[str]) -> list[str]:
    """Feed URLs from the command line: each entry a URL or a file of URLs (one per line, ``#`` comments)."""
    urls: list[str] = []
    for entry in entries:
        if entry.startswith(URL_PREFIXES):
            urls.append(entry)
            continue
        path = Path(entry)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"cannot read the feed list {entry}: {exc.strerror or exc}") from exc
        for n, line in enumerate(lines, start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if not line.startswith(URL_PREFIXES):
                raise InputError(f"{entry}:{n}: not an http(s) feed URL: {line!r}")
            urls.append(line)
    if not urls:
        raise InputError("no feed URLs given")
    return list(dict.fromkeys(urls))  # each feed once, in order


def _default_processor() -> Processor:
    from newsevents.pipeline import process

    return process


def seed_deduplicator(store: Store, days: int = DEDUP_WINDOW_DAYS) -> tuple[Deduplicator, dict[str, str]]:
    """A copy detector knowing the articles stored in the last ``days`` days, and their id -> content hash."""
    dedup = Deduplicator()
    hashes: dict[str, str] = {}
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
    rows = store.iter_sql("SELECT id, text, duplicate_of, content_hash FROM articles WHERE processed_at >= ? "
                          "ORDER BY article_pk", [since])
    for row in rows:
        dedup.add(str(row["id"]), row["text"] or "", row["duplicate_of"])
        hashes[str(row["id"])] = str(row["content_hash"])
    return dedup, hashes


class _Round:
    """State of one watch session shared by its polls: fetcher, copy detector, run id."""

    def __init__(self, store: Store, options: WatchOptions, fetcher: Fetcher, processor: Processor,
                 run_id: str) -> None:
        self.store, self.options, self.fetcher, self.processor, self.run_id = store, options, fetcher, processor, run_id
        self.dedup: Deduplicator | None = None
        self.hashes: dict[str, str] = {}
        if options.dedup:
            self.dedup, self.hashes = seed_deduplicator(store)

    def poll(self, feeds: Sequence[str]) -> PollSummary:
        t0 = time.monotonic()
        summary = PollSummary(started=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), feeds=len(feeds))
        for url in feeds:
            self._poll_feed(url, summary)
        summary.seconds = time.monotonic() - t0
        return summary

    def _poll_feed(self, url: str, summary: PollSummary) -> None:
        state = self.store.get_feed_state(url) or {}
        etag, modified = state.get("etag"), state.get("last_modified")
        got = fetch_feed(url, self.fetcher, etag, modified)
        if got.error or (got.feed is None and not got.not_modified):
            summary.failed += 1
            summary.problems.append(got.error or f"{url}: no feed")
            self.store.save_feed_state(url, etag, modified, got.status or "error")
            return
        if got.not_modified or got.feed is None:
            summary.unchanged += 1
            self.store.save_feed_state(url, got.etag or etag, got.last_modified or modified, 304)
            return
        summary.items += len(got.items)
        items = _new_items(got.items, self.store)
        summary.new += len(items)
        source = got.feed.title or url
        batch: list[tuple[ArticleResult, str]] = []
        seen: list[tuple[str, str | None]] = []
        clusters: list[tuple[str, str]] = []
        batch_hashes: set[str] = set()
        for key, n, item in items:
            origin = f"{url}#{n}"
            article = (fetch_item(item, self.fetcher, source, origin) if self.options.fetch_pages
                       else item_article(item, source, origin))
            article = with_id(article)
            digest = content_hash(article)
            seen.append((key, digest))
            if not (article.text or article.html or article.title):
                summary.problems.append(f"{origin}: {article.error or 'no text'}")
                continue
            if digest in batch_hashes or self.store.has_article(digest):
                summary.already += 1
                continue
            result = self.processor(article)
            if self.dedup is not None:
                root = self.dedup.check(result.id, result.text)
                self.hashes.setdefault(result.id, digest)
                if root is not None:
                    result = replace(result, duplicate_of=root)
                    summary.copies += 1
                    clusters += [(root, self.hashes.get(root, "")), (root, digest)]
            summary.events += len(result.events)
            summary.problems.extend(f"{origin}: {e.message}" for e in result.errors)
            batch.append((result, digest))
            batch_hashes.add(digest)
        # Order matters for restarts: articles, then their URLs, then the feed's validators.
        summary.stored += self.store.add_results(batch, self.run_id) if batch else 0
        if clusters:
            self.store.save_story_clusters([c for c in clusters if c[1]])
        self.store.mark_urls_seen(seen)
        self.store.save_feed_state(url, got.etag, got.last_modified, got.status)


def _new_items(items: Sequence[FeedItem], store: Store) -> list[tuple[str, int, FeedItem]]:
    """(key, position, item) of the items not seen before; the key is the link (else the guid)."""
    keyed = [(item.link or item.guid, n, item) for n, item in enumerate(items, start=1)]
    keys = [k for k, _n, _i in keyed if k]
    known = store.seen_urls(keys)
    out: list[tuple[str, int, FeedItem]] = []
    taken: set[str] = set()
    for key, n, item in keyed:
        if key and key not in known and key not in taken:
            taken.add(key)
            out.append((key, n, item))
    return out


def poll_once(feeds: Sequence[str], store: Store, options: WatchOptions | None = None,
              fetcher: Fetcher | None = None, processor: Processor | None = None, argv: str = "watch") -> PollSummary:
    """One polling round over ``feeds`` into ``store`` (a run of its own)."""
    return next(iter_polls(feeds, store, replace(options or WatchOptions(), once=True), fetcher, processor, argv))


def iter_polls(feeds: Sequence[str], store: Store, options: WatchOptions | None = None,
               fetcher: Fetcher | None = None, processor: Processor | None = None, argv: str = "watch",
               sleep: Callable[[float], None] = time.sleep) -> Iterator[PollSummary]:
    """Poll ``feeds`` every ``options.interval`` seconds, yielding each round's summary (forever unless ``once``).

    The whole session is one run in the database; its statistics are updated after every round.
    """
    opts = options or WatchOptions()
    if not opts.once and opts.interval < MIN_INTERVAL:
        raise InputError(f"--interval must be at least {MIN_INTERVAL} seconds, got {opts.interval:g}")
    run_id = store.start_run(argv)
    session = _Round(store, opts, fetcher or Fetcher(opts.fetch), processor or _default_processor(), run_id)
    totals: dict[str, int] = {"rounds": 0, "stored": 0, "copies": 0, "events": 0, "failed": 0}
    while True:
        started = time.monotonic()
        summary = session.poll(feeds)
        totals["rounds"] += 1
        for k in ("stored", "copies", "events", "failed"):
            totals[k] += int(getattr(summary, k))
        store.finish_run(run_id, totals | {"last": summary.as_dict()})
        yield summary
        if opts.once:
            return
        sleep(max(0.0, opts.interval - (time.monotonic() - started)))


def watch(feeds: Sequence[str], store: Store, options: WatchOptions | None = None, fetcher: Fetcher | None = None,
          processor: Processor | None = None, argv: str = "watch", log: Callable[[str], None] | None = None,
          rounds: int | None = None, sleep: Callable[[float], None] = time.sleep) -> list[PollSummary]:
    """Poll until interrupted (or ``rounds`` rounds, or one with ``once``); log one line per round."""
    out: list[PollSummary] = []
    say = log or (lambda line: print(f"newsevents watch: {line}", file=sys.stderr, flush=True))
    for summary in iter_polls(feeds, store, options, fetcher, processor, argv, sleep):
        say(summary.line())
        for p in summary.problems[:10]:
            say(f"  problem: {p}")
        out.append(summary)
        if rounds is not None and len(out) >= rounds:
            break
    return out
