"""Bad input, one kind at a time and mixed with good articles (issue #9).

Every bad input must yield a record (``extract``) or an ``input_errors`` row (``run``) whose
message says what is wrong; the good articles beside it must come out exactly as they do
without the bad input; ``extract`` exits 0 unless it could read nothing at all.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from newsevents import cli
from newsevents.ingest import iter_articles
from newsevents.records import Article
from newsevents.store import Store

GOOD = {
    "good-talks.txt": "Talks in Nairobi\n\nKenya and Ethiopia signed a water agreement in Nairobi on Monday. "
                      "The Ethiopian prime minister praised Kenya for its help.",
    "good-protest.txt": "Protest in Lima\n\nThousands of teachers protested in Lima on Tuesday against the "
                        "government. Police arrested twelve protesters near the ministry.",
}
GOOD_JSON = {"id": "good-aid", "published": "2024-01-10",
             "text": "Japan promised emergency aid to the Philippines after the typhoon."}

#: A paragraph repeated to make long inputs; about 100 characters.
FILLER = "Russia criticised Ukraine on Tuesday. The minister met officials in Paris to discuss the crisis.\n\n"


def _warc_bytes() -> bytes:
    """A gzipped WARC with two HTML responses."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i, body in enumerate(("Kenya and Ethiopia signed a water agreement in Nairobi on Monday. " * 3,
                              "Police arrested twelve protesters in Lima on Tuesday after the march. " * 3)):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        page = f"<html><head><title>Page {i}</title></head><body><article><p>{body}</p></article></body></html>"
        writer.write_record(writer.create_warc_record(f"https://news.example.org/{i}", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=headers))
    return buf.getvalue()


# name -> (file name, bytes, expected error code or None, words the message must contain)
BAD: dict[str, tuple[str, bytes, str | None, tuple[str, ...]]] = {
    "empty": ("empty.txt", b"", "E101", ("empty",)),
    "whitespace": ("blank.txt", b"  \n\n \t\n", "E101", ("empty",)),
    "binary-txt": ("photo.txt", bytes(range(256)) * 40, "E101", ("binary",)),
    "binary-html": ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "E101", ("binary",)),
    "gzip-as-jsonl": ("packed.jsonl", gzip.compress(b'{"text": "hidden"}\n' * 50), "E101", ("malformed JSON",)),
    "broken-json": ("broken.jsonl", b'{"id": "b1", "text": "unterminated\n', "E101", ("malformed JSON",)),
    "deep-json": ("deep.jsonl", b"[" * 5000 + b"]" * 5000 + b"\n", "E101", ("nested too deeply",)),
    "json-list": ("list.jsonl", b'["a", "list"]\n', "E101", ("not an object",)),
    "missing-text": ("notext.jsonl", b'{"id": "n1", "url": "https://example.org/x"}\n', "E101",
                     ("neither 'text' nor 'html'",)),
    "wrong-type": ("wrong.jsonl", b'{"id": "w1", "text": 42}\n', "E101", ("must be a string",)),
    "truncated-warc": ("cut.warc.gz", _warc_bytes()[:-80], "E101", ("truncated",)),
    "garbage-warc": ("junk.warc.gz", b"\x1f\x8b\x08\x00" + bytes(range(200)), "E101", ("WARC",)),
    "unsupported": ("report.pdf", b"%PDF-1.7 not a news article", "E101", ("unsupported file type",)),
    "html-no-text": ("img.html", b"<html><body><img src='a.png'><script>var x = 1;</script></body></html>", "E110",
                     ("no article text",)),
    "non-english": ("spanish.txt", "Noticias\n\nEl gobierno de España firmó un acuerdo comercial con Francia el "
                    "lunes en Madrid, tras largas negociaciones entre los ministros.\n".encode(), "E130",
                    ("not English",)),
    "bad-date": ("date.jsonl", b'{"id": "d1", "published": "next Tuesday", "text": "Japan thanked Peru."}\n',
                 "E102", ("not an ISO date",)),
    "surrogate": ("surrogate.jsonl", b'{"id": "s1", "text": "Kenya thanked Uganda \\ud800 on Monday."}\n', "E101",
                  ("surrogate",)),
}

#: Bad inputs that still carry readable text: their record has text and analysis goes on.
READABLE = {"non-english", "bad-date", "surrogate", "truncated-warc"}


def _write_good(folder: Path) -> None:
    for name, body in GOOD.items():
        (folder / name).write_text(body, encoding="utf-8")
    (folder / "good-wire.jsonl").write_text(json.dumps(GOOD_JSON) + "\n", encoding="utf-8")


def _extract(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    code = cli.main(["extract", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def _good_records(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records if r["id"].startswith("good")}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_each_bad_input_alone_gives_a_clear_record(kind: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    name, data, code, words = BAD[kind]
    path = tmp_path / name
    path.write_bytes(data)
    status, records, err = _extract([str(path)], capsys)
    assert records, "every input yields at least one record"
    flagged = [r for r in records if any(e["code"] == code for e in r["errors"])]
    assert flagged, f"no {code} error in {[r['errors'] for r in records]}"
    message = " ".join(e["message"] for r in flagged for e in r["errors"])
    for word in words:
        assert word in message
    assert "Traceback" not in err
    readable = any(r["text"] for r in records)
    assert status == (0 if readable else 2)
    if kind not in READABLE:
        assert not any(r["events"] for r in flagged)


def test_bad_inputs_mixed_with_good_leave_the_good_untouched(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    _write_good(alone)
    status, ref, _ = _extract([str(alone)], capsys)
    assert status == 0 and len(ref) == 3 and all(not r["errors"] for r in ref)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    _write_good(mixed)
    for name, data, _, _ in BAD.values():
        (mixed / name).write_bytes(data)
    bad_jsonl = b"".join(BAD[k][1] for k in ("broken-json", "deep-json", "json-list", "wrong-type", "surrogate"))
    (mixed / "good-wire.jsonl").write_bytes(bad_jsonl + json.dumps(GOOD_JSON).encode() + b"\n" + bad_jsonl)
    status, records, err = _extract([str(mixed)], capsys)
    assert status == 0
    assert "Traceback" not in err
    assert _good_records(records) == _good_records(ref)
    assert len(records) >= len(BAD) + 3
    assert sum(bool(r["errors"]) for r in records) >= len(BAD)


def test_extract_exits_2_only_when_nothing_was_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("empty", "binary-txt", "broken-json"):
        name, data, _, _ = BAD[kind]
        (tmp_path / name).write_bytes(data)
    status, records, err = _extract([str(tmp_path)], capsys)
    assert status == 2 and len(records) == 3 and "no readable article" in err
    (tmp_path / "ok.txt").write_text(GOOD["good-talks.txt"], encoding="utf-8")
    status, records, _ = _extract([str(tmp_path)], capsys)
    assert status == 0 and len(records) == 4


def test_a_missing_path_stops_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_good(tmp_path)
    status, records, err = _extract([str(tmp_path), str(tmp_path / "typo.txt")], capsys)
    assert status == 2 and records == []
    assert "no such file or folder" in err and "typo.txt" in err and "Traceback" not in err


def test_run_records_bad_inputs_and_stores_the_good_ones_unchanged(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    alone, mixed = tmp_path / "alone", tmp_path / "mixed"
    alone.mkdir()
    mixed.mkdir()
    _write_good(alone)
    _write_good(mixed)
    unreadable = ("empty", "binary-txt", "broken-json", "deep-json", "json-list", "missing-text", "garbage-warc",
                  "unsupported")
    for kind in (*unreadable, "non-english", "html-no-text"):
        name, data, _, _ = BAD[kind]
        (mixed / name).write_bytes(data)
    assert cli.main(["run", str(alone), "--db", str(tmp_path / "alone.duckdb")]) == 0
    # 7 of the 12 inputs are unreadable: more than cli.MAX_FAILURE_RATIO, so the run says so with status 1.
    assert cli.main(["run", str(mixed), "--db", str(tmp_path / "mixed.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "7 unreadable" in err
    with Store.open(tmp_path / "alone.duckdb", read_only=True) as a, \
            Store.open(tmp_path / "mixed.duckdb", read_only=True) as m:
        sql = ("SELECT article_id, event_index, cameo, evidence FROM event_list WHERE article_id LIKE 'good%' "
               "ORDER BY article_id, event_index")
        assert m._query(sql) == a._query(sql) != []
        errors = m._query("SELECT origin, message FROM input_errors ORDER BY origin")
        assert len(errors) == len(unreadable) - 1  # a folder walk skips the .pdf: only known suffixes are read
        assert all(msg for _, msg in errors)
        assert m.stats()["articles"] == a.stats()["articles"] + 2  # the Spanish article and the empty page


def test_latin1_and_mixed_encodings_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "latin1.txt").write_bytes("Café talks\n\nFrance and Germany signed an agreement in Paris on "
                                          "Monday, said the minister «at last».\n".encode("latin-1"))
    (tmp_path / "mixed.txt").write_bytes("Mixed\n\nRussia criticised Ukraine on Tuesday — and café owners "
                                         "protested.\n".encode().replace("é".encode(), b"\xe9"))
    status, records, _ = _extract([str(tmp_path)], capsys)
    assert status == 0
    latin1, mixed = records
    assert latin1["text"].startswith("Café talks\n\nFrance") and "«at last»" in latin1["text"]
    assert "—" in mixed["text"] and "café" in mixed["text"]
    assert any(r["kind"] == "encoding" for r in mixed["repairs"])
    assert latin1["events"] and mixed["events"]


def test_html_nested_20000_levels_keeps_its_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    para = "<p>Kenya and Ethiopia signed a water agreement in Nairobi on Monday after long talks.</p>"
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 20_000 + para + "</div>" * 20_000 + "</body></html>",
                                        encoding="utf-8")
    t0 = time.monotonic()
    status, (record,), _ = _extract([str(tmp_path / "deep.html")], capsys)
    assert time.monotonic() - t0 < 30
    assert status == 0 and not record["errors"]
    assert "Kenya and Ethiopia signed a water agreement" in record["text"]


def test_ten_megabyte_text_is_read_in_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Big file\n\n" + FILLER * (10_000_000 // len(FILLER)), encoding="utf-8")
    tracemalloc.start()
    try:
        t0 = time.monotonic()
        (article,) = list(iter_articles([str(big)]))
        seconds = time.monotonic() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(article.text or "") > 9_900_000 and article.title == "Big file"
    assert seconds < 10
    assert peak < 12 * big.stat().st_size  # bytes, decoded str and the split copies; no blow-up


def test_long_text_is_cut_at_max_chars(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "long.txt").write_text("Long file\n\n" + FILLER * 1000, encoding="utf-8")
    t0 = time.monotonic()
    status, (record,), _ = _extract([str(tmp_path / "long.txt"), "--max-chars", "3000"], capsys)
    assert time.monotonic() - t0 < 60
    assert status == 0 and len(record["text"]) <= 3000
    assert [e["code"] for e in record["errors"]] == ["E120"]
    assert "only the first 3000" in record["errors"][0]["message"]
    assert record["events"]


def test_text_emptied_by_cleaning_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    _, (record,), _ = _extract([str(tmp_path / "nav.html")], capsys)
    assert record["text"] == ""
    assert record["errors"], "an article analysed as empty must say why"


def test_body_is_cut_before_cleaning(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsevents.pipeline as pipeline

    seen: list[int] = []
    real: Callable = pipeline.clean_text

    def spy(body: str, title: str | None = None, options: object = None) -> object:
        seen.append(len(body))
        return real(body[:20_000], title, options)

    monkeypatch.setattr(pipeline, "clean_text", spy)
    result = pipeline.process(Article(id="big", text=FILLER * 50_000), pipeline.Options(max_chars=2000))
    assert [e.code for e in result.errors] == ["E120"]
    assert seen and max(seen) <= 10 * 2000  # some slack for what cleaning removes, not 5 MB


def test_stdin_with_bad_lines(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps(GOOD_JSON), "{broken", "", "null", json.dumps({"text": ""}), json.dumps({"html": "<p>"})]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    status, records, err = _extract([], capsys)
    assert status == 0 and "Traceback" not in err
    assert len(records) == 5  # the blank line is no record
    assert records[0]["id"] == "good-aid" and records[0]["events"] and not records[0]["errors"]
    assert all(r["errors"] for r in records[1:])
