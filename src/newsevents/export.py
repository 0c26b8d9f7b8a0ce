"""Exports of a newsevents database: GDELT 2.0, PLOVER JSON, Parquet and newsevents/1 JSON Lines.

``export(store, fmt, out)`` writes one format and returns how many records it wrote:

- ``gdelt-events``, ``gdelt-mentions``, ``gdelt-gkg``: tab-separated GDELT 2.0 files (see
  ``newsevents.exportgdelt``); one Events row per real-world event (``event_groups``);
- ``plover``: one PLOVER JSON record per line for every event *mention* that has a PLOVER type,
  with the manual's field names (``id, date, enddate, actor, recipient, event, mode, context,
  event_loc, event_text, quad_code, event_scale, link, text, text_info, dead, injured, arrested,
  coder, coded_date``) plus newsevents extras (``cameo``, ``goldstein``, ``group_id``, the
  auxiliary flags);
- ``parquet``: a directory with one ``<table>.parquet`` per table (via pyarrow);
- ``jsonl``: the ``newsevents/1`` records *rebuilt from the tables* (not stored JSON), so an
  export shows exactly what the database holds; ``schema`` and field order follow the extract
  contract.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsevents import __version__
from newsevents.errors import NewsEventsError
from newsevents.exportgdelt import (
    EVENT_COLUMNS,
    GKG_COLUMNS,
    MENTION_COLUMNS,
    gdelt_event_rows,
    gdelt_gkg_rows,
    gdelt_mention_rows,
)
from newsevents.records import SCHEMA_ID
from newsevents.store import Store
from newsevents.storeschema import ALL_TABLES

FORMATS: tuple[str, ...] = ("gdelt-events", "gdelt-mentions", "gdelt-gkg", "plover", "parquet", "jsonl")

# Articles rebuilt per query round in the jsonl export: bounds memory on large stores while
# keeping the number of child-table queries small.
JSONL_CHUNK = 500


class ExportError(NewsEventsError):
    """An export cannot be written (unknown format, bad output path, missing library)."""

    code = "E601"


def export(store: Store, fmt: str, out: str | Path) -> int:
    """Write ``store`` to ``out`` in format ``fmt``; return the number of rows/records (tables for parquet)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(out)
    if fmt == "parquet":
        return _write_parquet(store, path)
    if not path.parent.exists():
        raise ExportError(f"cannot write {path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name")
    if fmt.startswith("gdelt-"):
        rows = {"gdelt-events": (gdelt_event_rows, EVENT_COLUMNS), "gdelt-mentions": (gdelt_mention_rows,
                MENTION_COLUMNS), "gdelt-gkg": (gdelt_gkg_rows, GKG_COLUMNS)}[fmt]
        return _write_tsv(path, rows[0](store), len(rows[1]))
    records = plover_records(store) if fmt == "plover" else jsonl_records(store)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, default=_json_default) + "\n")
            n += 1
    return n


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _write_tsv(path: Path, rows: Iterator[list[str]], width: int) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n")
        for row in rows:
            if len(row) != width:
                raise ExportError(f"internal error: a row has {len(row)} fields, expected {width}")
            writer.writerow(row)
            n += 1
    return n


def _write_parquet(store: Store, path: Path) -> int:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("the parquet export needs pyarrow: pip install pyarrow") from None
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} exists and is not a directory; parquet export writes one file per table")
    if not path.parent.exists():
        raise ExportError(f"cannot create {path}: directory {path.parent} does not exist")
    path.mkdir(exist_ok=True)
    for table in ALL_TABLES:
        pq.write_table(store.arrow_table(table), path / f"{table}.parquet")
    return len(ALL_TABLES)


# ---------------------------------------------------------------------- PLOVER


def _entity(actor: dict[str, Any]) -> dict[str, Any]:
    code = actor["code"] or ""
    return {
        "code": actor["country"] or (code[:3] if code else None),
        "sector": actor["sector"],
        "entity_text": actor["text"],
        "identifier_text": actor["name"],
        "cameo_code": actor["code"],
        "kind": actor["kind"],
        "text_info": {"start": actor["char_start"], "end": actor["char_end"]},
    }


def plover_records(store: Store) -> Iterator[dict[str, Any]]:
    """PLOVER JSON records, one per event mention with a PLOVER type, in storage order."""
    actors: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for a in store.iter_sql("SELECT * FROM event_actors ORDER BY event_id, role, position"):
        actors.setdefault(int(a["event_id"]), {"source": [], "target": []})[a["role"]].append(_entity(a))
    coded = dt.datetime.now(dt.UTC).date().isoformat()
    for e in store.iter_sql("SELECT * FROM event_list WHERE plover IS NOT NULL ORDER BY article_pk, event_index"):
        roles = actors.get(int(e["event_id"]), {"source": [], "target": []})
        start: dt.date | None = e["date_start"] or e["effective_date"]
        loc = None
        if e["location"]:
            loc = {"extracted_place": e["location"], "resolved_place": e["location"], "geonameid": e["geonameid"],
                   "lat": e["lat"], "lon": e["lon"], "province": e["location_admin1"],
                   "country_code": e["location_country"], "feature_code": e["location_feature"],
                   "feature_class": (e["location_feature"] or "")[:1] == "P" and "P" or "A"}
        yield {
            "id": f"{e['article_id']}-{e['event_index']}",
            "date": start.isoformat() if start else None,
            "enddate": e["date_end"].isoformat() if e["date_end"] and e["date_end"] != start else None,
            "actor": roles["source"],
            "recipient": roles["target"],
            "event": [e["plover"]],
            "mode": [e["mode"]] if e["mode"] else [],
            "context": list(e["context"] or []),
            "event_loc": loc,
            "event_text": [e["trigger"]],
            "quad_code": e["quad_class"],
            "event_scale": e["goldstein"],
            "link": e["url"],
            "text": e["evidence"],
            "text_info": {"sequence": e["sentence"], "start": e["span_start"], "end": e["span_end"],
                          "trigger_start": e["trigger_start"], "trigger_end": e["trigger_end"]},
            "dead": e["dead"],
            "injured": e["injured"],
            "arrested": e["arrested"],
            "coder": f"newsevents {__version__}",
            "coded_date": coded,
            "cameo": e["cameo"],
            "goldstein": e["goldstein"],
            "group_id": e["group_id"],
            "negated": e["negated"],
            "hypothetical": e["hypothetical"],
            "future": e["future"],
            "historical": e["historical"],
            "confidence": e["confidence"],
        }


# ---------------------------------------------------------------------- newsevents/1 JSON Lines


def _span(row: dict[str, Any]) -> dict[str, Any]:
    return {"text": row["text"], "start": row["char_start"], "end": row["char_end"]}


def _place(prefix: str, row: dict[str, Any]) -> dict[str, Any] | None:
    if row[f"{prefix}name"] is None:
        return None
    keys = ("text", "start", "end", "name", "country", "admin1", "lat", "lon", "geonameid", "feature")
    cols = ("text", "start", "end", "name", "country", "admin1", "lat", "lon", "geonameid", "feature")
    if prefix:
        return {k: row[f"{prefix}{c}"] for k, c in zip(keys, cols, strict=True)}
    return {k: row[c] for k, c in zip(keys, ("text", "char_start", "char_end", *cols[3:]), strict=True)}


def _children(store: Store, table: str, order: str, lo: int, hi: int) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in store.iter_sql(f"SELECT * FROM {table} WHERE article_pk BETWEEN ? AND ? ORDER BY article_pk, {order}",
                              [lo, hi]):
        out.setdefault(int(row["article_pk"]), []).append(row)
    return out


def _event(e: dict[str, Any], actors: list[dict[str, Any]]) -> dict[str, Any]:
    def actor(a: dict[str, Any]) -> dict[str, Any]:
        return {"text": a["text"], "start": a["char_start"], "end": a["char_end"], "name": a["name"],
                "code": a["code"], "country": a["country"], "sector": a["sector"], "kind": a["kind"]}

    return {
        "span": [e["span_start"], e["span_end"]], "sentence": e["sentence"],
        "trigger": {"text": e["trigger_text"], "start": e["trigger_start"], "end": e["trigger_end"]},
        "source": [actor(a) for a in actors if a["role"] == "source"],
        "target": [actor(a) for a in actors if a["role"] == "target"],
        "cameo": e["cameo"], "goldstein": e["goldstein"], "quad_class": e["quad_class"], "plover": e["plover"],
        "mode": e["mode"], "context": list(e["context"] or []), "negated": e["negated"],
        "hypothetical": e["hypothetical"], "future": e["future"], "historical": e["historical"],
        "date": e["date"], "date_from": e["date_from"], "location": _place("location_", e),
        "confidence": e["confidence"], "dead": e["dead"], "injured": e["injured"], "arrested": e["arrested"],
    }


def jsonl_records(store: Store, chunk: int = JSONL_CHUNK) -> Iterator[dict[str, Any]]:
    """The newsevents/1 record of every stored article, rebuilt from the tables, in storage order."""
    pks = [int(r["article_pk"]) for r in store.iter_sql("SELECT article_pk FROM articles ORDER BY article_pk")]
    for i in range(0, len(pks), chunk):
        lo, hi = pks[i], pks[min(i + chunk, len(pks)) - 1]
        events = _children(store, "events", "event_index", lo, hi)
        actors: dict[int, list[dict[str, Any]]] = {}
        for a in store.iter_sql("SELECT * FROM event_actors WHERE article_pk BETWEEN ? AND ? "
                                "ORDER BY event_id, role, position", [lo, hi]):
            actors.setdefault(int(a["event_id"]), []).append(a)
        kids = {t: _children(store, t, order, lo, hi) for t, order in (
            ("places", "place_index"), ("quotes", "quote_index"), ("dates", "date_index"),
            ("amounts", "amount_index"), ("themes", "theme_index"), ("entities", "entity_index"),
            ("repairs", "repair_index"), ("article_errors", "error_index"))}
        for art in store.iter_sql("SELECT * FROM articles WHERE article_pk BETWEEN ? AND ? ORDER BY article_pk",
                                  [lo, hi]):
            pk = int(art["article_pk"])

            def rows(table: str, pk: int = pk, kids: dict[str, dict[int, list[dict[str, Any]]]] = kids) -> list[
                    dict[str, Any]]:
                return kids[table].get(pk, [])

            yield {
                "schema": SCHEMA_ID, "id": art["id"], "text": art["text"], "url": art["url"], "title": art["title"],
                "published": art["published"], "source": art["source"], "language": art["language"],
                "repairs": [{"start": r["char_start"], "end": r["char_end"], "kind": r["kind"], "before": r["before"],
                             "after": r["after"]} for r in rows("repairs")],
                "entities": [{"text": r["text"], "label": r["label"], "start": r["char_start"], "end": r["char_end"]}
                             for r in rows("entities")],
                "events": [_event(e, actors.get(int(e["event_id"]), [])) for e in events.get(pk, [])],
                "places": [_place("", r) for r in rows("places")],
                "quotes": [{**_span(r), "verb": r["verb"], "speaker": None if r["speaker_text"] is None else {
                    "text": r["speaker_text"], "start": r["speaker_start"], "end": r["speaker_end"],
                    "name": r["speaker_name"], "code": r["speaker_code"]}} for r in rows("quotes")],
                "dates": [{**_span(r), "value": r["value"], "type": r["date_type"]} for r in rows("dates")],
                "amounts": [{**_span(r), "value": r["value"], "unit": r["unit"], "qualifier": r["qualifier"]}
                            for r in rows("amounts")],
                "themes": [{"name": r["name"], **_span(r), "plover_context": r["plover_context"]}
                           for r in rows("themes")],
                "tone": {"tone": art["tone"], "positive": art["tone_positive"], "negative": art["tone_negative"],
                         "polarity": art["tone_polarity"], "word_count": art["word_count"]},
                "errors": [{"stage": r["stage"], "code": r["code"], "message": r["message"]}
                           for r in rows("article_errors")],
                "duplicate_of": art["duplicate_of"],
            }
