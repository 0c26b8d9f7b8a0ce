"""The evaluation gate: accuracy on the development gold sets may not fall below pinned floors.

Floors live in ``tests/eval_floors.json`` and only ever go up.  The gold sets are read from
``../shared/gold``; the tests skip cleanly when that folder is absent.  One test also checks that
``newsevents eval`` agrees with the reference scorer (``../shared/tools/score.py``) on a sample.
"""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def plover_figures(gold_dir: Path) -> dict[str, Any]:
    return evaluate("plover", str(gold_dir / "events" / "plover_gsr_dev.jsonl"))


@pytest.mark.parametrize("name", sorted(FLOORS["plover"]))
def test_plover_floor(plover_figures: dict[str, Any], name: str) -> None:
    assert plover_figures[name] >= FLOORS["plover"][name], f"{name} fell below its floor"


@pytest.mark.parametrize("name", sorted(FLOORS["plover_max"]))
def test_plover_ceiling(plover_figures: dict[str, Any], name: str) -> None:
    assert plover_figures[name] <= FLOORS["plover_max"][name], f"{name} rose above its ceiling"


def test_eval_agrees_with_the_reference_scorer(gold_dir: Path) -> None:
    scorer = gold_dir.parent / "tools" / "score.py"
    if not scorer.is_file():
        pytest.skip("reference scorer not present")
    cmd = f"{sys.executable} -m newsevents.cli extract -"
    proc = subprocess.run([sys.executable, str(scorer), "plover", "--limit", str(AGREEMENT_SAMPLE), "--cmd", cmd],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    theirs = {m[0]: float(m[1]) for m in re.findall(r"^(plover\.[a-z0-9_]+): ([0-9.]+)$", proc.stdout, re.M)}
    ours = evaluate("plover", str(gold_dir / "events" / "plover_gsr_dev.jsonl"), limit=AGREEMENT_SAMPLE)
    assert theirs, proc.stdout
    for name, value in theirs.items():
        assert round(ours[name], 3) == round(value, 3), (name, ours[name], value)
