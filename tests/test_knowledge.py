"""Tests for newsevents.knowledge: loading, validation, user folders, dated offices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsevents.errors import KnowledgeError
from newsevents.knowledge import load_knowledge


def test_package_knowledge_loads_and_is_consistent() -> None:
    kb = load_knowledge()
    assert kb.code("042").plover == "CONSULT"
    assert kb.code("0423").root == "04"  # unknown 4-digit code falls back to its parent
    assert kb.code("190").quad_class == 4 and kb.code("051").quad_class == 1
    assert kb.phrases["Kremlin"].code == "RUSGOV"
    assert kb.phrases["NATO"].code == "IGOWSTNAT"
    assert "meet" in kb.verb_patterns
    assert kb.agents["troops"] == "MIL"
    assert kb.plover_sector("HLH") == "MED"
    assert kb.intent_of("073") == "0333" and kb.intent_of("010") is None
    assert len(kb.countries) >= 196


def test_offices_are_dated() -> None:
    kb = load_knowledge()
    (macron,) = kb.people["Emmanuel Macron"]
    role = macron.role_on(date(2022, 2, 7))
    assert role is not None and role.country == "FRA" and role.title.lower().startswith("president")
    before = macron.role_on(date(2015, 6, 1))
    assert before is None or "president" not in before.title.lower()


def test_first_names_alone_are_not_aliases() -> None:
    kb = load_knowledge()
    assert "Emmanuel" not in kb.people


def test_user_folder_adds_entries(tmp_path: Path) -> None:
    (tmp_path / "countries.yaml").write_text(
        "- {iso3: XQZ, name: Freedonia, adjectives: [Freedonian], capital: Fredville}\n", encoding="utf-8")
    (tmp_path / "verbs.yaml").write_text('- {code: "042", verb: parachute, prep: into}\n', encoding="utf-8")
    kb = load_knowledge((str(tmp_path),))
    assert kb.phrases["Freedonian"].country == "XQZ"
    assert kb.phrases["Fredville"].code == "XQZGOV"
    assert any(p.prep == "into" for p in kb.verb_patterns["parachute"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("verbs.yaml", '- {code: "999", verb: zap}\n', "not in the code table"),
        ("verbs.yaml", '- {code: "042", verb: zap, noun: zap}\n', "exactly one"),
        ("verbs.yaml", '- {code: "042", verb: zap, colour: red}\n', "unknown keys"),
        ("people.yaml", "- {name: A B, roles: [{country: FRA, start: 2020-01-01, end: 2019-01-01}]}\n", "ends before"),
        ("igos.yaml", "- {code: IGOX, name: X, kind: club}\n", "kind"),
        ("countries.yaml", "- {name: Nowhere}\n", "iso3"),
        ("agents.yaml", "- {words: [x]}\n", "sector"),
        ("verbs.yaml", "not: [a, list\n", "cannot read"),
    ],
)
def test_bad_user_files_are_rejected_with_the_file_named(tmp_path: Path, name: str, content: str,
                                                         message: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge((str(tmp_path),))


def test_missing_user_folder_is_an_error() -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(("/no/such/folder",))


def test_plover_manual_file_is_applied_and_validated(tmp_path: Path) -> None:
    from newsevents.knowledge import apply_plover_manual, load_knowledge, read_cameo

    kb = load_knowledge()
    assert kb.code("163").plover == "SANCTION" and kb.code("163").plover_mode == "discontinue"
    assert kb.code("0813").plover == "CONCEDE" and kb.code("0813").plover_mode is None
    assert kb.code("0831").plover == "RETREAT"
    table = Path(__file__).resolve().parents[1] / "src" / "newsevents" / "data" / "cameo.csv"
    bad = tmp_path / "manual.yaml"
    bad.write_text('- {code: "163", plover: PUNISH, reason: "no such type"}\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown PLOVER type"):
        apply_plover_manual(read_cameo(table), bad)
    bad.write_text('- {code: "163", plover: SANCTION}\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match="reason"):
        apply_plover_manual(read_cameo(table), bad)
