"""The evaluation gate: accuracy on the development gold sets may not fall below pinned floors.

Floors live in ``tests/eval_floors.json`` and only ever go up.  The gold sets are read from
``../shared/gold``; the tests skip cleanly when that folder is absent.  Every task also checks that
``newsevents eval`` agrees with the reference scorer (``../shared/tools/score.py``) on a small sample.

To keep the gate within a few minutes, PLOVER and India are scored in full and the other sets on a fixed
sample (the first ``GATE_LIMITS[task]`` documents in the reference scorer's order); the figures of
the full sets are in docs/EVALUATION.md.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsevents.evaluate import evaluate

FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text())
ROOT = Path(__file__).resolve().parent.parent
#: Sentences of the PLOVER set scored by both scorers in the agreement test (about 10 s each).
AGREEMENT_SAMPLE = 40

#: Where each task's gold data lives under ../shared/gold.
GOLD_PATHS = {
    "plover": "events/plover_gsr_dev.jsonl", "india": "events/india_police_dev", "glue": "glue/glue_dev.jsonl",
    "html": "html/scrapinghub_dev", "geo": "geo", "quotes": "quotes/polnear_dev", "dates": "dates/tbaq",
}
#: Documents scored by the gate per task (None: all).  Chosen so that each task takes well under a
#: minute on one core: about 1 s per geo/quotes/dates article, 2.5 s per HTML page or glue pair.
#: India's 1,036 short sentences take about 20 s, so it is scored in full.
GATE_LIMITS: dict[str, int | None] = {"plover": None, "geo": 30, "quotes": 20, "dates": 30, "html": 12, "glue": 12,
                                      "india": None}
#: Documents scored by both scorers in the agreement tests of the other tasks (each runs the
#: reference scorer in a subprocess, which loads the model again: keep them small).
AGREEMENT_LIMITS = {"geo": 4, "quotes": 4, "dates": 4, "html": 3, "glue": 3, "india": 20}
#: Tasks with floors (higher is better) and ceilings (lower is better) in eval_floors.json.
FLOOR_TASKS = sorted(k for k in FLOORS if not k.startswith("_") and not k.endswith("_max"))
CEILING_TASKS = sorted(k[: -len("_max")] for k in FLOORS if k.endswith("_max"))


@pytest.fixture(scope="module")
def figures(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Figures per task, computed on first use (a module-wide cache)."""
    return {}


def _figures(cache: dict[str, dict[str, Any]], gold_dir: Path, task: str) -> dict[str, Any]:
    if task not in cache:
        cache[task] = evaluate(task, str(gold_dir / GOLD_PATHS[task]), limit=GATE_LIMITS[task])
    return cache[task]


@pytest.mark.parametrize(("task", "name"), [(t, n) for t in FLOOR_TASKS for n in sorted(FLOORS[t])])
def test_floor(figures: dict[str, dict[str, Any]], gold_dir: Path, task: str, name: str) -> None:
    value = _figures(figures, gold_dir, task)[name]
    assert value >= FLOORS[task][name], f"{name} = {value:.4f} fell below its floor {FLOORS[task][name]}"


@pytest.mark.parametrize(("task", "name"), [(t, n) for t in CEILING_TASKS for n in sorted(FLOORS[f"{t}_max"])])
def test_ceiling(figures: dict[str, dict[str, Any]], gold_dir: Path, task: str, name: str) -> None:
    value = _figures(figures, gold_dir, task)[name]
    assert value <= FLOORS[f"{task}_max"][name], f"{name} = {value:.4f} rose above its ceiling"


def _reference(gold_dir: Path, task: str, limit: int) -> dict[str, float]:
    scorer = gold_dir.parent / "tools" / "score.py"
    if not scorer.is_file():
        pytest.skip("reference scorer not present")
    cmd = f"{sys.executable} -m newsevents.cli extract -"
    proc = subprocess.run([sys.executable, str(scorer), task, "--limit", str(limit), "--cmd", cmd],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    theirs = {m[0]: float(m[1]) for m in re.findall(r"^([a-z0-9_]+\.[^:\n]+): ([0-9.]+|nan)$", proc.stdout, re.M)}
    assert theirs, proc.stdout
    return theirs


def _agree(ours: dict[str, Any], theirs: dict[str, float]) -> None:
    for name, value in theirs.items():
        assert name in ours, f"{name} is not reported by newsevents eval"
        if math.isnan(value):
            assert math.isnan(ours[name]), name
        else:
            assert round(ours[name], 3) == round(value, 3), (name, ours[name], value)


def test_eval_agrees_with_the_reference_scorer(gold_dir: Path) -> None:
    theirs = _reference(gold_dir, "plover", AGREEMENT_SAMPLE)
    _agree(evaluate("plover", str(gold_dir / GOLD_PATHS["plover"]), limit=AGREEMENT_SAMPLE), theirs)


@pytest.mark.parametrize("task", sorted(AGREEMENT_LIMITS))
def test_task_agrees_with_the_reference_scorer(gold_dir: Path, task: str) -> None:
    limit = AGREEMENT_LIMITS[task]
    theirs = _reference(gold_dir, task, limit)
    _agree(evaluate(task, str(gold_dir / GOLD_PATHS[task]), limit=limit), theirs)
