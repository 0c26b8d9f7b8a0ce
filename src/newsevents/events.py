"""The event stage: code who did what to whom from the dependency parse.

For every sentence the coder looks for **verb patterns** (a verb lemma, optionally with a required
particle, object head or complement verb: "hold talks", "call for", "agree to meet") and **noun
patterns** (nominal events: "the meeting between X and Y", "Russia's demands", "an attack on Z").
Patterns are data (``data/verbs.yaml``); a more specific pattern wins over a bare verb.

Roles come from syntax, not word order: the subject is the source and the direct object (or the
objects of the pattern's target prepositions) the target; the passive swaps them ("was attacked by
X"); coordinated subjects make compound actors; a verb without its own subject takes it from the
verb it is coordinated with or complements, and a relative clause from the noun it modifies.
"X said Y attacked Z" codes Y -> Z (``say`` is not an event on its own).

PLOVER's auxiliary flags are read from the same parse: ``negated`` (a negation or "never" on the
verb), ``future`` ("will", "shall", "is going to"), ``hypothetical`` (a conditional clause such as
"if ...", or "would/could/might"), ``historical`` is set by the pipeline from the event date.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from newsevents.actors import ActorCoder, ArticleContext
from newsevents.errors import KnowledgeError
from newsevents.eventplace import (
    FOREIGN_FORCE_SECTORS,
    MAX_CLAUSE_CLIMB,
    OBJECT_DEPS,
    PRONOUN_TEXTS,
    EventPlacer,
    needs_country,
    phrase_of,
)
from newsevents.knowledge import Knowledge, Pattern
from newsevents.records import Actor, Event, Trigger

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: Prepositions whose objects are taken as the target when a pattern names none.
DEFAULT_TARGET_PREPS = ("with", "against", "to", "on", "toward", "towards", "from")
#: Positions where a gerund is a noun ("died in police firing", "the shelling continued").
NOMINAL_DEPS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "conj", "appos"})
#: Children of a noun that can carry a pattern's required modifier ("hunger strike", "four-day strike").
NOUN_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod"})
#: Prepositions of a non-actor object that name the actor behind it ("calls by X", "the withdrawal of X").
OBJECT_AGENT_PREPS = ("by", "of", "from", "against", "with", "on", "to", "into", "toward", "towards", "for")
#: How many non-actor nouns are looked through for the actor behind an object ("part of a program
#: for Bosnia" is two); chosen on the team's example sentences.
OBJECT_CHAIN_DEPTH = 2
#: For nominal events, where the source may stand ("demands by Russia", "a visit from X").
NOUN_SOURCE_PREPS = ("by", "of", "from")
#: Dependency labels followed upward from an event word when looking for its modality.
CLAUSE_CHAIN_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "relcl", "acl"})
#: Visits ("arrived in", "visited") by military actors are deployments, or peacekeeping missions.
VISIT_CODES = frozenset({"042"})
DEPLOYMENT_CODE = "154"
PEACEKEEPING_CODE = "074"
#: Roots of events whose complement clause is asked for or threatened, not done: appeal, demand,
#: threaten ("urged Syria to withdraw", "demanded that the US cancel the sale").
ASKING_ROOTS = frozenset({"02", "10", "13"})
#: Roots of events whose complement (or their object's complement) is only talked about: appeal,
#: reject, demand, threaten ("rejected an invitation to attend"). Accusations are not among them:
#: what is alleged is reported speech and is coded ("he alleged the police fired on the crowd").
FRAMING_ROOTS = frozenset({"02", "10", "12", "13"})
#: Dependency steps climbed from a verb to the event that frames it, and the labels allowed on
#: the way (complement clauses, prepositions and the framed noun).
FRAMING_CLIMB = 4
FRAMED_DEPS = frozenset({"xcomp", "ccomp", "acl", "advcl", "pcomp", "pobj", "prep", "dobj", "conj"})
#: A past participle after a noun reports the act ("persons killed in the firing"); before the noun
#: it does so only for these codes ("the arrested workers"), for others it names a state ("the
#: besieged town", "a banned group").
PARTICIPLE_EVENT_CODES = frozenset({"173"})
#: Verbs that report a coercive or violent noun as having happened ("arrests were made").
OCCURRENCE_VERBS = frozenset({"make", "carry", "follow", "continue", "conduct", "effect", "take", "report"})
#: Adjectives that count a noun like a number does ("several arrests", "mass arrests").
QUANTITY_WORDS = frozenset({"several", "many", "numerous", "mass", "multiple", "preventive", "further", "more"})
#: Prepositions that make a nominal event a time reference for another ("during the summit",
#: "after the talks"). Violence and coercion are still coded there ("after the arrest of X"):
#: such a mention is often the only report of the act.
TIME_PREPS = frozenset({"during", "after", "before", "since", "following", "amid", "amidst", "until", "prior"})
#: Ending, easing or calling off an act is a concession, whatever the act ("called off the strike").
YIELD_ROOT = "08"
#: Military exercises (CAMEO 150, a show of force) held by two countries together are military
#: cooperation (CAMEO 062).
EXERCISE_CODES = frozenset({"150"})
JOINT_EXERCISE_CODE = "062"
#: Accusations stated as the grounds of another act ("arrested on charges of", "jailed over
#: allegations of") are coded as well: ACCUSE root and the prepositions that introduce grounds.
ACCUSE_ROOT = "11"
GROUNDS_PREPS = frozenset({"on", "over"})
#: Prepositions of an act a passive subject undergoes ("was put under investigation").
UNDERGONE_PREPS = frozenset({"under"})
#: Acts of the state (investigate, accuse/charge, coerce and arrest): done in a named place by no
#: one named, they are the state's of that place.
STATE_ACT_ROOTS = frozenset({"09", "11", "17"})
#: Left dependents left out of an uncoded patient's words ("22 persons", not "the 22 persons").
NOUN_WORDS_SKIP = frozenset({"punct", "cc", "det"})
#: Appeals and demands that state a protest's aim belong to the protest (PLOVER codes the protest).
DEMAND_ROOTS = frozenset({"02", "10"})
PROTEST_ROOT = "14"
PROTEST_AIM_DEPS = frozenset({"advcl", "xcomp", "acl", "pcomp", "pobj", "prep", "conj", "dobj"})
#: An announced act made conditional with "unless" is an ultimatum (CAMEO 139, PLOVER THREATEN);
#: intentions already coded as threats (root 13) keep their more specific code.
ULTIMATUM_CODE = "139"
#: Getting ready to use force ("the army prepared to resume shelling") is a show of force (CAMEO
#: 150, PLOVER MOBILIZE), not a verbal threat; being "prepared to" (an adjective) stays a threat.
PREPARATION_CODE = "150"
FORCE_ROOTS = frozenset({"18", "19", "20"})
#: Roots whose direct object is often what is moved, not who receives it (aid, yield, force
#: posture, reduced relations): an object with no country gives way to a prepositional target.
MOVE_ROOTS = frozenset({"07", "08", "15", "16"})
THREAT_ROOT = "13"
#: Suffix rules tried, in order, when the lemmatizer's lemma has no pattern.
INFLECTIONS = (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("es", ""), ("s", ""))
#: CAMEO roots whose target may be named inside the complement clause: appeals, intentions,
#: demands, disapproval, rejection, threats ("demanded that the US cancel the sale").
CLAUSE_TARGET_ROOTS = frozenset({"02", "03", "10", "11", "12", "13", "14"})
#: Roots whose verb events are kept with only an uncoded patient when no actor can be coded:
#: coercion, assault, fight, mass violence ("22 persons were arrested", "two were shot dead").
PATIENT_ONLY_ROOTS = frozenset({"17", "18", "19", "20"})
#: The CAMEO code of a demand reported with "must" ("said Libya must hand over the suspects").
OBLIGATION_CODE = "100"


def verb_forms(tok: Token) -> list[str]:
    """Lemma candidates for a verb: spaCy's lemma, then the word de-inflected by rule, since the
    small model's lemmatizer slips on some forms ("staged" -> "stag"); after a hyphenated prefix
    the tokenizer split off ("test-fired" -> "test", "-", "fired"), the joined forms come first."""
    word = tok.lower_
    forms = [tok.lemma_.lower(), word]
    for suffix, repl in INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)] + repl)
    prefix = hyphen_prefix(tok)
    if prefix:
        forms = [f"{prefix}-{f}" for f in forms] + forms
    return list(dict.fromkeys(forms))


def hyphen_prefix(tok: Token) -> str | None:
    """The word joined to ``tok`` by a hyphen with no space ("test" in "test-fired"), if any."""
    if tok.i < 2:
        return None
    dash, prev = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    if dash.text != "-" or dash.whitespace_ or prev.whitespace_ or not prev.is_alpha:
        return None
    return prev.lower_


@dataclass(frozen=True)
class Modality:
    """Word lists of data/modality.yaml."""

    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    conditional_aux: frozenset[str]
    conditional_marks: frozenset[str]
    obligation_aux: frozenset[str]
    intent_verbs: frozenset[str]
    intent_adjectives: frozenset[str]
    report_verbs: frozenset[str]
    negating_verbs: frozenset[str]
    negation_is_rejection: frozenset[str]
    ultimatum_marks: frozenset[str]
    preparation_verbs: frozenset[str]
    statement_nouns: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_modality() -> Modality:
    path = Path(str(resources.files("newsevents") / "data" / "modality.yaml"))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Modality(**{k: frozenset(str(w).lower() for w in data[k]) for k in Modality.__dataclass_fields__})
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"cannot read {path}: {exc}") from exc


@dataclass(frozen=True)
class Mood:
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    intended: bool = False
    willing: bool = False  # intended by an offer or a willingness word, not just a future tense
    prepared: bool = False  # the actor is getting ready to do it ("the army prepared to resume shelling")


# Confidence: how sure we are the event is right.  Chosen by hand on the team's examples so
# that a fully specified verb event outranks a bare nominal one in the same sentence.
CONF_BASE = 0.40
CONF_SOURCE = 0.25  # the source actor is coded
CONF_TARGET = 0.15  # the target actor is coded
CONF_SPECIFIC = 0.10  # the pattern had an object/prep/complement constraint
CONF_VERB = 0.05  # a verb, not a noun, carries the event
CONF_NOUN_PENALTY = 0.10
CONF_UNTYPED_PENALTY = 0.30  # statements and appeals (no PLOVER type) rank below typed events
CONF_MAIN_CLAUSE = 0.05  # what the sentence reports outranks what a subordinate clause mentions
#: Dependency labels of clauses that only mention an event (relative, adverbial, adnominal clauses).
SUBORDINATE_DEPS = frozenset({"relcl", "advcl", "acl", "pcomp", "csubj", "prep", "pobj", "npadvmod"})


@dataclass(frozen=True)
class Candidate:
    token: int
    pattern: Pattern
    nominal: bool


class EventCoder:
    """Dependency-pattern coder over one parsed article (read-only after construction)."""

    def __init__(self, knowledge: Knowledge, actors: ActorCoder) -> None:
        self.kb = knowledge
        self.actors = actors
        self.mood = load_modality()
        self.places = EventPlacer(knowledge, actors, self._actors)

    # ------------------------------------------------------------------ pattern matching
    def _verb_candidates(self, tok: Token) -> list[Pattern]:
        """The verb patterns of ``tok`` whose constraints its parse satisfies, best first.

        Patterns whose required object matches the object's head word rank above those matching
        only a modifier of it ("withdrew weapons inspectors" is about inspectors, not weapons).
        """
        pats: tuple[Pattern, ...] = ()
        for form in verb_forms(tok):
            pats = self.kb.verb_patterns.get(form, ())
            if pats:
                break
        if not pats:
            return []
        children = list(tok.children)
        # a preposition heading a date or time ("call ... on Wednesday") is no phrasal particle
        preps = {c.lower_ for c in children if c.dep_ in ("prep", "prt", "agent")
                 and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children if g.dep_ == "pobj")}
        objs = [c for c in children if c.dep_ in OBJECT_DEPS or c.dep_ == "nsubjpass"]
        objs += [g for o in objs for g in o.children if g.dep_ == "conj"]  # "photographs and intelligence"
        heads = {c.lemma_.lower() for c in objs}
        # measure and partitive objects stand for what they measure: "25,000 tons of food aid",
        # "a round of talks", "a series of attacks"
        heads.update(g.lemma_.lower() for o in objs for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj")
        for c in children:  # "held talks with": pobj of a particle counts for phrasal objects too
            if c.dep_ == "prep":
                heads.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
        modifiers = {c.lemma_.lower() for o in objs for c in o.children if c.dep_ == "compound"}
        xcomps = {c.lemma_.lower() for c in children if c.dep_ in ("xcomp", "ccomp")}
        # "will allow refugees who have lived in Iraq to return": the small model hangs the
        # infinitive on the relative clause of a long object
        xcomps.update(g.lemma_.lower() for o in objs for r in o.children if r.dep_ == "relcl"
                      for g in r.subtree if g.pos_ == "VERB" and g is not r
                      and any(a.dep_ == "aux" and a.lower_ == "to" for a in g.children))
        ranked: list[tuple[int, int, Pattern]] = []
        for n, p in enumerate(pats):
            if p.prep and p.prep not in preps:
                continue
            if p.objects and not (p.objects & (heads | modifiers)):
                continue
            if p.xcomp and not (p.xcomp & xcomps):
                continue
            if p.complement == "future" and not self._has_future_complement(tok):
                continue
            head_match = bool(p.objects & heads) or not p.objects
            ranked.append((p.specificity + (1 if head_match and p.objects else 0), -n, p))
        return [p for _, _, p in sorted(ranked, key=lambda r: (r[0], r[1]), reverse=True)]

    def _object_noun_code(self, tok: Token, pattern: Pattern) -> str | None:
        """A light verb's object that is itself a specific nominal event decides the code:
        "continued their hunger strike" is a hunger strike (142), whatever "continue a strike" says.
        Not for verbs that end or ease the act (root 08): "called off a four-day strike" is a concession."""
        for o in tok.children:
            if o.dep_ not in OBJECT_DEPS or o.lemma_.lower() not in pattern.objects:
                continue
            mods = {c.lemma_.lower() for c in o.children if c.dep_ in NOUN_MODIFIER_DEPS}
            for np in self.kb.noun_patterns.get(o.lemma_.lower(), ()):
                if np.modifiers and np.modifiers & mods and pattern.code[:2] != YIELD_ROOT:
                    return np.code
        return None

    def _has_future_complement(self, tok: Token) -> bool:
        """A that-clause stating a future action: "warned that it will take measures"."""
        aux = self.mood.future_aux | self.mood.conditional_aux
        return any(c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in aux for a in c.children)
                   for c in tok.children)

    def candidates(self, sent: Span) -> list[Candidate]:
        found: list[Candidate] = []
        consumed: set[int] = set()
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                pats = self._verb_candidates(tok)
                if pats:
                    best = pats[0]
                    if best.objects:
                        noun_code = self._object_noun_code(tok, best)
                        if noun_code is not None:
                            best = replace(best, code=noun_code)
                    found.append(Candidate(tok.i, best, nominal=False))
                    if best.objects or best.xcomp:
                        for c in tok.children:
                            if c.lemma_.lower() in best.objects | best.xcomp:
                                consumed.add(c.i)
                            if c.dep_ == "prep":
                                consumed.update(g.i for g in c.children if g.lemma_.lower() in best.objects)
        for tok in sent:
            gerund = tok.tag_ == "VBG" and tok.dep_ in NOMINAL_DEPS  # "died in police firing"
            if (tok.pos_ in ("NOUN", "PROPN") or gerund) and tok.i not in consumed:
                prefix = hyphen_prefix(tok)  # "suicide-bombing" split by the tokenizer
                nouns = (prefix and self.kb.noun_patterns.get(f"{prefix}-{tok.lemma_.lower()}")) \
                    or self.kb.noun_patterns.get(tok.lemma_.lower()) or self.kb.noun_patterns.get(tok.lower_)
                if nouns:
                    mods = {c.lemma_.lower() for c in tok.children if c.dep_ in NOUN_MODIFIER_DEPS}
                    fitting = [p for p in nouns if not p.modifiers or p.modifiers & mods]
                    if fitting:
                        found.append(Candidate(tok.i, max(fitting, key=lambda p: p.specificity), nominal=True))
        # a verb complementing another event verb belongs to it ("threatened to attack")
        tokens = {c.token for c in found}
        verb_tokens = {c.token for c in found if not c.nominal}
        asking = {c.token for c in found if c.pattern.code[:2] in ASKING_ROOTS}
        framing = {c.token for c in found if c.pattern.code[:2] in FRAMING_ROOTS}
        protests = {c.token for c in found if c.pattern.code[:2] == PROTEST_ROOT}
        doc = sent.doc
        kept = []
        for cand in found:
            t = doc[cand.token]
            if cand.token in consumed and not cand.nominal:
                continue
            if not cand.nominal and t.tag_ == "VBN" and t.dep_ in NOMINAL_DEPS and any(
                    c.dep_ == "det" for c in t.children):
                continue  # "evacuated the wounded": a participle used as a noun names people
            if t.dep_ in ("xcomp",) and t.head.i in tokens and not cand.nominal:
                continue
            if not cand.nominal and t.dep_ in ("ccomp", "acl") and t.head.i in asking:
                continue  # "demanded that Israel ease restrictions": the easing is asked for, not done
            if cand.pattern.code[:2] in DEMAND_ROOTS and self._protest_demand(t, protests):
                continue  # "staged rallies to demand reforms": the demand is what the protest is about
            if not cand.nominal and t.dep_ == "ccomp" and any(
                    o.i in framing for o in t.head.children if o.dep_ in OBJECT_DEPS):
                continue  # "reiterated its demand that Israel ease...": the content of the demand
            if not cand.nominal and self._embedded(t, framing):
                continue  # "rejected an invitation to attend", "accused X of ignoring": not done
            if cand.nominal and t.dep_ == "pobj" and t.head.lower_ in TIME_PREPS \
                    and cand.pattern.code[:2] not in PATIENT_ONLY_ROOTS:
                continue  # "during a G8 summit", "after the talks": a time reference, not the news
            if cand.nominal and t.head.i in tokens and t.dep_ in OBJECT_DEPS:
                continue  # "rejected demands": the verb event covers its nominal object
            if cand.nominal and any(a.i in verb_tokens for a in t.ancestors) and not self._grounds(t, cand):
                continue  # "rejected calls for economic aid": a noun inside a verb event's arguments
            kept.append(cand)
        return kept

    @staticmethod
    def _grounds(t: Token, cand: Candidate) -> bool:
        """Whether an accusation noun gives the grounds of the act it hangs on ("jailed 52 members on
        allegations of treason"): the accusation is an event of its own (PLOVER ACCUSE 'allege')."""
        return cand.pattern.code[:2] == ACCUSE_ROOT and t.dep_ == "pobj" and t.head.lower_ in GROUNDS_PREPS

    @staticmethod
    def _protest_demand(t: Token, protests: set[int]) -> bool:
        """Whether the appeal or demand ``t`` states the aim of a protest in the same sentence: its
        purpose or manner clause ("demonstrated ... demanding independence", "staged a hunger
        strike to demand the resignation of X"), or the demand noun of such a clause."""
        cur = t
        for _ in range(FRAMING_CLIMB):
            if cur.head is cur or cur.dep_ not in PROTEST_AIM_DEPS:
                return False
            cur = cur.head
            if cur.i in protests or any(c.i in protests for c in cur.children if c.dep_ in OBJECT_DEPS):
                return True
        return False

    @staticmethod
    def _embedded(t: Token, framing: set[int]) -> bool:
        """Whether the verb ``t`` is only the content of an appeal, demand, accusation, rejection or
        threat: its complement clause, or the complement of that event's object noun ("rejected an
        invitation to attend a meeting", "an appeal for deploying troops", "an ultimatum to halt")."""
        cur = t
        for _ in range(FRAMING_CLIMB):
            if cur.dep_ not in FRAMED_DEPS or cur.head is cur:
                return False
            if cur.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
                return False  # "..., killing 20": a participle clause reports what happened
            if cur.dep_ == "conj" and cur.head.i in framing:
                return False  # "refused to deploy and urged its citizens...": an event of its own
            cur = cur.head
            if cur.i in framing:
                return True
        return False

    # ------------------------------------------------------------------ roles
    def _subject_of(self, tok: Token) -> tuple[Token | None, bool]:
        """The subject token of a verb and whether the clause is passive."""
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None and subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
            return tok.head, passive
        if subj is not None and subj.tag_ == "VBG":  # "The Red Cross operating in Iraq said": a
            inner = next((c for c in subj.children if c.dep_ == "nsubj"), None)  # misparsed participle
            subj = inner if inner is not None else subj
        if subj is None:
            if tok.dep_ in ("xcomp", "conj", "advcl", "acomp") and tok.head is not tok:
                head_subj, _ = self._subject_of(tok.head)
                return head_subj, passive
            if tok.dep_ == "acl" and tok.head.dep_ in OBJECT_DEPS and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
                # "has taken steps to enhance freedoms", "made efforts to end the strike": whoever
                # took the steps does the act
                head_subj, _ = self._subject_of(tok.head.head)
                return head_subj, passive
            if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in self.mood.statement_nouns \
                    and tok.head.dep_ in OBJECT_DEPS:
                # "issued a declaration demanding...": whoever issued the statement demands
                head_subj, _ = self._subject_of(tok.head.head)
                return head_subj, passive
            if tok.dep_ in ("relcl", "acl") and not passive:
                return tok.head, passive
        return subj, passive

    def _actors(self, tokens: Iterable[Token], ctx: ArticleContext) -> list[Actor]:
        """The actors of argument words; ``sector`` turned from the CAMEO agent code into PLOVER's."""
        out: list[Actor] = []
        for t in tokens:
            for a in self.actors.code_with_conjuncts(t, ctx):
                if all((a.start, a.end) != (b.start, b.end) for b in out):
                    out.append(replace(a, sector=self.kb.plover_sector(a.sector)))
        return out

    def _target_tokens(self, tok: Token, preps: tuple[str, ...], own_objects: bool = True) -> list[Token]:
        """Objects of the prepositions ``preps`` on the word (and on its object nouns)."""
        out: list[Token] = []
        objects = [c for c in tok.children if c.dep_ in OBJECT_DEPS] if own_objects else []
        objects += [g for o in objects for g in o.children if g.dep_ == "conj"]  # "photographs and intelligence to X"
        heads = [tok] + objects
        for h in heads:
            for c in h.children:
                if c.dep_ in ("prep", "dative") and c.lower_ in preps:  # "dative": "provided X to Y"
                    out.extend(g for g in c.children if g.dep_ == "pobj")
        return out

    def _object_actors(self, tok: Token, ctx: ArticleContext) -> list[Actor]:
        """Direct objects that are actors, or the actor behind a non-actor object: its owner
        ("Russian demands", "Serbia's suppression") or its agent ("calls by Belarus", "the
        withdrawal of Serbian forces")."""
        out: list[Actor] = []
        for o in (c for c in tok.children if c.dep_ in OBJECT_DEPS):
            out.extend(self._behind(o, ctx, OBJECT_CHAIN_DEPTH))
        return out

    def _behind(self, o: Token, ctx: ArticleContext, depth: int) -> list[Actor]:
        """The actor a noun is, or stands behind it: its owner or a proper adjective ("Serbia's
        suppression", "Russian demands"; not "official contact"), else the actor of one of its
        prepositions, looking through non-actor nouns ("part of a military aid program for Bosnia")."""
        acts = self._actors([o], ctx)
        if not acts:
            owners = [c for c in o.children if c.dep_ in ("poss", "compound", "nmod")
                      or (c.dep_ == "amod" and c.text[:1].isupper())]
            acts = self._actors(owners, ctx)
        if not acts and depth > 0:
            for g in self._target_tokens(o, OBJECT_AGENT_PREPS, own_objects=False):
                acts = self._behind(g, ctx, depth - 1)
                if acts:
                    break
        return acts

    @staticmethod
    def _main_clause(tok: Token) -> bool:
        """Whether the event word heads the sentence's main clause (or one reported by it)."""
        t = tok
        for _ in range(MAX_CLAUSE_CLIMB):
            if t.dep_ in SUBORDINATE_DEPS or (t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("dobj", "ROOT")):
                return False
            if t.dep_ == "ROOT" or t.head is t:
                return True
            t = t.head
        return False

    @staticmethod
    def _patient(tok: Token, participle: bool = False) -> list[Actor]:
        """The uncoded patient of a coercive or violent passive verb ("about 35 persons were arrested"):
        the text of who suffered it, with no code, so that the event is kept and traceable."""
        patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if patient is None and tok.tag_ == "VBN" and (tok.dep_ == "acl" or (participle and tok.dep_ == "amod")):
            patient = tok.head  # "58 persons killed in the firing", "the arrested workers"
        if patient is None:  # active voice: only a counted or named object ("killed 58", "shot two youths")
            patient = next((c for c in tok.children if c.dep_ == "dobj" and (
                c.pos_ in ("NUM", "PROPN") or any(g.dep_ == "nummod" for g in c.children))), None)
        if patient is None or patient.pos_ not in ("NOUN", "PROPN", "NUM") or patient.lower_ in PRONOUN_TEXTS:
            return []
        span = phrase_of(patient, NOUN_WORDS_SKIP)
        return [Actor(span.text, span.start_char, span.end_char, kind="other")]

    @staticmethod
    def _occurred(tok: Token) -> bool:
        """Whether a coercive or violent noun is reported as having happened: counted ("432
        arrests", "several arrests") or the subject or object of a verb of occurrence ("arrests
        were made", "the arrests followed")."""
        if tok.pos_ not in ("NOUN", "PROPN") or any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return False
        counted = any(c.dep_ == "nummod" or (c.dep_ == "amod" and c.lower_ in QUANTITY_WORDS) for c in tok.children)
        happened = tok.dep_ in ("nsubj", "nsubjpass", "dobj") and tok.head.lemma_.lower() in OCCURRENCE_VERBS
        return counted or happened

    def _counted(self, tok: Token, preps: tuple[str, ...], ctx: ArticleContext) -> list[Actor]:
        """Who a reported coercive or violent noun fell on: the actor after "of" or the pattern's
        target prepositions ("the arrest of X", "the attack on X"), else the noun phrase itself as
        an uncoded patient ("more than 432 arrests")."""
        acts = self._actors(self._target_tokens(tok, ("of", *preps), own_objects=False), ctx)
        if acts:
            return acts
        span = phrase_of(tok, NOUN_WORDS_SKIP)
        return [Actor(span.text, span.start_char, span.end_char, kind="other")]

    def _arg_actors(self, tokens: Iterable[Token], ctx: ArticleContext) -> list[Actor]:
        """Actors of argument words, looking behind a non-actor noun at its owner or agent
        ("a demand from the US President", "contact with the United States")."""
        out: list[Actor] = []
        for t in tokens:
            acts = self._actors([t], ctx)
            if not acts and t.pos_ in ("NOUN", "PROPN"):
                owners = [c for c in t.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
                acts = self._actors(owners, ctx) or self._actors(
                    self._target_tokens(t, OBJECT_AGENT_PREPS, own_objects=False), ctx)
            out.extend(a for a in acts if a not in out)
        return out

    def _shared_arguments(self, tok: Token, preps: tuple[str, ...], ctx: ArticleContext) -> list[Actor]:
        """Targets a verb without objects shares with the verb coordinated after it ("donated and
        personally delivered $50,000 worth of goods to the hospital": both go to the hospital)."""
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_ in SUBJECT_DEPS for g in c.children):
                acts = self._object_actors(c, ctx) + self._arg_actors(self._target_tokens(c, preps), ctx)
                if acts:
                    return acts
        return []

    def _condition_subjects(self, tok: Token, ctx: ArticleContext) -> list[Actor]:
        """Who a threat is aimed at: the subject of its condition ("threatened to stop the talks if
        the United States goes ahead", "threatened to ban voting if Hamas ran")."""
        for h in [tok, *[c for c in tok.children if c.dep_ == "xcomp"]]:
            for c in h.children:
                if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in self.mood.conditional_marks
                                             for g in c.children):
                    subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                    acts = self._actors([subj], ctx) if subj is not None else []
                    if acts:
                        return acts
        return []

    def _clause_targets(self, tok: Token, ctx: ArticleContext) -> list[Actor]:
        """Targets named inside the verb's complement: "demanded that the US cancel" (the
        clause's subject), "offered to hand over suspects to Britain" (the complement's own
        objects and prepositions)."""
        for c in tok.children:
            if c.dep_ in ("ccomp", "acl"):  # "demanded that X...", "its demand that X..."
                subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    acts = self._actors([subj], ctx)
                    if acts:
                        return acts
            purpose = c.dep_ == "advcl" and (any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                                             or c.tag_ == "VBG")
            if c.dep_ == "xcomp" or purpose:  # "to demand the resignation of X", "calling for ... from X"
                acts = self._object_actors(c, ctx) or self._arg_actors(
                    self._target_tokens(c, DEFAULT_TARGET_PREPS), ctx)
                if acts:
                    return acts
        return []

    def roles(self, cand: Candidate, doc: Doc, ctx: ArticleContext) -> tuple[list[Actor], list[Actor]]:
        """Source and target actors of a candidate event, placed by ``eventplace``: actors the
        text gives no country take the country of the place of the act, else the one country the
        sentence names; a violent act with no actor as its subject gets an unidentified armed
        force of that place; a domestic act with no recipient stays in the source's country."""
        pl = self.places
        tok = doc[cand.token]
        located = pl.located_targets(tok, ctx)  # once per candidate: _roles reads it too
        source, target = self._roles(cand, doc, ctx, located)
        source, target = [pl.ethnic(a, doc) for a in source], [pl.ethnic(a, doc) for a in target]
        where = pl.as_country(located[0]) if located else None
        if where is not None:
            source = [pl.localised(a, where) for a in source]
            target = [pl.localised(a, where) if self._may_borrow(a, cand.pattern.code) else a for a in target]
            if not source and cand.pattern.code[:2] in PATIENT_ONLY_ROOTS:
                source = pl.unidentified_source(tok, where)
            if not source and target and cand.pattern.code[:2] in STATE_ACT_ROOTS and where.country not in {
                    a.country for a in target if a.kind == "country"}:
                # "put under investigation in Italy", "were arrested in Kenya": with no one named,
                # the state of the place did it (the ICEWS convention for unnamed authorities)
                source = [where]
        if any(needs_country(a) for a in source + target):
            home = pl.sentence_country(tok.sent, ctx, self.mood.report_verbs)
            if home is not None:
                source = [pl.localised(a, home) for a in source]
                target = [pl.localised(a, home) if self._may_borrow(a, cand.pattern.code) else a for a in target]
        if where is None:
            target = pl.domestic_target(cand.pattern.code, source, target)
        return source, target

    @staticmethod
    def _may_borrow(actor: Actor, code: str) -> bool:
        """Whether a recipient the text gives no country may take the place's or sentence's: not,
        for violence and coercion, a soldier or a named person, who may be a foreigner there ("an
        Indian pilot captured in Pakistan")."""
        if code[:2] not in PATIENT_ONLY_ROOTS:
            return True
        return actor.kind != "person" and actor.sector not in FOREIGN_FORCE_SECTORS

    def _roles(self, cand: Candidate, doc: Doc, ctx: ArticleContext,
               located: list[Actor]) -> tuple[list[Actor], list[Actor]]:
        tok = doc[cand.token]
        pat = cand.pattern
        if cand.nominal:
            owners = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
            source = self._actors(owners, ctx)
            if not source:
                source = self._actors(self._target_tokens(tok, pat.source_preps or NOUN_SOURCE_PREPS), ctx)
            target = self._actors(self._target_tokens(tok, pat.target_preps or DEFAULT_TARGET_PREPS), ctx)
            gov = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
            if tok.dep_ == "pobj" and tok.head.lower_ == "of" and gov.pos_ == "NOUN" and gov.dep_ in OBJECT_DEPS:
                gov = gov.head  # a measure or partitive object: "launched 10 days of war games"
            if not source and (tok.dep_ in OBJECT_DEPS or tok.dep_ == "pobj") and gov.pos_ in ("VERB", "AUX"):
                subj, gov_passive = self._subject_of(gov)  # "Russia made demands on NATO", "gathered for a rally"
                if gov_passive and tok.dep_ == "pobj" and tok.head.lower_ in UNDERGONE_PREPS:
                    # "a US national was put under investigation": the subject undergoes it
                    agent = [g for c in gov.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                    source = self._actors(agent, ctx)
                    target = target or (self._actors([subj], ctx) if subj is not None else [])
                else:
                    source = self._actors([subj], ctx) if subj is not None else []
            target = [a for a in target if a not in source]
            if not target and pat.code[:2] in CLAUSE_TARGET_ROOTS:
                clause_of = tok.head if tok.dep_ in OBJECT_DEPS else tok  # "reiterated its demand that X..."
                target = [a for a in self._clause_targets(tok, ctx) or self._clause_targets(clause_of, ctx)
                          if a not in source]
            if not target:
                target = [a for a in located if a not in source]  # "a rally in Lagos"
            return source, target
        subj, passive = self._subject_of(tok)
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if passive and pat.passive_ok:
            source = self._actors(agent, ctx)
            # "a camp for Congolese refugees was attacked": the actor behind a non-actor subject
            target = self._behind(subj, ctx, OBJECT_CHAIN_DEPTH) if subj is not None else []
        else:
            source = self._actors([subj], ctx) if subj is not None else []
            if tok.dep_ == "relcl" and subj is not None and subj.i != tok.head.i:
                target = self._actors([tok.head], ctx)  # "the assurances Russia has demanded"
            else:
                target = self._object_actors(tok, ctx)
        preps = pat.target_preps or DEFAULT_TARGET_PREPS
        prep_targets = [a for a in self._arg_actors(self._target_tokens(tok, preps), ctx) if a not in target]
        own = {a.country for a in source if a.country}
        moved = pat.code[:2] in MOVE_ROOTS and all(not a.country and a.kind not in ("igo", "ngo", "group")
                                                   for a in target)
        if target and prep_targets and ((own and all(a.country in own for a in target)) or moved):
            # "withdrew its troops from Lebanon", "will withdraw inspectors from Iraq": what is moved
            # (own forces, uncoded staff) is not the target
            target = prep_targets
        elif moved and target and not prep_targets:
            target = []  # "contribute troops to a force in Liberia": the troops are what is given
        elif not target or pat.target_preps:
            target = target + prep_targets
        if not target and not any(c.dep_ in OBJECT_DEPS for c in tok.children):
            target = self._shared_arguments(tok, preps, ctx)  # "donated and delivered goods to X"
        if len(source) > 1 and not target and pat.code.startswith("04"):
            target = source[1:]  # "A and B met": a meeting between them
            source = source[:1]
        if not target and pat.code[:2] in CLAUSE_TARGET_ROOTS:
            target = self._clause_targets(tok, ctx)
        own = {a.country for a in source if a.country}
        if pat.code[:2] == THREAT_ROOT and all(a in source or a.country in own for a in target):
            target = self._condition_subjects(tok, ctx) or target  # "threatened to X if the US goes ahead"
        own = {a.country for a in source if a.country}
        if not target or (own and all(a.country in own for a in target) and not passive):
            if located:
                target = list(located)  # ICEWS-style: with no recipient named, the place where it happened
        source_spans = {(a.start, a.end) for a in source}
        source_codes = {a.code for a in source}
        # a pronoun target that is the source itself ("Moscow warned that it will...") is no target
        target = [a for a in target if (a.start, a.end) not in source_spans
                  and not (a.text.lower() in PRONOUN_TEXTS and a.code in source_codes)]
        return source, target

    # ------------------------------------------------------------------ modality
    def modality(self, tok: Token) -> Mood:
        """Negation, future, hypothetical and intention of the event word ``tok``."""
        m = self.mood
        negated = any(c.dep_ == "neg" or c.lower_ == "never" for c in tok.children)
        willing = prepared = False
        if tok.pos_ in ("NOUN", "PROPN"):
            negated = negated or any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        future = bool(auxes & m.future_aux)
        hypothetical = bool(auxes & (m.hypothetical_aux | m.obligation_aux))  # "must resign": not done yet
        would = bool(auxes & m.conditional_aux)
        intended = future
        head = tok
        for _ in range(MAX_CLAUSE_CLIMB):
            if any(c.dep_ == "mark" and c.lower_ in m.conditional_marks for c in head.children):
                hypothetical = True
            infinitive = head.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
            if head.dep_ == "xcomp" or infinitive or (head.dep_ == "ccomp" and head.head.pos_ == "ADJ"):
                gov = head.head
                if gov.lemma_.lower() in m.intent_verbs | m.intent_adjectives:
                    intended = willing = True
                    prepared = prepared or (gov.pos_ == "VERB" and gov.lemma_.lower() in m.preparation_verbs)
                if gov.lemma_.lower() in m.negating_verbs or any(c.dep_ == "neg" for c in gov.children):
                    negated = True
                gov_aux = {c.lower_ for c in gov.children if c.dep_ == "aux"}
                if gov_aux & m.future_aux:
                    future = intended = True
            if head.dep_ == "ccomp":  # a reported clause keeps its own modality
                if would and head.head.lemma_.lower() in m.report_verbs:
                    future = intended = True
                    would = False
                break
            if head.head is head or head.dep_ not in CLAUSE_CHAIN_DEPS:
                break
            head = head.head
        if any(c.dep_ == "xcomp" and c.lemma_ == "go" for c in tok.children):
            future = intended = True
        if tok.dep_ == "xcomp" and tok.head.lemma_ == "go" and any(c.lower_ in ("is", "are", "was", "were", "'s", "'re")
                                                                   for c in tok.head.children):
            future = intended = True
        hypothetical = hypothetical or would
        return Mood(negated, future, hypothetical, intended and not hypothetical, willing, prepared)

    # ------------------------------------------------------------------ events
    def _recode(self, cand: Candidate, tok: Token, mood: Mood) -> tuple[str, str | None, bool]:
        """The final (CAMEO code, PLOVER type, negated) of a candidate, after intentions and refusals.

        - an intended action is coded as the intention (data/intent.yaml: "will provide aid" -> 033);
        - a refused one as its rejection ("refused to meet" -> 125, "will not accept" -> 12x): the
          refusal is what happened, so the event is not negated.
        """
        code = cand.pattern.code
        negated = mood.negated
        plover_override: str | None = None
        refused = None
        if tok.lemma_.lower() in self.mood.negating_verbs:  # "refused to meet": code the refused act
            inner = next((c for c in tok.children if c.dep_ == "xcomp"), None)
            inner_pats = self._verb_candidates(inner) if inner is not None else []
            if inner_pats:
                refused = inner_pats[0].code
        elif negated and not cand.nominal and tok.lemma_.lower() in self.mood.negation_is_rejection:
            refused = code
        if refused is not None:
            rejection = self.kb.rejection_of(refused)
            if rejection is not None:
                return rejection, self.kb.code(rejection).plover, False
        if mood.intended and not negated:
            intent = self.kb.intent_of(code)
            if intent is not None and not intent.startswith(THREAT_ROOT) and self._ultimatum(tok):
                return ULTIMATUM_CODE, self.kb.code(ULTIMATUM_CODE).plover, False
            if mood.prepared and code[:2] in FORCE_ROOTS:
                # the manual: MOBILIZE is military moves short of force, THREATEN is verbal
                return PREPARATION_CODE, self.kb.code(PREPARATION_CODE).plover, False
            if intent is not None:
                # the manual: an announced withdrawal is CONCEDE, an offer of one AGREE
                if not mood.willing:
                    plover_override = self.kb.intent_plover_of(code)
                code = intent
        return code, plover_override or self.kb.code(code).plover, negated

    @staticmethod
    def _joint(tok: Token, source: list[Actor]) -> bool:
        """Whether military exercises are held together: two countries as their source ("French
        and Egyptian warships launched war games") or the word "joint"."""
        words = [c for c in tok.children] + [g for c in tok.children if c.dep_ in OBJECT_DEPS for g in c.children]
        return len({a.country for a in source if a.country}) > 1 or any(w.lower_ == "joint" for w in words)

    def _ultimatum(self, tok: Token) -> bool:
        """Whether an announced act is made conditional on the other side's conduct: "will withdraw
        its force unless the president arranges a ceasefire" (CAMEO 139, give an ultimatum)."""
        return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in self.mood.ultimatum_marks
                                             for g in c.children) for c in tok.children)

    def _obligations(self, sent: Span, ctx: ArticleContext) -> list[tuple[Token, Token, str, list[Actor], list[Actor]]]:
        """Demands reported with "must": "X said Y must withdraw" is X asking Y (REQUEST).

        Returns (must token, verb, CAMEO code, source, target) for each such clause.
        """
        out = []
        for tok in sent:
            if tok.dep_ != "ccomp" or tok.head.lemma_.lower() not in self.mood.report_verbs:
                continue  # cheap tests first: this runs on every token
            must = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ in self.mood.obligation_aux), None)
            if must is None:
                continue
            reporter, _ = self._subject_of(tok.head)  # "..., saying he must resign": the sayer
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if reporter is None or subj is None:
                continue
            source = self._actors([reporter], ctx)
            target = self._actors([subj], ctx)
            if not source and target and reporter.pos_ in ("NOUN", "PROPN"):
                # "The Water Forum concluded that the US must...": a demand by someone the
                # knowledge base does not know is kept with the reporter's words, uncoded
                span = phrase_of(reporter)
                source = [Actor(span.text, span.start_char, span.end_char, kind="other")]
            if not source or not target:
                continue
            pats = self._verb_candidates(tok)
            demanded = pats[0].code if pats else None
            code = (self.kb.demand_of(demanded) if demanded else None) or OBLIGATION_CODE
            out.append((must, tok, code, source, target))
        return out

    def _event(self, sent: Span, s_index: int, trig: tuple[int, int], source: list[Actor], target: list[Actor],
               code: str, plover: str | None, mood: Mood, negated: bool, conf: float) -> Event:
        entry = self.kb.code(code)
        sent_text = sent.text
        sent_end = sent.start_char + len(sent_text.rstrip())
        trigger_text = sent_text[trig[0] - sent.start_char : trig[1] - sent.start_char]  # not doc.text: costly
        return Event(
            span=(sent.start_char, sent_end),
            sentence=s_index,
            trigger=Trigger(trigger_text, trig[0], trig[1]),
            source=tuple(source),
            target=tuple(target),
            cameo=code,
            goldstein=entry.goldstein,
            quad_class=entry.quad_class,
            plover=plover,
            mode=entry.plover_mode,
            context=(entry.plover_context,) if entry.plover_context else (),
            negated=negated,
            hypothetical=mood.hypothetical,
            future=mood.future,
            confidence=round(min(1.0, max(0.05, conf)), 3),
        )

    def code(self, doc: Doc, ctx: ArticleContext) -> list[Event]:
        """Every event of the article, sentence by sentence."""
        events: list[Event] = []
        for s_index, sent in enumerate(doc.sents):
            demanded: set[int] = set()
            for must, verb, code, source, target in self._obligations(sent, ctx):
                demanded.add(verb.i)
                mood = Mood(future=True, intended=False)
                conf = CONF_BASE + CONF_SOURCE + CONF_TARGET
                events.append(self._event(sent, s_index, (must.idx, verb.idx + len(verb.text)), source, target,
                                          code, self.kb.code(code).plover, mood, False, conf))
            for cand in self.candidates(sent):
                if cand.token in demanded:
                    continue  # "Libya must hand over the suspects": demanded, not done
                source, target = self.roles(cand, doc, ctx)
                if not source and not target and cand.pattern.code[:2] in PATIENT_ONLY_ROOTS:
                    if not cand.nominal:
                        # "22 persons were arrested", "the arrested workers": who, uncoded
                        target = self._patient(doc[cand.token], cand.pattern.code in PARTICIPLE_EVENT_CODES)
                    elif self._occurred(doc[cand.token]):
                        # "432 arrests have been made", "the attack on the train took place"
                        target = self._counted(doc[cand.token], cand.pattern.target_preps, ctx)
                if not source and not target or (cand.pattern.target_required and not target):
                    continue
                if cand.nominal and not source and not (target and self._occurred(doc[cand.token])):
                    continue  # a nominal event needs its agent ("Russia's demands"), else it is a topic
                tok = doc[cand.token]
                mood = self.modality(tok)
                code, plover, negated = self._recode(cand, tok, mood)
                if code in VISIT_CODES and source and all(a.sector == "MIL" for a in source):
                    # troops "arriving in" a country are deployed there, not visiting it
                    subject = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
                    phrase = " ".join(t.lower_ for t in subject.subtree) if subject is not None else ""
                    peacekeeping = "peacekeep" in phrase or any("peacekeep" in a.text.lower() for a in source)
                    code = PEACEKEEPING_CODE if peacekeeping else DEPLOYMENT_CODE
                    plover = self.kb.code(code).plover
                own_spans = {(a.start, a.end) for a in source}
                named_target = any((a.start, a.end) not in own_spans for a in target)  # not the domestic default
                if code in EXERCISE_CODES and self._joint(tok, source):
                    code = JOINT_EXERCISE_CODE  # joint exercises are military cooperation
                    plover = self.kb.code(code).plover
                conf = CONF_BASE + CONF_SOURCE * bool(source) + CONF_TARGET * named_target
                conf += CONF_SPECIFIC * (cand.pattern.specificity > 0)
                conf += CONF_VERB if not cand.nominal else -CONF_NOUN_PENALTY
                conf -= CONF_UNTYPED_PENALTY if plover is None else 0.0
                conf += CONF_MAIN_CLAUSE if self._main_clause(tok) else 0.0
                trig_end = tok.idx + len(tok.text)
                if cand.pattern.prep:
                    for c in tok.children:  # "pulled out", "called on": the particle right after the verb
                        if c.lower_ == cand.pattern.prep and c.dep_ in ("prt", "prep") and c.i == tok.i + 1:
                            trig_end = max(trig_end, c.idx + len(c.text))
                events.append(self._event(sent, s_index, (tok.idx, trig_end), source, target, code, plover, mood,
                                          negated, conf))
        return events
