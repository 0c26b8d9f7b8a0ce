"""Finding toponyms: the place-name mentions of a parsed article and their gazetteer candidates.

Mentions come from these general sources, in this order of precedence:

1. a dateline at the start of a paragraph near the top ("MOSCOW (Reuters) -", "KYIV, Ukraine —", "OKLAHOMA
   CITY The Latest on ...") or after a headline run into the first paragraph ("... Event. IMMOKALEE -");
2. spaCy GPE / LOC / FAC entities, trimmed ("the", possessive "'s") and, when the whole entity
   is not a known name, stripped of edge words ("northern Ukraine", "Kherson region");
3. ORG / NORP entities and capitalised words outside entities that are exactly a country or
   continent name (spaCy often tags "Russia said ..." as ORG, or misses a country);
4. proper nouns spaCy left untagged right after a locative word ("flew to Kyiv", "the city of
   Kharkiv"), when they name a country, a division or a sizeable town (any town after "in", "at",
   "from"... unless several small towns share the name);
5. toponyms embedded in other entities ("the Washington Post", "the Russian Embassy", "EU
   Aviation Strategy", "US dollars"): countries, divisions, regions, capitals, big cities and
   demonyms inside ORG / FAC / EVENT / MONEY / ... entities, and inside a PERSON entity ending in a club
   word ("Bolton Wanderers"); otherwise a PERSON entity only when the whole of it is such a place and no
   longer person name in the article contains it ("Abuja");
6. demonyms used as adjectives ("Russian troops", "a European summit") -> the country or region,
   as GeoWebNews annotates them (a demonym used as a noun, "the Russians", is people, not a place);
7. entities of any label right after a locative preposition (or "to" after a verb of motion, "of" after a
   person's name or a resident noun: "Sen. Bill Brady of Bloomington", "residents of Delafield") whose whole
   text is a town's main name, or an alternate name of a sizeable town ("a fire in Riverdale" tagged
   PERSON, "fighters from Misrata"); or listed after a place, in its country ("Hilversum and Almelo"), or
   after a comma inside a list, in its state ("Oconomowoc, Delafield and Hartland");
8. repetitions of a name already taken as a place (one sense per article), as whole entities, outside
   entities or at the start of an ORG / FAC name; a town (no common English word) leading several ORG / FAC
   names of an article that names its country ("Cavan Institute", "Cavan Town Hall", "Cavan County
   Council"); a town between "a"/"an" and a resident noun ("a Pewaukee man"); and capitalised words right
   before ", <state or country>" naming a place inside it, even a stop name ("Mobile, Ala.").

Villages (gazetteer entries under 1,000 inhabitants) count only in place entities after a locative
preposition or before their division ("Snetterton, Norfolk").  A place entity holding a comma is read as
its parts ("Thruxton, Hampshire").

Each candidate also has a context-free prior (population, feature, main or alternate name) used here to
judge ambiguity and, in newsevents.places, as the base of its score in context.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from wordfreq import zipf_frequency

from newsevents.dates import load_lexicon as load_date_lexicon
from newsevents.gazetteer import Gazetteer, GeoEntry, name_key
from newsevents.tokentable import TokenTable as _Tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["CONFIDENT_MARGIN", "TOWN_FEATURES", "Mention", "collect_mentions", "ranked_candidates",
           "region_of"]

#: Entity labels whose text is looked up as a place name.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels accepted only when the whole text names a country, continent, US state or national
#: capital ("Russia said", "Washington rejected"): metonymic uses that still locate the story.
COUNTRY_ONLY_LABELS = frozenset({"ORG", "NORP"})
#: Political zones, oceans, seas and regions (hand-listed in places.yaml).
REGION_FEATURES = frozenset({"ZN", "OCN", "SEA", "RGN"})
METONYM_FEATURES = frozenset({"PCLI", "CONT", "ADM1", "PPLC"}) | REGION_FEATURES
#: Features a scan of capitalised words outside entities may produce.
COUNTRY_FEATURES = frozenset({"PCLI", "CONT"}) | REGION_FEATURES
#: Features a toponym embedded in another entity may have (plus big towns, below).
EMBEDDED_FEATURES = METONYM_FEATURES
#: Entity labels never searched for embedded toponyms: numbers, dates, people ("George Washington"),
#: and places themselves, whose whole name is the toponym ("Washington Square" is not Washington,
#: "the Russian Embassy" not Russia).
NO_EMBEDDED_LABELS = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY",
                                "LANGUAGE"}) | PLACE_LABELS

# --- Scoring weights: set by hand on the article-level examples in tests/test_places.py, then checked
# --- on the GeoWebNews development half, where scaling any one of them by x0.5 or x1.5 moved
# --- accuracy within 161 km by less than 2 points (recall and precision by less than 0.2 points).
#: Score per decade of population (log10).
POPULATION_WEIGHT = 1.0
#: Feature preference: a country name means the country; a capital beats a namesake town.
FEATURE_BONUS: dict[str, float] = {"PCLI": 3.0, "CONT": 2.5, "PPLC": 1.0, "ADM1": 0.5, "PPL": 0.0,
                                   # regions carry no population: worth a town of ~10,000 ("Atlantic" is
                                   # the ocean, not Atlantic, Iowa; "EU" not Eu, France)
                                   "ZN": 4.0, "OCN": 4.0, "SEA": 4.0, "RGN": 4.0}
#: Divisions carry the summed population of their places, which would make "New York" the state and
#: "Washington" the state; they are scored as a place of this size instead (a city of a million beats
#: a namesake state, a town does not).
ADM1_EQUIVALENT_POPULATION = 1_000_000
#: Matched through an alternate name or alias rather than the main name ("Parys" for "Paris").
ALT_NAME_PENALTY = 1.0
#: A name supports the context only when its best candidate leads the next by this much.
CONFIDENT_MARGIN = 1.0
#: FAC and LOC entities ("Heathrow", "Middle East", "Atlantic") resolve to populated places only
#: when these are at least this large: below it the entity is a building, sea or region sharing a
#: town's name.  Order of magnitude chosen by hand; x0.1 or x10 changed GeoWebNews recall and
#: precision by less than 0.5 points.
SMALL_PLACE_MIN_POPULATION: dict[str, int] = {"FAC": 100_000, "LOC": 100_000}
#: A town read from an entity whose leading words were stripped ("northern Aleppo", "downtown Tulsa") must be at
#: least this large: small towns so found are mostly words of other names ("the West Wing" is not Wing,
#: Buckinghamshire).  Same order as LOCATIVE_FACILITY_MIN_POPULATION, by hand.
STRIPPED_MIN_POPULATION = 10_000
#: ... lowered to this after a locative preposition ("back in Kasba Bonli" tagged FAC).  GeoWebNews: 1,000
#: also took airports and parks named like small American towns (accuracy within 161 km -0.2 points),
#: 30,000 took nothing more than no lowering; 10,000 gained 0.2 points of recall at -0.07 of accuracy.
LOCATIVE_FACILITY_MIN_POPULATION = 10_000
#: Proper nouns spaCy did not tag (new spellings such as "Kyiv") are taken after a locative word
#: only when they name a country, a division or a town at least this large.
UNTAGGED_MIN_POPULATION = 50_000
#: ... and this large after a strict locative preposition ("in", "at", "near", "from"...; "to" after a verb of
#: motion), provided the name is not shared by several such small towns.  GeoWebNews: 1,000 (the smallest
#: town the gazetteer holds) gave 0.1 point of recall at no loss of precision; 5,000 and 20,000 gave none.
UNTAGGED_STRICT_MIN_POPULATION = 1_000
#: Without a locative word before it, an untagged proper noun is a place only when it names a country,
#: division, region or capital, or a town at least this large (GeoWebNews: 50,000 to 500,000 moved
#: recall by about a point and precision by less).
UNTAGGED_BARE_MIN_POPULATION = 100_000
#: A town embedded in an organisation's name ("Miami Herald", "Cork" tagged ORG) must be at least this
#: large: clubs, papers and institutions are named after cities, rarely after villages.  Checked on
#: GeoWebNews: 20,000 to 200,000 changed recall by under a point, precision by under half a point.
EMBEDDED_MIN_POPULATION = 50_000
#: A PERSON entity is read as a place only when it names a country, a division, a capital or a town
#: at least this large ("Abuja", "Owerri" tagged PERSON by the small model); set with the same check.
PERSON_PLACE_MIN_POPULATION = 100_000
#: Penn Treebank tags of plural nouns: a plural demonym ("Russians") is people, not a place.
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
#: Longest demonym in tokens ("North American", "South Korean").
MAX_DEMONYM_TOKENS = 2
#: All-capital names this short ("PA", "BOV") match only countries, divisions and continents
#: (through aliases), never towns.
ABBREVIATION_MAX_LETTERS = 4
_POSSESSIVE = re.compile(r"['’]s?$")
#: A dateline without a ", State" part must name a country, a division or a town at least this large
#: (all-capital openers such as "UPDATE:" or "NOTE -" otherwise hit hamlets).
DATELINE_MIN_POPULATION = 10_000
#: A dateline is looked for at paragraph starts within this many characters of the text start.
DATELINE_SEARCH_CHARS = 600
#: Longest run of tokens tried as a country name outside entities ("United Arab Emirates").
MAX_COUNTRY_TOKENS = 4
#: Prepositions after which an entity of any label (the small model tags many small towns ORG or
#: PERSON: "a fire in Riverdale", "arrived at Immokalee") is read as a place when its whole text is one.
#: Narrower than ``locative_prepositions``: "to" and "and" often precede people ("spoke to Nelson").
ENTITY_LOCATIVES = frozenset({"in", "at", "near", "from", "outside", "into", "inside", "around", "across",
                              "through", "via", "toward", "towards", "within"})
#: Numeric and temporal labels are never read as places even after a preposition.
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"})
#: The kind of place a trailing word stripped from a name asks for ("Washington state", "Aleppo province",
#: "Quebec City"), when the name has a place of that kind.
_DIVISION_FEATURES = frozenset({"ADM1", "ADM2", "RGN"})
TRAILING_WORD_FEATURES = {"state": _DIVISION_FEATURES, "province": _DIVISION_FEATURES, "oblast": _DIVISION_FEATURES,
                          "governorate": _DIVISION_FEATURES, "prefecture": _DIVISION_FEATURES,
                          "region": _DIVISION_FEATURES, "city": frozenset({"PPL", "PPLC"})}
# Labels the small model puts on the second word of an untagged place name ("near Cave Spring": "Spring"
# tagged DATE): such a word may continue a run of proper nouns after a locative word.
RUN_CONTINUING_LABELS = frozenset({"DATE"})
#: Mentions whose name is not carried to its other occurrences: a demonym is an adjective only in
#: some uses ("Russian troops", not "speaks Russian").
REPEAT_SKIPPED_SOURCES = frozenset({"demonym"})
#: Smallest town an entity after a preposition may name (GeoNames' cities1000 holds nothing smaller).
LOCATIVE_ENTITY_MIN_POPULATION = 1_000
#: After a preposition an entity may also be a town's alternate name ("from Misrata" for Misratah) when the
#: town has at least this many inhabitants (alternate names are indexed from 15,000 up, so: any; GeoWebNews:
#: 15,000 gave 0.2 points more recall than 100,000 at the same precision).
LOCATIVE_ALT_MIN_POPULATION = 15_000
#: Sources of a mention that takes a name as a place in its own right (not a repetition or a part of a name).
OWN_SOURCES = frozenset({"dateline", "entity", "locative", "untagged", "container"})
#: How many such mentions lift the person-name guard on repetitions (one could be a coincidence; two in one
#: article are the place).
PERSON_WORD_OVERRIDE_MENTIONS = 2
#: A name the model tagged DATE or TIME ("in Manbij") is read as a town after a locative word only when the
#: town is at least this large (same as UNTAGGED_MIN_POPULATION: a small town named like a holiday or a date
#: word is more often the date).
MISTAKEN_DATE_MIN_POPULATION = 50_000
#: Verbs of motion after which "to" is locative ("moved to Thornhill", "driving to Castlegar"); "to" after
#: other words often precedes a person ("spoke to Nelson", "a letter to Hayes").
MOTION_VERBS = frozenset({"go", "come", "move", "travel", "drive", "fly", "return", "head", "relocate", "walk",
                          "ride", "sail", "flee", "evacuate", "transfer", "switch", "deploy", "send", "bring",
                          "take", "commute", "emigrate", "migrate", "arrive", "journey", "march", "run", "rush"})

# (at a paragraph start or after the full stop of a headline run into the first paragraph: "... Event. IMMOKALEE
# - Congressman ...")
_DATELINE = re.compile(
    r"(?m)(?:^|(?<=[.!?][ \t]))[ \t]*(?P<place>[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2}))?"
    r"[ \t]*(?:\([^)\n]{1,40}\)[ \t]*(?:--|[-\u2013\u2014:])?|--|[-\u2013\u2014:])"
)
#: A dateline with no punctuation after it: a capitalised place opening a paragraph, then a capitalised word
#: in lower case ("OKLAHOMA CITY The Latest on ...", "CHICAGO Police said ...").
_BARE_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3})(?P<region>)[ \t]+(?=[A-Z][a-z])")
#: A town names this many distinct organisations or buildings of an article before it is read as their town
#: (3: two "X Council" / "X Police" names are common in any story; on the dev set 2 and 3 gave the same result).
MIN_LED_NAMES = 3
#: ... and is rarer than this as an English word (wordfreq Zipf): "Federal" 5.1, "National" 5.5, "Grand" 4.9
#: lead many names too; town names are rarer ("Cavan" 2.5, "Kilkenny" 2.7, "Bolton" 3.7).
LEAD_TOWN_MAX_ZIPF = 4.0
#: Words joining a place to the next one of a list ("Hilversum and Almelo"); not a comma, after which a
#: person or a word follows a place too often ("in Israel, Arab leaders ..."; measured on the dev set).
LIST_LINKS = frozenset({"and", "or"})
#: Words after a name that show a comma list goes on ("Oconomowoc, Delafield and Hartland").
LIST_CONTINUATIONS = frozenset({",", "and", "or"})
#: Villages (gazetteer entries under 1,000 inhabitants) are read only from place entities and repetitions of
#: a name already so read, and only after a locative preposition ("in Cloughjordan") or before a comma and
#: their country or division ("Snetterton, Norfolk"): elsewhere such names are mostly people or words.
VILLAGE_SOURCES = frozenset({"entity", "repeat"})
_COMMA_NAME = re.compile(r"[ \t]*,[ \t]*(?P<name>[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,2})")
_CONTAINER_GAP = re.compile(r"^[ \t]*,[ \t]*$")

#: Features of a town an article can be centred on (local places take its point).
TOWN_FEATURES = frozenset({"PPL", "PPLC", "ADM2"})


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    ids: tuple[int, ...]
    source: str  # dateline | entity | country | untagged | demonym
    label: str = ""
    container: tuple[str | None, str | None] | None = None  # (country, admin1) given next to it
    typed: bool = False  # a word after it says which kind of place it is ("Washington state")


# ---------------------------------------------------------------------------------- mentions


def _capitalised(text: str) -> bool:
    return bool(text) and text[0].isupper()


def _entity_mention(doc: Doc, tk: _Tokens, ent: Span, gaz: Gazetteer) -> Mention | None:
    """The longest acceptable sub-window of an entity that is a gazetteer name."""
    i, j = ent.start, ent.end
    while i < j and (doc[i].lower_ == "the" or doc[i].is_punct):
        i += 1
    while j > i and (doc[j - 1].lower_ in ("'s", "\u2019s", "'") or doc[j - 1].is_punct):
        j -= 1
    if i >= j:
        return None
    leads, trails = [i], [j]
    while leads[-1] < j - 1 and (doc[leads[-1]].lower_ in gaz.strip_leading or doc[leads[-1]].is_lower):
        leads.append(leads[-1] + 1)
    while trails[-1] > i + 1 and doc[trails[-1] - 1].lower_ in gaz.strip_trailing:
        trails.append(trails[-1] - 1)
    windows = sorted(((a, b) for a in leads for b in trails if b > a), key=lambda w: w[0] - w[1])
    min_pop = SMALL_PLACE_MIN_POPULATION.get(ent.label_, 0)
    if _after_locative(doc, tk, gaz, ent.start):  # "at Heathrow", "in Kasba Bonli": a place, not a building or sea
        min_pop = min(min_pop, LOCATIVE_FACILITY_MIN_POPULATION)
    for a, b in windows:
        start, end, text = tk.window(a, b)
        poss = _POSSESSIVE.search(text)
        if poss and len(text) > 3:  # "York’s" tokenised as one word
            end -= len(poss.group(0))
            text = text[: -len(poss.group(0))]
        if not _capitalised(text):
            continue
        ids = gaz.lookup_ids(text)
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) <= ABBREVIATION_MAX_LETTERS and all(ch.isupper() for ch in letters):
            ids = tuple(x for x in ids if gaz.entries[x].feature in ("PCLI", "ADM1", "CONT"))
        if min_pop:
            ids = tuple(x for x in ids if gaz.entries[x].feature not in ("PPL", "PPLC")
                        or gaz.entries[x].population >= min_pop)
        if (a, b) != (i, j):  # edge words stripped: "North Africa" is not Africa, nor a town once so called
            if any(gaz.entries[x].feature == "CONT" for x in ids):
                continue
            if a > i and any(tk.lower[x] != "the" for x in range(i, a)):  # "West Wing" is no small town Wing
                ids = tuple(x for x in ids if gaz.entries[x].feature not in ("PPL", "PPLC")
                            or gaz.entries[x].population >= STRIPPED_MIN_POPULATION)
        typed = _kind_ids(gaz, tk, text, b, ids)
        if typed:
            return Mention(start, end, name_key(text), typed, "entity", ent.label_, typed=True)
        if ids:
            return Mention(start, end, name_key(text), ids, "entity", ent.label_)
    return None


def _comma_parts(ent: Span) -> list[Span]:
    """The entity itself, or its comma-separated parts when spaCy joined a place and its container into one
    entity ("Thruxton, Hampshire")."""
    from spacy.tokens import Span

    cuts = [t.i for t in ent if t.text == ","]
    if not cuts:
        return [ent]
    bounds = [ent.start, *cuts, ent.end]
    return [Span(ent.doc, a + (a != ent.start), b, label=ent.label_)
            for a, b in itertools.pairwise(bounds) if b > a + (a != ent.start)]


def _dateline_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    out: list[Mention] = []
    head = text[:DATELINE_SEARCH_CHARS]
    for m in sorted(itertools.chain(_DATELINE.finditer(head), _BARE_DATELINE.finditer(head)),
                    key=lambda m: m.start()):
        text, region = m.group("place"), m.group("region")
        ids = gaz.lookup_ids(text)
        if not region:
            ids = tuple(i for i in ids if gaz.entries[i].feature not in ("PPL", "PPLC")
                        or gaz.entries[i].population >= DATELINE_MIN_POPULATION)
        if not ids:
            continue
        container = None
        if region:
            best = _best_context_free(gaz, region, gaz.lookup_ids(region))
            if best is not None and best.feature in ("PCLI", "ADM1"):
                container = (best.country, best.admin1)
                r0 = m.start("region")
                r_ids = gaz.lookup_ids(region)
                out.append(Mention(r0, r0 + len(region), name_key(region), r_ids, "dateline"))
        out.append(Mention(m.start("place"), m.end("place"), name_key(text), ids, "dateline", "", container))
        break  # one dateline per article
    return out


def _feature_ids(gaz: Gazetteer, text: str, features: frozenset[str]) -> tuple[int, ...]:
    return tuple(i for i in gaz.lookup_ids(text) if gaz.entries[i].feature in features)


def _big_place_ids(gaz: Gazetteer, text: str, min_population: int) -> tuple[int, ...]:
    """Countries, divisions, regions, capitals, and towns of at least ``min_population`` named by their
    main name (an alternate name of a town is too often an ordinary word: "Human", "Franklin").  A short
    name is an abbreviation only in capitals ("US", "EU"); otherwise it must be a main name ("Iowa")."""
    ids = tuple(i for i in gaz.lookup_ids(text) if (gaz.entries[i].feature in EMBEDDED_FEATURES
                or gaz.entries[i].population >= min_population and gaz.is_primary(text, i)))
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= ABBREVIATION_MAX_LETTERS:
        if all(ch.isupper() for ch in letters):
            ids = tuple(i for i in ids if gaz.entries[i].feature not in ("PPL", "PPLC"))
        else:
            ids = tuple(i for i in ids if gaz.is_primary(text, i))
    return ids


def _demonym_at(tk: _Tokens, gaz: Gazetteer, k: int, end: int) -> tuple[int, int] | None:
    """(token count, entry index) of a demonym starting at token ``k`` and ending before ``end``."""
    caps = tk.caps
    for size in range(min(MAX_DEMONYM_TOKENS, end - k), 0, -1):
        if not all(caps[x] for x in range(k, k + size)):
            continue
        place = gaz.demonym_place(tk.window(k, k + size)[2])
        if place is not None:
            return size, place
    return None


def _adjectival(doc: Doc, last: int) -> bool:
    """Whether the word at ``last`` modifies a noun ("Russian troops") rather than naming people or a
    language ("the Russians", "speaks Russian")."""
    tok = doc[last]
    if tok.tag_ in PLURAL_TAGS:
        return False
    if tok.dep_ in ("amod", "compound", "nmod") and tok.head.i > tok.i:
        return True
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    return nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and nxt.is_alpha


def _embedded_mentions(tk: _Tokens, gaz: Gazetteer, ent: Span) -> list[Mention]:
    """Toponyms and demonyms inside a non-place entity ("the Washington Post", "Russian Embassy")."""
    out: list[Mention] = []
    caps = tk.caps
    k, ent_end = ent.start, ent.end
    while k < ent_end:
        if not caps[k] or not (tk.alpha[k] or "." in tk.words[k]):
            k += 1
            continue
        step = 1
        for size in range(min(MAX_COUNTRY_TOKENS, ent_end - k), 0, -1):
            if not caps[k + size - 1]:
                continue
            start, end, text = tk.window(k, k + size)
            ids = _big_place_ids(gaz, text, EMBEDDED_MIN_POPULATION)
            if ids:
                out.append(Mention(start, end, name_key(text), ids, "embedded", ent.label_))
                step = size
                break
        else:
            dem = _demonym_at(tk, gaz, k, ent_end)
            if dem is not None:
                size, place = dem
                start, end, text = tk.window(k, k + size)
                out.append(Mention(start, end, name_key(text), (place,), "demonym", ent.label_))
                step = size
        k += step
    return out


def _person_place(doc: Doc, gaz: Gazetteer, ent: Span, person_words: frozenset[str]) -> Mention | None:
    """A PERSON entity that is wholly a well-known place and never part of a longer person name."""
    if name_key(ent.text) in person_words:
        return None
    ids = _big_place_ids(gaz, ent.text, PERSON_PLACE_MIN_POPULATION)
    if not ids or not _capitalised(ent.text):
        return None
    return Mention(ent.start_char, ent.end_char, name_key(ent.text), ids, "person", ent.label_)


def _after_locative(doc: Doc, tk: _Tokens, gaz: Gazetteer, start: int) -> bool:
    """Whether the token before ``start`` is a locative preposition, "to" after a verb of motion, or "of" after
    a person's name ("Sen. Bill Brady of Bloomington", "John Miller, of Westfield,")."""
    if start == 0:
        return False
    prev = tk.lower[start - 1]
    if prev in ENTITY_LOCATIVES:
        return True
    if prev == "of":
        if start >= 2 and (tk.lower[start - 2] in gaz.of_nouns or tk.lower[start - 2] in gaz.place_nouns):
            return True  # "residents of Delafield", "the city of Kharkiv", "north of Salinas"
        k = start - 2 - (1 if start >= 3 and tk.words[start - 2] == "," else 0)
        return k >= 0 and tk.ent_type[k] == "PERSON" and (k + 1 >= tk.n or tk.ent_iob[k + 1] != "I")
    if prev != "to":
        return False
    head = doc[start - 1].head
    return head.pos_ == "VERB" and head.lemma_.lower() in MOTION_VERBS


def _locative_entity(doc: Doc, tk: _Tokens, gaz: Gazetteer, ent: Span, listed: bool = False) -> Mention | None:
    """A non-place entity right after a locative preposition (or ``listed`` after a place) whose whole text is a
    place ("in Riverdale")."""
    if not (listed or _after_locative(doc, tk, gaz, ent.start)):
        return None
    mistaken_date = ent.label_ in ("DATE", "TIME") and _not_calendar(tk, ent)  # "in Manbij" tagged DATE
    if ent.label_ in NUMERIC_LABELS and not mistaken_date:
        return None
    i = ent.start + (1 if tk.lower[ent.start] == "the" and len(ent) > 1 else 0)
    start, end, text = tk.window(i, ent.end)
    if not _capitalised(text) or gaz.demonym_place(text) is not None:  # "from Canadian officials"
        return None
    least = MISTAKEN_DATE_MIN_POPULATION if mistaken_date else LOCATIVE_ENTITY_MIN_POPULATION
    ids = tuple(x for x in gaz.lookup_ids(text) if gaz.entries[x].feature not in ("PPL", "PPLC")
                or gaz.entries[x].population >= least and gaz.is_primary(text, x)
                or gaz.entries[x].population >= max(least, LOCATIVE_ALT_MIN_POPULATION))
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= ABBREVIATION_MAX_LETTERS and all(ch.isupper() for ch in letters):
        ids = tuple(x for x in ids if gaz.entries[x].feature in ("PCLI", "ADM1", "CONT"))
    typed = _kind_ids(gaz, tk, text, ent.end, ids)
    if typed:
        return Mention(start, end, name_key(text), typed, "locative", ent.label_, typed=True)
    return Mention(start, end, name_key(text), ids, "locative", ent.label_) if ids else None


def _not_calendar(tk: _Tokens, ent: Span) -> bool:
    """Whether a DATE/TIME entity is capitalised words with no digit and no calendar word (month, weekday,
    season, part of the day): a name the model took for a date."""
    words = calendar_words()
    return all(tk.caps[x] and tk.alpha[x] and tk.lower[x] not in words for x in range(ent.start, ent.end))


@functools.lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Month, weekday, season and part-of-day words of the dates lexicon."""
    lex = load_date_lexicon()
    return frozenset(lex.months) | frozenset(lex.weekdays) | frozenset(lex.seasons) | frozenset(lex.parts_of_day)


def _kind_ids(gaz: Gazetteer, tk: _Tokens, text: str, after: int, ids: tuple[int, ...]) -> tuple[int, ...]:
    """The candidates a kind word right after a name asks for among the name's own ("Washington state" the
    state, "Quebec City" the city); none without such a word.  (A division whose bare name is a town's is
    found by its full proper name only, "Lagos State", "Oaxaca State": a lower-case word after the town's
    name, "Idlib province", describes and does not name.)"""
    if after >= tk.n:
        return ()
    kind = TRAILING_WORD_FEATURES.get(tk.lower[after])
    if kind is None:
        return ()
    return tuple(x for x in ids if gaz.entries[x].feature in kind)


def _townsfolk_towns(tk: _Tokens, gaz: Gazetteer) -> list[Mention]:
    """"a Pewaukee man", "an Ennis woman": the capitalised words between "a"/"an" and a noun for a resident name
    a town (of at least ``LOCATIVE_ENTITY_MIN_POPULATION``), unless they are a demonym or a person's name."""
    out: list[Mention] = []
    for k in range(tk.n - 2):
        if tk.lower[k] not in ("a", "an"):
            continue
        size = 0
        while k + 1 + size < tk.n and size < MAX_COUNTRY_TOKENS and tk.caps[k + 1 + size] \
                and tk.alpha[k + 1 + size] and tk.ent_type[k + 1 + size] != "PERSON":
            size += 1
        if size == 0 or k + 1 + size >= tk.n or tk.lower[k + 1 + size] not in gaz.townsfolk_nouns:
            continue
        start, end, text = tk.window(k + 1, k + 1 + size)
        if gaz.demonym_place(text) is not None or gaz.demonym(text) is not None:
            continue
        ids = tuple(i for i in gaz.lookup_ids(text) if gaz.entries[i].feature in TOWN_FEATURES
                    and gaz.entries[i].population >= LOCATIVE_ENTITY_MIN_POPULATION)
        if ids:
            out.append(Mention(start, end, name_key(text), ids, "townsfolk"))
    return out


def _listed_entity(doc: Doc, tk: _Tokens, gaz: Gazetteer, ent: Span, mentions: Sequence[Mention]
                   ) -> Mention | None:
    """An entity of any label listed right after a place, read like an entity after a locative preposition, as
    a place in the same country as a likely sense of the name before it (one scoring within
    ``CONFIDENT_MARGIN`` of its best); after a comma only inside a list that goes on ("Oconomowoc, Delafield and
    Hartland") and in the same state or province."""
    if ent.start < 2:
        return None
    link = tk.lower[ent.start - 1]
    comma = link == "," and ent.end < tk.n and tk.lower[ent.end] in LIST_CONTINUATIONS
    if link not in LIST_LINKS and not comma:
        return None
    end = tk.ends[ent.start - 2]
    before = next((m for m in mentions if m.end == end and m.source not in ("demonym", "person")), None)
    lm = _locative_entity(doc, tk, gaz, ent, listed=True) if before is not None else None
    if lm is None or before is None:
        return None
    ranked = ranked_candidates(gaz, tk.text[before.start:before.end], before.ids)
    top = ranked[0][0] if ranked else 0.0
    regions = {region_of(gaz.entries[i], comma) for score, i in ranked if score >= top - CONFIDENT_MARGIN}
    ids = tuple(i for i in lm.ids if region_of(gaz.entries[i], comma) in regions)
    return replace(lm, ids=ids) if ids else None


def collect_mentions(doc: Doc, tk: _Tokens, gaz: Gazetteer) -> list[Mention]:
    mentions: list[Mention] = []
    doc_text = tk.text
    taken = [False] * (len(doc_text) + 1)
    starts = tk.start_of
    caps, lower, pos, ent_type = tk.caps, tk.lower, tk.pos, tk.ent_type

    def add(m: Mention) -> None:
        if m.source not in VILLAGE_SOURCES or not _after_locative(doc, tk, gaz, starts.get(m.start, 0)):
            ids = tuple(i for i in m.ids if not gaz.is_village(i) or _held_by_next(gaz, i, doc_text, m.end))
            if not ids:
                return
            m = replace(m, ids=ids)
        if not any(taken[m.start:m.end]):
            mentions.append(m)
            for k in range(m.start, m.end):
                taken[k] = True

    for m in _dateline_mentions(doc_text, gaz):
        add(m)
    # Words of multi-word person names ("Whitney Houston" keeps a later "Houston" a person).
    # (a sports club the model tags PERSON, "Bolton Wanderers", is an organisation named after its town)
    clubs = {e.start for e in tk.ents
             if e.label_ == "PERSON" and len(e) > 1 and name_key(e[-1].text) in gaz.club_words}
    person_words = frozenset(name_key(t.text) for e in tk.ents
                             if e.label_ == "PERSON" and len(e) > 1 and e.start not in clubs for t in e)
    for ent in tk.ents:
        found = False
        # (after a locative word, or listed after a place: "from Portland and Westmoreland", tagged ORG)
        lm = None if ent.label_ in PLACE_LABELS else (
            _locative_entity(doc, tk, gaz, ent) or _listed_entity(doc, tk, gaz, ent, mentions))
        if lm is not None:
            add(lm)
            found = True
        elif ent.label_ in PLACE_LABELS:
            for part in _comma_parts(ent):
                em = _entity_mention(doc, tk, part, gaz)
                if em is not None:
                    add(em)
                    found = True
        elif ent.label_ in COUNTRY_ONLY_LABELS:
            i = ent.start + (1 if lower[ent.start] == "the" and len(ent) > 1 else 0)
            start, end, text = tk.window(i, ent.end)
            ids = _feature_ids(gaz, text, METONYM_FEATURES) if _capitalised(text) else ()
            if ids:
                add(Mention(start, end, name_key(text), ids, "country", ent.label_))
                found = True
        elif ent.label_ == "PERSON":
            pm = _person_place(doc, gaz, ent, person_words)
            if pm is not None:
                add(pm)
        if not found and (ent.label_ not in NO_EMBEDDED_LABELS or ent.start in clubs):
            for em in _embedded_mentions(tk, gaz, ent):
                add(em)
    # Capitalised words outside entities that are country/continent/region names, and proper nouns
    # naming a division, a capital or a big town ("London" left untagged by the small model).
    n = tk.n
    k = 0
    while k < n:
        if ent_type[k] or not caps[k] or not (tk.alpha[k] or "." in tk.words[k]):
            k += 1
            continue
        step = 1
        for size in range(min(MAX_COUNTRY_TOKENS, n - k), 0, -1):
            if any(ent_type[x] for x in range(k, k + size)):
                continue
            start, end, text = tk.window(k, k + size)
            ids = _feature_ids(gaz, text, COUNTRY_FEATURES)
            if not ids and all(pos[x] == "PROPN" for x in range(k, k + size)):
                ids = _big_place_ids(gaz, text, UNTAGGED_BARE_MIN_POPULATION)
            if ids:
                add(Mention(start, end, name_key(text), ids, "country"))
                step = size
                break
        k += step
    # Proper nouns outside entities after a locative word ("flew to Kyiv", "the city of Kharkiv").
    k = 1
    while k < n:
        run = 0
        while k + run < n and run < MAX_COUNTRY_TOKENS and pos[k + run] == "PROPN" and caps[k + run] \
                and (not ent_type[k + run] or run > 0 and ent_type[k + run] in RUN_CONTINUING_LABELS):
            run += 1
        prev = lower[k - 1]
        after_noun_of = prev == "of" and _after_locative(doc, tk, gaz, k)  # "city of X", "Mahler of X"
        if run == 0 or not (prev in gaz.locative_prepositions or after_noun_of):
            k += max(run, 1)
            continue
        min_pop = UNTAGGED_STRICT_MIN_POPULATION if _after_locative(doc, tk, gaz, k) else UNTAGGED_MIN_POPULATION
        for size in range(run, 0, -1):
            start, end, text = tk.window(k, k + size)
            ids = tuple(i for i in gaz.lookup_ids(text) if gaz.entries[i].feature not in ("PPL", "PPLC")
                        or gaz.entries[i].population >= min_pop and gaz.is_primary(text, i))
            if len(ids) > 1 and all(gaz.entries[i].population < UNTAGGED_MIN_POPULATION for i in ids):
                break  # several small namesakes ("at Stonewall"): too often none of them; and not a shorter
                # name inside it either ("near Cave Spring" is not Cave, Italy)
            if ids:
                add(Mention(start, end, name_key(text), ids, "untagged"))
                break
        k += run
    for m in _townsfolk_towns(tk, gaz):
        add(m)
    # Demonyms used as adjectives ("Russian troops", "the Ukrainian border", "North American markets").
    k = 0
    while k < n:
        # (the small model tags a lone demonym PERSON now and then, "the Slovak daily", and LANGUAGE: "the
        # English city"; used as an adjective it is still the country)
        if not caps[k]:  # (a demonym starts with a capital: _demonym_at finds none here)
            k += 1
            continue
        lone_person = ent_type[k] == "PERSON" and tk.ent_iob[k] == "B" and (
            k + 1 == n or tk.ent_iob[k + 1] != "I")
        dem = _demonym_at(tk, gaz, k, n) if ent_type[k] in ("", "NORP", "LANGUAGE") or lone_person else None
        if dem is None:
            k += 1
            continue
        size, place = dem
        if _adjectival(doc, k + size - 1):
            start, end, text = tk.window(k, k + size)
            add(Mention(start, end, name_key(text), (place,), "demonym"))
        k += size
    # Entities of any label listed after a place ("stops in Hilversum and Almelo", "Oconomowoc, Delafield and
    # Hartland"), once all other places are known.
    for ent in tk.ents:
        if not any(taken[ent.start_char:ent.end_char]):
            lm = _listed_entity(doc, tk, gaz, ent, mentions)
            if lm is not None:
                add(lm)
    # Other occurrences of a name already taken as a place: one sense per article ("Immokalee" tagged
    # GPE once and ORG or PERSON elsewhere), unless a longer person name contains it ("Nelson Mandela").
    # A town that names several organisations and buildings of the article ("Cavan Institute", "Cavan County
    # Council", "Cavan Town Hall"), in a country the article names: local news of that town.
    for lm in _leading_towns(doc, tk, gaz, mentions):
        add(lm)
    for m in _repeated_mentions(doc, tk, mentions, person_words):
        add(m)
    for m in _contained_leads(tk, gaz, mentions):
        add(m)
    mentions.sort(key=lambda m: m.start)
    return _with_containers(doc_text, gaz, mentions)


def _contained_leads(tk: _Tokens, gaz: Gazetteer, mentions: Sequence[Mention]) -> list[Mention]:
    """Capitalised words right before ", <state or country>" that name a place inside it, whatever the model
    tagged them and even if the name alone is a stop name ("The storm hit Mobile, Ala."), unless they belong to
    a person's name."""
    out: list[Mention] = []
    for b in mentions:
        kb = tk.start_of.get(b.start)
        if kb is None or kb < 2 or tk.words[kb - 1] != ",":
            continue
        holders = [gaz.entries[j] for j in b.ids if gaz.entries[j].feature in ("PCLI", "ADM1")]
        if not holders:
            continue
        for size in range(min(MAX_COUNTRY_TOKENS, kb - 1), 0, -1):
            first = kb - 1 - size
            if not all(tk.caps[x] and tk.ent_type[x] != "PERSON" for x in range(first, kb - 1)):
                continue
            start, end, text = tk.window(first, kb - 1)
            ids = tuple(i for i in gaz.lookup_ids(text, stop_names=True)
                        if gaz.entries[i].feature not in ("PCLI", "ADM1") and any(_inside(gaz.entries[i], h)
                                                                                 for h in holders))
            if ids:
                out.append(Mention(start, end, name_key(text), ids, "container"))
                break
    return out


def _leading_towns(doc: Doc, tk: _Tokens, gaz: Gazetteer, mentions: Sequence[Mention]) -> list[Mention]:
    """The first word of at least ``MIN_LED_NAMES`` distinct ORG / FAC names when it is a town of at least
    ``LOCATIVE_FACILITY_MIN_POPULATION`` (main name) in a country that another mention names, and no common
    English word."""
    named = {gaz.entries[i].country for m in mentions if m.source != "demonym" for i in m.ids
             if gaz.entries[i].feature == "PCLI"}
    led: dict[str, set[str]] = {}
    first: dict[str, Span] = {}
    for e in tk.ents:
        if e.label_ not in ("ORG", "FAC"):
            continue
        i = e.start + (1 if doc[e.start].lower_ == "the" else 0)
        if i + 1 >= e.end or not doc[i].is_alpha or not doc[i].is_title:
            continue
        led.setdefault(doc[i].text, set()).add(name_key(e[i - e.start:].text))
        first.setdefault(doc[i].text, doc[i:i + 1])
    out: list[Mention] = []
    for word, names in led.items():
        if len(names) < MIN_LED_NAMES or zipf_frequency(word.lower(), "en") >= LEAD_TOWN_MAX_ZIPF:
            continue
        ids = tuple(x for x in gaz.lookup_ids(word) if gaz.entries[x].feature in ("PPL", "PPLC")
                    and gaz.entries[x].population >= LOCATIVE_FACILITY_MIN_POPULATION and gaz.is_primary(word, x)
                    and gaz.entries[x].country in named)
        if ids:
            span = first[word]
            out.append(Mention(span.start_char, span.end_char, name_key(word), ids, "leading", "ORG"))
    return out


def _held_by_next(gaz: Gazetteer, idx: int, text: str, end: int) -> bool:
    """Whether ``text`` goes on at ``end`` with ", Y", Y a country or division holding entry ``idx``."""
    m = _COMMA_NAME.match(text, end)
    if m is None:
        return False
    words = m.group("name").split(" ")
    return any(_inside(gaz.entries[idx], gaz.entries[j]) for k in range(len(words), 0, -1)
               for j in gaz.lookup_ids(" ".join(words[:k])) if gaz.entries[j].feature in ("PCLI", "ADM1"))


def _repeated_mentions(doc: Doc, tk: _Tokens, mentions: Sequence[Mention], person_words: frozenset[str]
                       ) -> list[Mention]:
    """Capitalised repetitions of the names of ``mentions`` at token boundaries, with the same candidates; not of
    a word of a longer person's name ("Houston" after "Whitney Houston"), unless the article takes the name as a
    place in its own right ``PERSON_WORD_OVERRIDE_MENTIONS`` times (then the person is more likely a misread
    organisation: "Riverdale Luke Oil")."""
    text = tk.text
    out: list[Mention] = []
    seen: set[str] = set()
    starts = tk.start_of
    ends = set(tk.ends)
    # a repetition is a whole entity or lies outside entities: a part of a longer name ("Manila
    # Cathedral", "Beverly Hills Hotel") is left to the embedded-toponym rule and its thresholds
    inner = {k for e in tk.ents for k in range(e.start_char, e.end_char)}
    whole = {(e[1:].start_char if e[0].lower_ == "the" and len(e) > 1 else e.start_char,
              e[:-1].end_char if e[-1].lower_ in ("'s", "\u2019s") and len(e) > 1 else e.end_char) for e in tk.ents}
    # ... or the first words of an organisation or building named after the town ("the Allendale Police
    # Department"), but not of a person's name
    leads = {e[1:].start_char if e[0].lower_ == "the" and len(e) > 1 else e.start_char
             for e in tk.ents if e.label_ in ("ORG", "FAC")}
    own = Counter(m.key for m in mentions if m.source in OWN_SOURCES)
    for m in mentions:
        surface = text[m.start:m.end]
        if m.source in REPEAT_SKIPPED_SOURCES or surface in seen or not _capitalised(surface):
            continue
        if m.key in person_words and own[m.key] < PERSON_WORD_OVERRIDE_MENTIONS:
            continue
        seen.add(surface)
        a = text.find(surface)
        while a >= 0:  # every non-overlapping occurrence, left to right
            b = a + len(surface)
            if a != m.start and a in starts and b in ends and ((a, b) in whole or a in leads or not (
                    a in inner or b - 1 in inner)):
                out.append(Mention(a, b, m.key, m.ids, "repeat", m.label))
            a = text.find(surface, b)
    return out


def region_of(e: GeoEntry, with_division: bool) -> tuple[str | None, str | None]:
    """The country of an entry, with its first-level division if asked."""
    return (e.country, e.admin1 if with_division else None)


def _inside(place: GeoEntry, container: GeoEntry) -> bool:
    """Whether ``place`` lies in the country or division ``container`` (a division without an admin1
    code is known only by its country)."""
    return place.country == container.country and (
        container.feature == "PCLI" or container.admin1 is None or place.admin1 == container.admin1)


def _with_containers(text: str, gaz: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """Attach "X, Y" containers: Y a country or division right after X that holds one of X's candidates.
    Y is then read as that container too ("Walker County, Georgia": the state, not the country)."""
    out: list[Mention] = []
    pending = list(mentions)
    for k, a in enumerate(pending):
        b = pending[k + 1] if k + 1 < len(pending) else None
        if b is not None and a.container is None and _CONTAINER_GAP.match(text[a.end:b.start]):
            own = {gaz.entries[i].geonameid for i in a.ids}
            held = tuple(j for j in b.ids if gaz.entries[j].feature in ("PCLI", "ADM1")
                         and gaz.entries[j].geonameid not in own
                         and any(_inside(gaz.entries[i], gaz.entries[j]) for i in a.ids))
            best = _best_context_free(gaz, text[b.start:b.end], held)
            if best is not None:
                a = replace(a, container=(best.country, best.admin1))
                pending[k + 1] = replace(b, ids=held)
        out.append(a)
    return out


def _base_score(gaz: Gazetteer, idx: int, text: str) -> float:
    e = gaz.entries[idx]
    pop = ADM1_EQUIVALENT_POPULATION if e.feature == "ADM1" else e.population
    score = POPULATION_WEIGHT * math.log10(pop + 10) + FEATURE_BONUS.get(e.feature, 0.0)
    if not gaz.is_primary(text, idx) and not name_key(e.name).startswith(name_key(text) + " "):
        score -= ALT_NAME_PENALTY  # no penalty for a shortened main name ("New York" City)
    return score


def ranked_candidates(gaz: Gazetteer, text: str, ids: Sequence[int]) -> list[tuple[float, int]]:
    return sorted(((_base_score(gaz, i, text), i) for i in ids), key=lambda x: (-x[0], x[1]))


def _best_context_free(gaz: Gazetteer, text: str, ids: Sequence[int]) -> GeoEntry | None:
    ranked = ranked_candidates(gaz, text, ids)
    return gaz.entries[ranked[0][1]] if ranked else None

