"""The actor stage: find and code who is acting in an article.

An actor mention is coded from three sources, in this order of trust:

1. the knowledge base: countries and their names, adjectives, demonyms, capitals and seats of
   government ("the Kremlin" -> RUSGOV), IGOs and groups, and people with the offices they held,
   so that a name is coded by its office **on the article's date**;
2. the noun phrase itself: "French President Emmanuel Macron" (adjective FRA + agent GOV),
   "Russian troops" (RUSMIL), "the head of the Kremlin" (RUSGOV), "Dmitry Peskov, the Kremlin
   spokesman" (apposition);
3. the article: a person coded once ("French President Emmanuel Macron") keeps that code when named
   again ("Macron"), and "he"/"she"/"it"/"they" point back to the most recent fitting actor.

``ActorCoder.code_token`` codes the noun phrase headed by a token and is what the event coder calls
for each argument; ``ActorCoder.start_article`` resets the per-article memory.  The coder holds
only read-only indexes built once per process; the per-article memory lives in ``ArticleContext``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from newsevents.knowledge import ActorEntry, Knowledge, Person
from newsevents.records import Actor

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

#: Longest knowledge phrase looked up, in tokens ("United Nations High Commissioner for Refugees").
MAX_PHRASE_TOKENS = 8

#: Left modifiers of a noun that can carry its country or sector ("French President", "Kremlin spokesman").
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod"})
#: Steps from a subjectless speech participle up to the verb whose subject spoke ("was quoted as
#: saying": saying -> as -> quoted).
PARTICIPLE_CLIMB = 3
#: Prefixes that make a following name a stance, not an owner ("anti-Syria journalist", "pro-Kremlin media").
STANCE_PREFIXES = frozenset({"anti", "pro"})

#: Nouns that name a government role without a sector entry of their own ("his Russian counterpart").
GOVERNMENT_ROLE_NOUNS = frozenset({"counterpart", "leader", "head", "envoy", "delegation", "representative"})

#: Nouns that count or group what their "of" phrase names: "thousands of students", "members of X".
QUANTITY_NOUNS = frozenset({"thousand", "hundred", "dozen", "score", "million", "number", "group", "some", "many",
                            "most", "all", "third", "half", "majority", "member", "band", "crowd", "contingent",
                            "unit", "detachment", "delegation", "team", "batch"})

#: Prepositions that place an agent in a country: "rebels in the Ivory Coast", "students throughout
#: Indonesia", "Albanians of southern Serbia".
LOCATIVE_PREPS = frozenset({"in", "of", "from", "throughout", "across"})

PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
PRONOUNS_GROUP = frozenset({"it", "they", "them"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})

#: How many clause heads to climb from a pronoun subject to the verb that reports its clause.
REPORT_CLIMB = 3

#: How many sentences back a pronoun may look for its antecedent.
PRONOUN_LOOKBACK_SENTENCES = 2


@dataclass(frozen=True)
class Match:
    """A knowledge phrase found in the text, over tokens [start, end)."""

    start: int
    end: int
    entry: ActorEntry | None = None
    people: tuple[Person, ...] = ()


@dataclass
class ArticleContext:
    """Per-article memory: who has been named so far (reset for each article)."""

    day: date | None
    matches: dict[int, Match] = field(default_factory=dict)  # token index -> match covering it
    surnames: dict[str, Actor] = field(default_factory=dict)
    recent: list[tuple[int, Actor]] = field(default_factory=list)  # (token index, actor) coded so far
    named: list[tuple[int, Actor]] = field(default_factory=list)  # knowledge-base names, in text order


def _stance_prefixed(tok: Token) -> bool:
    """Whether a name is the object of a stance prefix ("anti-Syria", "pro-Kremlin"): such a
    modifier says what the actor opposes or supports, not whose it is."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in STANCE_PREFIXES


class ActorCoder:
    """Codes actor noun phrases against the knowledge base (read-only after construction)."""

    def __init__(self, knowledge: Knowledge, nlp: Language,
                 place_country: Callable[[str], str | None] | None = None) -> None:
        self.kb = knowledge
        self.place_country = place_country
        self._phrases: dict[tuple[str, ...], ActorEntry] = {}
        self._people: dict[tuple[str, ...], tuple[Person, ...]] = {}
        tokenizer = nlp.tokenizer
        for phrase, entry in knowledge.phrases.items():
            self._phrases[tuple(t.text for t in tokenizer(phrase))] = entry
        for alias, persons in knowledge.people.items():
            self._people[tuple(t.text for t in tokenizer(alias))] = persons
        self._max_len = min(MAX_PHRASE_TOKENS, max((len(k) for k in [*self._phrases, *self._people]), default=1))
        # first words of every phrase: most tokens start none, and are skipped with one set lookup
        self._first_words = frozenset(k[0] for k in [*self._phrases, *self._people])

    # ------------------------------------------------------------------ matching
    def _find_matches(self, doc: Doc) -> Iterator[Match]:
        """Longest-first matches of known phrases and people, left to right, without overlap."""
        words = [t.text for t in doc]  # slicing a list, not the Doc: spans are costly to build
        i, n = 0, len(words)
        first_words = self._first_words
        while i < n:
            found: Match | None = None
            w = words[i]
            if w not in first_words and not (w.endswith("'s") and w[:-2] in first_words):
                i += 1
                continue
            for length in range(min(self._max_len, n - i), 0, -1):
                key = tuple(words[i : i + length])
                if key[0] == "the" and length > 1:
                    continue
                persons = self._people.get(key)
                if persons:
                    found = Match(i, i + length, people=persons)
                    break
                entry = self._phrases.get(key)
                if entry is None and length == 1 and key[0].endswith("'s"):
                    entry = self._phrases.get((key[0][:-2],))
                if entry is not None:
                    found = Match(i, i + length, entry=entry)
                    break
            if found:
                yield found
                i = found.end
            else:
                i += 1

    def start_article(self, doc: Doc, day: date | None) -> ArticleContext:
        ctx = ArticleContext(day=day)
        for m in self._find_matches(doc):
            for k in range(m.start, m.end):
                ctx.matches[k] = m
            span = doc[m.start : m.end]
            if m.people:
                ctx.named.append((m.end - 1, self._person_actor(m.people[0], span, ctx)))
            elif m.entry is not None and m.entry.role not in ("adjective",):
                home = self._country_modifier(doc[m.end - 1], ctx) if m.entry.role == "demonym" else None
                if home is not None:  # "Bosnian Serbs": remembered as the people of Bosnia
                    left = min([m.start] + [c.i for c in doc[m.end - 1].lefts if c.dep_ in MODIFIER_DEPS])
                    entry = ActorEntry(home.name, home.code, home.country, "CVL", "country", "demonym")
                    ctx.named.append((m.end - 1, self._entry_actor(entry, doc[left : m.end])))
                else:
                    ctx.named.append((m.end - 1, self._entry_actor(m.entry, span)))
        # people introduced with their office ("Zambian Foreign Minister Kelvin Nkandu") are
        # remembered by surname before any event is coded, so that "Nkandu" alone is coded later
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.root.i not in ctx.matches:
                self.code_token(ent.root, ctx)
        ctx.recent.clear()
        return ctx

    # ------------------------------------------------------------------ coding
    def _person_actor(self, person: Person, span: Span, ctx: ArticleContext) -> Actor:
        role = person.role_on(ctx.day)
        country = role.country if role else None
        sector = role.sector if role else None
        if role and role.igo:
            code: str | None = role.igo
            kind = "person"
        else:
            cameo = self._cameo_country(country)
            code = (cameo or "") + (sector or "") or None
            kind = "person"
        return Actor(span.text, span.start_char, span.end_char, person.name, code, country, sector, kind)

    def _cameo_country(self, iso3: str | None) -> str | None:
        """The CAMEO country code for an ISO alpha-3 code (they differ for a few, e.g. Kosovo)."""
        if iso3 is None:
            return None
        country = self.kb.countries.get(iso3)
        return country.cameo if country is not None else iso3

    def _entry_actor(self, entry: ActorEntry, span: Span, sector: str | None = None) -> Actor:
        if entry.kind == "country":
            base = self._cameo_country(entry.country) or entry.code[:3]
            sec = sector or entry.sector
            keep_sector = bool(sec) and (sec != "CVL" or entry.role == "demonym")
            code = base + (sec or "" if keep_sector else "")
            return Actor(span.text, span.start_char, span.end_char, entry.name, code, entry.country, sec, "country")
        return Actor(span.text, span.start_char, span.end_char, entry.name, entry.code, entry.country,
                     sector or entry.sector, entry.kind)

    def _agent_sector(self, tok: Token) -> str | None:
        """The CAMEO agent code of a noun, trying it with its compound words first ("security forces")."""
        doc = tok.doc
        if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_:
            hyphened = f"{doc[tok.i - 2].lower_}-{tok.lower_}"  # "Secretary-General", "commander-in-chief"
            if hyphened in self.kb.agents:
                return self.kb.agents[hyphened]
        compounds = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i]
        for k in range(len(compounds)):
            phrase = " ".join(t.lower_ for t in compounds[k:]) + " " + tok.lower_
            if phrase in self.kb.agents:
                return self.kb.agents[phrase]
        sector = self.kb.agents.get(tok.lemma_.lower()) or self.kb.agents.get(tok.text.lower())
        if sector is None and tok.lemma_.lower() in GOVERNMENT_ROLE_NOUNS:
            return "GOV"
        return sector

    def code_token(self, tok: Token, ctx: ArticleContext) -> Actor | None:
        """The actor denoted by the noun phrase headed by ``tok``, or None."""
        doc = tok.doc
        low = tok.text.lower()
        if tok.pos_ == "PRON" or low in PRONOUNS_PERSON | PRONOUNS_GROUP:
            if low in RELATIVE_PRONOUNS:
                return None
            return self._resolve_pronoun(tok, ctx)
        match = ctx.matches.get(tok.i)
        if match is None and (tok.lemma_.lower() in QUANTITY_NOUNS or tok.like_num):
            counted = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj"]
            if counted:  # "thousands of students": the students act
                inner = self.code_token(counted[0], ctx)
                if inner is not None:
                    return inner
        # 1. a known name at the head (or the head is inside it)
        if match is not None:
            span = doc[match.start : match.end]
            if match.people:
                return self._remember(tok, self._person_actor(match.people[0], span, ctx), ctx)
            assert match.entry is not None
            entry = match.entry
            if entry.role == "adjective":
                pass  # "French" alone as a head is an adjective used as noun: fall through
            elif entry.role == "demonym" and (self._country_modifier(tok, ctx) or self._located_in(tok, ctx)):
                # "Bosnian Serbs", "Iraqi Kurds", "the Albanians of southern Serbia": a people
                # placed in another country
                home = self._country_modifier(tok, ctx) or self._located_in(tok, ctx)
                assert home is not None
                left_i = min([tok.i] + [c.i for c in tok.lefts if c.dep_ in MODIFIER_DEPS])
                return self._remember(tok, self._entry_actor(
                    ActorEntry(home.name, home.code, home.country, "CVL", "country", "demonym"),
                    doc[left_i : tok.i + 1]), ctx)
            else:
                return self._remember(tok, self._entry_actor(entry, span), ctx)
        # 2. a person not in the knowledge base, or a phrase built from modifiers
        country_entry: ActorEntry | None = None
        org_entry: ActorEntry | None = None
        sector = self._agent_sector(tok)
        head_is_agent = sector is not None or tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP")
        mods = [c for c in tok.children if c.dep_ in MODIFIER_DEPS]
        left = tok.i
        for c in mods:
            if c.dep_ == "poss" and c.tag_ == "PRP$" and country_entry is None and org_entry is None:
                owner = self._resolve_pronoun(c, ctx)  # "its troops": the troops of the last country named
                if owner is not None and owner.kind != "person" and owner.country:
                    country_entry = ActorEntry(owner.name or "", owner.code or "", owner.country, None, "country")
                elif owner is not None and owner.kind in ("igo", "group", "ngo"):
                    org_entry = ActorEntry(owner.name or "", owner.code or "", owner.country, None, owner.kind)
            for t in c.subtree:
                left = min(left, t.i)
                m = ctx.matches.get(t.i) if not _stance_prefixed(t) else None  # "anti-Syria journalist"
                if m is not None and m.people:
                    span = doc[m.start : m.end]
                    return self._remember(tok, self._person_actor(m.people[0], span, ctx), ctx)
                if m is not None and m.entry is not None:
                    if m.entry.kind == "country" and country_entry is None:
                        country_entry = m.entry
                        # "the Kremlin's envoy", "Moscow's demands": the government; but a capital
                        # naming something else is only a place ("the Lusaka Water Forum")
                        if m.entry.sector and not sector and (
                                m.entry.role == "seat" or (m.entry.role == "capital" and c.dep_ == "poss")):
                            sector = m.entry.sector
                    elif m.entry.kind != "country" and org_entry is None:
                        org_entry = m.entry
                if head_is_agent:  # "Kremlin spokesman": a modifier's sector only on an agent or a name
                    sector = sector or self._agent_sector(t)
        if match is not None and match.entry is not None and country_entry is None:
            country_entry = match.entry  # "French" as head with modifiers
        # appositions and "of" phrases: "Peskov, the Kremlin spokesman"; "the president of France"
        extra: list[Token] = [c for c in tok.children if c.dep_ == "appos"]
        of_objects = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                      if g.dep_ == "pobj"]
        # "the president of France"; after a plain noun only a direct actor ("a convoy of Malian
        # soldiers"), not a chain of phrases ("an extension of the mandate for the force")
        extra += [g for g in of_objects if head_is_agent or self._agent_sector(g) or g.i in ctx.matches]
        for e in extra:
            sub = self.code_token(e, ctx) if (e.i not in ctx.matches or e.dep_ == "pobj") else None
            em = ctx.matches.get(e.i)
            if sub is None and em is not None and em.entry is not None:
                sub = self._entry_actor(em.entry, doc[em.start : em.end])
            if sub is not None and sub.kind != "person":
                if sub.kind == "country" and country_entry is None and sub.country:
                    country_entry = ActorEntry(sub.name or "", sub.code or "", sub.country, sub.sector, "country")
                    sector = sector or sub.sector
                elif org_entry is None and sub.kind != "country":
                    return self._remember(tok, self._with_span(sub, doc[left : tok.i + 1]), ctx)
            elif sub is not None and sub.kind == "person" and tok.ent_type_ != "PERSON":
                return self._remember(tok, sub, ctx)
        if country_entry is None and org_entry is None and sector is not None:
            country_entry = self._located_in(tok, ctx)
        span = self._phrase_span(tok, left)
        if tok.ent_type_ != "PERSON" and tok.pos_ == "PROPN" and tok.text in ctx.surnames and not mods:
            known_actor = ctx.surnames[tok.text]
            return self._remember(tok, self._with_span(known_actor, doc[tok.i : tok.i + 1]), ctx)
        if tok.ent_type_ == "PERSON":
            name_span = self._entity_span(tok)
            known = ctx.surnames.get(name_span[-1].text)
            if country_entry is None and sector is None and known is not None:
                return self._remember(tok, self._with_span(known, name_span, name=known.name), ctx)
            if org_entry is not None:  # "Arab League Secretary-General Chedli Klibi"
                actor = self._entry_actor(org_entry, span)
                actor = Actor(actor.text, actor.start, actor.end, name_span.text, actor.code, actor.country,
                              actor.sector, "person")
                ctx.surnames[name_span[-1].text] = actor
                return self._remember(tok, actor, ctx)
            if country_entry is None and sector is None:
                return None
            actor = self._compose(span, country_entry, org_entry, sector or "GOV", kind="person")
            actor = Actor(actor.text, actor.start, actor.end, name_span.text, actor.code, actor.country,
                          actor.sector, "person")
            ctx.surnames[name_span[-1].text] = actor
            return self._remember(tok, actor, ctx)
        if org_entry is not None:
            return self._remember(tok, self._entry_actor(org_entry, span, sector), ctx)
        if country_entry is None and sector is None:
            return None
        return self._remember(tok, self._compose(span, country_entry, None, sector, kind=None), ctx)

    @staticmethod
    def _country_modifier(tok: Token, ctx: ArticleContext) -> ActorEntry | None:
        """A country adjective or name modifying ``tok`` ("Bosnian" in "Bosnian Serbs")."""
        for c in tok.children:
            if c.dep_ in MODIFIER_DEPS and c.i < tok.i:
                m = ctx.matches.get(c.i)
                if m is not None and m.entry is not None and m.entry.kind == "country" and m.entry.role in (
                        "adjective", "name"):
                    return m.entry
        return None

    def _located_in(self, tok: Token, ctx: ArticleContext) -> ActorEntry | None:
        """The country an agent is placed in by a locative phrase ("security forces in Guinea")."""
        places = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS
                  for g in c.children if g.dep_ == "pobj"]
        # "refugees fleeing the war in Liberia", "guerrillas operating in Macedonia", "a group based in X"
        clauses = [a for a in tok.children if a.dep_ in ("acl", "relcl")]
        holders = clauses + [o for a in clauses for o in a.children if o.dep_ == "dobj"]
        places += [g for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS
                   for g in c.children if g.dep_ == "pobj"]
        for g in places:
            m = ctx.matches.get(g.i)
            if m is not None and m.entry is not None and m.entry.kind == "country" and m.entry.country:
                return m.entry
            if self.place_country is not None and g.pos_ == "PROPN":
                ent = self._entity_span(g)
                iso3 = self.place_country(ent.text)
                if iso3 and iso3 in self.kb.countries:
                    c = self.kb.countries[iso3]
                    return ActorEntry(c.name, c.cameo, iso3, None, "country", "name")
        return None

    def code_with_conjuncts(self, tok: Token, ctx: ArticleContext) -> list[Actor]:
        """``tok``'s actor and those of the words coordinated with it ("the US and NATO")."""
        out: list[Actor] = []
        for t in [tok, *self._conjuncts(tok)]:
            a = self.code_token(t, ctx)
            if a is not None and all((a.start, a.end) != (b.start, b.end) for b in out):
                out.append(a)
        if out and out[0].country and out[0].kind != "person":
            out.extend(self._coordinated_countries(tok, out[0], ctx))
        return out

    def _coordinated_countries(self, tok: Token, first: Actor, ctx: ArticleContext) -> list[Actor]:
        """More actors from country adjectives coordinated in the modifier ("French and Egyptian
        warships": the Egyptian ones too, with the same sector)."""
        out: list[Actor] = []
        for mod in (c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i):
            for conj in self._conjuncts(mod):
                m = ctx.matches.get(conj.i)
                if m is None or m.entry is None or m.entry.kind != "country" or not m.entry.country:
                    continue
                country = self.kb.countries.get(m.entry.country)
                if country is None or country.iso3 == first.country:
                    continue
                sector = first.sector
                out.append(Actor(conj.text, conj.idx, conj.idx + len(conj.text), country.name,
                                 country.cameo + (sector or ""), country.iso3, sector, first.kind))
        return out

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _conjuncts(tok: Token) -> list[Token]:
        out = []
        stack = [c for c in tok.children if c.dep_ == "conj"]
        while stack:
            t = stack.pop(0)
            out.append(t)
            stack.extend(c for c in t.children if c.dep_ == "conj")
        return out

    @staticmethod
    def _entity_span(tok: Token) -> Span:
        """The entity holding ``tok`` (or the token alone), found from the IOB tags around it: reading
        ``doc.ents`` builds every entity span of the article at each call."""
        doc = tok.doc
        if not tok.ent_type_:  # a token with no entity type is in no entity
            return doc[tok.i : tok.i + 1]
        start = tok.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = tok.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return doc[start:end]

    @staticmethod
    def _phrase_span(tok: Token, left: int) -> Span:
        doc = tok.doc
        while left < tok.i and doc[left].dep_ in ("det", "punct") or (left < tok.i and doc[left].tag_ == "PRP$"):
            left += 1
        right = tok.i + 1
        if tok.ent_type_:
            ent = ActorCoder._entity_span(tok)
            left, right = min(left, ent.start), max(right, ent.end)
        return doc[left:right]

    def _compose(self, span: Span, country: ActorEntry | None, org: ActorEntry | None, sector: str | None,
                 kind: str | None) -> Actor:
        if country is not None:
            base = self._cameo_country(country.country) or country.code[:3]
            sec = sector if sector and sector != "CVL" else (sector or None)
            return Actor(span.text, span.start_char, span.end_char, country.name, base + (sec or ""),
                         country.country, sec, kind or "country")
        return Actor(span.text, span.start_char, span.end_char, None, sector, None, sector, kind or "other")

    @staticmethod
    def _with_span(actor: Actor, span: Span, name: str | None = None) -> Actor:
        return Actor(span.text, span.start_char, span.end_char, name or actor.name, actor.code, actor.country,
                     actor.sector, actor.kind)

    @staticmethod
    def _remember(tok: Token, actor: Actor, ctx: ArticleContext) -> Actor:
        ctx.recent.append((tok.i, actor))
        if actor.kind == "person" and actor.name:
            ctx.surnames.setdefault(actor.name.split()[-1], actor)
        return actor

    def _reporter(self, tok: Token, ctx: ArticleContext) -> Actor | None:
        """For the subject of a reported clause, the reporter: "rebel leaders said they would meet"."""
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return None
        clause = tok.head
        if clause.dep_ == "conj":  # "Moscow warned ..., but so far it has not commented": the first subject
            first = next((c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if first is not None and first.lower_ not in PRONOUNS_PERSON | PRONOUNS_GROUP:
                return self.code_token(first, ctx)
        for _ in range(REPORT_CLIMB):
            if clause.dep_ == "ccomp":
                subj = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
                if subj is None:  # "X was quoted as saying he...", "X, speaking on TV, said he..."
                    subj = self._participle_subject(clause.head)
                if subj is not None and subj.lower_ not in PRONOUNS_PERSON | PRONOUNS_GROUP:
                    return self.code_token(subj, ctx)
                return None
            if clause.dep_ not in ("xcomp", "conj") or clause.head is clause:
                return None
            clause = clause.head
        return None

    @staticmethod
    def _participle_subject(verb: Token) -> Token | None:
        """The subject of the clause a subjectless speech participle hangs on ("was quoted as
        saying": the one quoted)."""
        cur = verb
        for _ in range(PARTICIPLE_CLIMB):
            if cur.dep_ not in ("pcomp", "prep", "advcl", "xcomp") or cur.head is cur:
                return None
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                return next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return None

    def _resolve_pronoun(self, tok: Token, ctx: ArticleContext) -> Actor | None:
        low = tok.text.lower()
        reporter = self._reporter(tok, ctx)
        if reporter is not None and (reporter.kind == "person") == (low in PRONOUNS_PERSON):
            return Actor(tok.text, tok.idx, tok.idx + len(tok.text), reporter.name, reporter.code,
                         reporter.country, reporter.sector, reporter.kind)
        want_person = low in PRONOUNS_PERSON or low in ("his", "her")
        sent_starts = [s.start for s in tok.doc.sents if s.start <= tok.i]
        limit = sent_starts[-1 - PRONOUN_LOOKBACK_SENTENCES] if len(sent_starts) > PRONOUN_LOOKBACK_SENTENCES else 0
        # a pronoun object never refers to its own clause's subject ("Trump recognised him")
        own_subject = {t.i for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") and c is not tok
                       for t in c.subtree} if tok.dep_ not in ("nsubj", "nsubjpass") else set()
        # the nearest earlier actor: coded ones first at the same position, then plain names
        candidates = sorted(ctx.recent + ctx.named, key=lambda p: p[0], reverse=True)
        for i, actor in candidates:
            if i >= tok.i or i < limit or i in own_subject:
                continue
            if (actor.kind == "person") == want_person:
                return Actor(tok.text, tok.idx, tok.idx + len(tok.text), actor.name, actor.code, actor.country,
                             actor.sector, actor.kind)
        return None

    def mentions(self, doc: Doc, ctx: ArticleContext) -> list[Actor]:
        """Every knowledge-base actor named in the article (for the store's actor index)."""
        out: list[Actor] = []
        seen: set[int] = set()
        for m in ctx.matches.values():
            if m.start in seen:
                continue
            seen.add(m.start)
            span = doc[m.start : m.end]
            if m.people:
                out.append(self._person_actor(m.people[0], span, ctx))
            elif m.entry is not None:
                out.append(self._entry_actor(m.entry, span))
        return sorted(out, key=lambda a: a.start)
