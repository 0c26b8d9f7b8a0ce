"""Themes: what an article is about, from a documented taxonomy of trigger words.

The taxonomy lives in ``data/themes.yaml``: each theme has an ``UPPER_SNAKE`` id, a description,
a PLOVER 2021 context (one of the manual's general contexts, listed in the same file, or null)
and trigger words or phrases in base form.  ``find_themes(doc)`` returns one ``Theme`` record per
mention: the theme id as ``name``, the matched words (``text``, ``start``, ``end``, character
offsets into ``doc.text``) and the theme's ``plover_context``.

Matching is by lemma *or* lower-cased text, token by token: a trigger token matches a document
token when it equals the token's lower-cased lemma or its lower-cased text, so "sanction"
matches "sanctions" and "sanctioned", and "human rights" matches although spaCy lemmatises
"rights" to "right".  A trigger word written ``word/POS`` only matches tokens of that universal
part of speech ("march/NOUN" skips the month "March", a PROPN).  Trigger phrases are tokenised
with spaCy's rule-based English tokenizer (the same rules as the parsing model), so
"de-escalation" or "women's rights" are split the way the article is.  Typographic apostrophes
are read as straight ones.

A trigger is not matched right after a glued reversing prefix listed in the file's
``negating_prefixes`` ("escalation" in "de-escalation", "proliferation" in "non-proliferation"),
unless a longer trigger covers the whole word.

Within one theme, overlapping mentions keep the longest (then the leftmost); mentions of
different themes may overlap ("refugee camp" is REFUGEES_DISPLACEMENT, "humanitarian corridor"
may be two themes).  Results are sorted by start offset, then theme id.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from newsevents.errors import KnowledgeError
from newsevents.records import Theme

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Fewest themes a taxonomy file must define (the project's documented minimum).
MIN_THEMES = 50

#: Longest trigger phrase, in tokens: keeps matching linear and catches runaway entries.
MAX_TRIGGER_TOKENS = 8

_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_POS_RE = re.compile(r"^(.+)/([A-Z]+)$")

#: spaCy's universal part-of-speech tags (the values a ``word/POS`` trigger may name).
UNIVERSAL_POS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
                           "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"})

#: A trigger token: its lower-case form and an optional part of speech it must have.
PatternToken = tuple[str, str | None]


@dataclass(frozen=True)
class ThemeDef:
    """One theme of the taxonomy."""

    id: str
    description: str
    context: str | None
    triggers: tuple[str, ...]


@dataclass(frozen=True)
class ThemeSet:
    """A validated taxonomy and its trigger index (first token form -> patterns)."""

    themes: tuple[ThemeDef, ...]
    contexts: frozenset[str]
    index: dict[str, tuple[tuple[tuple[PatternToken, ...], int], ...]]
    negating_prefixes: frozenset[str] = frozenset()


def _norm(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """spaCy's rule-based English tokenizer (no model, no download)."""
    import spacy

    return spacy.blank("en").tokenizer


def _pattern(trigger: str, where: str) -> tuple[PatternToken, ...]:
    """Tokenise one trigger into pattern tokens, reading ``word/POS`` restrictions."""
    tokens: list[PatternToken] = []
    for word in trigger.split():
        pos: str | None = None
        m = _POS_RE.match(word)
        if m:
            word, pos = m.group(1), m.group(2)
            if pos not in UNIVERSAL_POS:
                raise KnowledgeError(f"{where}: unknown part of speech {pos!r} in trigger {trigger!r}")
        for tok in _tokenizer()(word):
            tokens.append((_norm(tok.text), pos))
    if not tokens or len(tokens) > MAX_TRIGGER_TOKENS:
        raise KnowledgeError(f"{where}: trigger {trigger!r} must have 1 to {MAX_TRIGGER_TOKENS} tokens")
    return tuple(tokens)


def parse_themes(data: Any, source: str = "themes.yaml") -> ThemeSet:
    """Validate the parsed YAML of a theme file and index its triggers; ``KnowledgeError`` if bad."""
    if not isinstance(data, dict):
        raise KnowledgeError(f"{source}: the top level must be a mapping")
    contexts = data.get("plover_contexts")
    if not isinstance(contexts, list) or not contexts or not all(isinstance(c, str) for c in contexts):
        raise KnowledgeError(f"{source}: 'plover_contexts' must be a non-empty list of names")
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list):
        raise KnowledgeError(f"{source}: 'themes' must be a list")
    known = frozenset(contexts)
    themes: list[ThemeDef] = []
    seen: set[str] = set()
    index: dict[str, list[tuple[tuple[PatternToken, ...], int]]] = {}
    for n, raw in enumerate(raw_themes):
        where = f"{source} theme #{n + 1}"
        if not isinstance(raw, dict):
            raise KnowledgeError(f"{where}: must be a mapping")
        theme_id = raw.get("id")
        if not isinstance(theme_id, str) or not _ID_RE.match(theme_id):
            raise KnowledgeError(f"{where}: id {theme_id!r} is not UPPER_SNAKE")
        where = f"{source} theme {theme_id}"
        if theme_id in seen:
            raise KnowledgeError(f"{where}: duplicate id")
        seen.add(theme_id)
        description = raw.get("description")
        if not isinstance(description, str) or not description.strip():
            raise KnowledgeError(f"{where}: a non-empty description is required")
        if "context" not in raw:
            raise KnowledgeError(f"{where}: 'context' is required (a PLOVER context or null)")
        context = raw["context"]
        if context is not None and context not in known:
            raise KnowledgeError(f"{where}: context {context!r} is not a PLOVER context")
        triggers = raw.get("triggers")
        if not isinstance(triggers, list) or not triggers or not all(
                isinstance(t, str) and t.strip() for t in triggers):
            raise KnowledgeError(f"{where}: 'triggers' must be a non-empty list of strings")
        number = len(themes)
        themes.append(ThemeDef(theme_id, description.strip(), context, tuple(triggers)))
        patterns = {_pattern(t, where) for t in triggers}
        for pat in sorted(patterns, key=repr):
            index.setdefault(pat[0][0], []).append((pat, number))
    if len(themes) < MIN_THEMES:
        raise KnowledgeError(f"{source}: {len(themes)} themes, at least {MIN_THEMES} are required")
    prefixes = data.get("negating_prefixes", [])
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        raise KnowledgeError(f"{source}: 'negating_prefixes' must be a list of strings")
    return ThemeSet(tuple(themes), known, {k: tuple(v) for k, v in index.items()},
                    frozenset(_norm(p) for p in prefixes))


@functools.lru_cache(maxsize=8)
def load_themes(path: str | None = None) -> ThemeSet:
    """Load, validate and index ``themes.yaml`` (the packaged one unless ``path`` is given); cached."""
    try:
        if path is None:
            text = resources.files("newsevents").joinpath("data/themes.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read theme file {path or 'data/themes.yaml'}: {exc}") from exc
    return parse_themes(data, path or "themes.yaml")


def _forms(tok: Token) -> tuple[str, str]:
    return _norm(tok.text), _norm(tok.lemma_)


def _token_matches(tok: Token, pat: PatternToken) -> bool:
    form, pos = pat
    if pos is not None and tok.pos_ != pos:
        return False
    return form in _forms(tok)


_DASHES = frozenset({"-", "‐", "–"})


def _after_negating_prefix(doc: Doc, i: int, prefixes: frozenset[str]) -> bool:
    """Whether ``doc[i]`` follows a glued reversing prefix: "escalation" in "de-escalation"."""
    if i < 2 or doc[i - 1].text not in _DASHES:
        return False
    glued = not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_
    return glued and _norm(doc[i - 2].text) in prefixes


def find_themes(doc: Doc, themes: ThemeSet | None = None) -> list[Theme]:
    """Every theme mention in ``doc``; ``themes`` overrides the packaged taxonomy."""
    taxonomy = themes or load_themes()
    n = len(doc)
    # (theme number) -> list of (start token, end token)
    found: dict[int, list[tuple[int, int]]] = {}
    previous = ""  # the text of doc[i - 1]: a cheap test before _after_negating_prefix builds tokens
    for i, tok in enumerate(doc):
        word, previous = previous, tok.text
        if word in _DASHES and _after_negating_prefix(doc, i, taxonomy.negating_prefixes):
            continue
        candidates: set[str] = set(_forms(tok))
        for first in candidates:
            for pat, number in taxonomy.index.get(first, ()):
                end = i + len(pat)
                if end > n:
                    continue
                if all(_token_matches(doc[i + k], p) for k, p in enumerate(pat)):
                    found.setdefault(number, []).append((i, end))
    out: list[Theme] = []
    for number, spans in found.items():
        theme = taxonomy.themes[number]
        taken: list[tuple[int, int]] = []
        for start, end in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            span = doc[start:end]
            out.append(Theme(name=theme.id, text=span.text, start=span.start_char, end=span.end_char,
                             plover_context=theme.context))
    out.sort(key=lambda t: (t.start, t.name, t.end))
    return out
