"""Benchmark of the store at scale (a script, not a test).

Creates a newsevents database with the real schema (``Store.open`` applies the migrations),
bulk-fills ``event_groups`` with N synthetic real-world events (default 10 million, generated
inside DuckDB in one INSERT ... SELECT), then times the two analyst queries of
``newsevents.queries`` through the public Store methods:

(a) ``Store.dyad_series``: a daily cooperation-conflict series (events, mean Goldstein, counts by
    QuadClass) for one directed dyad over the whole period;
(b) ``Store.top_actors``: the 20 actor codes in most events over one year.

Usage: ``.venv/bin/python bench/store_bench.py [--events 10000000] [--db /tmp/ne-bench.duckdb]``
Keep the file under /tmp (10 M events take about a gigabyte).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import duckdb

from newsevents.store import Store

# Countries drawn with a skew (index = floor(n * random()^2)) so that the first ones, among them
# the benchmark dyad RUS -> UKR, are frequent, as a few countries dominate real news.
COUNTRIES = [
    "USA", "RUS", "UKR", "CHN", "GBR", "FRA", "DEU", "ISR", "IRN", "IND", "PAK", "TUR", "SYR", "IRQ", "AFG",
    "JPN", "KOR", "PRK", "SAU", "EGY", "NGA", "ZAF", "KEN", "ETH", "SOM", "SDN", "BRA", "MEX", "VEN", "COL",
    "ARG", "CAN", "AUS", "IDN", "PHL", "VNM", "THA", "MMR", "BGD", "POL", "ITA", "ESP", "NLD", "BEL", "SWE",
    "NOR", "FIN", "GRC", "SRB", "HUN", "ROU", "BLR", "GEO", "ARM", "AZE", "KAZ", "LBN", "JOR", "YEM", "LBY",
]
SECTORS = ["", "GOV", "MIL", "COP", "REB", "OPP", "CVL", "BUS", "MED", "JUD"]
FIRST_DAY = "2015-01-01"
DAYS = 3650
REPEATS = 5


def fill(path: Path, n: int) -> float:
    """Create the schema and insert n synthetic event groups; return seconds."""
    with Store.open(path):
        pass
    con = duckdb.connect(str(path))
    t0 = time.perf_counter()
    con.execute("SET VARIABLE countries = ?", [COUNTRIES])
    con.execute("SET VARIABLE sectors = ?", [SECTORS])
    sql = f"""
        INSERT INTO event_groups
        SELECT i AS group_id, cameo, left(cameo, 2), goldstein, quad_class, NULL,
               [src || s_sec], [tgt || t_sec], [src], [tgt], NULL, NULL, day, day, day, day,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, i, i,
               mentions, least(mentions, 1 + (i % 7)::INTEGER), mentions, 1 - 0.5 ^ mentions, tone, NULL, NULL, NULL,
               day::TIMESTAMP, day::TIMESTAMP
        FROM (
            SELECT i,
                   getvariable('countries')[1 + floor({len(COUNTRIES)} * random() ^ 2)::INTEGER] AS src,
                   getvariable('countries')[1 + floor({len(COUNTRIES)} * random() ^ 2)::INTEGER] AS tgt,
                   getvariable('sectors')[1 + floor({len(SECTORS)} * random())::INTEGER] AS s_sec,
                   getvariable('sectors')[1 + floor({len(SECTORS)} * random())::INTEGER] AS t_sec,
                   lpad((1 + floor(20 * random()))::INTEGER::VARCHAR, 2, '0') || '0' AS cameo,
                   (1 + floor(4 * random()))::INTEGER AS quad_class,
                   round(20 * random() - 10, 1) AS goldstein,
                   (1 + floor(50 * random() ^ 4))::INTEGER AS mentions,
                   round(10 * random() - 5, 2) AS tone,
                   (DATE '{FIRST_DAY}' + (i * {DAYS} // (? + 1))::INTEGER) AS day
            FROM range(1, ? + 1) t(i)
        )
    """
    con.execute(sql, [n, n])
    con.close()
    return time.perf_counter() - t0


def timed(fn: object, repeats: int = REPEATS) -> tuple[float, float, int]:
    """(best, median) seconds over ``repeats`` calls after one warm-up, and the rows returned."""
    call = fn  # type: ignore[assignment]
    rows = len(call())  # type: ignore[operator]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), rows


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores visible, RAM {mem}, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--db", default="/tmp/ne-bench.duckdb")
    parser.add_argument("--reuse", action="store_true", help="time an existing database instead of refilling it")
    args = parser.parse_args()
    path = Path(args.db)
    print(machine())
    if not args.reuse:
        for leftover in (path, Path(f"{path}.wal")):
            leftover.unlink(missing_ok=True)
        seconds = fill(path, args.events)
        print(f"filled {args.events:,} event groups in {seconds:.1f}s ({path.stat().st_size / 1e9:.2f} GB)")
    with Store.open(path, read_only=True) as store:
        total = store._query("SELECT count(*) FROM event_groups")[0][0]
        print(f"event_groups rows: {total:,}")
        best, med, n = timed(lambda: store.dyad_series("RUS", "UKR", "2015-01-01", "2024-12-31"))
        print(f"(a) daily RUS->UKR series, 10 years: {n} days, best {best:.3f}s, median {med:.3f}s")
        best, med, n = timed(lambda: store.top_actors("2020-01-01", "2020-12-31", limit=20))
        print(f"(b) top 20 actors, one year:          {n} rows, best {best:.3f}s, median {med:.3f}s")
        best, med, n = timed(lambda: store.top_actors("2015-01-01", "2024-12-31", limit=20))
        print(f"(b') top 20 actors, all 10 years:     {n} rows, best {best:.3f}s, median {med:.3f}s")


if __name__ == "__main__":
    main()
