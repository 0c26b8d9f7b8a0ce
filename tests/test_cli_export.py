"""Tests for ``newsevents export`` (newsevents.cli_export), run through ``cli.main``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from newsevents import cli
from newsevents.cli_export import register
from newsevents.store import Store
from test_store import make_article_a, make_article_b


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ne.duckdb"
    with Store.open(path) as st:
        st.add_results([(make_article_a(), "ha"), (make_article_b(), "hb")], "r")
    return path


@pytest.fixture(autouse=True)
def _with_export(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("newsevents.cli_export",))


def test_register_adds_the_command() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["export", "--db", "x.duckdb", "--format", "plover", "--out", "o.jsonl"])
    assert args.format == "plover" and args.out == "o.jsonl" and callable(args.func)


def test_export_plover(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.jsonl"
    assert cli.main(["export", "--db", str(db), "--format", "plover", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["event"]
    assert "3 records" in capsys.readouterr().err


def test_export_gdelt_events(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.tsv"
    assert cli.main(["export", "--db", str(db), "--format", "gdelt-events", "--out", str(out)]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and all(len(r.split("\t")) == 61 for r in rows)


def test_missing_database_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["export", "--db", str(tmp_path / "none.duckdb"), "--format", "jsonl",
                     "--out", str(tmp_path / "o.jsonl")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err and "Traceback" not in err


def test_bad_output_is_a_clean_error(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["export", "--db", str(db), "--format", "jsonl", "--out", str(tmp_path / "no" / "o.jsonl")])
    assert code == 2 and "E601" in capsys.readouterr().err


def test_unknown_format_is_refused_by_argparse(db: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "--db", str(db), "--format", "xml", "--out", str(tmp_path / "o")])
