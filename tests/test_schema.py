"""Tests for newsevents.schema: real output validates, broken records do not."""

from __future__ import annotations

import copy

from newsevents import extract
from newsevents.schema import load_schema, validate

TEXT = (
    "Leaders agree to talks\n\n"
    "French President Emmanuel Macron met Russian President Vladimir Putin in Moscow on Monday. "
    "\u201cWe must avoid a war,\u201d Macron said. Russia has deployed more than 100,000 troops near the border."
)


def test_schema_file_loads() -> None:
    schema = load_schema()
    assert schema["properties"]["schema"] == {"const": "newsevents/1"}


def test_real_output_validates() -> None:
    record = extract(TEXT, published="2022-02-07").to_dict()
    assert record["events"], "the example must produce events for this test to mean something"
    assert validate(record) == []


def test_broken_records_are_reported() -> None:
    record = extract(TEXT, published="2022-02-07").to_dict()
    bad = copy.deepcopy(record)
    del bad["tone"]
    assert any("tone" in p for p in validate(bad))
    bad = copy.deepcopy(record)
    bad["entities"][0]["start"] += 1
    assert any("entities" in p for p in validate(bad))
    bad = copy.deepcopy(record)
    bad["events"][0]["quad_class"] = 7
    assert any("quad_class" in p for p in validate(bad))
