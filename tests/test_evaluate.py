"""Tests for newsevents.evaluate on a small gold file written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents.errors import EvalError
from newsevents.evaluate import actor_matches, evaluate, gold_codes
from newsevents.records import Actor

RECORDS = [
    {"id": "t1", "event": "ACCUSE", "text": "Kenya accused Uganda of arming rebels.",
     "source": [{"actorText": "Kenya", "code": "KEN"}], "target": [{"actorText": "Uganda", "code": "UGA"}]},
    {"id": "t2", "event": "DISAPPROVE", "text": "Peru criticised Chile over the border dispute.",
     "source": [{"actorText": "Peru", "code": "PER"}], "target": [{"actorText": "Chile", "code": "CHL"}]},
    {"id": "t3", "event": "AID", "text": "The weather was mild in Lima.", "source": [], "target": ""},
]


@pytest.fixture()
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_scores_a_small_gold_file(gold: Path) -> None:
    f = evaluate("plover", str(gold))
    assert f["plover.sentences"] == 3
    assert f["plover.type_recall"] == pytest.approx(2 / 3)  # old name DISAPPROVE maps to ACCUSE
    assert f["plover.strict_accuracy"] == pytest.approx(2 / 3)
    assert f["plover.no_event_rate"] == pytest.approx(1 / 3)
    assert f["plover.recall.AID"] == 0.0


def test_code_mapping_and_actor_matching() -> None:
    assert gold_codes([{"code": "JAP"}, {"code": "ITL"}, {"code": "x"}]) == ["JPN", "ITA"]
    assert actor_matches("RUS", Actor("Kremlin", 0, 7, code="RUSGOV", country="RUS"))
    assert actor_matches("IGO", Actor("NATO", 0, 4, code="IGOWSTNAT", kind="igo"))
    assert not actor_matches("USA", Actor("NATO", 0, 4, code="IGOWSTNAT", kind="igo"))


def test_missing_gold_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="not found"):
        evaluate("plover", str(tmp_path / "none.jsonl"))
    with pytest.raises(EvalError, match="unknown task"):
        evaluate("nonsense", str(tmp_path))
