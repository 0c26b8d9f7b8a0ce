"""Tests for newsevents.cli: extract, run, stats, events, summary, eval through main()."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from newsevents.cli import main

ARTICLE = (
    "Turkey and Greece agree to resume talks\n\n"
    "ANKARA, March 3, 2023 - Turkish Foreign Minister Mevlut Cavusoglu met Greek Foreign Minister "
    "Nikos Dendias in Ankara on Friday. Turkey accused Greece of violating its airspace. "
    "\u201cWe will keep talking,\u201d Cavusoglu told reporters."
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str | None = None,
         monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_files_in_order_with_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x00binary")
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": "Police arrested ten protesters."}\n{broken\n',
                                      encoding="utf-8")
    code, out, err = _run(["extract", str(tmp_path), "--published", "2023-03-03"], capsys)
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records[:1]] == ["a"]
    assert len(records) == 4  # a.txt, b.txt (error), c1, broken line (error)
    assert records[0]["events"] and records[0]["schema"] == "newsevents/1"
    assert records[1]["errors"] and "binary" in records[1]["errors"][0]["message"]
    assert records[2]["id"] == "c1" and not records[2]["errors"]
    assert "malformed JSON" in records[3]["errors"][0]["message"]
    assert "binary" in err


def test_extract_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    line = json.dumps({"id": "s1", "title": "T", "text": ARTICLE.split("\n\n", 1)[1], "published": "2023-03-03"})
    code, out, _ = _run(["extract"], capsys, stdin=line + "\n", monkeypatch=monkeypatch)
    assert code == 0
    rec = json.loads(out)
    assert rec["id"] == "s1" and rec["text"].startswith("T\n\n")


def test_extract_exits_nonzero_when_nothing_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "b.txt").write_bytes(b"\x00\x00binary")
    code, out, _ = _run(["extract", str(tmp_path / "b.txt")], capsys)
    assert code == 2
    assert len(out.splitlines()) == 1


def test_missing_path_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["extract", "/no/such/file.txt"], capsys)
    assert code == 2 and "E101" in err and "Traceback" not in err


def test_run_is_idempotent_and_queryable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x00binary")
    db = str(tmp_path / "t.duckdb")
    code, _, err = _run(["run", str(tmp_path / "in"), "--db", db, "--published", "2023-03-03"], capsys)
    assert code == 0, err
    _, out, _ = _run(["stats", "--db", db, "--json"], capsys)
    first = json.loads(out)
    assert first["articles"] == 1 and first["events"] >= 1 and first["errors"] >= 1
    assert {"articles", "events", "quotes", "places", "errors"} <= set(first)
    _run(["run", str(tmp_path / "in"), "--db", db], capsys)
    _, out, _ = _run(["stats", "--db", db, "--json"], capsys)
    second = json.loads(out)
    assert {k: second[k] for k in ("articles", "events", "quotes", "places", "errors")} == {
        k: first[k] for k in ("articles", "events", "quotes", "places", "errors")}
    code, out, _ = _run(["events", "--db", db, "--actor", "TUR", "--format", "json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows
    assert all("TUR" in json.dumps(r) for r in rows)
    code, out, _ = _run(["events", "--db", db, "--type", "ASSAULT", "--format", "json"], capsys)
    assert code == 0 and out.strip() == ""
    code, out, _ = _run(["summary", "--db", db], capsys)
    assert code == 0 and "Articles" in out or "articles" in out


def test_corrupt_database_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.duckdb"
    db.write_bytes(b"this is not a database" * 100)
    code, _, err = _run(["stats", "--db", str(db)], capsys)
    assert code == 2 and "E401" in err and "Traceback" not in err
