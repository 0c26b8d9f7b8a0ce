"""The places stage: resolve the toponyms of a parsed article against the gazetteer, in context.

Mentions are found by newsevents.toponyms (datelines, entities, untagged names after locative words,
embedded names, demonyms, lists, repetitions).  Each mention's candidates are then scored by their
context-free prior (population per decade, feature: country > continent > capital > first-level division >
populated place, main or alternate name) and agreement with the rest of the article: countries and states
that other, unambiguous mentions resolve to, the caller's ``known_countries``, a dateline (weighted more),
neighbouring countries, an explicit container ("Paris, Texas", which also makes "Texas" the state), a county
of the story named like the town ("Lebanon" beside "Lebanon County").  A mention never supports itself: the
evidence from all mentions of the same name is removed before that name is scored.  A name the article pins
down once by a dateline or a container keeps that sense at its other mentions (one sense per article),
unless a kind word says otherwise ("Washington state").

Local places: capitalised names ending in a street, building, park or water word ("Barrington
Street", "Altnagelvin Hospital", also in lower case after a proper noun: "Heathrow airport"), are given
the point of the town the text puts them in ("Collins Avenue in Miami Beach", "Derry's Altnagelvin
Hospital"), else of the article's main town (a dateline town, or a town named at least twice and in at
least half of the town mentions), with no GeoNames id; so are British numbered roads in a sentence
about roads ("a diversion via the A436").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsevents.gazetteer import COUNTY_SUFFIXES, Gazetteer, GeoEntry, load_gazetteer, name_key
from newsevents.records import Place
from newsevents.tokentable import TokenTable as _Tokens
from newsevents.toponyms import (
    CONFIDENT_MARGIN,
    TOWN_FEATURES,
    Mention,
    collect_mentions,
    ranked_candidates,
    region_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Gazetteer", "find_places", "load_gazetteer", "place_for_span"]

# --- Context weights (see toponyms for the context-free prior and how the weights were set).
#: Candidate in a country other mentions resolve to; plus a share of all the article's evidence.
COUNTRY_PRESENT_BONUS = 1.5
COUNTRY_SHARE_BONUS = 1.0
#: Candidate in a US state other mentions resolve to ("Atlanta" makes "Georgia" the state).
ADMIN1_PRESENT_BONUS = 2.0
#: Candidate in (or being) a neighbour of an evidenced country ("Georgia" in a story on Russia).
NEIGHBOUR_BONUS = 1.0
#: "X, Y" where Y is a country or state containing the candidate ("Paris, Texas").
CONTAINER_BONUS = 4.0
#: A town named like a county the article names, in that county's state ("Lebanon" in a story that names
#: Lebanon County and Harrisburg: the town, not the country): a hint as strong as a named state, weaker than a
#: container (a story on Israel and Lebanon that names a Lebanon County elsewhere keeps the country).
COUNTY_NAMESAKE_BONUS = ADMIN1_PRESENT_BONUS
#: A candidate in a country another mention of the same sentence names (a country or a demonym): nearby
#: context outweighs the article's ("In Washington, ... diplomats expelled by the US"); as much as a
#: country present anywhere in the article.
SENTENCE_COUNTRY_BONUS = COUNTRY_PRESENT_BONUS
#: A candidate of the kind (country, first-level division) of a name coordinated with it whose own kind is
#: clear ("California or Washington"): as strong as a named state.
SIBLING_KIND_BONUS = ADMIN1_PRESENT_BONUS
SIBLING_KINDS = frozenset({"PCLI", "ADM1"})
_COORDINATION = re.compile(r"^\s*(?:,|and|or|&|, and|, or)\s*$")
#: Mentions found only because the name occurs elsewhere as a place, or inside another name: they take the
#: sense of the article's own mention of that name when there is one.
DERIVED_SOURCES = frozenset({"repeat", "embedded"})
#: Evidence weight of a dateline place, of a caller-known country, of any other mention.
DATELINE_WEIGHT = 3
KNOWN_COUNTRY_WEIGHT = 2
MENTION_WEIGHT = 1
#: Without a dateline, the article's main town must be named at least this many times, and more often
#: than any other town (one mention of a town in a story about elsewhere is not where its streets are).
MAIN_TOWN_MIN_MENTIONS = 2
#: ... and account for at least this share of the article's town mentions.
MAIN_TOWN_MIN_SHARE = 0.5
#: Longest name before a local-place word ("Martin Luther King Jr. Boulevard" has four).
MAX_LOCAL_NAME_TOKENS = 4
#: British numbered roads ("the A417", "the M25"): local places too.
_ROAD = re.compile(r"^(?:A\d{2,4}|M\d{1,3})$")
#: ... when their sentence speaks of roads (not "the A380" aircraft or "the M16" rifle).
ROAD_WORDS = frozenset({"road", "junction", "roundabout", "carriageway", "motorway", "lane", "traffic", "motorist",
                        "driver", "crash", "collision", "closure", "bypass", "route", "northbound", "southbound",
                        "eastbound", "westbound", "diversion", "detour"})
#: Feature code of streets, buildings, parks and waters given the point of the article's main town.
LOCAL_FEATURE = "LOCAL"
#: Words putting a local name in the town that follows ("Collins Avenue in Miami Beach", "Grand Theatre, Leeds").
LOCAL_TOWN_LINKS = frozenset({"in", ","})

SPECIFICITY: dict[str, int] = {"PPL": 4, "PPLC": 4, "PPLA": 4, "ADM2": 3, "ADM1": 3, "PCLI": 2, "CONT": 1}


# ---------------------------------------------------------------------------------- scoring


@dataclass
class _Evidence:
    """Weighted countries and (country, admin1) pairs supported by the article's mentions."""

    countries: Counter[str]
    admin1: Counter[tuple[str, str]]


def _confident(gaz: Gazetteer, ranked: Sequence[tuple[float, int]]) -> GeoEntry | None:
    """The best of ranked candidates when it leads the next by ``CONFIDENT_MARGIN`` (or stands alone)."""
    if not ranked or len(ranked) > 1 and ranked[0][0] - ranked[1][0] < CONFIDENT_MARGIN:
        return None
    return gaz.entries[ranked[0][1]]


def _best_index(scores: dict[int, float]) -> int:
    """The highest-scoring candidate (the earlier entry on a tie)."""
    return max(scores, key=lambda i: (scores[i], -i))


def _evidence(mentions: Sequence[Mention], confident: Sequence[GeoEntry | None]) -> dict[str, _Evidence]:
    """Evidence contributed by each distinct mention key."""
    per_key: dict[str, _Evidence] = {}
    for m, best in zip(mentions, confident, strict=True):
        if best is None or best.country is None:
            continue
        w = DATELINE_WEIGHT if m.source == "dateline" else MENTION_WEIGHT
        ev = per_key.setdefault(m.key, _Evidence(Counter(), Counter()))
        ev.countries[best.country] += w
        if best.admin1 and best.feature not in ("PCLI", "PPLC"):  # "London said": a capital speaks for a nation
            ev.admin1[(best.country, best.admin1)] += w
    return per_key


def _context_score(gaz: Gazetteer, e: GeoEntry, countries: Counter[str], admin1: Counter[tuple[str, str]],
                   total: float, container: tuple[str | None, str | None] | None) -> float:
    score = 0.0
    if e.country is not None:
        if countries[e.country] > 0:
            score += COUNTRY_PRESENT_BONUS + COUNTRY_SHARE_BONUS * countries[e.country] / max(total, 1e-9)
        elif any(countries[n] > 0 for n in gaz.neighbours.get(e.country, ())):
            score += NEIGHBOUR_BONUS
        if e.admin1 and e.feature != "PCLI" and admin1[(e.country, e.admin1)] > 0:
            score += ADMIN1_PRESENT_BONUS
    if container is not None and e.country == container[0] and e.country is not None:
        if container[1] is None or container[1] == e.admin1:
            score += CONTAINER_BONUS
    return score


def find_places(doc: Doc, gazetteer: Gazetteer, known_countries: frozenset[str] = frozenset()) -> list[Place]:
    """Toponyms of a parsed article, each resolved to one gazetteer place, in text order.

    ``known_countries`` (ISO alpha-3) are countries the caller already knows the article is about
    (from actors, the source...); they count as context, like a dateline but weaker.
    """
    tk = _Tokens(doc)
    text = tk.text
    mentions = collect_mentions(doc, tk, gazetteer)
    if not mentions:
        return []
    priors = [ranked_candidates(gazetteer, text[m.start:m.end], m.ids) for m in mentions]
    confident = [_confident(gazetteer, ranked) for ranked in priors]
    per_key = _evidence(mentions, confident)
    all_countries: Counter[str] = Counter({c: KNOWN_COUNTRY_WEIGHT for c in known_countries})
    all_admin1: Counter[tuple[str, str]] = Counter()
    for ev in per_key.values():
        all_countries.update(ev.countries)
        all_admin1.update(ev.admin1)
    county_states = _county_states(gazetteer, mentions)
    sibling_kinds = _sibling_kinds(text, mentions, confident)
    sentence_countries = _sentence_countries(doc, gazetteer, mentions, confident)
    scored: list[dict[int, float]] = []
    for n, m in enumerate(mentions):
        own = per_key.get(m.key)
        countries, admin1 = Counter(all_countries), Counter(all_admin1)
        if own is not None:
            countries.subtract(own.countries)
            admin1.subtract(own.admin1)
        total = float(sum(v for v in countries.values() if v > 0))
        seat = county_states.get(m.key)
        scored.append({idx: base + _context_score(gazetteer, gazetteer.entries[idx], countries, admin1, total,
                                                  m.container)
                       + (COUNTY_NAMESAKE_BONUS if seat is not None and region_of(gazetteer.entries[idx], True) == seat
                          and gazetteer.entries[idx].feature in ("PPL", "PPLC") else 0.0)
                       + (SIBLING_KIND_BONUS if gazetteer.entries[idx].feature in sibling_kinds[n] else 0.0)
                       + (SENTENCE_COUNTRY_BONUS if gazetteer.entries[idx].country in sentence_countries[n] else 0.0)
                       for base, idx in priors[n]})
    anchors = _anchored_senses(mentions, scored)
    senses = _first_senses(mentions, scored)
    places: list[Place] = []
    resolved: list[tuple[Mention, Place]] = []
    for m, scores in zip(mentions, scored, strict=True):
        if not scores:
            continue
        best_idx = _best_index(scores)
        if m.container is None and m.source != "dateline" and not m.typed and m.key in anchors:
            best_idx = anchors[m.key]
        elif m.source in DERIVED_SOURCES and m.key in senses:
            best_idx = senses[m.key]
        e = gazetteer.entries[best_idx]
        places.append(Place(text=text[m.start:m.end], start=m.start, end=m.end, name=e.name, country=e.country,
                            admin1=e.admin1, lat=e.lat, lon=e.lon, geonameid=e.geonameid, feature=e.feature))
        resolved.append((m, places[-1]))
    local = _local_places(doc, tk, gazetteer, mentions, [p for _, p in resolved], _main_town(resolved))
    if local:
        places.extend(local)
        places.sort(key=lambda p: p.start)
    return places


def _sentence_countries(doc: Doc, gaz: Gazetteer, mentions: Sequence[Mention],
                        confident: Sequence[GeoEntry | None]) -> list[frozenset[str]]:
    """Per mention, the countries the other mentions of its sentence clearly name (a country, a demonym; not
    a name inside another name, "Air Canada"):
    "In Washington, some of the diplomats expelled by the US ..." is the US capital even in a story set in
    England."""
    starts = sorted(s.start_char for s in doc.sents) if doc.has_annotation("SENT_START") else [0]
    named: dict[int, set[str]] = {}
    sentence_of: list[int] = []
    for m, best in zip(mentions, confident, strict=True):
        k = bisect.bisect_right(starts, m.start) - 1
        sentence_of.append(k)
        if best is None or not best.country or m.source in DERIVED_SOURCES:
            continue
        if best.feature == "PCLI" or m.source == "demonym":
            named.setdefault(k, set()).add(best.country)
    out: list[frozenset[str]] = []
    for m, k in zip(mentions, sentence_of, strict=True):
        own = {gaz.entries[i].country for i in m.ids if gaz.entries[i].feature == "PCLI"}
        out.append(frozenset(named.get(k, set()) - own))
    return out


def _sibling_kinds(text: str, mentions: Sequence[Mention], confident: Sequence[GeoEntry | None]
                   ) -> list[frozenset[str]]:
    """Per mention, the kinds (country, state) of the names coordinated with it that are clearly of that kind:
    "states such as California or Washington" makes Washington a state too."""
    kinds: list[frozenset[str]] = []
    for n, m in enumerate(mentions):
        found: set[str] = set()
        for k in (n - 1, n + 1):
            if not 0 <= k < len(mentions):
                continue
            other = mentions[k]
            gap = text[other.end:m.start] if k < n else text[m.end:other.start]
            if not _COORDINATION.match(gap):
                continue
            best = confident[k]
            if best is not None and best.feature in SIBLING_KINDS:
                found.add(best.feature)
        kinds.append(frozenset(found))
    return kinds


def _county_states(gaz: Gazetteer, mentions: Sequence[Mention]) -> dict[str, tuple[str | None, str | None]]:
    """Name (without "County") -> (country, state) of the counties the article names in one state only."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for m in mentions:
        words = m.key.split(" ")
        if len(words) < 2 or words[-1] not in COUNTY_SUFFIXES:
            continue
        regions = {region_of(gaz.entries[i], True) for i in m.ids if gaz.entries[i].feature == "ADM2"}
        if len(regions) == 1:
            out.setdefault(" ".join(words[:-1]), regions.pop())
    return out


def _anchored_senses(mentions: Sequence[Mention], scored: Sequence[dict[int, float]]) -> dict[str, int]:
    """One sense per article: a name the article pins down once, by a dateline ("ROME, Ga. --") or a
    container ("Rome, Georgia"), means the same place at its other mentions ("the Rome City Commission"),
    even where a mention alone would only be read as a large place."""
    anchors: dict[str, int] = {}
    for m, scores in zip(mentions, scored, strict=True):
        if scores and m.key not in anchors and (m.container is not None or m.source == "dateline"):
            anchors[m.key] = _best_index(scores)
    return anchors


def _first_senses(mentions: Sequence[Mention], scored: Sequence[dict[int, float]]) -> dict[str, int]:
    """The sense of each name where the article first names it in its own right (an entity, a name after a
    locative word...), for the mentions only derived from it: repetitions and names inside other names ("the
    Nelson office" after "a new office in Nelson", read with the candidates of large places only), when that
    mention's best candidate leads the next by ``CONFIDENT_MARGIN``."""
    senses: dict[str, int] = {}
    for m, scores in zip(mentions, scored, strict=True):
        if not scores or m.source in DERIVED_SOURCES or m.key in senses:
            continue
        top = sorted(scores.values(), reverse=True)
        if len(top) == 1 or top[0] - top[1] >= CONFIDENT_MARGIN:  # a close call is no sense to pass on
            senses[m.key] = _best_index(scores)
    return senses


def _main_town(resolved: Sequence[tuple[Mention, Place]]) -> Place | None:
    """The town an article is about: a dateline town, else a town named more often than any other."""
    for m, p in resolved:
        if m.source == "dateline" and p.feature in TOWN_FEATURES:
            return p
    counts = Counter(p.geonameid for m, p in resolved
                     if p.feature in TOWN_FEATURES and m.source != "demonym" and p.geonameid is not None)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < max(MAIN_TOWN_MIN_MENTIONS, MAIN_TOWN_MIN_SHARE * sum(counts.values())):
        return None
    return next(p for _, p in resolved if p.geonameid == ranked[0][0])


def _named_town(tk: _Tokens, first: int, last: int, towns: dict[int, Place], town_ends: dict[int, Place]
                ) -> Place | None:
    """The town a local name on tokens ``first..last`` is given by the text itself: "Collins Avenue in Miami
    Beach", "the Grand Theatre, Leeds", "Derry's Altnagelvin Hospital"."""
    nxt = last + 1
    if nxt + 1 < tk.n and tk.lower[nxt] in LOCAL_TOWN_LINKS:
        town = towns.get(tk.idx[nxt + 1])
        if town is not None:
            return town
    if first >= 2 and tk.lower[first - 1] in ("'s", "\u2019s"):
        return town_ends.get(tk.ends[first - 2])
    return None


def _local_places(doc: Doc, tk: _Tokens, gaz: Gazetteer, mentions: Sequence[Mention], resolved: Sequence[Place],
                  main_town: Place | None) -> list[Place]:
    """Capitalised names ending in a street, building, park or water word ("Royal Street", "Altnagelvin
    Hospital"), placed at the town the text puts them in ("Royal Street in New Orleans") or else at the
    article's main town (no GeoNames id: the gazetteer does not hold them)."""
    taken = {k for m in mentions for k in range(m.start, m.end)}
    towns = {p.start: p for p in resolved if p.feature in TOWN_FEATURES}
    town_ends = {p.end: p for p in resolved if p.feature in TOWN_FEATURES}
    out: list[Place] = []
    keys: dict[str, str] = {}  # name_key of each distinct other word of the article, computed once
    words, lower, caps = tk.words, tk.lower, tk.caps
    for i, word in enumerate(words):
        if (_ROAD.match(word) and i > 0 and lower[i - 1] in ("the", "and", ",")
                and any(t.lemma_.lower() in ROAD_WORDS for t in doc[i].sent)):
            start, end, text = tk.idx[i], tk.ends[i], word  # a numbered road: "the A417"
            town = main_town if start not in taken else None
            if town is not None:
                out.append(Place(text=text, start=start, end=end, name=text, country=town.country,
                                 admin1=town.admin1, lat=town.lat, lon=town.lon, geonameid=None,
                                 feature=LOCAL_FEATURE))
            continue
        if word.isascii() and word.isalpha():
            key = word.lower()  # name_key of a plain ASCII word
        elif word in keys:
            key = keys[word]
        else:
            key = keys[word] = name_key(word)
        if key not in gaz.local_place_words:
            continue
        if not caps[i]:
            tok = doc[i]
            if not (tok.is_lower and i > 0 and tk.pos[i - 1] == "PROPN" and tok.tag_ == "NN"):
                continue
        j = i
        while (j > 0 and i - j < MAX_LOCAL_NAME_TOKENS and caps[j - 1]
               and (tk.alpha[j - 1] or words[j - 1][:-1].isalpha())
               and lower[j - 1] not in ("the", "a", "an")
               and (tk.pos[j - 1] == "PROPN" or not doc[j - 1].is_sent_start)):
            j -= 1
        if j == i:
            continue
        start, end, text = tk.window(j, i + 1)
        if any(k in taken for k in range(start, end)):
            continue
        town = _named_town(tk, j, i, towns, town_ends) or main_town
        if town is None:
            continue
        out.append(Place(text=text, start=start, end=end, name=text, country=town.country, admin1=town.admin1,
                         lat=town.lat, lon=town.lon, geonameid=None, feature=LOCAL_FEATURE))
    return out


def place_for_span(places: Sequence[Place], start: int, end: int) -> Place | None:
    """The place an event in ``[start, end)`` happened: the most specific place mentioned inside the
    span (a city beats a division, which beats a country, which beats a continent); the first
    such place on ties; ``None`` when no place lies inside the span.  Demonyms ("Russian troops")
    are places of the text but do not locate an event: Russian troops may be anywhere."""
    gaz = load_gazetteer()
    inside = [p for p in places if p.start >= start and p.end <= end
              and (gaz.demonym_place(p.text) is None or name_key(p.text) == name_key(p.name))]
    if not inside:
        return None
    return max(inside, key=lambda p: (SPECIFICITY.get(p.feature or "", 0), -p.start))
