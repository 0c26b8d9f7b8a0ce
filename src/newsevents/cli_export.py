"""``newsevents export``: write a database as GDELT 2.0, PLOVER JSON, Parquet or newsevents/1 JSON Lines.

A thin wrapper over ``newsevents.export.export``; errors (missing database, unknown format, bad
output path) are NewsEventsError subclasses that ``cli.main`` prints as a clean message.
"""

from __future__ import annotations

import argparse
import sys

from newsevents.export import FORMATS, export
from newsevents.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    p = subparsers.add_parser(
        "export", help="export the database (GDELT 2.0 events/mentions/GKG, PLOVER JSON, Parquet, JSON Lines)",
        description="Export a newsevents database. gdelt-* are tab-separated GDELT 2.0 files without a header; "
                    "plover and jsonl are JSON Lines; parquet writes a directory with one file per table.",
    )
    p.add_argument("--db", default="newsevents.duckdb", help="database file (default: newsevents.duckdb)")
    p.add_argument("--format", required=True, choices=FORMATS, help="output format")
    p.add_argument("--out", required=True, help="output file (a directory for parquet)")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    with Store.open(args.db, read_only=True) as store:
        n = export(store, args.format, args.out)
    unit = "tables" if args.format == "parquet" else "records"
    print(f"newsevents export: {n} {unit} -> {args.out} ({args.format})", file=sys.stderr)
    return 0
