"""Tests for newsevents.ingest: files, folders, JSON Lines and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsevents.errors import InputError
from newsevents.ingest import content_hash, iter_articles, split_title


def test_txt_title_and_body(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Leaders meet in Geneva\n\nThe two presidents met on Monday.\nSecond line.\n", encoding="utf-8")
    (art,) = list(iter_articles([str(f)]))
    assert art.title == "Leaders meet in Geneva"
    assert art.text == "The two presidents met on Monday.\nSecond line."
    assert art.id == "a"
    assert art.error is None


def test_txt_without_blank_second_line_has_no_title() -> None:
    assert split_title("One line\nanother line\n") == (None, "One line\nanother line")


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "l.txt"
    f.write_bytes("Le président a parlé à Paris.".encode("latin-1"))
    (art,) = list(iter_articles([str(f)]))
    assert art.text == "Le président a parlé à Paris."


def test_binary_and_empty_files_become_error_records(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "e.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("A body of text.", encoding="utf-8")
    arts = list(iter_articles([str(tmp_path)]))
    assert [Path(a.origin or "").name for a in arts] == ["b.txt", "e.txt", "ok.txt"]
    assert "binary" in (arts[0].error or "")
    assert "empty" in (arts[1].error or "")
    assert arts[2].error is None and arts[2].text == "A body of text."


def test_jsonl_good_and_bad_lines_keep_order(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "x1", "text": "First.", "published": "2022-02-07"}),
        "{not json",
        json.dumps({"id": "x3", "title": 5, "text": "Third."}),
        json.dumps({"id": 4}),
        json.dumps(["a list"]),
        json.dumps({"text": "No id here."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts = list(iter_articles([str(f)]))
    assert len(arts) == 6
    assert arts[0].id == "x1" and arts[0].published == "2022-02-07" and arts[0].error is None
    assert "malformed JSON" in (arts[1].error or "") and arts[1].origin == f"{f}:2"
    assert "'title' must be a string" in (arts[2].error or "") and arts[2].text == "Third."
    assert "neither 'text' nor 'html'" in (arts[3].error or "") and arts[3].id == "4"
    assert "not an object" in (arts[4].error or "")
    assert arts[5].id and len(arts[5].id) == 16 and arts[5].error is None


def test_missing_id_is_a_stable_content_hash() -> None:
    a = list(iter_articles(["-"], stdin=io.StringIO('{"text": "Same text."}\n')))[0]
    b = list(iter_articles(["-"], stdin=io.StringIO('{"text": "Same text."}\n')))[0]
    c = list(iter_articles(["-"], stdin=io.StringIO('{"text": "Other text."}\n')))[0]
    assert a.id == b.id != c.id
    assert content_hash(a) == content_hash(b)


def test_html_file_is_passed_on_as_html(tmp_path: Path) -> None:
    f = tmp_path / "p.html"
    f.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    (art,) = list(iter_articles([str(f)]))
    assert art.html and "<p>Hello</p>" in art.html and art.text is None


def test_missing_path_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_articles(["/definitely/not/here.txt"]))


def test_unsupported_suffix_is_recorded(tmp_path: Path) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF")
    (art,) = list(iter_articles([str(f)]))
    assert "unsupported file type" in (art.error or "")
