"""Where an event happened and which country its actors belong to.

The event coder (``events.py``) finds who did what to whom; this module places it:

- the **place of the act**: a locative phrase on the event word, its object or complement, or on
  the clauses that govern it ("rallied in the northern city of Kirkuk"), never the place of a
  reporting clause ("officials in Nairobi said");
- **countries for actors the text gives none** ("rebels", "police", "Judge X", "two others"):
  the place of the act, else the one country the sentence names; a violent act with no actor as
  its subject gets an unidentified armed force of that country (CAMEO ``UAF``);
- the **domestic convention**: with no recipient or place named, yielding, protest, coercion and
  force happen in the source's own country, which is then the recipient (ICEWS/PLOVER style);
- **ethnic demonyms** ("ethnic Albanians") are ethnicities, not nationalities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from newsevents.actors import ActorCoder, ArticleContext
from newsevents.knowledge import Knowledge
from newsevents.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Dependency labels of a verb's objects.
OBJECT_DEPS = frozenset({"dobj", "dative", "obj", "attr", "oprd"})
#: How many clause heads the modality search climbs (a guard against odd parses).
MAX_CLAUSE_CLIMB = 6
#: Pronouns: never the word that did a violent act, never a target that is the source itself.
PRONOUN_TEXTS = frozenset({"it", "they", "he", "she", "them", "him", "her", "its", "their"})
#: Prepositions that say where an act happened; their place's country is the target when no
#: recipient is named (the convention of ICEWS-style coders).
LOCATIVE_TARGET_PREPS = ("in", "into", "inside", "across", "throughout", "at", "near", "outside")
#: Roots of events that are domestic when no recipient or place is named: yield, protest,
#: coerce, assault, fight, mass violence ("police arrested 12 people": in the police's country).
DOMESTIC_ROOTS = frozenset({"08", "14", "17", "18", "19", "20"})
#: Force and protest whose source is a whole country (or, for force, its military) may be aimed
#: abroad: for those the domestic convention is not applied (police, rebels, protesters stay home).
OUTWARD_ROOTS = frozenset({"14", "15", "18", "19", "20"})
FOREIGN_FORCE_SECTORS = frozenset({"MIL"})
#: Subordinators of a clause that describes the same act at the same time and place ("killed 23
#: people when they blew themselves up in Tel Aviv").
SAME_ACT_MARKS = frozenset({"when", "as", "while"})
#: Prepositions of a destination whose own locative phrase places the act ("troops to a force in
#: Liberia").
DESTINATION_PREPS = frozenset({"to", "into"})
#: Prepositions of the violent event a passive act happened in ("killed in an explosion"), and
#: the CAMEO roots of violence.
CAUSE_PREPS = frozenset({"in", "by"})
VIOLENT_ROOTS = frozenset({"18", "19", "20"})
#: Length of a bare CAMEO sector code ("GOV", "MIL", "JUD"): only actors coded with one, or with
#: none, are given a country from the place or sentence.
SECTOR_CODE_LENGTH = 3
#: Entity labels whose words can name the country of a sentence.
SENTENCE_COUNTRY_LABELS = frozenset({"GPE", "NORP", "LOC"})
#: The word that marks a demonym as an ethnicity ("ethnic Albanians", "ethnic Russian separatists").
ETHNIC_WORD = "ethnic"
#: The sector an ethnic group gets when the text names no other ("three ethnic Albanians": civilians).
ETHNIC_DEFAULT_SECTOR = "CVL"
#: CAMEO agent code of an unidentified armed force (the source of a bombing no one is named for).
UNIDENTIFIED_FORCE = "UAF"
#: How many "of"/locative/apposition steps lead from a common noun to the place it names
#: ("a sector of eastern Beirut" is two); chosen on the team's example sentences.
NESTED_PLACE_DEPTH = 3


ActorsOf = Callable[[Iterable["Token"], ArticleContext], list[Actor]]
#: Left dependents that are not part of a phrase's words (the "and" of a coordination, commas).
PHRASE_EDGE_DEPS = frozenset({"punct", "cc"})


def phrase_of(tok: Token, skip: frozenset[str] = PHRASE_EDGE_DEPS) -> Span:
    """The words of the phrase ``tok`` heads, up to ``tok``: its left dependents but those whose
    label is in ``skip`` ("a roadside bomb", "more than 432 arrests")."""
    left = min([tok.i] + [c.i for c in tok.lefts if c.dep_ not in skip])
    return tok.doc[left : tok.i + 1]


def needs_country(actor: Actor) -> bool:
    """Whether an actor has no country of its own and may be given one: not a country, not an
    organisation, not someone coded with one ("IGOUNO" for a UN envoy)."""
    return not (actor.country or actor.kind in ("country", "igo", "ngo") or len(actor.code or "") > SECTOR_CODE_LENGTH)


class EventPlacer:
    """Places events and gives actors their country (read-only after construction)."""

    def __init__(self, knowledge: Knowledge, actors: ActorCoder, actors_of: ActorsOf) -> None:
        self.kb = knowledge
        self.actors = actors
        self._actors = actors_of

    def located_targets(self, tok: Token, ctx: ArticleContext) -> list[Actor]:
        """Countries of the places where the act happened ("strengthened its forces in Lebanon"):
        first a locative phrase on the event word or its object, else the nearest one on the
        clauses that govern it ("gathered for a rally in Lagos"), never one on a reporting clause
        above it or inside another phrase ("officials in Nairobi said")."""
        heads = [tok] + [c for c in tok.children if c.dep_ in OBJECT_DEPS]
        for c in tok.children:
            if c.dep_ == "xcomp" or (c.dep_ == "conj" and c.pos_ == "VERB" and not any(
                    g.dep_ in ("nsubj", "nsubjpass") for g in c.children)):
                # "agreed to postpone the rally in Baku", "established ties with and opened an
                # embassy in Tehran" (a coordinated verb sharing the subject)
                heads += [c] + [g for g in c.children if g.dep_ in OBJECT_DEPS]
            elif c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN":  # "a bombing near X killed"
                heads.append(c)
            elif c.dep_ == "advcl" and any(g.dep_ in ("mark", "advmod") and g.lower_ in SAME_ACT_MARKS
                                           for g in c.children):
                heads.append(c)  # "killed 23 people when they blew themselves up in Tel Aviv"
        out = self.place_actors(heads, ctx)
        if out:
            return out
        # where something is sent or contributed to: "contribute troops to a force in Liberia"
        dest = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in DESTINATION_PREPS
                for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
        out = self.place_actors(dest, ctx)
        if out:
            return out
        chain: list[Token] = []
        t = tok
        for _ in range(MAX_CLAUSE_CLIMB):
            if t.dep_ in ("ccomp", "ROOT") or t.head is t:
                break
            t = t.head
            chain.append(t)
        chain.sort(key=lambda h: abs(h.i - tok.i))
        for h in chain:
            out = self.place_actors([h], ctx)
            if out:
                return out
        return []

    def place_actors(self, heads: list[Token], ctx: ArticleContext) -> list[Actor]:
        """Country actors of the places named by locative phrases on ``heads``; a common noun
        leads to its proper name ("the northern city of Kirkuk", "the town (Samarra)")."""
        preps = [c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_TARGET_PREPS]
        preps += [g for c in preps for g in c.children if g.dep_ == "prep" and g.lower_ == "of"]  # "outside of X"
        places = [g for c in preps for g in c.children if g.dep_ == "pobj"]
        out: list[Actor] = []
        for g in places:
            acts: list[Actor] = []
            for n in self.named_place_words(g):
                acts = self.place_country(n, ctx)
                if acts:
                    break
            out.extend(a for a in acts if all(a.country != b.country for b in out))
        return out

    @staticmethod
    def named_place_words(g: Token) -> list[Token]:
        """``g`` and, behind a common noun, the names it leads to through "of", locative phrases and
        appositions ("the city of Kirkuk", "an explosion in a sector of eastern Beirut")."""
        out, todo = [g], [g]
        for _ in range(NESTED_PLACE_DEPTH):
            nxt = []
            for t in todo:
                if t.pos_ != "NOUN":
                    continue
                for c in t.children:
                    if c.dep_ == "appos":
                        nxt.append(c)
                    elif c.dep_ == "prep" and (c.lower_ == "of" or c.lower_ in LOCATIVE_TARGET_PREPS):
                        nxt.extend(x for x in c.children if x.dep_ == "pobj")
            out.extend(nxt)
            todo = nxt
        return out

    def place_country(self, g: Token, ctx: ArticleContext) -> list[Actor]:
        """The country actor a place word names: a country, or a place the gazetteer knows."""
        acts = [a for a in self._actors([g], ctx) if a.kind == "country" and a.country]
        if not acts and g.pos_ == "PROPN" and self.actors.place_country is not None:
            span = g.doc[g.left_edge.i : g.i + 1]
            iso3 = self.actors.place_country(span.text) or self.actors.place_country(g.text)
            country = self.country_actor(iso3, span.text, span.start_char, span.end_char)
            acts = [country] if country is not None else []
        return acts

    def country_actor(self, iso3: str | None, text: str, start: int, end: int) -> Actor | None:
        """The plain country actor of ``iso3``, spanning the words it was read from."""
        country = self.kb.countries.get(iso3 or "")
        if country is None:
            return None
        return Actor(text, start, end, country.name, country.cameo, country.iso3, None, "country")

    def as_country(self, place: Actor) -> Actor | None:
        """The plain country actor of a place actor ("Tel Aviv", coded ISRGOV as a seat of
        government, is in ISR)."""
        return self.country_actor(place.country, place.text, place.start, place.end)

    def sentence_country(self, sent: Span, ctx: ArticleContext, report_verbs: frozenset[str] = frozenset()
                         ) -> Actor | None:
        """The one country a sentence names (countries, demonyms, places the gazetteer knows), if
        it names exactly one: the default home of its actors that have none ("Judge X opened an
        inquiry into 28 Chilean officials")."""
        found: dict[str, Actor] = {}
        reporters = {t.i for v in sent if v.lemma_.lower() in report_verbs
                     for c in v.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
        doc = sent.doc
        for ent in sent.ents:
            if ent.label_ not in SENTENCE_COUNTRY_LABELS or ent.root.i in reporters:
                continue  # "officials in Nairobi said": where the news came from, not where it happened
            if ent.start > 0 and doc[ent.start - 1].lower_ == ETHNIC_WORD:
                continue  # "ethnic Albanian guerrillas in Macedonia": an ethnicity, not a country
            for a in self.place_country(ent.root, ctx) or self._actors([ent.root], ctx):
                country = self.as_country(a) if a.country else None
                if country is not None and country.country not in found:
                    found[str(country.country)] = country
        for t in sent:  # country names inside other names ("the Union for the Independence of Angola")
            m = ctx.matches.get(t.i)
            if m is None or m.entry is None or m.entry.kind != "country" or not m.entry.country or t.i in reporters:
                continue
            if t.i > 0 and doc[t.i - 1].lower_ == ETHNIC_WORD or t.ent_type_ in SENTENCE_COUNTRY_LABELS:
                continue
            named = self.country_actor(m.entry.country, t.text, t.idx, t.idx + len(t.text))
            if named is not None and str(named.country) not in found:
                found[str(named.country)] = named
        return next(iter(found.values())) if len(found) == 1 else None

    def domestic_target(self, code: str, source: list[Actor], target: list[Actor]) -> list[Actor]:
        """With no place named, an event of a domestic kind (yielding, protest, coercion, force)
        whose source belongs to one country happens in that country: recipients the text gives
        no country ("demonstrators", "12 people") are placed there, and with no recipient at all
        the country itself is the recipient (the ICEWS/PLOVER convention for domestic events)."""
        homes = {a.country for a in source if a.country and a.kind not in ("igo", "ngo")}
        if code[:2] not in DOMESTIC_ROOTS or len(homes) != 1 or not all(a.country for a in source):
            return target
        if code[:2] in OUTWARD_ROOTS and not all(a.sector and a.sector not in FOREIGN_FORCE_SECTORS for a in source):
            # a state or its military using force ("US strike", "Indian jets bombed") acts abroad
            # too, and a state's protest is diplomatic ("Congo lodged a protest")
            return target
        first = source[0]
        where = self.country_actor(homes.pop(), first.text, first.start, first.end)
        if where is None:
            return target
        if not target:
            return [where]
        return [self.localised(a, where) for a in target]

    @staticmethod
    def ethnic(actor: Actor, doc: Doc) -> Actor:
        """An ethnic qualifier makes a demonym an ethnicity, not a nationality: "ethnic Albanians"
        in Serbia are not Albania's; they keep their sector and take the country of the act."""
        if not actor.country or actor.kind in ("igo", "ngo", "person"):
            return actor
        span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
        if span is None:
            return actor
        words = [t.lower_ for t in doc[max(0, span.start - 1) : span.end - 1]]
        if ETHNIC_WORD not in words:
            return actor
        code = actor.code or ""
        return replace(actor, country=None, code=code[3:] or ETHNIC_DEFAULT_SECTOR, kind="other")

    @staticmethod
    def localised(actor: Actor, where: Actor) -> Actor:
        """``actor`` placed in the country ``where`` when the text gives it none."""
        if not needs_country(actor) or not where.code:
            return actor
        return replace(actor, code=f"{where.code}{actor.code or ''}", country=where.country)

    def cause(self, tok: Token) -> Token | None:
        """The non-actor word that did a violent act: the subject of an active verb ("a bombing
        killed"), the agent of a passive one ("were killed by an explosive device"), or the
        violent event a passive one happened in ("was killed in a car bomb explosion")."""
        if tok.pos_ != "VERB":
            return None
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            subj = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if subj is None and any(c.dep_ == "auxpass" for c in tok.children):
            subj = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ in CAUSE_PREPS
                         for g in c.children if g.dep_ == "pobj" and self._violent_noun(g)), None)
        if subj is None or subj.pos_ != "NOUN" or subj.lower_ in PRONOUN_TEXTS:
            return None
        return subj

    def _violent_noun(self, g: Token) -> bool:
        """Whether a noun (or a compound modifier of it: "car bomb explosion") names violence."""
        mods = {c.lemma_.lower() for c in g.children if c.dep_ in ("compound", "amod")}
        return any(p.code[:2] in VIOLENT_ROOTS and (not p.modifiers or p.modifiers & mods)
                   for p in self.kb.noun_patterns.get(g.lemma_.lower(), ()))

    def unidentified_source(self, tok: Token, where: Actor) -> list[Actor]:
        """An unidentified armed force of ``where``'s country as the source of a violent act whose
        subject is no actor ("a roadside bomb near Samarra killed..."), spanning those words."""
        cause = self.cause(tok)
        if cause is None:
            return []
        span = phrase_of(cause)
        return [Actor(span.text, span.start_char, span.end_char, None, f"{where.code}{UNIDENTIFIED_FORCE}",
                      where.country, self.kb.plover_sector(UNIDENTIFIED_FORCE), "other")]
