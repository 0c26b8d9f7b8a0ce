"""Tests for newsevents.themes: the taxonomy file and theme matching."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsevents.errors import KnowledgeError
from newsevents.nlp import load_model
from newsevents.records import Theme
from newsevents.themes import MIN_THEMES, find_themes, load_themes, parse_themes

PLOVER_MANUAL = Path(__file__).resolve().parents[2] / "shared" / "reference" / "plover" / "PLOVER_MANUAL.tex"


def _themes(text: str) -> list[Theme]:
    found = find_themes(load_model()(text))
    for t in found:
        assert text[t.start:t.end] == t.text
    return found


def _names(text: str) -> set[str]:
    return {t.name for t in _themes(text)}


def _minimal(**theme: Any) -> dict[str, Any]:
    base = {"id": "T_0", "description": "d", "context": None, "triggers": ["word"]}
    base.update(theme)
    themes = [dict(base, id=f"T_{i}") for i in range(MIN_THEMES)]
    themes[0] = base
    return {"plover_contexts": ["military", "health"], "themes": themes}


def test_taxonomy_size_ids_and_contexts() -> None:
    taxonomy = load_themes()
    assert len(taxonomy.themes) >= 50
    ids = [t.id for t in taxonomy.themes]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", i) for i in ids)
    for theme in taxonomy.themes:
        assert theme.description and theme.triggers
        assert theme.context is None or theme.context in taxonomy.contexts
    for required in ("MILITARY", "DIPLOMACY", "PROTEST", "ELECTION", "SANCTIONS", "TERRORISM", "HEALTH",
                     "ECONOMY", "ENERGY", "NUCLEAR_WEAPONS", "CYBER", "CORRUPTION", "HUMAN_RIGHTS", "CRIME",
                     "CLIMATE", "FOOD_SECURITY", "RELIGION", "MIGRATION"):
        assert required in ids


@pytest.mark.skipif(not PLOVER_MANUAL.exists(), reason="PLOVER manual not available")
def test_contexts_are_those_of_the_plover_manual() -> None:
    tex = PLOVER_MANUAL.read_text(encoding="utf-8")
    table = tex[tex.index("START CONTEXTS TABLE"):tex.index("END CONTEXTS TABLE")]
    names = set()
    for line in table.splitlines():
        m = re.match(r"^(?:\\hyperref\[[^\]]*\]\{([^}]*)\}|([a-z_]+))\s*&", line.strip())
        if m and (m.group(1) or m.group(2)) != "Name":
            names.add((m.group(1) or m.group(2)).replace("\\_", "_"))
    assert load_themes().contexts == names


def test_themes_present_with_context() -> None:
    found = _themes("Parliament voted to extend sanctions after the army shelled the border town.")
    by_name = {t.name: t for t in found}
    assert by_name["SANCTIONS"].text == "sanctions"
    assert by_name["SANCTIONS"].plover_context == "economic"
    assert by_name["LEGISLATURE"].plover_context == "legislative"
    assert by_name["MILITARY"].plover_context == "military"
    assert "BORDERS" in by_name


def test_multiword_trigger_and_lemma_match() -> None:
    found = _themes("Rights groups said the chemical weapons attack broke international law.")
    pairs = {(t.name, t.text) for t in found}
    assert ("CHEMICAL_BIOLOGICAL_WEAPONS", "chemical weapons") in pairs
    assert ("INTERNATIONAL_LAW", "international law") in pairs
    # within one theme the longest mention wins
    assert ("WEAPONS", "weapons") in pairs


def test_themes_absent_in_unrelated_text() -> None:
    assert _themes("The cat slept on a warm blue sofa all afternoon.") == []


def test_part_of_speech_restriction() -> None:
    assert "PROTEST" not in _names("The minister arrived in March.")
    assert "PROTEST" in _names("Thousands joined the march to the square.")


def test_negating_prefix() -> None:
    names = _names("The envoy called for de-escalation.")
    assert "CEASEFIRE_PEACE" in names
    assert "ESCALATION_CRISIS" not in names


def test_offsets_sorted() -> None:
    text = "Voters queued at polling stations while the refugees waited for food aid."
    found = _themes(text)
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert {"ELECTION", "REFUGEES_DISPLACEMENT", "HUMANITARIAN_AID"} <= {t.name for t in found}


def test_packaged_file_is_valid_yaml_with_contexts_list() -> None:
    path = Path(__file__).resolve().parents[1] / "src" / "newsevents" / "data" / "themes.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert len(data["themes"]) == len(load_themes().themes)


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "lower_case"},
        {"context": "not_a_context"},
        {"triggers": []},
        {"description": ""},
        {"triggers": ["word/NOTAPOS"]},
        {"id": "T_1"},  # duplicate id
    ],
)
def test_invalid_taxonomy_rejected(bad: dict[str, Any]) -> None:
    assert len(parse_themes(_minimal()).themes) == MIN_THEMES
    with pytest.raises(KnowledgeError):
        parse_themes(_minimal(**bad))


def test_too_few_themes_rejected() -> None:
    data = _minimal()
    data["themes"] = data["themes"][:3]
    with pytest.raises(KnowledgeError):
        parse_themes(data)
