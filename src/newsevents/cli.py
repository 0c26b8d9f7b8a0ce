"""The ``newsevents`` command line: one thin wrapper per command over one library call.

Each command parses its options, calls the library, and turns a ``NewsEventsError`` into a
one-line message on stderr with exit status 2 (1 for a run whose failure ratio is too high).
Commands: extract, run, stats, events, summary, eval.  ``newsevents COMMAND --help`` for each.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import sys
from collections.abc import Sequence
from typing import Any

from newsevents import __version__
from newsevents.errors import NewsEventsError

#: ``run`` exits 1 when more than this share of the articles it saw failed outright.
MAX_FAILURE_RATIO = 0.5

#: Modules that add commands of their own: each has ``register(subparsers)`` which adds its
#: sub-parser and sets ``func`` to a thin wrapper over one library call.
COMMAND_MODULES: tuple[str, ...] = ("newsevents.cli_watch", "newsevents.cli_export", "newsevents.cli_serve")

#: Tasks of ``newsevents eval`` (kept here so that --help needs no heavy import; evaluate.TASKS rules).
EVAL_TASKS = ("plover", "india", "petrarch", "glue", "html", "geo", "quotes", "dates")


def _add_analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--published", help="publication date (ISO) for articles that do not give one")
    p.add_argument("--knowledge", action="append", default=[], metavar="DIR",
                   help="a folder of extra knowledge files (actors, verb patterns); repeatable")
    p.add_argument("--max-chars", type=int, default=None, help="analyse at most this many characters per article")


def _options(args: argparse.Namespace) -> Any:
    from newsevents.pipeline import DEFAULT_MAX_CHARS, Options

    return Options(published=args.published, knowledge_dirs=tuple(args.knowledge),
                   max_chars=args.max_chars or DEFAULT_MAX_CHARS)


def cmd_extract(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from newsevents.dedup import Deduplicator
    from newsevents.ingest import iter_articles
    from newsevents.parallel import process_articles

    opts = _options(args)
    n = readable = 0
    out = sys.stdout
    copies = Deduplicator()
    for result in process_articles(iter_articles(args.paths), opts, args):
        root = copies.check(result.id, result.text) if result.text else None
        if root is not None:
            result = replace(result, duplicate_of=root)
        n += 1
        readable += bool(result.text)
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
        for err in result.errors:
            print(f"newsevents: {result.id}: {err.stage}: {err.message}", file=sys.stderr)
    if n and not readable:
        print("newsevents: no readable article in the input", file=sys.stderr)
        return 2
    return 0


def _input_sizes(paths: Sequence[str]) -> dict[str, int]:
    """Bytes of every input file (stdin and URLs excluded), for the progress estimate."""
    from pathlib import Path

    from newsevents.ingest import expand

    sizes: dict[str, int] = {}
    try:
        for item in expand([p for p in paths if p != "-" and "://" not in p]):
            if isinstance(item, Path):
                sizes[str(item)] = item.stat().st_size
    except (OSError, NewsEventsError):
        return {}
    return sizes


def _progress_printer(paths: Sequence[str] = ()) -> tuple[Any, Any]:
    """A rich progress bar with rate and ETA on a terminal, plain log lines otherwise.

    The ETA comes from the bytes of the input files done so far (a file counts as done when the
    next one starts), so it is exact for folders of articles and coarse for one big JSONL file.
    """
    import time

    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    sizes = _input_sizes(paths)
    total = sum(sizes.values()) or None
    done: dict[str, int] = {}
    current = [""]

    def bytes_done(label: str) -> int:
        path = label.rsplit(":", 1)[0] if label.rsplit(":", 1)[0] in sizes else label
        if path in sizes and path != current[0]:
            if current[0]:
                done[current[0]] = sizes[current[0]]
            current[0] = path
        return sum(done.values())

    console = Console(stderr=True)
    if console.is_terminal:
        bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       TextColumn("{task.fields[articles]} articles"), TextColumn("{task.fields[rate]}"),
                       TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=True)
        task = bar.add_task("processing", total=total, articles=0, rate="")
        start = time.monotonic()

        def update(summary: Any, label: str) -> None:
            rate = summary.seen / max(1e-6, time.monotonic() - start)
            bar.update(task, completed=bytes_done(label) if total else summary.seen, articles=summary.seen,
                       description=label[-40:], rate=f"{rate:.1f}/s")

        return bar, update
    last = [0.0]
    start_log = time.monotonic()

    def log(summary: Any, label: str) -> None:
        now = time.monotonic()
        if now - last[0] >= 5 or summary.seen == 1:
            last[0] = now
            share = bytes_done(label) / total if total else 0.0
            eta = f", about {(now - start_log) * (1 - share) / share:.0f}s left" if share > 0 else ""
            print(f"newsevents run: {summary.seen} read, {summary.processed} processed, "
                  f"{summary.skipped} already stored, {summary.failed} failed{eta}", file=sys.stderr)

    return None, log


def cmd_run(args: argparse.Namespace) -> int:
    from newsevents.parallel import parallel_options
    from newsevents.runner import run
    from newsevents.store import Store

    par = parallel_options(args)
    bar, update = _progress_printer(args.paths)

    def go(store: Store) -> Any:
        return run(args.paths, store, _options(args), progress=update, workers=par.workers, chunk_size=par.chunk_size,
                   engine=args.engine, ray_address=args.ray_address, dedup=not args.no_dedup)

    with Store.open(args.db) as store:
        if bar is not None:
            with bar:
                summary = go(store)
        else:
            summary = go(store)
    for p in summary.problems[: args.show_problems]:
        print(f"  problem: {p}", file=sys.stderr)
    if len(summary.problems) > args.show_problems:
        print(f"  ... and {len(summary.problems) - args.show_problems} more (see the errors tables)", file=sys.stderr)
    print(f"newsevents run: {summary.seen} articles read, {summary.inserted} added, {summary.skipped} already "
          f"stored, {summary.failed} unreadable, {summary.events} events, {summary.seconds:.1f}s -> {args.db}",
          file=sys.stderr)
    return 1 if summary.failure_ratio > MAX_FAILURE_RATIO else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from newsevents.store import Store

    with Store.open(args.db, read_only=True) as store:
        stats = store.stats()
    if args.json:
        print(json.dumps(stats))
    else:
        width = max(len(k) for k in stats)
        for k, v in stats.items():
            print(f"{k:<{width}}  {v}")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from newsevents.store import EventFilter, Store

    flt = EventFilter(actor=args.actor, plover=args.type.upper() if args.type else None, cameo_root=args.cameo_root,
                      date_from=args.date_from, date_to=args.date_to, text=args.text, limit=args.limit,
                      dyad=args.dyad, country=args.country, place=args.place, group_id=args.event_id)
    with Store.open(args.db, read_only=True) as store:
        rows = store.events(flt)
    if args.format == "json":
        for r in rows:
            print(json.dumps(r, ensure_ascii=False, default=str))
    elif args.format == "csv":
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                w.writerow({k: json.dumps(v, default=str) if isinstance(v, (list, dict)) else v for k, v in r.items()})
    else:
        from rich.console import Console

        from newsevents.report import render_events

        render_events(rows, Console())
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from rich.console import Console

    from newsevents.report import render_summary
    from newsevents.store import Store

    with Store.open(args.db, read_only=True) as store:
        summary = store.summary(args.examples)
    render_summary(summary, Console())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from newsevents.evaluate import evaluate

    figures = evaluate(args.task, args.gold, limit=args.limit, progress=not args.json)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for k, v in figures.items():
            print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from newsevents.parallel import add_parallel_options

    parser = argparse.ArgumentParser(prog="newsevents", description="News articles in, traceable event data out.")
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="analyse articles; one newsevents/1 JSON record per article to stdout")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=".txt .html .jsonl files or folders; none or - reads JSONL on stdin")
    _add_analysis_options(p)
    add_parallel_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("run", help="analyse articles into a DuckDB database (idempotent, resumable)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", default="newsevents.duckdb", help="database file (default: newsevents.duckdb)")
    p.add_argument("--show-problems", type=int, default=10, help="how many per-article problems to print")
    p.add_argument("--no-dedup", action="store_true", help="do not look for copies of earlier articles")
    _add_analysis_options(p)
    add_parallel_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("stats", help="row counts of a database")
    p.add_argument("--db", default="newsevents.duckdb")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("events", help="list stored events, with filters")
    p.add_argument("--db", default="newsevents.duckdb")
    p.add_argument("--actor", help="actor code, country or name (source or target)")
    p.add_argument("--type", help="PLOVER event type, e.g. CONSULT")
    p.add_argument("--cameo-root", help="CAMEO root code, e.g. 04")
    p.add_argument("--from", dest="date_from", help="first event date (ISO)")
    p.add_argument("--to", dest="date_to", help="last event date (ISO)")
    p.add_argument("--text", help="text in the evidence sentence")
    p.add_argument("--dyad", help="SOURCE,TARGET actor codes or countries, e.g. RUS,UKR (directed)")
    p.add_argument("--country", help="ISO alpha-3 country of either actor")
    p.add_argument("--place", help="place name where the event happened")
    p.add_argument("--event-id", type=int, help="one merged real-world event (all its mentions)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("summary", help="a readable summary of a database")
    p.add_argument("--db", default="newsevents.duckdb")
    p.add_argument("--examples", type=int, default=10, help="how many example events to show")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("eval", help="score the engine on a gold set (docs/EVALUATION.md)")
    p.add_argument("task", help="the gold set's task: " + ", ".join(EVAL_TASKS))
    p.add_argument("gold", help="the gold file or folder")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except NewsEventsError as exc:
        print(f"newsevents: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `newsevents extract ... | head`
        return 0
    except KeyboardInterrupt:
        print("newsevents: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
