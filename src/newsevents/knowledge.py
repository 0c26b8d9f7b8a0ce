"""Knowledge files: the CAMEO code table, verb and noun patterns, and actor dictionaries.

Knowledge is data, not code.  The package ships versioned files in ``newsevents/data``:

- ``cameo.csv``: every CAMEO event code with its Goldstein value, QuadClass and PLOVER mapping;
- ``plover_manual.yaml``: the few CAMEO categories the PLOVER manual's text codes differently from
  the conversion table (sanctions, curfews, resignations), each with the manual's reason;
- ``verbs.yaml``: verb and noun patterns for the event coder (format: docs/knowledge-verbs.md);
- ``actors/*.yaml``: countries, IGOs, groups, people with their offices, sector agents
  (format: docs/knowledge-actors.md).

Users add their own files with ``--knowledge DIR``: a folder holding any of ``verbs.yaml``,
``countries.yaml``, ``igos.yaml``, ``groups.yaml``, ``people.yaml``, ``agents.yaml`` (or an
``actors/`` sub-folder with them).  User entries are added after the package's and win where they
name the same phrase.  Every file is validated when loaded; a bad entry raises ``KnowledgeError``
naming the file and entry, so mistakes surface at start-up rather than as silent mis-coding.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsevents.errors import KnowledgeError

ACTOR_FILES = ("countries.yaml", "igos.yaml", "groups.yaml", "people.yaml", "agents.yaml")
ACTOR_KINDS = ("country", "igo", "ngo", "group", "person", "other")
#: Roots of cooperative acts whose refusal is a rejection (CAMEO 12): intend, meet, support, cooperate,
#: aid, yield.
REFUSABLE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
PATTERN_KEYS = {"code", "verb", "noun", "prep", "object", "xcomp", "target_preps", "passive_ok",
                "complement", "note", "source_preps", "modifier", "target_required"}


@dataclass(frozen=True)
class CameoCode:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


@dataclass(frozen=True)
class Pattern:
    """One verb or noun pattern of ``verbs.yaml``."""

    code: str
    verb: str | None = None
    noun: str | None = None
    prep: str | None = None
    objects: frozenset[str] = frozenset()
    xcomp: frozenset[str] = frozenset()
    target_preps: tuple[str, ...] = ()
    source_preps: tuple[str, ...] = ()
    passive_ok: bool = True
    complement: str | None = None  # "future": only when a that-clause states a future action
    modifiers: frozenset[str] = frozenset()  # required modifier lemmas of a noun ("hunger" strike)
    target_required: bool = False  # an event only when a target actor is found ("received the envoy")

    @property
    def specificity(self) -> int:
        """More constraints, more specific: specific patterns win over bare ones."""
        return (2 * bool(self.objects)) + (2 * bool(self.xcomp)) + (2 * bool(self.modifiers)) + bool(self.prep) + (
            bool(self.complement))


@dataclass(frozen=True)
class ActorEntry:
    """What a known phrase denotes: a country, a seat of government, an IGO or a group."""

    name: str
    code: str
    country: str | None
    sector: str | None
    kind: str
    role: str = "name"  # name | adjective | demonym | capital | seat


@dataclass(frozen=True)
class Role:
    title: str
    start: date | None
    end: date | None
    country: str | None = None
    igo: str | None = None
    sector: str | None = None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]

    def role_on(self, day: date | None) -> Role | None:
        """The role held on ``day`` (heads of state first, as listed), else the latest one."""
        for role in self.roles:
            if role.held_on(day):
                return role
        if not self.roles:
            return None
        return max(self.roles, key=lambda r: r.start or date.min)


@dataclass(frozen=True)
class Country:
    iso3: str
    cameo: str
    name: str


@dataclass(frozen=True)
class Knowledge:
    cameo: Mapping[str, CameoCode]
    verb_patterns: Mapping[str, tuple[Pattern, ...]]
    noun_patterns: Mapping[str, tuple[Pattern, ...]]
    phrases: Mapping[str, ActorEntry]
    people: Mapping[str, tuple[Person, ...]]
    agents: Mapping[str, str]
    countries: Mapping[str, Country]
    igo_codes: frozenset[str] = field(default_factory=frozenset)
    plover_sectors: Mapping[str, str] = field(default_factory=dict)  # CAMEO agent code -> PLOVER sector
    intent_codes: Mapping[str, str] = field(default_factory=dict)
    intent_plover: Mapping[str, str] = field(default_factory=dict)
    rejection_codes: Mapping[str, str] = field(default_factory=dict)
    demand_codes: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def _lookup(table: Mapping[str, str], code: str) -> str | None:
        for key in (code, code[:3], code[:2]):
            if key in table:
                return table[key]
        return None

    def intent_plover_of(self, code: str) -> str | None:
        """The PLOVER type the manual gives the announced intention to do ``code``, where it
        departs from the type of the intention's CAMEO code (data/intent.yaml ``plover``)."""
        return self._lookup(self.intent_plover, code)

    def intent_of(self, code: str) -> str | None:
        """The code of the intention to do ``code`` (data/intent.yaml), or None to keep it."""
        return self._lookup(self.intent_codes, code)

    def rejection_of(self, code: str) -> str | None:
        """The code of refusing to do ``code`` (data/intent.yaml ``rejections``), default 120.

        Statements, appeals, demands and conflict acts are not "refused" in this sense: None.
        """
        if code[:2] not in REFUSABLE_ROOTS:
            return None
        return self._lookup(self.rejection_codes, code) or "120"

    def demand_of(self, code: str) -> str | None:
        """The code of demanding that someone do ``code`` (data/intent.yaml ``demands``)."""
        return self._lookup(self.demand_codes, code)

    def code(self, code: str) -> CameoCode:
        """The CAMEO entry for ``code``, falling back to its parent codes."""
        c = code
        while c:
            if c in self.cameo:
                return self.cameo[c]
            c = c[:-1]
        raise KnowledgeError(f"unknown CAMEO code {code!r}")

    def plover_sector(self, cameo_sector: str | None) -> str | None:
        """The PLOVER 2021 sector for a CAMEO agent code (MED -> JRN, HLH -> MED...)."""
        if cameo_sector is None:
            return None
        return self.plover_sectors.get(cameo_sector, cameo_sector)

    def vocabulary(self) -> frozenset[str]:
        """Every word of a known name: the cleaner treats them as real words when splitting glue."""
        words: set[str] = set()
        for phrase in list(self.phrases) + list(self.people):
            words.update(w for w in phrase.replace("-", " ").split() if len(w) > 2)
        return frozenset(words)


# ---------------------------------------------------------------------------- reading files


def _package_data() -> Path:
    return Path(str(resources.files("newsevents") / "data"))


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read knowledge file {path}: {exc}") from exc
    if data is None:
        return []
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), list):
        data = next(iter(data.values()))
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise KnowledgeError(f"{path}: expected a list of mappings")
    return data


def _as_list(value: Any, path: Path, what: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    raise KnowledgeError(f"{path}: {what} must be a list, got {value!r}")


def _as_date(value: Any, path: Path, who: str) -> date | None:
    if value in (None, "", "null"):
        return None
    if isinstance(value, date):
        return value
    try:
        text = str(value)
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise KnowledgeError(f"{path}: {who}: bad date {value!r}") from exc


def read_cameo(path: Path) -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = row["code"].strip()
                table[code] = CameoCode(
                    code=code,
                    root=row["root"].strip().zfill(2),
                    name=row["name"].strip(),
                    goldstein=float(row["goldstein"]),
                    quad_class=int(row["quad_class"]),
                    plover=(row.get("plover") or "").strip() or None,
                    plover_mode=(row.get("plover_mode") or "").strip() or None,
                    plover_context=(row.get("plover_context") or "").strip() or None,
                )
    except (OSError, KeyError, ValueError) as exc:
        raise KnowledgeError(f"cannot read CAMEO table {path}: {exc}") from exc
    return table


def apply_plover_manual(cameo: dict[str, CameoCode], path: Path) -> dict[str, CameoCode]:
    """The CAMEO table with the PLOVER types the manual's text gives where the conversion table
    differs (``plover_manual.yaml``; each entry says which section of the manual decides)."""
    for entry in _read_yaml(path):
        code = str(entry.get("code", "")).strip()
        plover = str(entry.get("plover", "")).strip()
        if code not in cameo:
            raise KnowledgeError(f"{path}: CAMEO code {code!r} is not in the code table")
        if plover not in PLOVER_TYPES:
            raise KnowledgeError(f"{path}: {code}: unknown PLOVER type {plover!r}")
        if not str(entry.get("reason", "")).strip():
            raise KnowledgeError(f"{path}: {code}: give the manual's reason")
        row = cameo[code]
        mode = str(entry["mode"]).strip() or None if "mode" in entry else row.plover_mode
        context = str(entry["context"]).strip() or None if "context" in entry else row.plover_context
        cameo[code] = replace(row, plover=plover, plover_mode=mode, plover_context=context)
    return cameo


def read_patterns(path: Path, cameo: Mapping[str, CameoCode]) -> list[Pattern]:
    out = []
    for i, entry in enumerate(_read_yaml(path)):
        where = f"{path} entry {i + 1} ({entry})"
        unknown = set(entry) - PATTERN_KEYS
        if unknown:
            raise KnowledgeError(f"{where}: unknown keys {sorted(unknown)}")
        code = str(entry.get("code", "")).strip()
        if code not in cameo:
            raise KnowledgeError(f"{where}: CAMEO code {code!r} is not in the code table")
        verb, noun = entry.get("verb"), entry.get("noun")
        if bool(verb) == bool(noun):
            raise KnowledgeError(f"{where}: give exactly one of 'verb' or 'noun'")
        out.append(
            Pattern(
                code=code,
                verb=str(verb).lower() if verb else None,
                noun=str(noun).lower() if noun else None,
                prep=str(entry["prep"]).lower() if entry.get("prep") else None,
                objects=frozenset(str(x).lower() for x in _as_list(entry.get("object"), path, "object")),
                xcomp=frozenset(str(x).lower() for x in _as_list(entry.get("xcomp"), path, "xcomp")),
                target_preps=tuple(str(x).lower() for x in _as_list(entry.get("target_preps"), path, "target_preps")),
                source_preps=tuple(str(x).lower() for x in _as_list(entry.get("source_preps"), path, "source_preps")),
                passive_ok=bool(entry.get("passive_ok", True)),
                complement=entry.get("complement"),
                modifiers=frozenset(str(x).lower() for x in _as_list(entry.get("modifier"), path, "modifier")),
                target_required=bool(entry.get("target_required", False)),
            )
        )
    return out


def read_intent(path: Path, cameo: Mapping[str, CameoCode]) -> dict[str, dict[str, str]]:
    """The action -> intention / rejection / demand tables (``intent.yaml``), codes checked."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read knowledge file {path}: {exc}") from exc
    tables: dict[str, dict[str, str]] = {}
    for section in ("codes", "rejections", "demands"):
        table = {str(k): str(v) for k, v in (data.get(section) or {}).items()}
        for k, v in table.items():
            if k not in cameo or v not in cameo:
                raise KnowledgeError(f"{path}: {section}: {k} -> {v}: both must be CAMEO codes in the code table")
        tables[section] = table
    plover = {str(k): str(v) for k, v in (data.get("plover") or {}).items()}
    for k, v in plover.items():
        if k not in cameo or v not in PLOVER_TYPES:
            raise KnowledgeError(f"{path}: plover: {k} -> {v}: a CAMEO action code -> a PLOVER type")
    tables["plover"] = plover
    return tables


def _sector_of(item: Any, default: str) -> tuple[str, str | None]:
    if isinstance(item, dict):
        return str(item["name"]), str(item.get("sector") or default)
    return str(item), default


def read_countries(path: Path, phrases: dict[str, ActorEntry], countries: dict[str, Country]) -> None:
    for entry in _read_yaml(path):
        try:
            iso3, name = str(entry["iso3"]), str(entry["name"])
        except KeyError as exc:
            raise KnowledgeError(f"{path}: country entry without {exc}: {entry}") from exc
        cameo = str(entry.get("cameo") or iso3)
        countries[iso3] = Country(iso3=iso3, cameo=cameo, name=name)
        for n in [name, *_as_list(entry.get("names"), path, "names")]:
            phrases[str(n)] = ActorEntry(name, cameo, iso3, None, "country", "name")
        for n in _as_list(entry.get("adjectives"), path, "adjectives"):
            phrases[str(n)] = ActorEntry(name, cameo, iso3, None, "country", "adjective")
        for n in _as_list(entry.get("demonyms"), path, "demonyms"):
            phrases[str(n)] = ActorEntry(name, cameo, iso3, "CVL", "country", "demonym")
        capital = str(entry.get("capital") or "")
        if capital and phrases.get(capital, ActorEntry("", "", None, None, "")).country != iso3:
            # a capital named like its country (Singapore, Luxembourg) stays the country's name
            phrases[capital] = ActorEntry(name, cameo + "GOV", iso3, "GOV", "country", "capital")
        for item in _as_list(entry.get("seats"), path, "seats"):
            seat, sector = _sector_of(item, "GOV")
            phrases[seat] = ActorEntry(name, cameo + (sector or ""), iso3, sector, "country", "seat")


def read_orgs(path: Path, phrases: dict[str, ActorEntry], igo_codes: set[str]) -> None:
    for entry in _read_yaml(path):
        try:
            code, name = str(entry["code"]), str(entry["name"])
        except KeyError as exc:
            raise KnowledgeError(f"{path}: organisation entry without {exc}: {entry}") from exc
        kind = str(entry.get("kind") or "igo")
        if kind not in ACTOR_KINDS:
            raise KnowledgeError(f"{path}: {name}: kind {kind!r} is not one of {ACTOR_KINDS}")
        if kind == "igo":
            igo_codes.add(code)
        country = entry.get("country")
        for n in [name, *_as_list(entry.get("names"), path, "names")]:
            phrases[str(n)] = ActorEntry(name, code, country, entry.get("sector"), kind, "name")


def read_people(path: Path, people: dict[str, list[Person]]) -> None:
    for entry in _read_yaml(path):
        try:
            name = str(entry["name"])
        except KeyError as exc:
            raise KnowledgeError(f"{path}: person entry without a name: {entry}") from exc
        roles = []
        for r in _as_list(entry.get("roles"), path, f"{name}: roles"):
            if not isinstance(r, dict):
                raise KnowledgeError(f"{path}: {name}: a role must be a mapping, got {r!r}")
            role = Role(
                title=str(r.get("title") or ""),
                start=_as_date(r.get("start"), path, name),
                end=_as_date(r.get("end"), path, name),
                country=r.get("country"),
                igo=r.get("igo"),
                sector=r.get("sector"),
            )
            if role.start and role.end and role.end < role.start:
                raise KnowledgeError(f"{path}: {name}: role {role.title!r} ends before it starts")
            roles.append(role)
        person = Person(name=name, aliases=tuple(str(a) for a in _as_list(entry.get("aliases"), path, "aliases")),
                        roles=tuple(roles))
        first_name = name.split()[0] if " " in name else None
        for alias in {name, *person.aliases}:
            if alias == first_name:
                continue  # a first name alone denotes too many people ("Boris", "Joe")
            people.setdefault(alias, []).append(person)


def read_agents(path: Path, agents: dict[str, str], plover_sectors: dict[str, str]) -> None:
    for entry in _read_yaml(path):
        sector = entry.get("sector")
        if not sector:
            raise KnowledgeError(f"{path}: agent entry without a sector: {entry}")
        if entry.get("plover_sector"):
            plover_sectors[str(sector)] = str(entry["plover_sector"])
        for w in _as_list(entry.get("words"), path, "words"):
            agents[str(w).lower()] = str(sector)


def _actor_files(folder: Path) -> Iterable[Path]:
    for sub in (folder / "actors", folder):
        for name in ACTOR_FILES:
            if (sub / name).is_file():
                yield sub / name


@functools.lru_cache(maxsize=8)
def load_knowledge(extra_dirs: tuple[str, ...] = ()) -> Knowledge:
    """Load and validate the package's knowledge plus each folder of ``extra_dirs`` (cached)."""
    base = _package_data()
    folders = [base] + [Path(d) for d in extra_dirs]
    for d in folders[1:]:
        if not d.is_dir():
            raise KnowledgeError(f"knowledge folder not found: {d}")
    cameo = apply_plover_manual(read_cameo(base / "cameo.csv"), base / "plover_manual.yaml")
    intent = read_intent(base / "intent.yaml", cameo)
    patterns: list[Pattern] = []
    phrases: dict[str, ActorEntry] = {}
    people: dict[str, list[Person]] = {}
    agents: dict[str, str] = {}
    plover_sectors: dict[str, str] = {}
    countries: dict[str, Country] = {}
    igo_codes: set[str] = set()
    for folder in reversed(folders):  # user folders first: on equal terms their patterns win
        if (folder / "verbs.yaml").is_file():
            patterns.extend(read_patterns(folder / "verbs.yaml", cameo))
        for path in _actor_files(folder):
            if path.name == "countries.yaml":
                read_countries(path, phrases, countries)
            elif path.name in ("igos.yaml", "groups.yaml"):
                read_orgs(path, phrases, igo_codes)
            elif path.name == "people.yaml":
                read_people(path, people)
            elif path.name == "agents.yaml":
                read_agents(path, agents, plover_sectors)
    verbs: dict[str, list[Pattern]] = {}
    nouns: dict[str, list[Pattern]] = {}
    seen: set[tuple[object, ...]] = set()
    for p in patterns:
        key = (p.verb, p.noun, p.prep, p.objects, p.xcomp, p.complement, p.modifiers)
        if key in seen:
            continue  # a user pattern with the same key replaces the package's
        seen.add(key)
        if p.verb:
            verbs.setdefault(p.verb, []).append(p)
        elif p.noun:
            nouns.setdefault(p.noun, []).append(p)
    return Knowledge(
        cameo=cameo,
        verb_patterns={k: tuple(v) for k, v in verbs.items()},
        noun_patterns={k: tuple(v) for k, v in nouns.items()},
        phrases=phrases,
        people={k: tuple(v) for k, v in people.items()},
        agents=agents,
        countries=countries,
        igo_codes=frozenset(igo_codes),
        plover_sectors=plover_sectors,
        intent_codes=intent["codes"],
        intent_plover=intent["plover"],
        rejection_codes=intent["rejections"],
        demand_codes=intent["demands"],
    )
