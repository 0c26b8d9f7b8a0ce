"""Validate the event-knowledge data files: ``data/cameo.csv`` and ``data/verbs.yaml``.

These tests check the files themselves (format, codes, coverage, conflicts), not the coder that
reads them.  The format is documented in ``docs/knowledge-verbs.md``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

CSV_COLUMNS = ["code", "root", "name", "goldstein", "quad_class", "plover", "plover_mode", "plover_context"]
PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST "
    "ACCUSE REJECT THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT".split()
)
PATTERN_KEYS = {"code", "verb", "noun", "prep", "object", "xcomp", "target_preps", "passive_ok", "note", "complement",
                "modifier", "target_required"}
NOUN_KEYS = {"code", "noun", "target_preps", "note", "modifier", "target_required"}
LEMMA_RE = re.compile(r"^[a-zé][a-zé'-]*$")
CODE_RE = re.compile(r"^(0[1-9]|1\d|20)\d{0,2}$")
# verbs that are usually not events in news: they may only appear with a required object/prep/xcomp
LIGHT_VERBS = frozenset(
    "say make take have get give put hold go use send open come set do tell keep let show bring run turn "
    "see find be reach lay pay look express voice issue launch carry conduct begin start end cut break lift "
    "return exchange share train accept".split()
)
# important 3-digit codes that wire news reports every day: each must have at least one pattern
KEY_CODES = frozenset(
    "020 026 030 033 036 040 041 042 043 045 046 051 054 055 057 061 070 073 080 0841 087 0871 090 100 "
    "110 111 112 114 120 125 128 129 130 138 139 141 143 150 154 160 161 163 166 172 173 174 181 186 190 "
    "192 193 194 195 202".split()
)


def _data(name: str) -> str:
    return (resources.files("newsevents") / "data" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cameo() -> dict[str, dict[str, str]]:
    reader = csv.DictReader(_data("cameo.csv").splitlines())
    assert reader.fieldnames == CSV_COLUMNS
    rows: dict[str, dict[str, str]] = {}
    for row in reader:
        assert row["code"] not in rows, f"duplicate code {row['code']}"
        rows[row["code"]] = row
    return rows


@pytest.fixture(scope="module")
def patterns() -> list[dict[str, Any]]:
    data = yaml.safe_load(_data("verbs.yaml"))
    assert isinstance(data, list)
    return data


def _quad(root: str) -> int:
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


# ------------------------------------------------------------------ cameo.csv


def test_cameo_rows_well_formed(cameo: dict[str, dict[str, str]]) -> None:
    assert len(cameo) >= 300
    for code, row in cameo.items():
        assert CODE_RE.match(code), code
        assert row["root"] == code[:2], code
        assert row["name"].strip() == row["name"] and row["name"], code
        assert -10.0 <= float(row["goldstein"]) <= 10.0, code
        assert int(row["quad_class"]) == _quad(row["root"]), code
        if row["root"] in ("01", "02"):
            assert row["plover"] == row["plover_mode"] == row["plover_context"] == "", code
        else:
            assert row["plover"] in PLOVER_TYPES, code
        assert re.match(r"^[a-z_-]*$", row["plover_mode"]), code
        assert re.match(r"^([a-z_]+(;[a-z_]+)*)?$", row["plover_context"]), code


def test_cameo_hierarchy_complete(cameo: dict[str, dict[str, str]]) -> None:
    assert {f"{r:02d}" for r in range(1, 21)} <= set(cameo)
    for code in cameo:
        if len(code) == 3:
            assert code[:2] in cameo, code
        if len(code) == 4:
            assert code[:3] in cameo, code
    assert sum(1 for c in cameo if len(c) == 4) > 100
    assert {row["plover"] for row in cameo.values()} - {""} == PLOVER_TYPES


def test_cameo_known_facts(cameo: dict[str, dict[str, str]]) -> None:
    assert cameo["042"]["goldstein"] == "1.9"
    assert (cameo["042"]["plover"], cameo["042"]["plover_mode"]) == ("CONSULT", "visit")
    assert cameo["057"]["goldstein"] == "8" and cameo["057"]["plover"] == "SUPPORT"
    assert cameo["0841"]["plover"] == "RETREAT" and cameo["0841"]["plover_mode"] == "release"
    assert cameo["083"]["plover"] == "CONCEDE"
    assert cameo["163"]["plover"] == "COERCE"  # as in the 2021 conversion table (the coder applies plover_manual.yaml)
    assert cameo["1712"]["plover"] == "ASSAULT"
    assert cameo["191"]["plover"] == "COERCE" and cameo["191"]["quad_class"] == "4"
    assert cameo["1121"]["plover_context"] == "crime;corruption"
    assert cameo["138"]["goldstein"] == "-7" and cameo["138"]["quad_class"] == "3"
    assert cameo["190"]["goldstein"] == "-10"


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cameo" / "cameo_codes.csv"


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference CAMEO table not available")
def test_cameo_matches_reference(cameo: dict[str, dict[str, str]]) -> None:
    with REFERENCE.open(encoding="utf-8") as fh:
        ref = {r["code"].strip(): r for r in csv.DictReader(fh)}
    assert set(ref) == set(cameo)
    for code, r in ref.items():
        assert float(r["goldstein"]) == float(cameo[code]["goldstein"]), code


# ------------------------------------------------------------------ verbs.yaml


def test_patterns_well_formed(patterns: list[dict[str, Any]], cameo: dict[str, dict[str, str]]) -> None:
    assert len(patterns) >= 300
    for p in patterns:
        assert isinstance(p, dict), p
        assert set(p) <= PATTERN_KEYS, p
        assert isinstance(p["code"], str) and p["code"] in cameo, p
        assert ("verb" in p) != ("noun" in p), p
        lemma = p.get("verb") or p.get("noun")
        assert isinstance(lemma, str) and LEMMA_RE.match(lemma), p
        if "noun" in p:
            assert set(p) <= NOUN_KEYS, p
        if "prep" in p:
            assert isinstance(p["prep"], str) and LEMMA_RE.match(p["prep"]), p
        for key in ("object", "xcomp", "target_preps"):
            if key in p:
                value = p[key]
                assert isinstance(value, list) and value, p
                assert all(isinstance(v, str) and LEMMA_RE.match(v) for v in value), p
                assert len(set(value)) == len(value), p
        if "passive_ok" in p:
            assert isinstance(p["passive_ok"], bool), p
        if "note" in p:
            assert isinstance(p["note"], str) and p["note"], p


def _atomic_keys(p: dict[str, Any]) -> list[tuple[Any, ...]]:
    kind = "verb" if "verb" in p else "noun"
    lemma = p[kind]
    return [
        (kind, lemma, p.get("prep"), obj, xc, p.get("complement"), tuple(p.get("modifier") or ()))
        for obj in p.get("object") or [None]
        for xc in p.get("xcomp") or [None]
    ]


def test_no_duplicate_or_conflicting_patterns(patterns: list[dict[str, Any]]) -> None:
    seen: dict[tuple[Any, ...], str] = {}
    problems: list[str] = []
    for p in patterns:
        for key in _atomic_keys(p):
            if key in seen:
                problems.append(f"{key}: {seen[key]} and {p['code']}")
            seen[key] = p["code"]
    assert not problems, problems[:20]


def test_coverage_of_roots_and_plover_types(
    patterns: list[dict[str, Any]], cameo: dict[str, dict[str, str]]
) -> None:
    roots = {cameo[p["code"]]["root"] for p in patterns}
    assert roots == {f"{r:02d}" for r in range(1, 21)}
    types = {cameo[p["code"]]["plover"] for p in patterns} - {""}
    assert types == PLOVER_TYPES
    codes = {p["code"] for p in patterns}
    assert KEY_CODES <= codes, sorted(KEY_CODES - codes)
    per_root = defaultdict(set)
    for p in patterns:
        per_root[cameo[p["code"]]["root"]].add(p.get("verb") or p.get("noun"))
    for root, lemmas in per_root.items():
        assert len(lemmas) >= 5, (root, lemmas)


def test_light_verbs_never_bare(patterns: list[dict[str, Any]]) -> None:
    bare = [
        p for p in patterns
        if p.get("verb") in LIGHT_VERBS and not any(k in p for k in ("prep", "object", "xcomp"))
    ]
    assert not bare, bare


def _lookup(patterns: list[dict[str, Any]], **want: Any) -> set[str]:
    """Codes of the patterns for a verb/noun whose prep, object and xcomp admit the wanted values."""
    found = set()
    for p in patterns:
        if want.get("verb") and p.get("verb") != want["verb"]:
            continue
        if want.get("noun") and p.get("noun") != want["noun"]:
            continue
        if p.get("prep") != want.get("prep") or p.get("complement") != want.get("complement"):
            continue
        if ("object" in p) != ("object" in want) or ("xcomp" in p) != ("xcomp" in want):
            continue
        if "object" in want and want["object"] not in p["object"]:
            continue
        if "xcomp" in want and want["xcomp"] not in p["xcomp"]:
            continue
        found.add(p["code"])
    return found


@pytest.mark.parametrize(
    ("want", "code"),
    [
        ({"verb": "visit"}, "042"),
        ({"verb": "threaten"}, "130"),
        ({"verb": "threaten", "xcomp": "attack"}, "138"),
        ({"verb": "threaten", "xcomp": "impose"}, "1312"),
        ({"verb": "agree", "xcomp": "meet"}, "036"),
        ({"verb": "refuse", "xcomp": "withdraw"}, "1246"),
        ({"verb": "urge", "xcomp": "withdraw"}, "0256"),
        ({"verb": "call", "prep": "for", "object": "ceasefire"}, "0256"),
        ({"verb": "call", "prep": "on"}, "020"),
        ({"verb": "hold", "object": "talk"}, "040"),
        ({"verb": "strike", "object": "deal"}, "057"),
        ({"verb": "strike"}, "190"),
        ({"verb": "go", "prep": "on", "object": "strike"}, "143"),
        ({"verb": "impose", "object": "sanction"}, "163"),
        ({"verb": "lift", "object": "sanction"}, "085"),
        ({"verb": "expel", "object": "diplomat"}, "166"),
        ({"verb": "recall", "object": "ambassador"}, "161"),
        ({"verb": "arrest"}, "173"),
        ({"verb": "criticise"}, "111"),
        ({"verb": "criticize"}, "111"),
        ({"verb": "accuse", "prep": "of", "object": "aggression"}, "1123"),
        ({"verb": "mass"}, "154"),
        ({"verb": "shell"}, "194"),
        ({"verb": "bomb"}, "195"),
        ({"verb": "release"}, "0841"),
        ({"verb": "violate", "object": "ceasefire"}, "196"),
        ({"noun": "attack"}, "190"),
        ({"noun": "meeting"}, "040"),
        ({"noun": "demand"}, "100"),
        ({"noun": "ultimatum"}, "139"),
    ],
)
def test_expected_codes(patterns: list[dict[str, Any]], want: dict[str, Any], code: str) -> None:
    assert _lookup(patterns, **want) == {code}


def test_warn_alone_is_not_a_threat(patterns: list[dict[str, Any]], cameo: dict[str, dict[str, str]]) -> None:
    bare = _lookup(patterns, verb="warn")
    assert bare and all(cameo[c]["root"] not in ("13",) for c in bare)
    assert _lookup(patterns, verb="warn", prep="of", object="retaliation") == {"130"}
