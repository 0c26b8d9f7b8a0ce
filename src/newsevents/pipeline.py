"""``process(article, options) -> ArticleResult``: all per-article work, in one pure function.

``newsevents extract``, ``newsevents run`` and the Python API call ``process`` (or
``process_many``); nothing per-article lives anywhere else.  Heavy resources (the spaCy model,
the knowledge base, the gazetteer) are loaded once per process by ``load_resources`` and are
read-only afterwards, so worker processes can share them after a fork.

Failure policy: a stage that fails on an article records an ``ArticleError`` and the article goes
on through the other stages; an article that cannot be read at all still yields a result (with
empty text) so that output stays one record per input, in order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from newsevents.actors import ActorCoder
from newsevents.amounts import casualties, find_amounts
from newsevents.clean import CleanOptions, clean_text, html_to_text
from newsevents.dates import find_dates, sentence_date
from newsevents.events import EventCoder
from newsevents.ingest import with_id
from newsevents.knowledge import Knowledge, load_knowledge
from newsevents.nlp import load_model
from newsevents.places import Gazetteer, find_places, load_gazetteer, place_for_span
from newsevents.quotes import find_quotes
from newsevents.records import (
    Amount,
    Article,
    ArticleError,
    ArticleResult,
    DateMention,
    Entity,
    Event,
    Place,
    Quote,
    Speaker,
    Theme,
    Tone,
)
from newsevents.themes import find_themes
from newsevents.tone import score_tone

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

T = TypeVar("T")

#: Articles longer than this (in characters, after cleaning) are cut, with an error recorded:
#: a 10 MB "article" is not news and would stall the parser.  ~100 pages of text.
DEFAULT_MAX_CHARS = 200_000

#: Bodies longer than this many times ``max_chars`` are cut before cleaning (cleaning removes
#: boilerplate, so the cleaned text can be shorter than what was read; four times leaves room).
PRE_CLEAN_FACTOR = 4

#: A full date within this many characters of the start of the body, when the article has no
#: publication date, is taken as its dateline date ("KYIV, Feb 7, 2022 (Reuters) -").
DATELINE_CHARS = 60
#: Articles parsed together by ``process_many``: ``nlp.pipe`` over a batch gives the same parses as one
#: ``nlp(text)`` call per article, about a tenth faster on the throughput benchmark (bench/throughput.py);
#: a small batch keeps the wait for the first result and the memory of the parses short.
PARSE_BATCH = 16

#: An event dated more than this many days before publication is flagged ``historical``.
HISTORICAL_DAYS = 365

ENGLISH = "en"


@dataclass(frozen=True)
class Options:
    """Options for ``process``; every field has a sane default."""

    published: str | None = None  # publication date for articles that do not give one
    knowledge_dirs: tuple[str, ...] = ()
    model: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    clean: CleanOptions | None = None


@dataclass(frozen=True)
class Resources:
    nlp: Language
    knowledge: Knowledge
    actors: ActorCoder
    events: EventCoder
    gazetteer: Gazetteer
    vocabulary: frozenset[str]


@functools.lru_cache(maxsize=4)
def load_resources(knowledge_dirs: tuple[str, ...] = (), model: str | None = None) -> Resources:
    """Load the model, knowledge and gazetteer once per process."""
    nlp = load_model(model)
    kb = load_knowledge(knowledge_dirs)
    gazetteer = load_gazetteer()
    actors = ActorCoder(kb, nlp, place_country=functools.partial(_place_country, gazetteer))
    return Resources(nlp, kb, actors, EventCoder(kb, actors), gazetteer, kb.vocabulary())


#: A place name locates an actor in a country only when its best gazetteer entry is a country, a
#: first-level division or a town of at least this many people ("rebels in Goma"): small places
#: share names across countries too often.
ACTOR_PLACE_MIN_POPULATION = 50_000


def _place_country(gazetteer: Gazetteer, name: str) -> str | None:
    """The country of the most populous place called ``name``, for locating actors."""
    entries = gazetteer.lookup(name)
    if not entries:
        return None
    best = max(entries, key=lambda e: e.population)
    if best.feature in ("PCLI", "ADM1") or best.population >= ACTOR_PLACE_MIN_POPULATION:
        return best.country
    return None


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


class _Stages:
    """Runs stages and records failures as ArticleErrors (the per-document failure policy)."""

    def __init__(self) -> None:
        self.errors: list[ArticleError] = []

    def run(self, stage: str, default: T, fn: Any, *args: Any) -> T:
        try:
            result: T = fn(*args)
            return result
        except (OSError, MemoryError):
            raise  # the machine failed, not the article: stop, so the article is redone, not stored degraded
        except Exception as exc:  # noqa: BLE001 - one bad stage must not lose the article
            self.errors.append(ArticleError(stage, "E900", f"{type(exc).__name__}: {exc}"))
            return default


@dataclass
class _Prepared:
    """An article cleaned and ready to parse: what ``analyse`` needs besides the parse."""

    res: Resources
    text: str
    base: dict[str, Any]
    published: str | None
    stages: _Stages
    body_start: int


def _prepare(article: Article, opts: Options) -> ArticleResult | _Prepared:
    """Everything before the parse: the finished result of an article that needs none (no text, not
    English...), else the cleaned text and what goes with it."""
    article = with_id(article)
    published = article.published or opts.published
    st = _Stages()
    if article.error:
        st.errors.append(ArticleError("ingest", "E101", f"{article.origin or 'input'}: {article.error}"))
    if published and _day(published) is None:
        st.errors.append(ArticleError("ingest", "E102", f"publication date {published!r} is not an ISO date"))
        published = None
    url, title, body = article.url, article.title, article.text or ""
    if article.html is not None and article.text is None:
        extracted = st.run("html", None, html_to_text, article.html, article.url)
        if extracted is not None:
            title = title or extracted.title
            body = extracted.body or ""
            published = published or extracted.date
            if not body.strip():
                st.errors.append(ArticleError("html", "E110", "no article text found in the HTML"))
    if not body.strip() and not (title or "").strip():
        if not article.error:
            st.errors.append(ArticleError("ingest", "E103", "article has no text"))
        return ArticleResult(id=str(article.id), text="", url=url, title=title, published=published,
                             source=article.source, language=article.language, errors=tuple(st.errors))
    res = load_resources(opts.knowledge_dirs, opts.model)
    clean_opts = opts.clean or CleanOptions(extra_vocabulary=res.vocabulary)
    raw_length = len(body)
    if raw_length > opts.max_chars * PRE_CLEAN_FACTOR:
        body = body[: opts.max_chars * PRE_CLEAN_FACTOR]  # a 10 MB "article" is cut before cleaning it
    cleaned = clean_text(body, title, clean_opts)
    text = cleaned.text
    if len(text) > opts.max_chars or raw_length > len(body):
        message = f"article has {max(len(text), raw_length)} characters; only the first {opts.max_chars} were analysed"
        st.errors.append(ArticleError("clean", "E120", message))
        text = text[: opts.max_chars]
    if not text.strip():
        st.errors.append(ArticleError("clean", "E103", "no text left after cleaning (only boilerplate or markup?)"))
    language = article.language or cleaned.language or ENGLISH
    base = dict(id=str(article.id), text=text, url=url, title=cleaned.title, published=published,
                source=article.source, language=language, repairs=cleaned.repairs)
    if not text.strip():
        return ArticleResult(**base, errors=tuple(st.errors))  # type: ignore[arg-type]
    if not language.lower().startswith(ENGLISH):
        st.errors.append(ArticleError("language", "E130",
                                      f"language {language!r} is not English: no English-rule analysis was run"))
        return ArticleResult(**base, errors=tuple(st.errors))  # type: ignore[arg-type]
    return _Prepared(res, text, base, published, st, cleaned.body_start)


def process(article: Article, options: Options | None = None) -> ArticleResult:
    """Clean, parse and analyse one article; never raises for a bad article."""
    prep = _prepare(article, options or Options())
    if isinstance(prep, ArticleResult):
        return prep
    return analyse(prep.res.nlp(prep.text), prep.res, prep.base, prep.published, prep.stages,
                   body_start=prep.body_start)


def process_many(articles: Iterable[Article], options: Options | None = None,
                 batch_size: int = PARSE_BATCH) -> Iterator[ArticleResult]:
    """``process`` over many articles, in input order, parsing ``batch_size`` of them at a time with
    ``nlp.pipe`` (the same parses as one ``nlp(text)`` call each, faster); never raises for a bad article
    in a batch, whose other articles keep their results (a failed batch parse is redone one by one)."""
    opts = options or Options()
    source = iter(articles)
    while batch := list(islice(source, max(1, batch_size))):
        preps = [_prepare(a, opts) for a in batch]
        ready = [p for p in preps if isinstance(p, _Prepared)]
        try:
            docs = list(ready[0].res.nlp.pipe([p.text for p in ready])) if ready else []
        except (OSError, MemoryError):
            raise
        except Exception:  # noqa: BLE001 - one text the batch cannot parse: parse each alone
            docs = []
        parsed = {id(p): d for p, d in zip(ready, docs, strict=True)} if docs else {}
        for article, prep in zip(batch, preps, strict=True):
            if isinstance(prep, ArticleResult):
                yield prep
            elif id(prep) in parsed:
                yield analyse(parsed[id(prep)], prep.res, prep.base, prep.published, prep.stages,
                              body_start=prep.body_start)
            else:
                yield process(article, opts)


def dateline_date(dates: Iterable[DateMention], body_start: int) -> str | None:
    """The full date of a dateline at the start of the body, if there is one."""
    for d in dates:
        if body_start <= d.start < body_start + DATELINE_CHARS and d.type == "DATE" and _day(d.value) and (
                len(d.value) == len("2022-02-07")):
            return d.value
    return None


def analyse(doc: Doc, res: Resources, base: dict[str, Any], published: str | None, st: _Stages,
            body_start: int = 0) -> ArticleResult:
    """Every analysis of the parsed article, assembled into the result."""
    text = doc.text
    dates: tuple[DateMention, ...] = tuple(st.run("dates", [], find_dates, text, published, doc))
    if published is None:
        published = dateline_date(dates, body_start)
        if published is not None:
            base = {**base, "published": published}
            dates = tuple(st.run("dates", [], find_dates, text, published, doc))
    day = _day(published)
    entities = tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)
    ctx = res.actors.start_article(doc, day)
    events: list[Event] = st.run("events", [], res.events.code, doc, ctx)
    places: tuple[Place, ...] = tuple(st.run("places", [], find_places, doc, res.gazetteer))
    quotes: list[Quote] = st.run("quotes", [], find_quotes, doc)
    quotes = [_code_speaker(q, doc, res, ctx) for q in quotes]
    amounts: tuple[Amount, ...] = tuple(st.run("amounts", [], find_amounts, doc))
    themes: tuple[Theme, ...] = tuple(st.run("themes", [], find_themes, doc))
    tone = st.run("tone", Tone(), score_tone, doc)
    dated = []
    for ev in events:
        value, how = sentence_date(dates, ev.span[0], ev.span[1], published)
        historical = False
        ev_day = _day(value) if value and len(value) >= 10 else None
        if ev_day and day and (day - ev_day).days > HISTORICAL_DAYS:
            historical = True
        dead, injured, arrested = st.run("amounts", (None, None, None), casualties, amounts, ev.span, doc)
        dated.append(replace(ev, date=value, date_from=how, historical=historical,
                             location=place_for_span(places, ev.span[0], ev.span[1]),
                             dead=dead, injured=injured, arrested=arrested))
    return ArticleResult(**base, entities=entities, events=tuple(dated), places=places, quotes=tuple(quotes),
                         dates=dates, amounts=amounts, themes=themes, tone=tone, errors=tuple(st.errors))


def _code_speaker(q: Quote, doc: Doc, res: Resources, ctx: Any) -> Quote:
    """Give a quotation's speaker the actor code of its mention (or of its resolved name)."""
    sp = q.speaker
    if sp is None or sp.start is None or sp.end is None:
        return q
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return q
    actor = res.actors.code_token(span.root, ctx)
    if actor is None and sp.name:
        persons = res.knowledge.people.get(sp.name) or res.knowledge.people.get(sp.name.split()[-1])
        if persons:
            actor = res.actors._person_actor(persons[0], span, ctx)  # noqa: SLF001
        else:
            actor = ctx.surnames.get(sp.name.split()[-1])
    if actor is None:
        return q
    name = sp.name or (actor.name if actor.kind == "person" else None)
    return replace(q, speaker=Speaker(sp.text, sp.start, sp.end, name, actor.code))


