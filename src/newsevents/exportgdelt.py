"""GDELT 2.0 exports: Events (61 columns), Mentions (16) and the Global Knowledge Graph 2.1 (27).

Rows are tab-separated, without a header, in the official column order (the column names below
are GDELT's).  One ``event_groups`` row (a real-world event) is one Events row, its
``GLOBALEVENTID`` the group id; each of its mentions is one Mentions row; each article is one GKG
record.  Actor fields come from the group's founding mention (its first source and target
actor): ``Actor1Code`` the CAMEO actor code, ``Actor1CountryCode`` its first three letters when
those are a country, ``Actor1Type1Code`` the next three (``GOV``, ``MIL``...).  Geographic fields
use FIPS 10-4 country codes (``data/geo/iso3_fips.csv``), GDELT's geo types (1 country, 2 US
state, 3 US city, 4 world city, 5 world state) and GeoNames ids as feature ids.  Actor geography
is not resolved separately: GDELT places actors at the action location when it has nothing
better, and so do we.  Dates are ``YYYYMMDD`` (SQLDATE) and ``YYYYMMDDHHMMSS`` (DATEADDED).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from newsevents.store import Store

EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)

MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)

GKG_COLUMNS: tuple[str, ...] = (
    "GKGRECORDID", "DATE", "SourceCollectionIdentifier", "SourceCommonName", "DocumentIdentifier",
    "Counts", "V2Counts", "Themes", "V2Themes", "Locations", "V2Locations", "Persons", "V2Persons",
    "Organizations", "V2Organizations", "V2Tone", "Dates", "GCAM", "SharingImage", "RelatedImages",
    "SocialImageEmbeds", "SocialVideoEmbeds", "Quotations", "AllNames", "Amounts", "TranslationInfo", "Extras",
)

# An event is a "root event" (GDELT's IsRootEvent) when its evidence is the title or one of the
# first sentences: GDELT uses the lead paragraph; sentence 0 is the title here, so 0-2 is the
# title plus about a lead paragraph of wire prose.
ROOT_EVENT_MAX_SENTENCE = 2

# GDELT MentionType 1 = web article (the only source kind newsevents reads).
MENTION_TYPE_WEB = 1

# GKG count types for amount units (GKG's own count vocabulary); other amounts go to Amounts only.
_COUNT_TYPES: Mapping[str, str] = {
    "killed": "KILL", "dead": "KILL", "deaths": "KILL", "people killed": "KILL",
    "injured": "WOUND", "wounded": "WOUND", "arrested": "ARREST", "detained": "ARREST",
    "protesters": "PROTEST", "demonstrators": "PROTEST", "refugees": "REFUGEES", "displaced": "DISPLACED",
    "kidnapped": "KIDNAP", "abducted": "KIDNAP", "evacuated": "EVACUATION", "troops": "SOLDIER",
}

_US = "USA"
_FIELD_JUNK = re.compile(r"[\t\r\n]+")


@lru_cache(maxsize=1)
def _country_table() -> dict[str, tuple[str, str]]:
    """ISO 3166 alpha-3 -> (FIPS 10-4 code, English name), from the package data file."""
    text = resources.files("newsevents").joinpath("data/geo/iso3_fips.csv").read_text(encoding="utf-8")
    return {row["iso3"]: (row["fips"], row["name"]) for row in csv.DictReader(text.splitlines())}


def iso3_to_fips() -> dict[str, str]:
    """ISO 3166 alpha-3 -> FIPS 10-4 country code."""
    return {iso3: code for iso3, (code, _) in _country_table().items()}


def fips(iso3: str | None) -> str:
    """The FIPS 10-4 code of an ISO alpha-3 country ("" when unknown)."""
    return _country_table().get((iso3 or "").upper(), ("", ""))[0]


def clean(value: Any) -> str:
    """A value as one tab-free field ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    return _FIELD_JUNK.sub(" ", str(value))


def stamp(value: dt.datetime | dt.date | None) -> str:
    """YYYYMMDDHHMMSS."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value.strftime("%Y%m%d%H%M%S")


def geo_type(country: str | None, feature: str | None) -> int:
    """GDELT geo type: 1 country, 2 US state, 3 US city/landmark, 4 world city/landmark, 5 world state."""
    f = (feature or "").upper()
    if f.startswith("PCL"):
        return 1
    if f == "ADM1":
        return 2 if country == _US else 5
    return 3 if country == _US else 4


def _geo(name: str | None, admin1: str | None, country: str | None, feature: str | None, lat: Any, lon: Any,
         geonameid: Any) -> list[str]:
    """The 8 GDELT geo fields (Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID)."""
    if not name:
        return ["0", "", "", "", "", "", "", ""]
    gtype = geo_type(country, feature)
    code = fips(country)
    full = ", ".join(x for x in (name, admin1 if gtype != 1 else None) if x)
    if country and gtype != 1:
        full += f", {iso3_name(country)}"
    feature_id = code if gtype == 1 else clean(geonameid)
    return [str(gtype), clean(full), code, code, "", clean(lat), clean(lon), feature_id]


def iso3_name(iso3: str) -> str:
    """The English name of an ISO alpha-3 country (the code itself when unknown)."""
    return _country_table().get(iso3.upper(), ("", iso3))[1]


def _actor_fields(code: str | None, name: str | None, country: str | None) -> list[str]:
    """Actor{n}Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1/2, Type1/2/3."""
    code = (code or "").upper()
    if not code and not name:
        return [""] * 10
    if code.startswith("IGO") or code.startswith("NGO"):
        country_code, types = "", [code[:3]]
    else:
        country_code = code[:3] if len(code) >= 3 and (country or "").upper() == code[:3] else ""
        rest = code[len(country_code):]
        types = [rest[i:i + 3] for i in range(0, min(len(rest), 9), 3)]
    types += [""] * (3 - len(types))
    return [code, clean((name or "").upper()), country_code, "", "", "", "", *types[:3]]


_EVENTS_SQL = """
    SELECT g.*, a.url, a.id AS article_id, e.sentence,
           s.code AS s_code, s.name AS s_name, s.text AS s_text, s.country AS s_country,
           t.code AS t_code, t.name AS t_name, t.text AS t_text, t.country AS t_country
    FROM event_groups g
    LEFT JOIN events e ON e.event_id = g.first_event_id
    LEFT JOIN articles a ON a.article_pk = g.first_article_pk
    LEFT JOIN event_actors s ON s.event_id = g.first_event_id AND s.role = 'source' AND s.position = 0
    LEFT JOIN event_actors t ON t.event_id = g.first_event_id AND t.role = 'target' AND t.position = 0
    ORDER BY g.group_id
"""


def gdelt_event_rows(store: Store) -> Iterator[list[str]]:
    """One 61-field GDELT 2.0 Events row per real-world event."""
    for r in store.iter_sql(_EVENTS_SQL):
        day: dt.date | None = r["date_start"]
        cameo = str(r["cameo"])
        place = _geo(r["location_name"], r["location_admin1"], r["location_country"], r["location_feature"],
                     r["location_lat"], r["location_lon"], r["location_geonameid"])
        yield [
            str(r["group_id"]),
            day.strftime("%Y%m%d") if day else "",
            day.strftime("%Y%m") if day else "",
            str(day.year) if day else "",
            f"{day.year + (day.timetuple().tm_yday / 365):.4f}" if day else "",
            *_actor_fields(r["s_code"], r["s_name"] or r["s_text"], r["s_country"]),
            *_actor_fields(r["t_code"], r["t_name"] or r["t_text"], r["t_country"]),
            "1" if (r["sentence"] is not None and r["sentence"] <= ROOT_EVENT_MAX_SENTENCE) else "0",
            cameo, cameo[:3], cameo[:2], clean(r["quad_class"]), clean(r["goldstein"]),
            clean(r["num_mentions"]), clean(r["num_sources"]), clean(r["num_articles"]), clean(r["avg_tone"]),
            *place, *place, *place,
            stamp(r["first_added"]),
            clean(r["url"] or r["article_id"]),
        ]


_MENTIONS_SQL = """
    SELECT e.group_id, g.first_added, a.processed_at, a.source, a.url, a.id AS article_id, e.sentence,
           e.trigger_start, e.confidence, length(a.text) AS doc_len, a.tone,
           (SELECT min(x.char_start) FROM event_actors x WHERE x.event_id = e.event_id AND x.role = 'source'
                AND x.position = 0) AS a1,
           (SELECT min(x.char_start) FROM event_actors x WHERE x.event_id = e.event_id AND x.role = 'target'
                AND x.position = 0) AS a2
    FROM events e JOIN event_groups g USING (group_id) JOIN articles a ON a.article_pk = e.article_pk
    ORDER BY e.group_id, e.event_id
"""


def _host(url: str | None) -> str | None:
    m = re.match(r"^[a-z]+://([^/:]+)", url or "")
    return m.group(1) if m else None


def _offset(value: int | None) -> str:
    return "-1" if value is None else str(value)


def gdelt_mention_rows(store: Store) -> Iterator[list[str]]:
    """One 16-field GDELT 2.0 Mentions row per event mention that belongs to a real-world event."""
    for r in store.iter_sql(_MENTIONS_SQL):
        yield [
            str(r["group_id"]), stamp(r["first_added"]), stamp(r["processed_at"]), str(MENTION_TYPE_WEB),
            clean(r["source"] or _host(r["url"]) or ""), clean(r["url"] or r["article_id"]),
            clean((r["sentence"] or 0) + 1), _offset(r["a1"]), _offset(r["a2"]), _offset(r["trigger_start"]),
            "1", str(round(100 * float(r["confidence"] or 0))), clean(r["doc_len"]), clean(r["tone"]), "", "",
        ]


def _by_article(store: Store, table: str, order: str) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in store.iter_sql(f"SELECT * FROM {table} ORDER BY article_pk, {order}"):
        out.setdefault(int(row["article_pk"]), []).append(row)
    return out


def _gkg_field(items: list[str], sep: str = ";") -> str:
    return sep.join(items)


def gdelt_gkg_rows(store: Store) -> Iterator[list[str]]:
    """One 27-field GKG 2.1 record per article (counts, themes, locations, names, tone, dates, quotes, amounts)."""
    places = _by_article(store, "places", "place_index")
    themes = _by_article(store, "themes", "theme_index")
    entities = _by_article(store, "entities", "entity_index")
    quotes = _by_article(store, "quotes", "quote_index")
    dates = _by_article(store, "dates", "date_index")
    amounts = _by_article(store, "amounts", "amount_index")
    for n, art in enumerate(store.iter_sql("SELECT * FROM articles ORDER BY article_pk"), start=1):
        pk = int(art["article_pk"])
        when = stamp(art["processed_at"])
        locs1, locs2 = [], []
        for p in places.get(pk, []):
            g = _geo(p["name"], p["admin1"], p["country"], p["feature"], p["lat"], p["lon"], p["geonameid"])
            locs1.append("#".join([g[0], g[1], g[2], g[3], g[5], g[6], g[7]]))
            locs2.append("#".join([*g, clean(p["char_start"])]))
        counts1, counts2 = [], []
        for m in amounts.get(pk, []):
            ctype = _COUNT_TYPES.get((m["unit"] or "").lower())
            if ctype:
                value = str(int(m["value"])) if float(m["value"]).is_integer() else clean(m["value"])
                counts1.append("#".join([ctype, value, clean(m["unit"]), "0", "", "", "", "", "", ""]))
                counts2.append("#".join([ctype, value, clean(m["unit"]), "0", "", "", "", "", "", "",
                                         clean(m["char_start"])]))
        ents = entities.get(pk, [])
        persons = [e for e in ents if e["label"] == "PERSON"]
        orgs = [e for e in ents if e["label"] == "ORG"]
        named = [e for e in ents if e["label"] in ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "LAW")]
        tone = [art["tone"], art["tone_positive"], art["tone_negative"], art["tone_polarity"], 0.0, 0.0,
                art["word_count"]]
        date_items = []
        for d in dates.get(pk, []):
            start = d["date_start"]
            if start is not None and d["date_end"] == start:
                date_items.append(f"4#{start.month}#{start.day}#{start.year}#{d['char_start']}")
            elif start is not None and d["date_end"] is not None and start.month == d["date_end"].month:
                date_items.append(f"3#{start.month}#0#{start.year}#{d['char_start']}")
            elif start is not None:
                date_items.append(f"1#0#0#{start.year}#{d['char_start']}")
        quote_items = [
            "|".join([clean(q["char_start"]), clean(len(q["text"] or "")), clean(q["verb"]),
                      clean(q["text"]).replace("#", " ").replace("|", " ")])
            for q in quotes.get(pk, [])
        ]
        amount_items = [
            ",".join([clean(m["value"]), clean(m["unit"]).replace(",", " ").replace(";", " "), clean(m["char_start"])])
            for m in amounts.get(pk, [])
        ]
        theme_rows = themes.get(pk, [])
        yield [
            f"{when}-{n}", when, "1", clean(art["source"] or _host(art["url"]) or ""),
            clean(art["url"] or art["id"]),
            _gkg_field(counts1), _gkg_field(counts2),
            _gkg_field(list(dict.fromkeys(str(t["name"]) for t in theme_rows))),
            _gkg_field([f"{t['name']},{t['char_start']}" for t in theme_rows]),
            _gkg_field(locs1), _gkg_field(locs2),
            _gkg_field(list(dict.fromkeys(_name(e) for e in persons))),
            _gkg_field([f"{_name(e)},{e['char_start']}" for e in persons]),
            _gkg_field(list(dict.fromkeys(_name(e) for e in orgs))),
            _gkg_field([f"{_name(e)},{e['char_start']}" for e in orgs]),
            ",".join(clean(v if v is not None else 0) for v in tone),
            _gkg_field(date_items),
            f"wc:{art['word_count'] or 0}",
            "", "", "", "",
            "#".join(quote_items),
            _gkg_field([f"{_name(e)},{e['char_start']}" for e in named]),
            _gkg_field(amount_items),
            "", "",
        ]


def _name(entity: Mapping[str, Any]) -> str:
    return clean(entity["text"]).replace(",", " ").replace(";", " ").replace("#", " ")
