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


# ---------------------------------------------------------------------------- WARC
def _warc(path: Path, gzip: bool = True) -> bytes:
    """A small WARC: two HTML pages, a request, an image, a 404 page and a resource page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)

    def response(url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": "2023-07-30T12:00:00Z"}))

    page = "<html><head><title>Bloc gives junta a week</title></head><body><article><p>{}</p></article></body></html>"
    response("https://news.example.org/a", page.format("Leaders met in Abuja on Sunday." * 20).encode(),
             "text/html; charset=utf-8")
    writer.write_record(writer.create_warc_record("https://news.example.org/a", "request",
                                                  payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
    response("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
    response("https://news.example.org/missing", b"<html><body>Not found</body></html>", "text/html",
             "404 Not Found")
    response("https://news.example.org/b", page.format("Gaza truce talks résumé in Doha.").encode("latin-1"),
             "text/html; charset=iso-8859-1")
    writer.write_record(writer.create_warc_record("https://news.example.org/c", "resource",
                                                  payload=io.BytesIO(page.format("A resource page.").encode()),
                                                  warc_content_type="text/html"))
    data = buf.getvalue()
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_html_responses_become_articles(tmp_path: Path, gzip: bool) -> None:
    f = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    _warc(f, gzip)
    arts = list(iter_articles([str(f)]))
    assert [a.url for a in arts] == ["https://news.example.org/a", "https://news.example.org/b",
                                     "https://news.example.org/c"]
    assert all(a.error is None and a.html and a.text is None for a in arts)
    assert arts[0].published == "2023-07-30T12:00:00Z"
    assert "Leaders met in Abuja" in (arts[0].html or "")
    assert "résumé" in (arts[1].html or "")  # the charset of the Content-Type is used
    assert len({a.id for a in arts}) == 3


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    full = tmp_path / "full.warc.gz"
    data = _warc(full)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 60])  # inside the last record
    arts = list(iter_articles([str(cut)]))
    assert [a.url for a in arts[:-1]] == ["https://news.example.org/a", "https://news.example.org/b"]
    assert arts[-1].error and "truncated" in arts[-1].error
    assert arts[-1].origin and arts[-1].origin.startswith(str(cut) + "#")
    early = tmp_path / "early.warc.gz"
    early.write_bytes(data[:40])
    (only,) = list(iter_articles([str(early)]))
    assert only.error and ("truncated" in only.error or "corrupt" in only.error)


def test_not_a_warc_is_an_error_record(tmp_path: Path) -> None:
    f = tmp_path / "junk.warc"
    f.write_bytes(b"this is not a web archive at all\n" * 5)
    arts = list(iter_articles([str(f)]))
    assert len(arts) == 1 and arts[0].error


def test_folder_walk_includes_warc_and_feeds(tmp_path: Path) -> None:
    _warc(tmp_path / "a.warc.gz")
    (tmp_path / "b.rss").write_text(
        "<rss version='2.0'><channel><title>Wire</title><item><title>Talks resume</title>"
        "<link>https://news.example.org/t</link><description>Negotiators met again on Monday.</description>"
        "</item></channel></rss>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Plain text.", encoding="utf-8")
    arts = list(iter_articles([str(tmp_path)]))
    assert [a.url for a in arts[:4]] == ["https://news.example.org/a", "https://news.example.org/b",
                                         "https://news.example.org/c", "https://news.example.org/t"]
    assert arts[3].title == "Talks resume" and arts[3].text == "Negotiators met again on Monday."
    assert arts[4].text == "Plain text."
