"""Pydantic models of the HTTP API's responses: they validate what ``queries`` returns and
document it in /openapi.json.  Field names are those of the store's ``event_list`` view and of
the ``newsevents/1`` extract contract (``start``/``end`` character offsets into the text)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error of the API has this shape, whatever the status code."""

    error: ErrorBody


class SpanActor(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None


class Event(BaseModel):
    """One coded event, with its article and evidence sentence."""

    model_config = ConfigDict(extra="allow")

    event_id: int
    article_id: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    event_index: int
    sentence: int | None = None
    span_start: int | None = None
    span_end: int | None = None
    evidence: str | None = None
    trigger: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None
    cameo: str
    cameo_root: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    plover: str | None = None
    mode: str | None = None
    context: list[str] | None = None
    negated: bool | None = None
    hypothetical: bool | None = None
    future: bool | None = None
    historical: bool | None = None
    date: str | None = None
    effective_date: dt.date | None = None
    location: str | None = None
    location_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    confidence: float | None = None
    source_codes: list[str | None] | None = None
    target_codes: list[str | None] | None = None
    source_names: list[str | None] | None = None
    target_names: list[str | None] | None = None


class ArticleEvent(Event):
    location_start: int | None = None
    location_end: int | None = None
    source: list[SpanActor] = []
    target: list[SpanActor] = []


class EventsPage(BaseModel):
    total: int
    page: int
    page_size: int
    pages: int
    sort: str
    order: str
    items: list[Event]


class ArticleActor(SpanActor):
    events: int


class PlaceSpan(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None


class Speaker(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    code: str | None = None


class QuoteSpan(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None
    verb: str | None = None
    speaker: Speaker | None = None


class DateSpan(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None
    value: str | None = None
    type: str | None = None


class Article(BaseModel):
    """An article's cleaned text and every span found in it."""

    id: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    text: str
    tone: float | None = None
    tone_positive: float | None = None
    tone_negative: float | None = None
    tone_polarity: float | None = None
    word_count: int | None = None
    events: list[ArticleEvent]
    actors: list[ArticleActor]
    places: list[PlaceSpan]
    quotes: list[QuoteSpan]
    dates: list[DateSpan]


class Pair(BaseModel):
    a: str
    b: str
    events: int
    mean_goldstein: float | None = None


class DyadDay(BaseModel):
    date: dt.date
    events: int
    cooperation: int
    conflict: int
    mean_goldstein: float | None = None


class Dyad(BaseModel):
    a: str
    b: str
    days: list[DyadDay]
    events: list[Event]
    undated_events: int


class Dyads(BaseModel):
    """``/api/dyads`` without parameters: the most active pairs."""

    pairs: list[Pair]


class TypeCount(BaseModel):
    plover: str | None = None
    events: int


class QuadCount(BaseModel):
    quad_class: int | None = None
    events: int


class Stats(BaseModel):
    counts: dict[str, int]
    by_plover: list[TypeCount]
    by_quad_class: list[QuadCount]
    first_date: dt.date | None = None
    last_date: dt.date | None = None


class ArticleHit(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    events: int
    snippet: str


class SearchResult(BaseModel):
    q: str
    articles: list[ArticleHit]
    events: list[Event]
