"""Throughput benchmark: newsevents against the spaCy parse it cannot avoid (a script, not a test).

Measures, on real-length articles, in one run:

1. articles/second of bare ``nlp.pipe`` (and of ``nlp(text)`` one by one) with the very model and
   components ``process`` uses, on the same texts; bare ``nlp.pipe`` and ``process`` are timed in
   alternation ``--rounds`` times (default 3) and the ratio reported is the median of the rounds;
2. articles/second of ``pipeline.process`` one by one, of ``pipeline.process_many`` (the batched parse
   the runners use) and of ``extract`` (process_many + the JSON line), and the ratio to bare spaCy;
3. articles/second of ``parallel.process_parallel`` with 1 and 2 worker processes (the speed-up);
4. peak RSS of the parent and of the largest worker (``getrusage``);
5. a cProfile of ``process``: time per stage and the top functions.

Texts: the bundled ``examples/`` and, when present, the PolNeAR development texts in
``../shared/gold/quotes/polnear_dev/text/`` (read at run time, never copied).  Usage::

    .venv/bin/python bench/throughput.py [--rounds 3] [--repeat 2] [--workers 2] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POLNEAR = ROOT.parent / "shared" / "gold" / "quotes" / "polnear_dev" / "text"

#: Stage -> function names (as cProfile labels them) whose cumulative time is that stage's cost.
STAGES: dict[str, tuple[str, ...]] = {
    "clean (clean_text)": ("clean_text",),
    "html (html_to_text)": ("html_to_text",),
    "spaCy parse (Language.__call__)": ("__call__@language.py",),
    "dates (find_dates)": ("find_dates",),
    "actors (start_article)": ("start_article",),
    "events (EventCoder.code)": ("code@events.py",),
    "places (find_places)": ("find_places",),
    "quotes (find_quotes)": ("find_quotes",),
    "amounts (find_amounts)": ("find_amounts",),
    "themes (find_themes)": ("find_themes",),
    "tone (score_tone)": ("score_tone",),
    "speakers (_code_speaker)": ("_code_speaker",),
}


def load_articles(use_polnear: bool) -> list[Any]:
    from newsevents.ingest import iter_articles

    paths = [str(EXAMPLES)]
    if use_polnear and POLNEAR.is_dir():
        paths.append(str(POLNEAR))
    return [a for a in iter_articles(paths) if a.text or a.html]


def machine() -> dict[str, Any]:
    import spacy

    from newsevents.nlp import load_model

    nlp = load_model()
    model = "?"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("Model name")), "?")
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            mem_kb = int(next(ln for ln in f if ln.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "spacy": spacy.__version__,
            "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}", "pipes": nlp.pipe_names,
            "load_average": os.getloadavg()}


def timed(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def stage_profile(articles: list[Any], options: Any) -> dict[str, Any]:
    from newsevents.pipeline import process

    prof = cProfile.Profile()
    prof.enable()
    for a in articles:
        process(a, options)
    prof.disable()
    stats = pstats.Stats(prof)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())  # tottime sum = profiled wall time
    stages: dict[str, float] = {}
    for stage, names in STAGES.items():
        cum = 0.0
        for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in raw.items():
            for name in names:
                fname, _, file_hint = name.partition("@")
                if func == fname and (not file_hint or filename.endswith(file_hint)):
                    cum = max(cum, ct)  # recursion-safe: the outermost entry carries the cumulative time
        stages[stage] = cum
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    return {"total": total, "stages": stages, "top": buf.getvalue()}


def bench(args: argparse.Namespace) -> dict[str, Any]:
    from newsevents.parallel import process_parallel
    from newsevents.pipeline import Options, load_resources, process, process_many
    from newsevents.records import ArticleResult

    opts = Options()
    res = load_resources()
    nlp = res.nlp
    articles = load_articles(not args.no_polnear) * args.repeat
    # the texts the parser sees in process(): cleaned title + body, as process builds them
    from newsevents.clean import CleanOptions, clean_text, html_to_text

    copts = CleanOptions(extra_vocabulary=res.vocabulary)
    texts = []
    for a in articles:
        body, title = a.text or "", a.title
        if a.html is not None and a.text is None:
            extracted = html_to_text(a.html, a.url)
            body, title = extracted.body or "", title or extracted.title
        texts.append(clean_text(body, title, copts).text)
    chars = sum(len(t) for t in texts)
    out: dict[str, Any] = {"articles": len(articles), "mean_chars": round(chars / len(texts)), "machine": machine()}
    process(articles[0], opts)  # warm caches
    list(nlp.pipe(texts[:5]))

    # Bare parse and process are timed in alternation, ``--rounds`` times: on a shared machine the load
    # drifts between two single timings, and the ratio of each round's pair is what the target is about.
    # ``extract`` runs process_many (batched parse, as the runners do); process() one by one is timed too.
    results: list[ArticleResult] = []
    t_call = timed(lambda: [nlp(t) for t in texts])
    t_process = timed(lambda: [process(a, opts) for a in articles])
    pipes: list[float] = []
    manys: list[float] = []
    for _ in range(max(1, args.rounds)):
        pipes.append(timed(lambda: list(nlp.pipe(texts, batch_size=args.batch_size))))
        results.clear()
        manys.append(timed(lambda: results.extend(process_many(articles, opts))))
    t_json = timed(lambda: [json.dumps(r.to_dict(), ensure_ascii=False) for r in results])
    n = len(articles)
    ratios = [tp / (tq + t_json) for tp, tq in zip(pipes, manys, strict=True)]
    t_pipe, t_many = statistics.median(pipes), statistics.median(manys)
    out["rounds"] = len(pipes)
    out["ratio_extract_vs_pipe_rounds"] = ratios
    out["bare_nlp_pipe_aps"] = n / t_pipe
    out["bare_nlp_call_aps"] = n / t_call
    out["process_aps"] = n / t_process
    out["process_many_aps"] = n / t_many
    out["extract_aps"] = n / (t_many + t_json)
    out["ratio_extract_vs_pipe"] = statistics.median(ratios)
    out["ratio_process_vs_pipe"] = t_pipe / t_many
    out["ratio_process_vs_call"] = t_call / t_process
    out["events"] = sum(len(r.events) for r in results)
    results.clear()  # forked workers would otherwise inherit (and count in their RSS) these results

    t_w1 = timed(lambda: sum(1 for _ in process_parallel(articles, opts, workers=1)))
    t_wn = timed(lambda: sum(1 for _ in process_parallel(articles, opts, workers=args.workers,
                                                         chunk_size=args.chunk_size)))
    out["workers"] = args.workers
    out["w1_aps"] = n / t_w1
    out["wn_aps"] = n / t_wn
    out["speedup"] = t_w1 / t_wn
    out["peak_rss_parent_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["peak_rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    prof = stage_profile(articles[: max(1, n // args.repeat)], opts)
    out["profile"] = prof
    out["machine"]["load_average_end"] = os.getloadavg()
    return out


def report(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; Python {m['python']}, spaCy {m['spacy']}, "
        f"model {m['model']} (pipes: {', '.join(m['pipes'])})",
        f"load average at start {m['load_average'][0]:.2f}, at end {m['load_average_end'][0]:.2f}",
        f"articles: {r['articles']} (mean {r['mean_chars']} characters after cleaning), events: {r['events']}",
        "",
        "| measure | articles/s |",
        "| --- | ---: |",
        f"| bare nlp.pipe | {r['bare_nlp_pipe_aps']:.1f} |",
        f"| bare nlp(text) one by one | {r['bare_nlp_call_aps']:.1f} |",
        f"| pipeline.process, one by one | {r['process_aps']:.1f} |",
        f"| pipeline.process_many (batched parse) | {r['process_many_aps']:.1f} |",
        f"| extract (process + JSON line) | {r['extract_aps']:.1f} |",
        f"| process_parallel, 1 worker | {r['w1_aps']:.1f} |",
        f"| process_parallel, {r['workers']} workers | {r['wn_aps']:.1f} |",
        "",
        f"extract / bare nlp.pipe: {r['ratio_extract_vs_pipe']:.2f} (target >= 0.8; median of {r['rounds']} rounds: "
        f"{', '.join(f'{x:.2f}' for x in r['ratio_extract_vs_pipe_rounds'])}); "
        f"process_many / nlp.pipe {r['ratio_process_vs_pipe']:.2f}; "
        f"process / nlp(text) {r['ratio_process_vs_call']:.2f}",
        f"speed-up 1 -> {r['workers']} workers: {r['speedup']:.2f}x (target >= 1.7x)",
        f"peak RSS: parent {r['peak_rss_parent_mb']:.0f} MB, largest worker {r['peak_rss_worker_mb']:.0f} MB "
        "(target <= 1500 MB per worker)",
        "",
        f"profile of process() on {r['articles']} articles' first pass, {r['profile']['total']:.1f} s profiled:",
        "",
        "| stage | seconds | share |",
        "| --- | ---: | ---: |",
    ]
    total = r["profile"]["total"] or 1.0
    for stage, sec in sorted(r["profile"]["stages"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {stage} | {sec:.2f} | {100 * sec / total:.0f}% |")
    lines += ["", "top functions by own time:", "", r["profile"]["top"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=1, help="pass over the texts this many times")
    p.add_argument("--rounds", type=int, default=3,
                   help="time bare parse and process in alternation this many times; the ratio is the median")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--chunk-size", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    p.add_argument("--no-polnear", action="store_true", help="only the bundled examples")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    r = bench(args)
    if args.json:
        r["profile"].pop("top")
        print(json.dumps(r, indent=2, default=str))
    else:
        print(report(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
