"""Typed records passed between the stages of the pipeline.

Every stage takes and returns these frozen dataclasses; spaCy objects never leave the
extract stage. All ``start``/``end`` offsets are character offsets into
``ArticleResult.text`` (the cleaned text: the title, a blank line, then the body).
``ArticleResult.to_dict`` produces the ``newsevents/1`` record of the extract contract.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SCHEMA_ID = "newsevents/1"


@dataclass(frozen=True)
class Article:
    """One input article as read by ingest, before any cleaning.

    Exactly one of ``text`` or ``html`` is normally set.  ``origin`` says where the article
    came from (``path`` or ``path:line``) for error messages; ``error`` is set by ingest when
    the input could not be read (the article is still passed on so that it is recorded).
    """

    id: str | None = None
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    origin: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Repair:
    """One change made by cleaning; ``start``/``end`` locate the result in the cleaned text."""

    start: int
    end: int
    kind: str  # glue_split | sentence_space | boilerplate | encoding | whitespace | control_char
    before: str
    after: str


@dataclass(frozen=True)
class CleanDoc:
    """The cleaned text of an article and how it maps back to the input.

    ``raw`` is the input the offsets map into (title, blank line, body, as read).
    ``offsets[i]`` is the index in ``raw`` of cleaned character ``i``; ``len(offsets) ==
    len(text)``.  ``body_start`` is where the body begins in ``text``.
    """

    text: str
    raw: str
    offsets: tuple[int, ...]
    title: str | None
    body_start: int
    repairs: tuple[Repair, ...] = ()
    language: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the cleaned text back to a span of ``raw``."""
        if start >= end or not self.offsets:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Entity:
    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Actor:
    """A coded actor mention (``code`` a CAMEO actor code such as ``FRAGOV``)."""

    text: str
    start: int
    end: int
    name: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str = "other"  # country | igo | ngo | group | person | other


@dataclass(frozen=True)
class Place:
    text: str
    start: int
    end: int
    name: str
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # PCLI (country), ADM1, PPL, PPLC, ...


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    value: str  # TIMEX3 value: 2022-02-07, 2022-02, 2022-W06, P2W, PRESENT_REF ...
    type: str  # DATE | TIME | DURATION | SET


@dataclass(frozen=True)
class Speaker:
    text: str
    start: int | None
    end: int | None
    name: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    start: int
    end: int
    verb: str | None = None
    speaker: Speaker | None = None


@dataclass(frozen=True)
class Amount:
    text: str
    start: int
    end: int
    value: float
    unit: str | None = None
    qualifier: str | None = None  # more than | at least | about | up to ...


@dataclass(frozen=True)
class Theme:
    name: str
    text: str
    start: int
    end: int
    plover_context: str | None = None


@dataclass(frozen=True)
class Tone:
    """GDELT-style tone: tone = positive - negative (percent of words), polarity their sum."""

    tone: float = 0.0
    positive: float = 0.0
    negative: float = 0.0
    polarity: float = 0.0
    word_count: int = 0


@dataclass(frozen=True)
class Trigger:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    span: tuple[int, int]
    sentence: int
    trigger: Trigger
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    cameo: str
    goldstein: float
    quad_class: int
    plover: str | None
    mode: str | None = None
    context: tuple[str, ...] = ()
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    date: str | None = None
    date_from: str = "published"  # sentence | published | none
    location: Place | None = None
    confidence: float = 0.5
    dead: int | None = None  # PLOVER casualty fields, from the amounts of the evidence sentence
    injured: int | None = None
    arrested: int | None = None


@dataclass(frozen=True)
class ArticleError:
    """A per-article problem that did not stop processing."""

    stage: str
    code: str
    message: str


@dataclass(frozen=True)
class ArticleResult:
    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    repairs: tuple[Repair, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    places: tuple[Place, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateMention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    themes: tuple[Theme, ...] = ()
    tone: Tone = field(default_factory=Tone)
    errors: tuple[ArticleError, ...] = ()
    duplicate_of: str | None = None  # id of an earlier article this one copies (exactly or nearly)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> ArticleResult:
        """The ArticleResult of a ``newsevents/1`` record: the inverse of ``to_dict``."""
        kw = _pick(cls, record)
        simple: dict[str, type] = {"repairs": Repair, "entities": Entity, "places": Place, "dates": DateMention,
                                   "amounts": Amount, "themes": Theme, "errors": ArticleError}
        for name, item_cls in simple.items():
            kw[name] = tuple(item_cls(**_pick(item_cls, x)) for x in record.get(name) or ())
        kw["events"] = tuple(_event(x) for x in record.get("events") or ())
        kw["quotes"] = tuple(_quote(x) for x in record.get("quotes") or ())
        kw["tone"] = Tone(**_pick(Tone, record["tone"])) if record.get("tone") else Tone()
        return cls(**kw)

    def to_dict(self) -> dict[str, Any]:
        """The ``newsevents/1`` JSON record of the extract contract."""
        out: dict[str, Any] = {"schema": SCHEMA_ID}
        for f in dataclasses.fields(self):
            out[f.name] = _plain(getattr(self, f.name))
        for ev in out["events"]:
            ev["span"] = list(ev["span"])
        return out


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and lists to JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _pick(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``data`` that are fields of the dataclass ``cls``."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _place(d: dict[str, Any] | None) -> Place | None:
    return Place(**_pick(Place, d)) if d else None


def _actor(d: dict[str, Any]) -> Actor:
    return Actor(**_pick(Actor, d))


def _event(d: dict[str, Any]) -> Event:
    kw = _pick(Event, d)
    kw["span"] = (int(d["span"][0]), int(d["span"][1]))
    kw["trigger"] = Trigger(**_pick(Trigger, d["trigger"]))
    kw["source"] = tuple(_actor(a) for a in d.get("source") or ())
    kw["target"] = tuple(_actor(a) for a in d.get("target") or ())
    kw["context"] = tuple(d.get("context") or ())
    kw["location"] = _place(d.get("location"))
    return Event(**kw)


def _quote(d: dict[str, Any]) -> Quote:
    kw = _pick(Quote, d)
    kw["speaker"] = Speaker(**_pick(Speaker, d["speaker"])) if d.get("speaker") else None
    return Quote(**kw)
