"""PETRARCH-format dictionaries: convert them into newsevents knowledge files, and score the PETRARCH2 unit tests.

PETRARCH (and TABARI) keep their knowledge in plain-text actor, agent, verb and discard dictionaries;
the syntax read here is summarised in ``docs/petrarch.md``.

``convert(dict_dir, out_dir)`` writes the actor, agent and verb knowledge in this project's format
(``docs/knowledge-actors.md``, ``docs/knowledge-verbs.md``) so that ``load_knowledge((out_dir,))``
reads it:

- a 3-character code (``ARN``) becomes a ``countries.yaml`` entry with ``iso3`` = ``cameo`` = the code;
  every name carrying that code is one of its ``names`` (PETRARCH does not tell names from adjectives);
- a code beginning ``IGO`` becomes an ``igos.yaml`` entry; ``NGO``/``NGM`` an NGO and ``IMG`` a group in
  ``groups.yaml``; a country code followed by one agent code (``USAGOV``, ``ISRMIL``), when the country is
  in the same dictionary, a **seat** of that country; any other longer code (``PSEREBHMS``) a group
  keeping the code exactly;
- a name with dated codes becomes a ``people.yaml`` entry whose roles are the dated codes, in file
  order (the first that holds on the article's date wins, as in PETRARCH), then the undated default;
- names are written Title Case (small words lower-case) and UPPER CASE, and without a leading "The";
- agents go to ``agents.yaml`` grouped by code (``~GOVFRM`` -> sector ``GOVFRM``, so "Arnor's foreign
  minister" is coded ``ARNGOVFRM``); prefix agents (``NGO~``) are dropped: the coder only appends;
- a verb with its block's code becomes a bare pattern; a pattern becomes ``prep``/``object``/``xcomp``
  when it is the verb followed by at most a particle or preposition and a noun phrase (its head word is
  the object; a synset gives one object per member) or by ``to`` + a known verb.  Everything else is
  dropped and counted by reason: words before the verb, ``^`` skips, sources after the verb, longer
  phrases, codes that are not in the CAMEO table (the test dictionary uses private codes such as
  ``903`` or ``174K``), null codes ``[---]``; reciprocal codes keep their first half.

Discards have no equivalent here: they are counted, not converted.

``score_petrarch(gold_dir)`` converts the dictionaries of the PETRARCH2 unit-test folder into a
temporary directory, runs every record through ``pipeline.process`` with that knowledge and the
record's date, and scores exact (source, target, code) triples against the expected ones.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsevents.errors import EvalError, KnowledgeError
from newsevents.pipeline import Options, process
from newsevents.records import Actor, Article, Event

#: Two-digit years (TABARI's ``yymmdd`` dates) at or above this are 19xx, below it 20xx.  TABARI
#: dictionaries were started in the late 1980s, so no six-digit date means a year before 1930.
TWO_DIGIT_YEAR_PIVOT = 30

#: Words written lower case inside a Title Case name ("Prince of Dol Amroth", "Radagast the Brown").
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "de", "du", "la", "le", "von", "van",
                         "al", "bin", "a", "an"})

#: Particles and prepositions that may follow a verb in a convertible pattern ("call for", "back down").
PARTICLES = frozenset({"about", "across", "after", "against", "along", "around", "at", "away", "back", "before",
                       "behind", "between", "by", "down", "for", "from", "in", "into", "of", "off", "on", "onto",
                       "out", "over", "through", "to", "toward", "towards", "under", "up", "upon", "with",
                       "without"})

#: Determiners and possessives dropped from an object phrase ("pay the upkeep" -> object "upkeep").
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those"})

#: Words after a verb that are adverbs, not objects ("respond angrily", "withdraw now"): such a pattern
#: has nothing our lemma patterns can require, so it is dropped.
ADVERBS = frozenset({"now", "again", "today", "soon", "also", "still", "already", "never", "not"})

#: Auxiliaries, modals and negations: after the verb they start a clause, not an object ("confirmed
#: it would visit"), which our lemma patterns cannot require.
AUXILIARIES = frozenset({"would", "will", "should", "shall", "may", "might", "must", "can", "could", "was", "were",
                         "is", "are", "be", "been", "being", "has", "have", "had", "did", "does", "do", "not", "no",
                         "n't"})

#: A word ending in "-ly" longer than this is taken for an adverb ("angrily", "heavily"); shorter ones
#: are often nouns or verbs ("rally", "supply", "Italy").
ADVERB_MIN_CHARS = 6

#: Longest object phrase (modifiers + head) converted: longer ones are rarely a plain noun phrase in
#: this dictionary format (they carry clauses), chosen by reading the PETRARCH validation verbs.
MAX_OBJECT_WORDS = 3

#: CAMEO agent codes (3 letters) that make a country-prefixed actor code a seat of that country
#: ("USAGOV" -> a GOV seat of USA), besides the codes of the agent dictionary being converted.
CAMEO_AGENT_CODES = frozenset({"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "LEG", "MED", "HLH", "EDU",
                               "BUS", "CRM", "CVL", "REF", "LAB", "AGR", "ELI", "RAD", "MOD", "UAF", "ENV", "HRI",
                               "DEV", "INS", "SEP", "REL", "MNC", "SET", "IGO", "NGO", "IMG"})

#: The code PETRARCH writes for an actor it recognises but cannot code, and which this module writes
#: for a missing source or target when scoring.
NULL_ACTOR = "---"

OUTPUT_FILES = ("countries.yaml", "igos.yaml", "groups.yaml", "people.yaml", "agents.yaml", "verbs.yaml")

_CODE_RE = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*|---|\+\+\+|###)(?:/(?:[A-Za-z][A-Za-z0-9]*|---))*")
_ACTOR_CODE_RE = re.compile(rf"^\s*(?P<code>{_CODE_RE.pattern})\s*(?:(?P<op>[<>])\s*(?P<d>\d{{6}}|\d{{8}})"
                            r"|(?P<d1>\d{6}|\d{8})\s*-\s*(?P<d2>\d{6}|\d{8}))?\s*$")
_NAME_WORD_RE = re.compile(r"^[\w.'&\-]+$")
_VERB_CODE_RE = re.compile(r"^\s*(?P<code>[^\s:\[\]]+)\s*(?::\s*(?P<recip>[^\s:\[\]]+))?\s*$")
_HEADER_RE = re.compile(r"^---\s*(?P<verb>[^\[\]]+?)\s*(?P<codes>(?:\[[^\[\]]*\]\s*)*)(?:---)?\s*$")
_SUBST_RE = re.compile(r"!([A-Za-z0-9_]+)!")


# ------------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class _Line:
    path: Path
    no: int
    text: str

    def error(self, message: str) -> KnowledgeError:
        return KnowledgeError(f"{self.path}:{self.no}: {message}: {self.text.strip()!r}")


def _strip_hash(text: str) -> str:
    """The line without its ``#`` comment (a ``#`` inside brackets, as in ``[###]``, is kept)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "#" and depth == 0:
            return text[:i]
    return text


def _lines(path: Path) -> Iterator[_Line]:
    """Non-blank lines of a dictionary without ``<!-- -->`` (possibly multi-line) and ``#`` comments."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise KnowledgeError(f"cannot read PETRARCH dictionary {path}: {exc}") from exc
    in_comment, opened = False, 0
    for no, raw in enumerate(text.splitlines(), 1):
        rest, kept = raw, ""
        while rest:
            if in_comment:
                end = rest.find("-->")
                if end < 0:
                    rest = ""
                    break
                rest, in_comment = rest[end + 3 :], False
            else:
                start = rest.find("<!")
                if start < 0:
                    kept += rest
                    break
                kept, rest, in_comment, opened = kept + rest[:start], rest[start + 2 :], True, no
        kept = _strip_hash(kept).rstrip()
        if kept.strip():
            yield _Line(path, no, kept)
    if in_comment:
        raise KnowledgeError(f"{path}:{opened}: comment '<!--' is never closed")


def _split_brackets(line: _Line, text: str) -> tuple[str, list[str]]:
    """``NAME [A] [B]`` -> ("NAME", ["A", "B"]); only brackets may follow the first one."""
    if text.count("[") != text.count("]"):
        raise line.error("unbalanced brackets")
    first = text.find("[")
    if first < 0:
        return text.strip(), []
    codes = re.findall(r"\[([^\[\]]*)\]", text[first:])
    if re.sub(r"\[[^\[\]]*\]", "", text[first:]).strip():
        raise line.error("unexpected text after a code")
    return text[:first].strip(), codes


def _date(value: str, line: _Line) -> date:
    try:
        if len(value) == 6:
            yy = int(value[:2])
            year = 1900 + yy if yy >= TWO_DIGIT_YEAR_PIVOT else 2000 + yy
            return date(year, int(value[2:4]), int(value[4:6]))
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError as exc:
        raise line.error(f"bad date {value!r}") from exc


def _words(text: str, line: _Line) -> list[str]:
    """Name words: spaces and ``_`` separate them; a trailing ``_`` (exact-word marker) is dropped."""
    words = [w for w in re.split(r"[\s_]+", text.strip()) if w]
    for w in words:
        if not _NAME_WORD_RE.match(w):
            raise line.error(f"unexpected character in name word {w!r}")
    return words


# ------------------------------------------------------------------------------------------ actors


@dataclass(frozen=True)
class _Code:
    code: str
    start: date | None = None  # inclusive
    end: date | None = None  # exclusive, as our Role.held_on reads it


@dataclass
class _ActorDef:
    names: list[list[str]]
    codes: list[_Code]
    line: _Line


def _actor_code(text: str, line: _Line) -> _Code:
    m = _ACTOR_CODE_RE.match(text)
    if not m:
        raise line.error(f"bad code block [{text}]")
    code = m["code"].upper()
    if m["op"] == "<":
        return _Code(code, None, _date(m["d"], line))
    if m["op"] == ">":
        return _Code(code, _date(m["d"], line) + timedelta(days=1), None)
    if m["d1"]:
        start, last = _date(m["d1"], line), _date(m["d2"], line)
        if last < start:
            raise line.error("date range ends before it starts")
        return _Code(code, start, last + timedelta(days=1))
    return _Code(code)


def read_actors(path: Path) -> list[_ActorDef]:
    """The entries of a PETRARCH actor dictionary (names with their codes), validated."""
    out: list[_ActorDef] = []
    current: _ActorDef | None = None
    for line in _lines(path):
        text = line.text.strip()
        if text.startswith("+"):
            if current is None:
                raise line.error("synonym line before any actor name")
            name, codes = _split_brackets(line, text[1:])
            if not name:
                raise line.error("empty synonym")
            current.names.append(_words(name, line))
            current.codes.extend(_actor_code(c, line) for c in codes)
        elif text.startswith("["):
            if current is None:
                raise line.error("code line before any actor name")
            _, codes = _split_brackets(line, text)
            current.codes.extend(_actor_code(c, line) for c in codes)
        else:
            name, codes = _split_brackets(line, text)
            if not name:
                raise line.error("actor line without a name")
            current = _ActorDef([_words(name, line)], [_actor_code(c, line) for c in codes], line)
            out.append(current)
    return out


def _title_word(word: str, first: bool) -> str:
    low = word.lower()
    if "." in word or any(ch.isdigit() for ch in word):
        return word
    if low in SMALL_WORDS and not first:
        return low
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def surface_forms(words: list[str]) -> list[str]:
    """How a PETRARCH name is written in text: Title Case, UPPER CASE, and both without a leading THE."""
    forms = [" ".join(_title_word(w, i == 0) for i, w in enumerate(words)), " ".join(w.upper() for w in words)]
    if len(words) > 1 and words[0].upper() == "THE":
        forms += surface_forms(words[1:])
    return list(dict.fromkeys(forms))


def _role(code: str) -> dict[str, Any]:
    """A people.yaml role for a PETRARCH code (null code -> a role without country: no code)."""
    if code == NULL_ACTOR:
        return {"title": "PETRARCH null code"}
    if code.startswith("IGO"):
        return {"igo": code, "title": f"PETRARCH code {code}"}
    role: dict[str, Any] = {"country": code[:3], "title": f"PETRARCH code {code}"}
    if len(code) > 3:
        role["sector"] = code[3:]
    return role


@dataclass
class _ActorOut:
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    igos: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    seats: int = 0
    names: int = 0


def convert_actors(defs: list[_ActorDef], agent_codes: Iterable[str] = ()) -> _ActorOut:
    """Sort actor definitions into our countries/IGOs/groups/people (see the module docstring)."""
    out = _ActorOut()
    sectors = CAMEO_AGENT_CODES | {c[:3] for c in agent_codes}
    country_codes = {d.codes[0].code for d in defs
                     if len(d.codes) == 1 and d.codes[0].start is None and d.codes[0].end is None
                     and len(d.codes[0].code) == 3 and d.codes[0].code.isalnum()}
    seen_names: dict[str, str] = {}
    for d in defs:
        forms = [f for words in d.names for f in surface_forms(words)]
        if not d.codes:
            out.dropped["actor without a code"] += 1
            continue
        if any("/" in c.code for c in d.codes):
            out.dropped["several actors in one code (A/B)"] += 1
            continue
        for f in forms:
            if f in seen_names and seen_names[f] != d.codes[0].code:
                out.dropped["name given again with another code (the later wins)"] += 1
            seen_names[f] = d.codes[0].code
        out.names += len(forms)
        dated = [c for c in d.codes if c.start or c.end]
        if dated or len(d.codes) > 1:
            default = [c for c in d.codes if not (c.start or c.end)]
            roles = [{**_role(c.code), "start": c.start, "end": c.end} for c in dated]
            roles += [_role(c.code) for c in default[:1]]
            if not default:  # outside its dates the name is known but has no code
                roles.append({"title": "PETRARCH: no code outside the dated ones"})
            out.people.append({"name": forms[0], "aliases": forms, "roles": roles})
            continue
        code = d.codes[0].code
        if code == NULL_ACTOR or not code.isalnum():
            out.groups.append({"code": code, "name": forms[0], "names": forms, "kind": "other"})
        elif len(code) == 3:
            entry = out.countries.setdefault(code, {"iso3": code, "cameo": code, "name": forms[0], "names": []})
            entry["names"].extend(f for f in forms if f not in entry["names"])
        elif code.startswith("IGO"):
            out.igos.append({"code": code, "name": forms[0], "names": forms, "kind": "igo"})
        elif code.startswith(("NGO", "NGM")):
            out.groups.append({"code": code, "name": forms[0], "names": forms, "kind": "ngo"})
        elif code.startswith("IMG"):
            out.groups.append({"code": code, "name": forms[0], "names": forms, "kind": "group"})
        elif code[:3] in country_codes and len(code) == 6 and code[3:] in sectors:
            seats = out.countries.setdefault(code[:3], {"iso3": code[:3], "cameo": code[:3], "name": code[:3],
                                                        "names": []}).setdefault("seats", [])
            seats.extend({"name": f, "sector": code[3:]} for f in forms)
            out.seats += len(forms)
        else:
            out.groups.append({"code": code, "name": forms[0], "names": forms, "kind": "group",
                               "country": code[:3]})
    for entry in out.countries.values():
        if entry["name"] not in entry["names"]:  # a country first met as the prefix of a seat
            entry["name"] = entry["names"][0] if entry["names"] else entry["name"]
            if entry["name"] not in entry["names"]:
                entry["names"].append(entry["name"])
    return out


# ------------------------------------------------------------------------------------------ agents


def _plural(word: str) -> str:
    low = word.lower()
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def read_agents(path: Path) -> tuple[dict[str, list[str]], Counter[str], int]:
    """Agent words by sector code from a PETRARCH agent dictionary; (sectors, dropped, entries)."""
    subs: dict[str, list[str]] = {}
    sectors: dict[str, list[str]] = {}
    dropped: Counter[str] = Counter()
    entries = 0
    for line in _lines(path):
        text = line.text.strip()
        m = re.match(r"^!([A-Za-z0-9_]+)!\s*=\s*(.+)$", text)
        if m:
            subs[m[1].upper()] = [w.strip() for w in m[2].split(",") if w.strip()]
            continue
        entries += 1
        plurals: list[str] | None = None
        if "{" in text or "}" in text:
            bm = re.search(r"\{([^{}]*)\}", text)
            if bm is None or text.count("{") != 1 or text.count("}") != 1:
                raise line.error("unbalanced braces")
            plurals = bm[1].split()
            text = text[: bm.start()] + " " + text[bm.end() :]
        name, codes = _split_brackets(line, text)
        if len(codes) != 1 or not name:
            raise line.error("an agent line is NAME [~CODE] or NAME [CODE~]")
        code = codes[0].strip()
        if code.startswith("~") and re.fullmatch(r"~[A-Za-z0-9]+", code):
            sector = code[1:].upper()
        elif re.fullmatch(r"[A-Za-z0-9]+~", code):
            dropped["prefix agent code (CODE~): only suffixes are supported"] += 1
            continue
        else:
            raise line.error(f"bad agent code [{code}]")
        for marker in _SUBST_RE.findall(name):
            if marker.upper() not in subs:
                raise line.error(f"unknown substitution !{marker}!")
        names = [name]
        while any(_SUBST_RE.search(n) for n in names):
            n = next(n for n in names if _SUBST_RE.search(n))
            marker = _SUBST_RE.search(n)
            assert marker is not None
            names.remove(n)
            names += [n[: marker.start()] + v + n[marker.end() :] for v in subs[marker[1].upper()]]
        words = [" ".join(_words(n, line)).lower() for n in names]
        if plurals is None and name == names[0]:
            plurals = [" ".join([*w.split()[:-1], _plural(w.split()[-1])]) for w in words]
        words += [" ".join(_words(p.lstrip("+"), line)).lower() for p in plurals or []]
        bucket = sectors.setdefault(sector, [])
        bucket.extend(w for w in words if w not in bucket)
    return sectors, dropped, entries


# ------------------------------------------------------------------------------------------ verbs


@dataclass
class _VerbDef:
    words: list[str]  # with the verb marked by a leading "+" when it is not the first word
    code: str | None
    line: _Line


@dataclass
class _Block:
    verbs: list[_VerbDef]
    patterns: list[tuple[list[str], str, _Line]]
    line: _Line


def _pattern_tokens(text: str, line: _Line, inline: dict[str, list[list[str]]]) -> list[str]:
    """Pattern words: ``_`` and spaces split them; ``{A | B}`` becomes an inline synset ``&{n}``."""
    def alternatives(m: re.Match[str]) -> str:
        name = f"{{{len(inline)}}}"
        inline[name] = [[w for w in re.split(r"[\s_]+", alt.strip()) if w] for alt in m[1].split("|")]
        return f" &{name} "

    if text.count("{") != text.count("}"):
        raise line.error("unbalanced braces")
    text = re.sub(r"\{([^{}]*)\}", alternatives, text)
    tokens: list[str] = []
    for w in re.split(r"[\s_]+", text.strip()):
        if not w:
            continue
        if w.startswith("+") and len(w) > 1:  # "+RST": a marked word, as in "KLM_NOP_+RST"
            tokens += ["+", w[1:]]
        else:
            tokens.append(w)
    return tokens


def read_verbs(path: Path) -> tuple[dict[str, list[list[str]]], list[_Block]]:
    """Synsets and verb blocks of a PETRARCH verb dictionary, validated."""
    synsets: dict[str, list[list[str]]] = {}
    blocks: list[_Block] = []
    context: str | _Block | None = None  # a synset name or the current verb block
    for line in _lines(path):
        text = line.text.strip()
        if text.startswith("---"):
            m = _HEADER_RE.match(text)
            if not m:
                raise line.error("bad verb block header")
            codes = re.findall(r"\[([^\[\]]*)\]", m["codes"])
            if not codes:
                raise line.error("verb block header without a code")
            head = _VerbDef([w for w in re.split(r"[\s_]+", m["verb"].strip()) if w], codes[0].strip(), line)
            context = _Block([], [], line)
            context.verbs.append(head)
            blocks.append(context)
        elif text.startswith("&"):
            name = text.split()[0][1:].rstrip("_").upper()
            if not name or not re.fullmatch(r"[A-Z0-9_]+", name):
                raise line.error("bad synset name")
            synsets[name] = []
            context = name
        elif text.startswith("-"):
            if not isinstance(context, _Block):
                raise line.error("pattern outside a verb block")
            body, codes = _split_brackets(line, text[1:])
            if len(codes) != 1 or not codes[0].strip():
                raise line.error("a pattern needs exactly one [CODE]")
            tokens = _pattern_tokens(body, line, synsets)
            if "*" not in tokens:
                raise line.error("a pattern needs a '*' for the verb")
            context.patterns.append((tokens, codes[0].strip(), line))
        elif isinstance(context, str) and text.startswith("+"):
            synsets[context].append([w for w in re.split(r"[\s_]+", text[1:].strip()) if w])
        elif isinstance(context, _Block):
            body = re.sub(r"\{[^{}]*\}", " ", text)
            if "{" in body or "}" in body:
                raise line.error("unbalanced braces")
            verb, codes = _split_brackets(line, body)
            if not verb:
                raise line.error("verb line without a verb")
            words = [w for w in re.split(r"[\s_]+", verb.strip()) if w]
            if words[0].startswith("+"):
                words[0] = words[0][1:]
            context.verbs.append(_VerbDef(words, codes[0].strip() if codes else None, line))
        else:
            raise line.error("line outside a verb block or synset")
    for block in blocks:
        for tokens, _, line in block.patterns:
            for t in tokens:
                if t.startswith("&") and t[1:].upper() not in synsets:
                    raise line.error(f"unknown synset {t}")
    return synsets, blocks


class _Lemmas:
    """Lemmas of single words by part of speech, from the project's spaCy model (cached per call)."""

    def __init__(self) -> None:
        from spacy.tokens import Doc

        from newsevents.nlp import load_model

        nlp = load_model()
        self._vocab = nlp.vocab
        self._lemmatizer = nlp.get_pipe("lemmatizer")
        self._doc = Doc
        self._cache: dict[tuple[str, str], str] = {}
        try:  # known base forms: "express" is a verb, not "expres" + s
            index = self._lemmatizer.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
            self._base = {"VERB": frozenset(index["verb"])}
        except (AttributeError, KeyError):
            self._base = {}

    def __call__(self, word: str, pos: str) -> str:
        key = (word.lower(), pos)
        if pos == "VERB" and key[0] in self._base.get(pos, ()):
            return key[0]  # nouns are not short-cut: "relations" is listed, but spaCy lemmatises it "relation"
        if key not in self._cache:
            doc = self._doc(self._vocab, words=[key[0]])
            doc[0].pos_ = pos
            self._lemmatizer(doc)
            self._cache[key] = (doc[0].lemma_ or key[0]).lower()
        return self._cache[key]


def _synset_heads(name: str, synsets: dict[str, list[list[str]]], depth: int = 0) -> list[str]:
    """The head (last) words of a synset's noun-phrase members, embedded synsets expanded.

    Members holding a particle ("TO THE END") are phrases, not noun phrases: they are left out.
    """
    out: list[str] = []
    for member in synsets.get(name.upper(), []):
        if not member or (len(member) > 1 and any(w.lower() in PARTICLES for w in member)):
            continue
        last = member[-1]
        if last.startswith("&") and depth < len(synsets):
            out += _synset_heads(last[1:], synsets, depth + 1)
        elif not last.startswith("&"):
            out.append(last)
    return out


@dataclass(frozen=True)
class _Mapped:
    prep: str | None
    objects: tuple[str, ...]
    xcomp: tuple[str, ...]
    target_preps: tuple[str, ...]


def map_pattern(pre: list[str], post: list[str], synsets: dict[str, list[list[str]]],
                lemma: Callable[[str, str], str], known_verbs: frozenset[str]) -> list[_Mapped] | str:
    """Our patterns for PETRARCH words before and after the verb, or the reason they cannot be written."""
    if "^" in pre or "^" in post:
        return "skipped phrase (^)"
    if "+" in pre:
        return "target before the verb"
    if [w for w in pre if w not in ("$", "%")]:
        return "words before the verb"
    if "$" in post:
        return "source after the verb"
    words = list(post)
    if words and words[0] in ("+", "%"):
        words = words[1:]  # "* + IN DETENTION": the direct object is the target, as in our default
    target_preps: tuple[str, ...] = ()
    if len(words) >= 2 and words[-1] in ("+", "%") and words[-2].lower() in PARTICLES:
        target_preps = (words[-2].lower(),)
        words = words[:-1]  # "* WITH %": the object of "with" is the target
    if "+" in words or "%" in words:
        return "target inside the phrase"
    low = [w.lower() for w in words if w.lower() not in DETERMINERS]
    if any(w in ADVERBS or (w.endswith("ly") and len(w) > ADVERB_MIN_CHARS) for w in low):
        return "adverb after the verb"
    if any(w in AUXILIARIES for w in low):
        return "auxiliary or negation after the verb"

    def heads(word: str) -> tuple[str, ...]:
        raw = _synset_heads(word[1:], synsets) if word.startswith("&") else [word]
        found: list[str] = []
        for w in raw:
            for form in (lemma(w, "NOUN"), w.lower()):
                if form not in found:
                    found.append(form)
        return tuple(found)

    if not low:
        return [_Mapped(None, (), (), target_preps)]
    if len(low) == 2 and low[0] == "to" and not low[1].startswith("&") and lemma(low[1], "VERB") in known_verbs:
        return [_Mapped(None, (), (lemma(low[1], "VERB"),), target_preps)]
    preps: list[str | None] = [None]
    if low[0] in PARTICLES:
        preps = [low[0]]
    elif low[0].startswith("&"):  # a synset of prepositions ("* &PREPOSIT1 RESOLUTION"): one pattern each
        members = [w.lower() for w in _synset_heads(low[0][1:], synsets)]
        if members and all(m in PARTICLES for m in members):
            preps = list(dict.fromkeys(members))
    phrase = low[1:] if preps != [None] else low
    if any(w in PARTICLES for w in phrase):
        return "longer phrase than verb + particle + object"
    if len(phrase) > MAX_OBJECT_WORDS:
        return "object phrase too long"
    found = heads(phrase[-1]) if phrase else ()
    if phrase and not found:
        return "synset of phrases, not nouns"
    return [_Mapped(p, found, (), target_preps) for p in preps]


@dataclass
class _VerbOut:
    patterns: list[dict[str, Any]] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    verbs: int = 0
    pattern_pairs: int = 0  # (verb, pattern) pairs: a block's patterns apply to each of its verbs
    pattern_lines: int = 0


def _cameo_codes() -> frozenset[str]:
    path = Path(str(resources.files("newsevents") / "data" / "cameo.csv"))
    with path.open(encoding="utf-8", newline="") as fh:
        return frozenset(row["code"].strip() for row in csv.DictReader(fh))


def _package_verbs() -> frozenset[str]:
    path = Path(str(resources.files("newsevents") / "data" / "verbs.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return frozenset(str(e["verb"]).lower() for e in data if isinstance(e, dict) and e.get("verb"))


def _code(raw: str, line: _Line, cameo: frozenset[str], dropped: Counter[str]) -> str | None:
    """The CAMEO code of a PETRARCH code block, or None (counted in ``dropped``) when it has none."""
    m = _VERB_CODE_RE.match(raw)
    if not m:
        raise line.error(f"bad code [{raw}]")
    if m["recip"]:
        dropped["reciprocal code (X:Y): second half dropped"] += 1
    code = m["code"]
    if code == NULL_ACTOR:
        dropped["null code [---]"] += 1
        return None
    if code not in cameo:
        dropped["code not in the CAMEO table"] += 1
        return None
    return code


def convert_verbs(synsets: dict[str, list[list[str]]], blocks: list[_Block], lemma: Callable[[str, str], str],
                  cameo: frozenset[str] | None = None, known_verbs: frozenset[str] | None = None) -> _VerbOut:
    """Our verb patterns for PETRARCH verb blocks (see the module docstring); drops counted by reason."""
    cameo = cameo if cameo is not None else _cameo_codes()
    out = _VerbOut()
    block_verbs: list[tuple[_Block, str, list[str], _VerbDef]] = []
    for block in blocks:
        for v in block.verbs[1:] if len(block.verbs) > 1 else block.verbs:
            marked = [i for i, w in enumerate(v.words) if w == "+" or w.startswith("+")]
            words = [w.lstrip("+") for w in v.words if w != "+"]
            at = marked[0] if marked else 0
            if at > 0:
                out.dropped["multi-word verb with words before the verb"] += 1 + len(block.patterns)
                continue
            block_verbs.append((block, lemma(words[0], "VERB"), [w.upper() for w in words[1:]], v))
    verbs = (known_verbs if known_verbs is not None else _package_verbs()) | {b[1] for b in block_verbs}
    seen: dict[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], str] = {}

    def add(entry: dict[str, Any], key: tuple[str, str | None, tuple[str, ...], tuple[str, ...]]) -> None:
        if key in seen:
            out.dropped["same verb/particle/object given again (the first wins)"] += 1
            return
        seen[key] = entry["code"]
        out.patterns.append(entry)

    out.pattern_lines = sum(len(b.patterns) for b in blocks)
    for block, verb, post_words, v in block_verbs:
        out.verbs += 1
        header_code = block.verbs[0].code or ""
        raw_code = v.code or header_code
        code = _code(raw_code, v.line, cameo, out.dropped)
        if code is not None:
            mapped = map_pattern([], post_words, synsets, lemma, verbs)
            if isinstance(mapped, str):
                out.dropped[mapped] += 1
            for m in [] if isinstance(mapped, str) else mapped:
                add(_entry(code, verb, m, v.line, " ".join(v.words)), (verb, m.prep, m.objects, m.xcomp))
        for tokens, raw, line in block.patterns:
            out.pattern_pairs += 1
            code = _code(raw, line, cameo, out.dropped)
            if code is None:
                continue
            star = tokens.index("*")
            mapped = map_pattern(tokens[:star], post_words + tokens[star + 1 :], synsets, lemma, verbs)
            if isinstance(mapped, str):
                out.dropped[mapped] += 1
                continue
            for m in mapped:
                add(_entry(code, verb, m, line, " ".join(tokens)), (verb, m.prep, m.objects, m.xcomp))
    return out


def _entry(code: str, verb: str, mapped: _Mapped, line: _Line, source: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": code, "verb": verb}
    if mapped.prep:
        entry["prep"] = mapped.prep
    if mapped.objects:
        entry["object"] = list(mapped.objects)
    if mapped.xcomp:
        entry["xcomp"] = list(mapped.xcomp)
    if mapped.target_preps:
        entry["target_preps"] = list(mapped.target_preps)
    entry["note"] = f"PETRARCH {line.path.name}:{line.no}: {source}"
    return entry


# ------------------------------------------------------------------------------------------ convert


def _find(folder: Path, kind: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt"
                  and kind in p.name.lower())


def _count_discards(path: Path) -> int:
    return sum(1 for _ in _lines(path))


def _dump(path: Path, entries: list[dict[str, Any]], what: str) -> None:
    header = f"# {what}: written by newsevents.petrarch.convert from PETRARCH dictionaries; do not edit.\n"
    body = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=120) if entries else "[]\n"
    path.write_text(header + body, encoding="utf-8")


def convert(dict_dir: str | Path, out_dir: str | Path) -> dict[str, Any]:
    """Convert the PETRARCH dictionaries of ``dict_dir`` into knowledge files in ``out_dir``.

    Reads ``*actors*.txt``, ``*agents*.txt``, ``*verbs*.txt`` and ``*discards*.txt``; writes
    countries/igos/groups/people/agents/verbs ``.yaml``; returns what was converted and what was
    dropped, by reason.  Raises ``KnowledgeError`` (file and line) on a malformed line.
    """
    src, dst = Path(dict_dir), Path(out_dir)
    if not src.is_dir():
        raise KnowledgeError(f"PETRARCH dictionary folder not found: {src}")
    actor_files, agent_files = _find(src, "actors"), _find(src, "agents")
    verb_files, discard_files = _find(src, "verbs"), _find(src, "discards")
    if not (actor_files or agent_files or verb_files):
        raise KnowledgeError(f"{src}: no PETRARCH dictionary (*actors*.txt, *agents*.txt, *verbs*.txt)")
    sectors: dict[str, list[str]] = {}
    agent_dropped: Counter[str] = Counter()
    agent_entries = 0
    for path in agent_files:
        found, dropped, n = read_agents(path)
        agent_entries += n
        agent_dropped.update(dropped)
        for sector, words in found.items():
            bucket = sectors.setdefault(sector, [])
            bucket.extend(w for w in words if w not in bucket)
    defs = [d for path in actor_files for d in read_actors(path)]
    actors = convert_actors(defs, sectors)
    verbs = _VerbOut()
    if verb_files:
        synsets: dict[str, list[list[str]]] = {}
        blocks: list[_Block] = []
        for path in verb_files:
            s, b = read_verbs(path)
            synsets.update(s)
            blocks += b
        verbs = convert_verbs(synsets, blocks, _Lemmas())
    discards = sum(_count_discards(p) for p in discard_files)
    dst.mkdir(parents=True, exist_ok=True)
    _dump(dst / "countries.yaml", list(actors.countries.values()), "countries")
    _dump(dst / "igos.yaml", actors.igos, "IGOs")
    _dump(dst / "groups.yaml", actors.groups, "groups and NGOs")
    _dump(dst / "people.yaml", actors.people, "actors with dated codes")
    _dump(dst / "agents.yaml", [{"sector": s, "words": w} for s, w in sectors.items()], "agents")
    _dump(dst / "verbs.yaml", verbs.patterns, "verb patterns")
    return {
        "files": [p.name for p in actor_files + agent_files + verb_files + discard_files],
        "actors": {"entries": len(defs), "names": actors.names, "countries": len(actors.countries),
                   "seats": actors.seats, "igos": len(actors.igos), "groups": len(actors.groups),
                   "people": len(actors.people), "dropped": dict(actors.dropped)},
        "agents": {"entries": agent_entries, "sectors": len(sectors), "words": sum(len(w) for w in sectors.values()),
                   "dropped": dict(agent_dropped)},
        "verbs": {"verbs": verbs.verbs, "pattern_lines": verbs.pattern_lines, "pattern_pairs": verbs.pattern_pairs,
                  "written": len(verbs.patterns),
                  "dropped": dict(verbs.dropped)},
        "discards": {"entries": discards, "dropped": discards},
    }


# ------------------------------------------------------------------------------------------ scoring

Triple = tuple[str, str, str]


def actor_code(actor: Actor) -> str:
    """Our actor's code as PETRARCH writes it: an agent without a country is ``---`` + agent."""
    if not actor.code:
        return NULL_ACTOR
    if actor.country is None and actor.kind == "other":  # a bare agent ("officials"): its code is the sector
        return NULL_ACTOR + actor.code
    return actor.code


def event_triples(events: Iterable[Event]) -> set[Triple]:
    """(source, target, code) for every non-negated event, compound actors multiplied out."""
    out: set[Triple] = set()
    for e in events:
        if e.negated:
            continue
        for s in [actor_code(a) for a in e.source] or [NULL_ACTOR]:
            for t in [actor_code(a) for a in e.target] or [NULL_ACTOR]:
                out.add((s, t, e.cameo))
    return out


def gold_triples(record: dict[str, Any]) -> set[Triple]:
    return {(str(e["sourcecode"]), str(e["targetcode"]), str(e["eventcode"]))
            for e in record.get("events") or [] if "eventcode" in e}


def _relaxed(triples: set[Triple]) -> set[Triple]:
    return {(s[:3], t[:3], c) for s, t, c in triples}


def _iso(value: Any) -> str | None:
    text = str(value or "")
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if re.fullmatch(r"\d{8}", text) else None


def read_records(gold_dir: str | Path) -> list[dict[str, Any]]:
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise EvalError(f"PETRARCH unit-test folder not found: {folder}")
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise EvalError(f"{folder}: no *.jsonl records file")
    records: list[dict[str, Any]] = []
    for path in files:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{no}: not JSON: {exc}") from exc
            if not isinstance(rec, dict) or "text" not in rec:
                raise EvalError(f"{path}:{no}: a record needs a 'text'")
            records.append(rec)
    return records


def compare_petrarch(gold_dir: str | Path, limit: int | None = None, progress: bool = False,
                     model: str | None = None) -> list[dict[str, Any]]:
    """Per record: id, category, text, gold and predicted triples (the material ``score_petrarch`` scores)."""
    records = read_records(gold_dir)[:limit]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="newsevents-petrarch-") as tmp:
        convert(gold_dir, tmp)
        for i, rec in enumerate(records):
            published = _iso(rec.get("date"))
            opts = Options(published=published, knowledge_dirs=(tmp,), model=model)
            result = process(Article(id=str(rec.get("id", i)), text=str(rec["text"]), published=published), opts)
            rows.append({"id": str(rec.get("id", i)), "category": str(rec.get("category") or "NONE"),
                         "text": rec["text"], "gold": gold_triples(rec), "predicted": event_triples(result.events),
                         "negated": sum(e.negated for e in result.events)})
            if progress and (i + 1) % 50 == 0:
                print(f"  {i + 1}/{len(records)}", file=sys.stderr)
    return rows


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Triple precision/recall/F1 (exact and on 3-letter codes), code recall, per category."""
    figures: dict[str, Any] = {"petrarch.records": len(rows)}
    cats = sorted({r["category"] for r in rows})
    for scope in ["all", *cats]:
        sel = [r for r in rows if scope == "all" or r["category"] == scope]
        tp = sum(len(r["gold"] & r["predicted"]) for r in sel)
        n_pred = sum(len(r["predicted"]) for r in sel)
        n_gold = sum(len(r["gold"]) for r in sel)
        rtp = sum(len(_relaxed(r["gold"]) & _relaxed(r["predicted"])) for r in sel)
        rpred = sum(len(_relaxed(r["predicted"])) for r in sel)
        rgold = sum(len(_relaxed(r["gold"])) for r in sel)
        # a gold triple whose code some predicted event has, whatever its actors
        codes_tp = sum(sum(c in {pc for *_, pc in r["predicted"]} for *_, c in r["gold"]) for r in sel)
        codes_n = n_gold
        exact = sum(r["gold"] == r["predicted"] for r in sel)
        p, rec, f = _prf(tp, n_pred, n_gold)
        rp, rr, rf = _prf(rtp, rpred, rgold)
        if scope == "all":
            empty = [r for r in sel if not r["gold"]]
            figures.update({
                "petrarch.gold_triples": n_gold, "petrarch.predicted_triples": n_pred,
                "petrarch.precision": p, "petrarch.recall": rec, "petrarch.f1": f,
                "petrarch.relaxed_precision": rp, "petrarch.relaxed_recall": rr, "petrarch.relaxed_f1": rf,
                "petrarch.code_recall": codes_tp / max(1, codes_n),
                "petrarch.records_exact": exact / max(1, len(sel)),
                "petrarch.no_event_records": len(empty),
                "petrarch.no_event_records_clean": sum(not r["predicted"] for r in empty) / max(1, len(empty)),
            })
        else:
            figures.update({
                f"petrarch.{scope}.records": len(sel), f"petrarch.{scope}.precision": p,
                f"petrarch.{scope}.recall": rec, f"petrarch.{scope}.f1": f,
                f"petrarch.{scope}.relaxed_recall": rr, f"petrarch.{scope}.code_recall": codes_tp / max(1, codes_n),
            })
    return figures


def score_petrarch(gold_dir: str | Path, limit: int | None = None, progress: bool = False,
                   options: Options | None = None) -> dict[str, Any]:
    """Score the PETRARCH2 unit tests in ``gold_dir`` (dictionaries + ``*.jsonl`` records).

    ``options`` only contributes its ``model``; the knowledge is always the converted dictionaries
    (in a fresh temporary folder) and the publication date each record's own date.
    """
    rows = compare_petrarch(gold_dir, limit=limit, progress=progress, model=options.model if options else None)
    if not rows:
        raise EvalError(f"{gold_dir}: no records")
    return score_rows(rows)
