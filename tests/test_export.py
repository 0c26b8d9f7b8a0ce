"""Tests for newsevents.export / exportgdelt: every format is written, loaded back and checked."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SHARED
from newsevents.export import FORMATS, ExportError, export, jsonl_records
from newsevents.exportgdelt import EVENT_COLUMNS, GKG_COLUMNS, MENTION_COLUMNS, fips, geo_type
from newsevents.store import Store
from test_store import BALCAD, GUNMEN, POLICE, _story, make_article_a, make_article_b

GDELT_REF = SHARED / "reference" / "gdelt"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def official_columns(pattern: str, first: str) -> list[str]:
    """Column names, in order, from one of GDELT's column-label files (skip when ../shared is absent)."""
    files = sorted(GDELT_REF.glob(pattern)) if GDELT_REF.is_dir() else []
    if not files:
        pytest.skip("../shared/reference/gdelt is not present")
    path = files[0]
    delimiter = "," if path.suffix == ".csv" else "\t"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines(), delimiter=delimiter))
    for r, row in enumerate(rows):
        if first in row:
            col = row.index(first)
            return [x[col] for x in rows[r:] if len(x) > col and _NAME.match(x[col])]
    raise AssertionError(f"{first} not found in {path}")


def articles() -> list[tuple[object, str]]:
    day = "2024-05-06"
    story = [
        _story("s1", day, "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day, "wire"),
        _story("s2", day, "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day, "radio"),
    ]
    return [(make_article_a(), "ha"), (make_article_b(), "hb"), *[(a, a.id) for a in story]]


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as st:
        st.add_results(articles(), "run-1")  # type: ignore[arg-type]
        yield st


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_column_lists_match_the_official_ones() -> None:
    assert list(EVENT_COLUMNS) == official_columns("*Events*", "GLOBALEVENTID")
    assert list(MENTION_COLUMNS) == official_columns("*eventMentions*", "GLOBALEVENTID")
    assert list(GKG_COLUMNS) == official_columns("*KnowledgeGraph*", "GKGRECORDID")
    assert (len(EVENT_COLUMNS), len(MENTION_COLUMNS), len(GKG_COLUMNS)) == (61, 16, 27)


def test_gdelt_events(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    n = export(store, "gdelt-events", out)
    rows = read_tsv(out)
    assert n == len(rows) == store.stats()["event_groups"] == 4
    assert all(len(r) == 61 for r in rows)
    by = [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows]
    meet = next(r for r in by if r["EventCode"] == "036")
    assert meet["SQLDATE"] == "20220308" and meet["MonthYear"] == "202203" and meet["Year"] == "2022"
    assert meet["Actor1Code"] == "ITAGOV" and meet["Actor1CountryCode"] == "ITA" and meet["Actor1Type1Code"] == "GOV"
    assert meet["Actor2Code"] == "BRAGOV" and meet["Actor2Name"] == "BRAZIL"
    assert meet["EventBaseCode"] == "036" and meet["EventRootCode"] == "03" and meet["QuadClass"] == "1"
    assert meet["ActionGeo_CountryCode"] == "AU" and meet["ActionGeo_Type"] == "4"  # Austria is AU in FIPS
    assert meet["ActionGeo_FeatureID"] == "2761369" and meet["ActionGeo_Lat"] == "48.2"
    assert meet["SOURCEURL"] == "https://example.org/a" and re.fullmatch(r"\d{14}", meet["DATEADDED"])
    attack = next(r for r in by if r["EventCode"] == "190")
    assert (attack["NumMentions"], attack["NumSources"], attack["NumArticles"]) == ("2", "2", "2")
    assert attack["ActionGeo_CountryCode"] == "SO" and attack["Actor1Code"] == "SOMREB"


def test_gdelt_mentions(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "mentions.tsv"
    export(store, "gdelt-mentions", out)
    rows = [dict(zip(MENTION_COLUMNS, r, strict=True)) for r in read_tsv(out)]
    assert len(rows) == 5 and all(len(r) == 16 for r in rows)
    art = make_article_a()
    meet = next(r for r in rows if r["MentionIdentifier"] == "https://example.org/a" and r["Confidence"] == "90")
    assert int(meet["ActionCharOffset"]) == art.events[0].trigger.start
    assert int(meet["Actor1CharOffset"]) == art.events[0].source[0].start
    assert meet["SentenceID"] == "2" and meet["MentionType"] == "1" and meet["MentionSourceName"] == "example.org"
    ids = [r["GLOBALEVENTID"] for r in rows]
    assert len(set(ids)) == 4  # the two attack reports share one event id


def test_gdelt_gkg(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "gkg.tsv"
    assert export(store, "gdelt-gkg", out) == 4
    rows = [dict(zip(GKG_COLUMNS, r, strict=True)) for r in read_tsv(out)]
    assert all(len(r) == 27 for r in rows)
    a = next(r for r in rows if r["DocumentIdentifier"] == "https://example.org/a")
    assert a["V2Tone"].split(",")[0] == "-1.5" and a["V2Tone"].split(",")[-1] == "40"
    assert a["Themes"] == "TRADE" and a["V2Themes"].startswith("TRADE,")
    assert a["Locations"].startswith("4#Vienna, Austria#AU#")
    quote = a["Quotations"].split("|")
    assert quote[2] == "told" and quote[3] == "We will not wait forever,"
    assert a["Amounts"].startswith("300,delegates,")
    assert a["Dates"].startswith("4#3#8#2022#")


def test_plover(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    n = export(store, "plover", out)
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(recs) == 5
    meet = next(r for r in recs if r["event"] == ["CONSULT"])
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_text", "text_info",
                "dead", "injured", "arrested", "event_loc", "quad_code", "event_scale"):
        assert key in meet
    assert meet["actor"][0]["code"] == "ITA" and meet["actor"][0]["sector"] == "GOV"
    assert meet["recipient"][0]["cameo_code"] == "BRAGOV"
    assert meet["mode"] == ["visit"] and meet["context"] == ["diplomatic"] and meet["date"] == "2022-03-08"
    text = make_article_a().text
    info = meet["text_info"]
    assert text[info["start"]:info["end"]] == meet["text"]
    assert meet["event_text"] == ["met"] and meet["event_loc"]["country_code"] == "AUT"


def test_parquet(store: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "pq"
    n = export(store, "parquet", out)
    files = sorted(out.glob("*.parquet"))
    assert n == len(files) >= 15
    assert pq.read_table(out / "events.parquet").num_rows == store.stats()["events"]
    groups = pq.read_table(out / "event_groups.parquet")
    assert groups.num_rows == 4 and "num_mentions" in groups.column_names


def test_jsonl_rebuilds_the_extract_records(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    assert export(store, "jsonl", out) == 4
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    originals = [json.loads(json.dumps(r.to_dict())) for r, _ in articles()]  # type: ignore[attr-defined]
    assert recs == originals
    assert list(jsonl_records(store, chunk=1)) == list(jsonl_records(store))


def test_bad_format_and_paths(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export(store, "xml", tmp_path / "x")
    with pytest.raises(ExportError, match="does not exist"):
        export(store, "plover", tmp_path / "no" / "x.jsonl")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a directory"):
        export(store, "parquet", tmp_path / "file")
    assert "jsonl" in FORMATS


def test_geo_helpers() -> None:
    assert (fips("DEU"), fips("GBR"), fips("UKR"), fips("xxx")) == ("GM", "UK", "UP", "")
    assert geo_type("USA", "PPL") == 3 and geo_type("FRA", "PPLC") == 4 and geo_type("FRA", "ADM1") == 5
    assert geo_type("RUS", "PCLI") == 1 and geo_type("USA", "ADM1") == 2
