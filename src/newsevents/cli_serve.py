"""``newsevents serve``: the HTTP API and dashboard over a database (a thin wrapper).

The server only reads the database and binds 127.0.0.1 unless ``--host`` says otherwise;
``newsevents.server.app.serve`` does the work.
"""

from __future__ import annotations

import argparse

from newsevents.errors import InputError

#: Highest TCP port number.
MAX_PORT = 65535


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the dashboard; returns when the server is stopped (Ctrl-C)."""
    if not 0 < args.port <= MAX_PORT:
        raise InputError(f"--port must be between 1 and {MAX_PORT}, got {args.port}")
    from newsevents.server.app import serve

    serve(args.db, host=args.host, port=args.port)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` command."""
    from newsevents.server.app import DEFAULT_HOST, DEFAULT_PORT

    p = subparsers.add_parser("serve", help="serve the JSON API and the dashboard over a database (read-only)")
    p.add_argument("--db", default="newsevents.duckdb", help="database file (default: newsevents.duckdb)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default: {DEFAULT_HOST}, this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default: {DEFAULT_PORT})")
    p.set_defaults(func=cmd_serve)
