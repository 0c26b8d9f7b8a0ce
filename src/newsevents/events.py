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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsevents.actors import ActorCoder, ArticleContext
from newsevents.knowledge import Knowledge, Pattern
from newsevents.records import Actor, Event, Trigger

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "dative", "obj", "attr", "oprd"})
#: Prepositions whose objects are taken as the target when a pattern names none.
DEFAULT_TARGET_PREPS = ("with", "against", "to", "on", "toward", "towards", "from")
#: For nominal events, where the source may stand ("demands by Russia", "a visit from X").
NOUN_SOURCE_PREPS = ("by", "of", "from")
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
NEGATION_WORDS = frozenset({"not", "n't", "never", "no"})
#: Verbs whose complement is a planned, not an actual, action ("plans to visit").
INTENT_VERBS = frozenset({"plan", "intend", "expect", "prepare", "aim", "hope", "want", "seek", "vow", "pledge"})

# Confidence: how sure we are the event is right.  Chosen by hand on the team's examples so
# that a fully specified verb event outranks a bare nominal one in the same sentence.
CONF_BASE = 0.40
CONF_SOURCE = 0.25  # the source actor is coded
CONF_TARGET = 0.15  # the target actor is coded
CONF_SPECIFIC = 0.10  # the pattern had an object/prep/complement constraint
CONF_VERB = 0.05  # a verb, not a noun, carries the event
CONF_NOUN_PENALTY = 0.10


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

    # ------------------------------------------------------------------ pattern matching
    def _verb_candidates(self, tok: Token) -> list[Pattern]:
        pats = self.kb.verb_patterns.get(tok.lemma_.lower()) or self.kb.verb_patterns.get(tok.text.lower())
        if not pats:
            return []
        children = list(tok.children)
        preps = {c.lower_ for c in children if c.dep_ in ("prep", "prt", "agent")}
        objs = [c for c in children if c.dep_ in OBJECT_DEPS or c.dep_ == "nsubjpass"]
        obj_lemmas = {c.lemma_.lower() for c in objs} | {c.lemma_.lower() for o in objs for c in o.children
                                                          if c.dep_ == "compound"}
        for c in children:  # "held talks with": pobj of a particle counts for phrasal objects too
            if c.dep_ == "prep":
                obj_lemmas.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
        xcomps = {c.lemma_.lower() for c in children if c.dep_ in ("xcomp", "ccomp")}
        ok = []
        for p in pats:
            if p.prep and p.prep not in preps:
                continue
            if p.objects and not (p.objects & obj_lemmas):
                continue
            if p.xcomp and not (p.xcomp & xcomps):
                continue
            if p.complement == "future" and not self._has_future_complement(tok):
                continue
            ok.append(p)
        return ok

    @staticmethod
    def _has_future_complement(tok: Token) -> bool:
        for c in tok.children:
            if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in FUTURE_AUX | {"would"} for a in c.children):
                return True
        return False

    def candidates(self, sent: Span) -> list[Candidate]:
        found: list[Candidate] = []
        consumed: set[int] = set()
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                pats = self._verb_candidates(tok)
                if pats:
                    best = max(pats, key=lambda p: p.specificity)
                    found.append(Candidate(tok.i, best, nominal=False))
                    if best.objects or best.xcomp:
                        for c in tok.children:
                            if c.lemma_.lower() in best.objects | best.xcomp:
                                consumed.add(c.i)
                            if c.dep_ == "prep":
                                consumed.update(g.i for g in c.children if g.lemma_.lower() in best.objects)
        for tok in sent:
            if tok.pos_ in ("NOUN", "PROPN") and tok.i not in consumed:
                pats = self.kb.noun_patterns.get(tok.lemma_.lower())
                if pats:
                    found.append(Candidate(tok.i, max(pats, key=lambda p: p.specificity), nominal=True))
        # a verb complementing another event verb belongs to it ("threatened to attack")
        tokens = {c.token for c in found}
        doc = sent.doc
        kept = []
        for c in found:
            t = doc[c.token]
            if c.token in consumed and not c.nominal:
                continue
            if t.dep_ in ("xcomp",) and t.head.i in tokens and not c.nominal:
                continue
            if c.nominal and t.head.i in tokens and t.dep_ in OBJECT_DEPS:
                continue  # "rejected demands": the verb event covers its nominal object
            kept.append(c)
        return kept

    # ------------------------------------------------------------------ roles
    def _subject_of(self, tok: Token) -> tuple[Token | None, bool]:
        """The subject token of a verb and whether the clause is passive."""
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None and subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
            return tok.head, passive
        if subj is None:
            if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head is not tok:
                head_subj, _ = self._subject_of(tok.head)
                return head_subj, passive
            if tok.dep_ in ("relcl", "acl") and not passive:
                return tok.head, passive
        return subj, passive

    def _actors(self, tokens: Iterable[Token], ctx: ArticleContext) -> list[Actor]:
        out: list[Actor] = []
        for t in tokens:
            for a in self.actors.code_with_conjuncts(t, ctx):
                if all((a.start, a.end) != (b.start, b.end) for b in out):
                    out.append(a)
        return out

    def _target_tokens(self, tok: Token, preps: tuple[str, ...]) -> list[Token]:
        """Objects of the verb (or of its object noun) and of the target prepositions."""
        out: list[Token] = []
        heads = [tok] + [c for c in tok.children if c.dep_ in OBJECT_DEPS]
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    out.extend(g for g in c.children if g.dep_ == "pobj")
        return out

    def _object_actors(self, tok: Token, ctx: ArticleContext) -> list[Actor]:
        """Direct objects that are actors, or the country owning a non-actor object ("Russian demands")."""
        out: list[Actor] = []
        for o in (c for c in tok.children if c.dep_ in OBJECT_DEPS):
            acts = self._actors([o], ctx)
            if not acts:
                owners = [c for c in o.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
                acts = self._actors(owners, ctx)
            out.extend(acts)
        return out

    def roles(self, cand: Candidate, doc: Doc, ctx: ArticleContext) -> tuple[list[Actor], list[Actor]]:
        tok = doc[cand.token]
        pat = cand.pattern
        if cand.nominal:
            owners = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
            source = self._actors(owners, ctx)
            if not source:
                source = self._actors(self._target_tokens(tok, pat.source_preps or NOUN_SOURCE_PREPS), ctx)
            target = self._actors(self._target_tokens(tok, pat.target_preps or DEFAULT_TARGET_PREPS), ctx)
            if not source and tok.dep_ in OBJECT_DEPS and tok.head.pos_ in ("VERB", "AUX"):
                subj, _ = self._subject_of(tok.head)  # "Russia made demands on NATO"
                source = self._actors([subj], ctx) if subj is not None else []
            return source, [a for a in target if a not in source]
        subj, passive = self._subject_of(tok)
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if passive and pat.passive_ok:
            source = self._actors(agent, ctx)
            target = self._actors([subj], ctx) if subj is not None else []
        else:
            source = self._actors([subj], ctx) if subj is not None else []
            if tok.dep_ == "relcl" and subj is not None and subj.i != tok.head.i:
                target = self._actors([tok.head], ctx)  # "the assurances Russia has demanded"
            else:
                target = self._object_actors(tok, ctx)
        preps = pat.target_preps or DEFAULT_TARGET_PREPS
        if not target or pat.target_preps:
            target = target + [a for a in self._actors(self._target_tokens(tok, preps), ctx) if a not in target]
        if not source and len(target) > 1 and not passive:
            source = target[:1]
            target = target[1:]
        if len(source) > 1 and not target and pat.code.startswith("04"):
            target = source[1:]  # "A and B met": a meeting between them
            source = source[:1]
        return source, [a for a in target if (a.start, a.end) not in {(s.start, s.end) for s in source}]

    # ------------------------------------------------------------------ modality
    @staticmethod
    def modality(tok: Token) -> tuple[bool, bool, bool]:
        """(negated, future, hypothetical) for the event word ``tok``."""
        negated = any(c.dep_ == "neg" or c.lower_ in ("never",) for c in tok.children)
        if tok.pos_ in ("NOUN", "PROPN"):
            negated = negated or any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        future = bool(auxes & FUTURE_AUX)
        hypothetical = bool(auxes & HYPOTHETICAL_AUX)
        head = tok
        for _ in range(6):  # climb the clause chain
            if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in head.children):
                hypothetical = True
            if head.dep_ == "xcomp" and head.head.lemma_.lower() in INTENT_VERBS:
                future = True
            if head.dep_ == "xcomp" and any(c.dep_ == "neg" for c in head.head.children):
                negated = True
            if head.dep_ == "xcomp" and {c.lower_ for c in head.head.children if c.dep_ == "aux"} & FUTURE_AUX:
                future = True
            if head.head is head or head.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "relcl", "acl"):
                break
            if head.dep_ == "ccomp":  # a reported clause keeps its own modality
                break
            head = head.head
        if any(c.dep_ == "xcomp" and c.lemma_ == "go" for c in tok.children):
            future = True
        return negated, future, hypothetical

    # ------------------------------------------------------------------ events
    def code(self, doc: Doc, ctx: ArticleContext) -> list[Event]:
        events: list[Event] = []
        for s_index, sent in enumerate(doc.sents):
            for cand in self.candidates(sent):
                source, target = self.roles(cand, doc, ctx)
                if not source and not target:
                    continue
                tok = doc[cand.token]
                entry = self.kb.code(cand.pattern.code)
                negated, future, hypothetical = self.modality(tok)
                conf = CONF_BASE + CONF_SOURCE * bool(source) + CONF_TARGET * bool(target)
                conf += CONF_SPECIFIC * (cand.pattern.specificity > 0)
                conf += CONF_VERB if not cand.nominal else -CONF_NOUN_PENALTY
                trig_end = tok.idx + len(tok.text)
                trig_start = tok.idx
                if cand.pattern.prep:
                    for c in tok.children:
                        if c.lower_ == cand.pattern.prep and c.dep_ in ("prt", "prep"):
                            trig_end = max(trig_end, c.idx + len(c.text))
                events.append(
                    Event(
                        span=(sent.start_char, sent.end_char),
                        sentence=s_index,
                        trigger=Trigger(doc.text[trig_start:trig_end], trig_start, trig_end),
                        source=tuple(source),
                        target=tuple(target),
                        cameo=cand.pattern.code,
                        goldstein=entry.goldstein,
                        quad_class=entry.quad_class,
                        plover=entry.plover,
                        mode=entry.plover_mode,
                        context=(entry.plover_context,) if entry.plover_context else (),
                        negated=negated,
                        hypothetical=hypothetical,
                        future=future,
                        confidence=round(min(1.0, max(0.05, conf)), 3),
                    )
                )
        return events
