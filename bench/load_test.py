"""Load test: the HTTP server under concurrent readers while ``newsevents run`` adds articles.

A script, not a test.  What it does, all on 127.0.0.1:

1. builds a database from part of ``examples/`` with ``newsevents run``;
2. checks the naive set-up -- ``newsevents run --db FILE`` while ``newsevents serve --db FILE`` is
   up -- and reports what DuckDB does (the run is refused: the server's read-only connection holds
   a shared lock, and a writer needs the file to itself);
3. starts ``newsevents serve`` and, while ``--clients`` threads (50 by default) send requests
   without pause for ``--seconds`` (30), a writer thread adds the rest of the examples in
   snapshot swaps: copy the database, ``newsevents run`` into the copy, ``os.replace`` it over
   the served file; the server re-opens the new file on its next request.  The clients go on
   until ``--seconds`` have passed and the last swap has landed;
4. prints latency percentiles (p50/p95/p99/max), requests per second, the error count (any
   status other than 200, or a transport error), the article counts the clients saw before and
   after the swaps, and the writer's results.  ``--json`` prints the figures as JSON.

Usage::

    .venv/bin/python bench/load_test.py [--clients 50] [--seconds 30] [--no-writer] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NEWSEVENTS = [sys.executable, "-m", "newsevents.cli"]

#: What the clients ask for, in turn: the JSON API and the HTML pages, filtered and not.
PATHS = (
    "/api/stats",
    "/api/events?page_size=20",
    "/api/events?actor=RUS&sort=confidence",
    "/api/events?type=CONSULT&page=2&page_size=5",
    "/api/search?q=minister",
    "/api/dyads",
    "/",
    "/events?cameo_root=04",
    "/dyads",
)

#: Seconds to wait for the server to answer its first request (it imports FastAPI and opens the file).
STARTUP_SECONDS = 60.0

#: The clients go on past ``--seconds`` until the writer's last swap has landed, but never longer
#: than this: a ``newsevents run`` loads the spaCy model first, which takes 10-30 s on a loaded machine.
MAX_EXTRA_SECONDS = 120.0

#: Per-request timeout of the clients; a request slower than this counts as an error.
REQUEST_TIMEOUT_SECONDS = 30.0


@dataclass
class Tally:
    """What one client thread saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    articles_seen: list[int] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def newsevents(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSEVENTS, *args], capture_output=True, text=True, timeout=600)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def client(base: str, start: int, stop_at: float, writer_done: threading.Event, tally: Tally) -> None:
    """Requests without pause until ``stop_at`` has passed and the writer is done (or the hard cap)."""
    cap = stop_at + MAX_EXTRA_SECONDS
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_SECONDS) as http:
        i = start
        while (time.monotonic() < stop_at or not writer_done.is_set()) and time.monotonic() < cap:
            path = PATHS[i % len(PATHS)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = http.get(path)
            except httpx.HTTPError as exc:
                tally.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            tally.latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                tally.errors.append(f"{path}: HTTP {r.status_code}: {r.text[:200]}")
            elif path == "/api/stats":
                tally.articles_seen.append(int(r.json()["counts"]["articles"]))


def writer(db: Path, batches: list[list[str]], log: list[dict[str, Any]], done: threading.Event) -> None:
    """Add each batch of inputs by a snapshot swap: copy, run into the copy, replace the served file."""
    try:
        _write(db, batches, log)
    finally:
        done.set()


def _write(db: Path, batches: list[list[str]], log: list[dict[str, Any]]) -> None:
    for paths in batches:
        t0 = time.monotonic()
        nxt = db.with_name(db.name + ".next")
        shutil.copyfile(db, nxt)
        out = newsevents("run", *paths, "--db", str(nxt))
        if out.returncode == 0:
            os.replace(nxt, db)
        log.append({"inputs": len(paths), "exit": out.returncode, "seconds": round(time.monotonic() - t0, 1),
                    "said": out.stderr.strip().splitlines()[-1:] if out.stderr else []})


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-writer", action="store_true", help="readers only (the baseline): no run, no swap")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="newsevents-load-"))
    db = work / "live.duckdb"
    first = newsevents("run", str(EXAMPLES / "txt"), "--db", str(db))
    if first.returncode != 0:
        raise SystemExit(f"initial run failed: {first.stderr}")
    batches = [] if args.no_writer else [[str(EXAMPLES / "html")], [str(EXAMPLES / "jsonl")]]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*NEWSEVENTS, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(base)
        naive = newsevents("run", str(EXAMPLES / "html"), "--db", str(db))
        naive_result = {"exit": naive.returncode, "said": naive.stderr.strip()[:300]}

        stop_at = time.monotonic() + args.seconds
        tallies = [Tally() for _ in range(args.clients)]
        log: list[dict[str, Any]] = []
        done = threading.Event()
        threads = [threading.Thread(target=client, args=(base, i, stop_at, done, t), daemon=True)
                   for i, t in enumerate(tallies)]
        w = threading.Thread(target=writer, args=(db, batches, log, done), daemon=True)
        t0 = time.monotonic()
        for t in threads:
            t.start()
        w.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        w.join()
        after = httpx.get(base + "/api/stats", timeout=REQUEST_TIMEOUT_SECONDS).json()["counts"]["articles"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    lat = [x for t in tallies for x in t.latencies]
    errors = [e for t in tallies for e in t.errors]
    seen = [n for t in tallies for n in t.articles_seen]
    figures = {
        "clients": args.clients, "seconds": round(elapsed, 1), "requests": len(lat) + sum(
            1 for e in errors if "HTTP" not in e), "rps": round(len(lat) / elapsed, 1),
        "p50_ms": round(1000 * percentile(lat, 50), 1), "p95_ms": round(1000 * percentile(lat, 95), 1),
        "p99_ms": round(1000 * percentile(lat, 99), 1), "max_ms": round(1000 * max(lat, default=0), 1),
        "mean_ms": round(1000 * statistics.fmean(lat), 1) if lat else None,
        "errors": len(errors), "first_errors": errors[:5],
        "articles_seen_min": min(seen, default=None), "articles_seen_max": max(seen, default=None),
        "articles_after": after, "writer": log, "naive_run_while_serving": naive_result,
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for k, v in figures.items():
            print(f"{k}: {v}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
