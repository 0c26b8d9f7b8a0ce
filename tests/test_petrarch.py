"""Tests for newsevents.petrarch: PETRARCH dictionaries -> knowledge files, and the unit-test scorer.

The dictionary snippets are written here for the tests (made-up actors: Quorland, Vestria, ...), in
PETRARCH syntax; the gold folder is only used by the bounded end-to-end test, skipped when absent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsevents.errors import KnowledgeError
from newsevents.knowledge import load_knowledge
from newsevents.petrarch import (
    NULL_ACTOR,
    actor_code,
    convert,
    event_triples,
    score_petrarch,
    score_rows,
    surface_forms,
)
from newsevents.records import Actor, Event, Trigger

ACTORS = """\
<!-- made-up actors for the converter tests
     (a comment over two lines) -->
QUORLAND_ [QRL]  # a country
+QUORLANDI
VESTRIA [VST]
VESTRIA_CITY_HALL [VSTGOV]
HARBOUR_WATCH [VSTHBWMIL]
OLD_MARSH
\t[OMA <850101]
\t[OMAREB 19850101-19991231]
\t[OMA]
THE_ASSEMBLY_OF_TIDES [IGOTDS]
TIDE WARDENS [NGOTWD]
MIST_RIDER [---]
TWIN_CROWN [QRL/VST]
"""

AGENTS = """\
!CLERK! = CLERK, CLERKS
HARBOUR_MASTER [~GOVHBR]
TAX!CLERK! [~GOV]
DEEP_SINGERS {} [~REL]
LANTERN_GUILD {LANTERN_GUILDS} [~BUS]
SEA_COUNCIL [NGO~]
"""

VERBS = """\
<!-- SYNSETS -->
&WATERS
+RIVER
+SALT LAKES

&DIRS
+TOWARD
+AGAINST

--- SAIL  [036] ---
SAIL {SAILED SAILING}
- * TOWARD $ [043]
- * &DIRS &WATERS [042]
- NEVER * [120]
- * WITH + [040]
- * TO ATTACK [138]
- * HARBOUR [999]
- * ^ + [041]

--- DRIFT [---] ---
DRIFT
- * OFF  [195]
"""


def _write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"test.{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    src = _write(tmp_path_factory.mktemp("dicts"), actors=ACTORS, agents=AGENTS, verbs=VERBS,
                 discards="MONTHS LATER\n+GOLF\n")
    out = tmp_path_factory.mktemp("knowledge")
    return convert(src, out), out


def test_surface_forms() -> None:
    assert surface_forms(["PRINCE", "OF", "DOL", "AMROTH"]) == ["Prince of Dol Amroth", "PRINCE OF DOL AMROTH"]
    assert surface_forms(["THE", "SHIRE"]) == ["The Shire", "THE SHIRE", "Shire", "SHIRE"]
    assert surface_forms(["U.S."]) == ["U.S."]
    assert surface_forms(["AL-QAEDA"]) == ["Al-Qaeda", "AL-QAEDA"]


def test_convert_actors(converted: tuple[dict[str, Any], Path]) -> None:
    report, out = converted
    assert report["actors"]["entries"] == 9
    assert report["actors"]["dropped"] == {"several actors in one code (A/B)": 1}
    kb = load_knowledge((str(out),))
    assert kb.phrases["Quorland"].code == "QRL" and kb.phrases["Quorlandi"].code == "QRL"
    assert kb.countries["QRL"].name == "Quorland"
    seat = kb.phrases["Vestria City Hall"]
    assert (seat.code, seat.sector, seat.role, seat.country) == ("VSTGOV", "GOV", "seat", "VST")
    assert kb.phrases["Harbour Watch"].code == "VSTHBWMIL"
    assert kb.phrases["Assembly of Tides"].kind == "igo" and "IGOTDS" in kb.igo_codes
    assert kb.phrases["Tide Wardens"].kind == "ngo"
    assert kb.phrases["Mist Rider"].code == NULL_ACTOR
    assert "Twin Crown" not in kb.phrases


def test_dated_codes_become_roles(converted: tuple[dict[str, Any], Path]) -> None:
    _, out = converted
    kb = load_knowledge((str(out),))
    (person,) = kb.people["Old Marsh"]
    roles = [person.role_on(date(1980, 5, 1)), person.role_on(date(1999, 12, 31)), person.role_on(date(2005, 1, 1))]
    # before 1985; the range's last day is included; the undated default afterwards
    assert [(r.country, r.sector) if r else None for r in roles] == [("OMA", None), ("OMA", "REB"), ("OMA", None)]


def test_convert_agents(converted: tuple[dict[str, Any], Path]) -> None:
    report, out = converted
    kb = load_knowledge((str(out),))
    assert kb.agents["harbour master"] == "GOVHBR" and kb.agents["harbour masters"] == "GOVHBR"
    assert kb.agents["taxclerk"] == "GOV" and kb.agents["taxclerks"] == "GOV"
    assert kb.agents["deep singers"] == "REL" and "deep singerss" not in kb.agents
    assert kb.agents["lantern guilds"] == "BUS"
    assert "sea council" not in kb.agents
    assert report["agents"]["dropped"] == {"prefix agent code (CODE~): only suffixes are supported": 1}


def test_convert_verbs(converted: tuple[dict[str, Any], Path]) -> None:
    report, out = converted
    kb = load_knowledge((str(out),))
    sail = [p for p in kb.verb_patterns["sail"] if p.code in ("036", "042", "040", "138")]
    by_code = {p.code: p for p in sail}
    assert by_code["036"].prep is None and not by_code["036"].objects
    assert {p.prep for p in sail if p.code == "042"} == {"toward", "against"}
    assert by_code["042"].objects >= {"river", "lake", "lakes"}
    assert by_code["040"].prep == "with" and by_code["040"].target_preps == ("with",)
    assert by_code["138"].xcomp == frozenset({"attack"})
    assert "drift" not in kb.verb_patterns or all(p.code != "195" or p.prep == "off"
                                                  for p in kb.verb_patterns["drift"])
    dropped = report["verbs"]["dropped"]
    assert dropped["source after the verb"] == 1
    assert dropped["words before the verb"] == 1
    assert dropped["code not in the CAMEO table"] == 1
    assert dropped["skipped phrase (^)"] == 1
    assert dropped["null code [---]"] == 1
    assert report["discards"] == {"entries": 2, "dropped": 2}


@pytest.mark.parametrize(("kind", "text", "line"), [
    ("actors", "QUORLAND [QRL\n", 1),
    ("actors", "+QUORLANDI\nQUORLAND [QRL]\n", 1),
    ("actors", "QUORLAND [QRL]\nVESTRIA [VST <9901]\n", 2),
    ("actors", "QUORLAND\n\t[QRL 20010101-19990101]\n", 2),
    ("actors", "QUORLAND [QRL] extra\n", 1),
    ("actors", "<!-- never closed\nQUORLAND [QRL]\n", 1),
    ("agents", "HARBOUR_MASTER [GOV]\n", 1),
    ("agents", "!A! = B\nTAX!CLERK! [~GOV]\n", 2),
    ("verbs", "--- SAIL [036] ---\nSAIL\n- * RIVER\n", 3),
    ("verbs", "--- SAIL [036] ---\nSAIL\n- RIVER [042]\n", 3),
    ("verbs", "- * RIVER [042]\n", 1),
    ("verbs", "--- SAIL [036] ---\nSAIL\n- * &NOWHERE [042]\n", 3),
    ("verbs", "--- SAIL ---\n", 1),
])
def test_malformed_lines(tmp_path: Path, kind: str, text: str, line: int) -> None:
    src = _write(tmp_path / "src", **{kind: text})
    with pytest.raises(KnowledgeError) as info:
        convert(src, tmp_path / "out")
    assert f"test.{kind}.txt:{line}:" in str(info.value)


def test_missing_folder_or_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError):
        convert(tmp_path / "absent", tmp_path / "out")
    with pytest.raises(KnowledgeError):
        convert(tmp_path, tmp_path / "out")


def _event(code: str, source: list[Actor], target: list[Actor], negated: bool = False) -> Event:
    return Event(span=(0, 1), sentence=0, trigger=Trigger("x", 0, 1), source=tuple(source), target=tuple(target),
                 cameo=code, goldstein=0.0, quad_class=1, plover=None, negated=negated)


def test_triples_and_codes() -> None:
    arn = Actor("Arnor", 0, 5, "Arnor", "ARN", "ARN", None, "country")
    gon = Actor("Gondor", 10, 16, "Gondor", "GON", "GON", None, "country")
    officials = Actor("officials", 20, 29, None, "GOV", None, "GOV", "other")
    assert actor_code(officials) == "---GOV"
    assert actor_code(Actor("x", 0, 1)) == NULL_ACTOR
    events = [_event("064", [arn, gon], [officials]), _event("190", [arn], [gon], negated=True),
              _event("023", [], [arn])]
    assert event_triples(events) == {("ARN", "---GOV", "064"), ("GON", "---GOV", "064"), ("---", "ARN", "023")}


def test_score_rows() -> None:
    rows: list[dict[str, Any]] = [
        {"category": "A", "gold": {("ARN", "GON", "064")}, "predicted": {("ARN", "GON", "064")}},
        {"category": "B", "gold": {("ARNGOV", "GON", "042")}, "predicted": {("ARN", "GON", "042"),
                                                                              ("GON", "ARN", "190")}},
        {"category": "B", "gold": set(), "predicted": set()},
    ]
    f = score_rows(rows)
    assert f["petrarch.precision"] == pytest.approx(1 / 3)
    assert f["petrarch.recall"] == pytest.approx(1 / 2)
    assert f["petrarch.relaxed_recall"] == pytest.approx(1.0)
    assert f["petrarch.code_recall"] == pytest.approx(1.0)
    assert f["petrarch.records_exact"] == pytest.approx(2 / 3)
    assert f["petrarch.no_event_records_clean"] == 1.0
    assert f["petrarch.A.recall"] == 1.0 and f["petrarch.B.recall"] == 0.0


def test_gold_end_to_end(gold_dir: Path) -> None:
    folder = gold_dir / "events" / "petrarch2_unittest"
    if not folder.is_dir():
        pytest.skip("petrarch2_unittest gold folder is not present")
    figures = score_petrarch(folder, limit=8)
    assert figures["petrarch.records"] == 8
    assert 0.0 < figures["petrarch.recall"] <= 1.0  # the compound statement of the 8th record is coded
    assert 0.0 <= figures["petrarch.precision"] <= 1.0
    assert figures["petrarch.code_recall"] >= figures["petrarch.recall"]
