"""Validate the actor knowledge files in ``data/actors/`` (countries, IGOs, groups, people, agents).

These tests check the files themselves: required fields, well-formed codes, references between
files (a person's ``country``/``igo`` must exist), ordered dates, and that no alias denotes two
different actors unless the entries say so in a ``note``.  Each check is a function returning the
problems it found, so that the same checks are also run on deliberately broken records below.
The format is documented in ``docs/knowledge-actors.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from importlib import resources
from typing import Any

import pytest
import yaml

Record = dict[str, Any]

REGIONS = frozenset({"Africa", "Americas", "Asia", "Europe", "Oceania"})
# CAMEO agent codes of agents.yaml plus the PLOVER-only sectors used in the files
CAMEO_AGENTS = frozenset(
    "GOV MIL REB INS SEP OPP PTY COP JUD SPY LEG MED HLH EDU BUS CRM CVL REF LAB AGR ELI RAD MOD UAF "
    "ENV HRI DEV REL".split()
)
PLOVER_SECTORS = frozenset(
    "COP GOV JUD LEG MIL PRM PTY REB SPY UAF UNK "
    "AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP PRE REL SOC".split()
)
SECTORS = CAMEO_AGENTS | {"PRM", "PRE", "SOC"}
ISO3_RE = re.compile(r"^[A-Z]{3}$")
# CAMEO actor codes are runs of 3-character blocks (letters; digits occur in group names like M23)
ACTOR_CODE_RE = re.compile(r"^(?:[A-Z]{3})(?:[A-Z0-9]{3})+$")
COUNTRY_KEYS = {"iso3", "cameo", "name", "names", "adjectives", "demonyms", "capital", "seats", "region"}
ORG_KEYS = {"code", "name", "names", "kind", "sector", "country"}
OPTIONAL_KEYS = {"note"}
ROLE_KEYS = {"title", "start", "end"}
EARLIEST = dt.date(1950, 1, 1)  # no role in the files starts before the 1952 accession of Elizabeth II
LATEST = dt.date(2026, 12, 31)  # the files are compiled for use up to the end of 2026


def _load(name: str) -> list[Record]:
    text = (resources.files("newsevents") / "data" / "actors" / name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, list), f"{name}: top level must be a list"
    assert all(isinstance(item, dict) for item in data), f"{name}: every entry must be a mapping"
    return data


@pytest.fixture(scope="module")
def countries() -> list[Record]:
    return _load("countries.yaml")


@pytest.fixture(scope="module")
def igos() -> list[Record]:
    return _load("igos.yaml")


@pytest.fixture(scope="module")
def groups() -> list[Record]:
    return _load("groups.yaml")


@pytest.fixture(scope="module")
def people() -> list[Record]:
    return _load("people.yaml")


@pytest.fixture(scope="module")
def agents() -> list[Record]:
    return _load("agents.yaml")


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() == v and v for v in value)


def check_countries(entries: list[Record]) -> list[str]:
    """Return the problems found in countries.yaml entries."""
    problems: list[str] = []
    seen: set[str] = set()
    for e in entries:
        where = e.get("iso3", "?")
        if not COUNTRY_KEYS <= set(e) or not set(e) <= COUNTRY_KEYS | OPTIONAL_KEYS:
            problems.append(f"{where}: keys {sorted(set(e) ^ COUNTRY_KEYS)} missing or unknown")
            continue
        if not ISO3_RE.match(str(e["iso3"])) or not ISO3_RE.match(str(e["cameo"])):
            problems.append(f"{where}: iso3/cameo must be 3 upper-case letters")
        if e["iso3"] in seen:
            problems.append(f"{where}: duplicate iso3")
        seen.add(e["iso3"])
        for key in ("names", "adjectives", "demonyms"):
            if not _str_list(e[key]):
                problems.append(f"{where}: {key} must be a list of non-empty trimmed strings")
        if not e["names"] or e["name"] not in e["names"]:
            problems.append(f"{where}: the canonical name must be one of its names")
        if set(e["adjectives"]) & set(e["names"]):
            problems.append(f"{where}: a form is both a name and an adjective (keep it as a name)")
        if not isinstance(e["capital"], str) or not e["capital"]:
            problems.append(f"{where}: capital missing")
        if e["region"] not in REGIONS:
            problems.append(f"{where}: unknown region {e['region']!r}")
        for seat in e["seats"]:
            if isinstance(seat, dict):
                if set(seat) != {"name", "sector"} or seat["sector"] not in SECTORS:
                    problems.append(f"{where}: bad seat {seat!r}")
            elif not isinstance(seat, str) or not seat:
                problems.append(f"{where}: bad seat {seat!r}")
    return problems


def check_orgs(entries: list[Record], kinds: set[str], country_codes: set[str]) -> list[str]:
    """Return the problems found in igos.yaml or groups.yaml entries."""
    problems: list[str] = []
    seen: set[str] = set()
    for e in entries:
        where = e.get("name", "?")
        if not ORG_KEYS <= set(e) or not set(e) <= ORG_KEYS | OPTIONAL_KEYS:
            problems.append(f"{where}: keys missing or unknown")
            continue
        code, kind, country = e["code"], e["kind"], e["country"]
        if where in seen:
            problems.append(f"{where}: duplicate name")
        seen.add(where)
        if not isinstance(code, str) or not ACTOR_CODE_RE.match(code):
            problems.append(f"{where}: malformed code {code!r}")
            continue
        if kind not in kinds:
            problems.append(f"{where}: kind {kind!r} not in {sorted(kinds)}")
        if kind == "igo" and not code.startswith("IGO"):
            problems.append(f"{where}: IGO codes start with IGO")
        if kind == "ngo" and not code.startswith("NGO"):
            problems.append(f"{where}: NGO codes start with NGO")
        if kind == "group" and not (code.startswith("IMG") or code[:3] == country):
            problems.append(f"{where}: a group code starts with IMG or with its country")
        if country is not None and country not in country_codes:
            problems.append(f"{where}: unknown country {country!r}")
        if e["sector"] is not None and e["sector"] not in SECTORS:
            problems.append(f"{where}: unknown sector {e['sector']!r}")
        if not _str_list(e["names"]) or not e["names"]:
            problems.append(f"{where}: names must be a non-empty list of trimmed strings")
    return problems


def check_people(entries: list[Record], country_codes: set[str], igo_codes: set[str]) -> list[str]:
    """Return the problems found in people.yaml entries."""
    problems: list[str] = []
    seen: set[str] = set()
    for e in entries:
        where = e.get("name", "?")
        if not {"name", "aliases", "roles"} <= set(e) or not set(e) <= {"name", "aliases", "roles", "note"}:
            problems.append(f"{where}: keys missing or unknown")
            continue
        if where in seen:
            problems.append(f"{where}: duplicate person")
        seen.add(where)
        if not _str_list(e["aliases"]) or where not in e["aliases"]:
            problems.append(f"{where}: aliases must be trimmed strings including the name")
        if not isinstance(e["roles"], list) or not e["roles"]:
            problems.append(f"{where}: at least one role is required")
            continue
        for role in e["roles"]:
            keys = set(role)
            if "country" in keys:
                if keys != ROLE_KEYS | {"country", "sector"}:
                    problems.append(f"{where}: country role keys {sorted(keys)}")
                    continue
                if role["country"] not in country_codes:
                    problems.append(f"{where}: unknown country {role['country']!r}")
                if role["sector"] not in SECTORS:
                    problems.append(f"{where}: unknown sector {role['sector']!r}")
            elif "igo" in keys:
                if not ROLE_KEYS | {"igo"} <= keys <= ROLE_KEYS | {"igo", "sector"}:
                    problems.append(f"{where}: igo role keys {sorted(keys)}")
                    continue
                if role["igo"] not in igo_codes:
                    problems.append(f"{where}: unknown igo {role['igo']!r}")
            else:
                problems.append(f"{where}: a role needs a country or an igo")
                continue
            start, end = role["start"], role["end"]
            if not isinstance(role["title"], str) or not role["title"]:
                problems.append(f"{where}: role without title")
            if not isinstance(start, dt.date) or not EARLIEST <= start <= LATEST:
                problems.append(f"{where}: bad start {start!r}")
            elif end is not None and (not isinstance(end, dt.date) or end < start or end > LATEST):
                problems.append(f"{where}: bad end {end!r} for start {start}")
    return problems


def check_agents(entries: list[Record]) -> list[str]:
    """Return the problems found in agents.yaml entries."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for e in entries:
        sector = str(e.get("sector"))
        if not {"sector", "plover_sector", "words"} <= set(e) or not set(e) <= {
            "sector",
            "plover_sector",
            "words",
            "note",
        }:
            problems.append(f"{sector}: keys missing or unknown")
            continue
        if sector not in SECTORS or sector in owner.values():
            problems.append(f"{sector}: unknown or repeated sector")
        if e["plover_sector"] is not None and e["plover_sector"] not in PLOVER_SECTORS:
            problems.append(f"{sector}: unknown PLOVER sector {e['plover_sector']!r}")
        if not _str_list(e["words"]) or not e["words"]:
            problems.append(f"{sector}: words must be a non-empty list of strings")
            continue
        for word in e["words"]:
            if word != word.lower():
                problems.append(f"{sector}: word {word!r} is not lower case")
            if word in owner:
                problems.append(f"{word!r} is under both {owner[word]} and {sector}")
            owner[word] = sector
    return problems


def alias_conflicts(files: dict[str, list[Record]]) -> list[str]:
    """Aliases that denote different actors where not every entry involved carries a note."""
    denotes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    noted: set[tuple[str, str]] = set()
    for fname, entries in files.items():
        for e in entries:
            if fname == "countries":
                ident = (fname, e["iso3"])
                forms = e["names"] + e["adjectives"] + e["demonyms"] + [e["capital"]]
                forms += [s["name"] if isinstance(s, dict) else s for s in e["seats"]]
            else:
                ident = (fname, e["name"])
                forms = e["aliases"] if fname == "people" else e["names"]
            if e.get("note"):
                noted.add(ident)
            for form in forms:
                denotes[form].add(ident)
    return [
        f"{form!r} denotes {sorted(ids)}"
        for form, ids in sorted(denotes.items())
        if len(ids) > 1 and not ids <= noted
    ]


# ---- the files ----------------------------------------------------------------------------------


def test_countries_valid(countries: list[Record]) -> None:
    assert check_countries(countries) == []


def test_countries_cover_un_members_and_extras(countries: list[Record]) -> None:
    codes = {c["iso3"] for c in countries}
    # 193 UN member states plus Palestine, Kosovo, Taiwan and the Holy See at least
    assert len(codes) >= 197
    assert {"PSE", "XKX", "TWN", "VAT", "SSD", "MNE", "TLS"} <= codes
    by_region: dict[str, int] = defaultdict(int)
    for c in countries:
        by_region[c["region"]] += 1
    assert by_region["Africa"] >= 54 and by_region["Oceania"] >= 14 and by_region["Americas"] >= 35


def test_country_names_used_in_news(countries: list[Record]) -> None:
    forms: dict[str, str] = {}
    for c in countries:
        for form in c["names"] + c["adjectives"] + c["demonyms"]:
            forms[form] = c["iso3"]
    expected = {
        "Britain": "GBR", "UK": "GBR", "Great Britain": "GBR", "British": "GBR", "U.S.": "USA",
        "US": "USA", "America": "USA", "Americans": "USA", "Russian Federation": "RUS", "DPRK": "PRK",
        "Ivory Coast": "CIV", "Côte d'Ivoire": "CIV", "Burma": "MMR", "Czech Republic": "CZE",
        "Türkiye": "TUR", "Turkey": "TUR", "Kosovo": "XKX", "Frenchmen": "FRA", "Israelis": "ISR",
    }  # fmt: skip
    for form, iso3 in expected.items():
        assert forms.get(form) == iso3, form


def test_cameo_codes_differ_only_where_noted(countries: list[Record]) -> None:
    different = {c["iso3"]: c["cameo"] for c in countries if c["cameo"] != c["iso3"]}
    assert different == {"XKX": "KSV", "ROU": "ROM", "TLS": "TMP"}


def test_government_seats(countries: list[Record]) -> None:
    seats: dict[str, tuple[str, str]] = {}
    for c in countries:
        for s in c["seats"]:
            name, sector = (s["name"], s["sector"]) if isinstance(s, dict) else (s, "GOV")
            seats[name] = (c["iso3"], sector)
    assert seats["Kremlin"] == ("RUS", "GOV")
    assert seats["Pentagon"] == ("USA", "MIL")
    assert seats["Élysée"] == ("FRA", "GOV") and seats["Elysee"] == ("FRA", "GOV")
    assert seats["Downing Street"] == ("GBR", "GOV")
    assert seats["Zhongnanhai"] == ("CHN", "GOV")


def test_igos_valid(igos: list[Record], countries: list[Record]) -> None:
    assert check_orgs(igos, {"igo"}, {c["iso3"] for c in countries}) == []
    codes = {i["code"] for i in igos}
    assert {"IGOUNO", "IGOWSTNAT", "IGOEUREEC", "IGOAFRAFU"} <= codes


def test_groups_valid(groups: list[Record], countries: list[Record]) -> None:
    assert check_orgs(groups, {"ngo", "group"}, {c["iso3"] for c in countries}) == []
    names = {n for g in groups for n in g["names"]}
    assert {
        "Hamas",
        "Hezbollah",
        "Taliban",
        "ISIS",
        "Houthis",
        "Wagner Group",
        "Amnesty International",
    } <= names


def test_people_valid(people: list[Record], countries: list[Record], igos: list[Record]) -> None:
    problems = check_people(people, {c["iso3"] for c in countries}, {i["code"] for i in igos})
    assert problems == []
    assert len(people) >= 300


def test_people_examples(people: list[Record]) -> None:
    by_name = {p["name"]: p for p in people}
    macron = by_name["Emmanuel Macron"]
    assert {
        "country": "FRA",
        "sector": "GOV",
        "title": "President",
        "start": dt.date(2017, 5, 14),
        "end": None,
    } in (macron["roles"])
    assert "Peskov" in by_name["Dmitry Peskov"]["aliases"]
    nato = [r for r in by_name["Jens Stoltenberg"]["roles"] if r.get("igo") == "IGOWSTNAT"]
    assert nato and nato[0]["end"] == dt.date(2024, 10, 1)


def test_agents_valid(agents: list[Record]) -> None:
    assert check_agents(agents) == []
    sectors = {a["sector"] for a in agents}
    required = (
        "GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL REF LAB AGR HLH ELI LEG RAD UAF ENV HRI MOD"
    )
    assert set(required.split()) <= sectors
    plover = {a["sector"]: a["plover_sector"] for a in agents}
    assert plover["MED"] == "JRN" and plover["HLH"] == "MED" and plover["GOV"] == "GOV"
    words = {w: a["sector"] for a in agents for w in a["words"]}
    assert words["defence ministry"] == words["defense ministry"] == "GOV"
    assert words["troops"] == words["soldier"] == "MIL"


def test_no_unnoted_alias_conflicts(
    countries: list[Record], igos: list[Record], groups: list[Record], people: list[Record]
) -> None:
    files = {"countries": countries, "igos": igos, "groups": groups, "people": people}
    assert alias_conflicts(files) == []


# ---- the checks themselves catch broken records ---------------------------------------------------


def _country(**changes: Any) -> Record:
    base: Record = {
        "iso3": "AAA", "cameo": "AAA", "name": "Atlantis", "names": ["Atlantis"], "adjectives": ["Atlantean"],
        "demonyms": [], "capital": "Poseidonia", "seats": [{"name": "Coral Palace", "sector": "GOV"}],
        "region": "Europe",
    }  # fmt: skip
    base.update(changes)
    return base


def test_country_check_rejects_bad_records() -> None:
    assert check_countries([_country()]) == []
    assert check_countries([_country(iso3="AA")])
    assert check_countries([_country(region="Atlantic")])
    assert check_countries([_country(name="Atlantida")])
    assert check_countries([_country(adjectives=["Atlantis"])])
    assert check_countries([_country(seats=[{"name": "Coral Palace", "sector": "XXX"}])])
    assert check_countries([_country(), _country()])  # duplicate iso3


def test_org_check_rejects_bad_records() -> None:
    good: Record = {"code": "AAAREBSEA", "name": "Sea Front", "names": ["Sea Front"], "kind": "group",
                    "sector": "REB", "country": "AAA"}  # fmt: skip
    assert check_orgs([good], {"group"}, {"AAA"}) == []
    assert check_orgs([{**good, "code": "AAAREBSE"}], {"group"}, {"AAA"})  # not 3-char blocks
    assert check_orgs([{**good, "country": "BBB"}], {"group"}, {"AAA", "BBB"})  # code/country mismatch
    assert check_orgs([{**good, "kind": "igo"}], {"igo"}, {"AAA"})  # an igo code must start with IGO
    assert check_orgs([{**good, "sector": "ZZZ"}], {"group"}, {"AAA"})


def test_people_check_rejects_bad_records() -> None:
    role: Record = {
        "country": "AAA",
        "sector": "GOV",
        "title": "Regent",
        "start": dt.date(2001, 1, 1),
        "end": None,
    }
    good: Record = {"name": "Ana Mar", "aliases": ["Ana Mar"], "roles": [role]}
    assert check_people([good], {"AAA"}, set()) == []
    late = {**role, "end": dt.date(2000, 1, 1)}
    assert check_people([{**good, "roles": [late]}], {"AAA"}, set())  # end before start
    assert check_people([{**good, "roles": [{**role, "country": "BBB"}]}], {"AAA"}, set())
    igo_role = {"igo": "IGOXXX", "title": "Head", "start": dt.date(2001, 1, 1), "end": None}
    assert check_people([{**good, "roles": [igo_role]}], {"AAA"}, {"IGOUNO"})  # unknown igo
    assert check_people([{**good, "aliases": ["Mar"]}], {"AAA"}, set())  # name missing from aliases


def test_agent_and_alias_checks_reject_conflicts() -> None:
    gov: Record = {"sector": "GOV", "plover_sector": "GOV", "words": ["official"]}
    assert check_agents([gov]) == []
    assert check_agents([gov, {"sector": "MIL", "plover_sector": "MIL", "words": ["official"]}])
    assert check_agents([{**gov, "words": ["Official"]}])
    one: Record = {"name": "Ana Mar", "aliases": ["Mar"], "roles": []}
    two: Record = {"name": "Eva Mar", "aliases": ["Mar"], "roles": []}
    assert alias_conflicts({"people": [one, two]})
    assert alias_conflicts({"people": [{**one, "note": "shared"}, {**two, "note": "shared"}]}) == []
