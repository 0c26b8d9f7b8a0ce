"""The JSON Schema of the ``newsevents/1`` extract record, and a validator for it.

The schema file ships in the package (``data/schema/newsevents-1.schema.json``) so that outside
tools can validate our output with any JSON Schema library; ``validate`` adds the checks a schema
cannot express: every span lies inside ``text`` and ``text[start:end]`` equals the span's text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

SCHEMA_FILE = "newsevents-1.schema.json"


@functools.lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    path = resources.files("newsevents") / "data" / "schema" / SCHEMA_FILE
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _spans(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key in ("repairs", "entities", "places", "quotes", "dates", "amounts", "themes"):
        for item in record.get(key) or []:
            yield key, item
            if key == "quotes" and item.get("speaker") and item["speaker"].get("start") is not None:
                yield "quotes.speaker", item["speaker"]
    for ev in record.get("events") or []:
        yield "events.trigger", ev["trigger"]
        for role in ("source", "target"):
            for actor in ev[role]:
                yield f"events.{role}", actor
        if ev.get("location"):
            yield "events.location", ev["location"]


def validate(record: dict[str, Any]) -> list[str]:
    """Problems with one record: schema violations and spans that do not match the text."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    problems = [f"{'/'.join(map(str, e.path)) or '(record)'}: {e.message}" for e in validator.iter_errors(record)]
    text = record.get("text") or ""
    for where, item in _spans(record):
        start, end = item.get("start"), item.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        if not 0 <= start <= end <= len(text):
            problems.append(f"{where}: span [{start}, {end}) outside the text ({len(text)} characters)")
        elif where != "repairs" and "text" in item and text[start:end] != item["text"]:
            problems.append(f"{where}: text {item['text']!r} != text[{start}:{end}] {text[start:end]!r}")
    for ev in record.get("events") or []:
        s, e = ev["span"]
        if not 0 <= s <= e <= len(text):
            problems.append(f"events.span: [{s}, {e}) outside the text")
    return problems
