"""``newsevents watch FEEDS --db FILE [--interval 900] [--once]``: poll feeds into the database.

A thin wrapper over ``watch.watch``: FEEDS are feed URLs or files listing them (one per line).
One line per polling round goes to stderr; Ctrl-C stops cleanly (``cli.main`` prints it).
"""

from __future__ import annotations

import argparse
import sys

from newsevents.feeds import DEFAULT_TIMEOUT
from newsevents.watch import DEFAULT_INTERVAL


def cmd_watch(args: argparse.Namespace) -> int:
    from newsevents.cli import _options
    from newsevents.feeds import FetchOptions
    from newsevents.pipeline import process
    from newsevents.store import Store
    from newsevents.watch import WatchOptions, read_feed_list, watch

    feeds = read_feed_list(args.feeds)
    popts = _options(args)
    wopts = WatchOptions(interval=args.interval, once=args.once, fetch_pages=not args.no_pages,
                         dedup=not args.no_dedup, fetch=FetchOptions(timeout=args.timeout))
    with Store.open(args.db) as store:
        summaries = watch(feeds, store, wopts, processor=lambda a: process(a, popts), argv=" ".join(sys.argv))
    return 1 if summaries and all(s.failed == s.feeds for s in summaries) else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from newsevents.cli import _add_analysis_options

    p = subparsers.add_parser("watch", help="poll RSS/Atom feeds on a schedule and store new articles")
    p.add_argument("feeds", nargs="+", metavar="FEEDS", help="feed URLs, or files listing feed URLs one per line")
    p.add_argument("--db", default="newsevents.duckdb", help="database file (default: newsevents.duckdb)")
    p.add_argument("--interval", type=float, default=DEFAULT_INTERVAL,
                   help=f"seconds between polling rounds (default: {DEFAULT_INTERVAL}, at least 60)")
    p.add_argument("--once", action="store_true", help="poll once and exit (for cron)")
    p.add_argument("--no-pages", action="store_true", help="store each item's feed summary; do not fetch pages")
    p.add_argument("--no-dedup", action="store_true", help="do not mark copies of earlier articles")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"seconds to wait for a server (default: {DEFAULT_TIMEOUT:g})")
    _add_analysis_options(p)
    p.set_defaults(func=cmd_watch)
