"""Tests for newsevents.evaluate on a small gold file written for the tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsevents.errors import EvalError
from newsevents.evaluate import (
    actor_matches,
    aligner,
    direct_quotes,
    evaluate,
    gold_codes,
    overlap,
    parse_tml,
    shingles,
    token_errors,
)
from newsevents.records import Actor

RECORDS = [
    {"id": "t1", "event": "ACCUSE", "text": "Kenya accused Uganda of arming rebels.",
     "source": [{"actorText": "Kenya", "code": "KEN"}], "target": [{"actorText": "Uganda", "code": "UGA"}]},
    {"id": "t2", "event": "DISAPPROVE", "text": "Peru criticised Chile over the border dispute.",
     "source": [{"actorText": "Peru", "code": "PER"}], "target": [{"actorText": "Chile", "code": "CHL"}]},
    {"id": "t3", "event": "AID", "text": "The weather was mild in Lima.", "source": [], "target": ""},
]


@pytest.fixture()
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_scores_a_small_gold_file(gold: Path) -> None:
    f = evaluate("plover", str(gold))
    assert f["plover.sentences"] == 3
    assert f["plover.type_recall"] == pytest.approx(2 / 3)  # old name DISAPPROVE maps to ACCUSE
    assert f["plover.strict_accuracy"] == pytest.approx(2 / 3)
    assert f["plover.no_event_rate"] == pytest.approx(1 / 3)
    assert f["plover.recall.AID"] == 0.0


def test_code_mapping_and_actor_matching() -> None:
    assert gold_codes([{"code": "JAP"}, {"code": "ITL"}, {"code": "x"}]) == ["JPN", "ITA"]
    assert actor_matches("RUS", Actor("Kremlin", 0, 7, code="RUSGOV", country="RUS"))
    assert actor_matches("IGO", Actor("NATO", 0, 4, code="IGOWSTNAT", kind="igo"))
    assert not actor_matches("USA", Actor("NATO", 0, 4, code="IGOWSTNAT", kind="igo"))


def test_missing_gold_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="not found"):
        evaluate("plover", str(tmp_path / "none.jsonl"))
    with pytest.raises(EvalError, match="unknown task"):
        evaluate("nonsense", str(tmp_path))


# ----------------------------------------------------------------------------- the other tasks


def test_aligner_and_overlap() -> None:
    move = aligner("Kyiv said no.", "Kyiv  said no.")
    assert [move(0), move(5), move(13)] == [0, 6, 14]
    assert aligner("same", "same")(3) == 3
    assert overlap(0, 10, 5, 10) == 1.0  # the shorter span lies inside the longer
    assert overlap(0, 4, 4, 8) == 0.0
    assert token_errors("a b c", "a bc") == 2 and token_errors("a b", "a b") == 0
    assert shingles("One two three four five")[("two", "three", "four", "five")] == 1


def test_parse_tml_and_brat_quotes(tmp_path: Path) -> None:
    tml = tmp_path / "d.tml"
    tml.write_text('<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2001-05-04">May 4</TIMEX3></DCT>'
                   '<TEXT>It rained <TIMEX3 tid="t1" type="DATE" value="2001-05-03">yesterday</TIMEX3>.</TEXT>'
                   '</TimeML>', encoding="utf-8")
    dct, text, gold = parse_tml(tml)
    assert dct == "2001-05-04" and text == "It rained yesterday."
    assert gold == [(10, 19, "DATE", "2001-05-03")]
    text = 'Ann Lee said: "We won." Others said it was close.'
    ann = tmp_path / "a.ann"
    ann.write_text("T1\tSource 0 7\tAnn Lee\nT2\tCue 8 12\tsaid\nT3\tContent 14 23\t\"We won.\"\n"
                   "T4\tContent 36 49\tit was close\nE1\tAttribution:T2 Source:T1 Content:T3\n"
                   "E2\tAttribution:T2 Content:T4\n", encoding="utf-8")
    assert direct_quotes(ann, text) == [(14, 23, (0, 7))]  # the indirect one is not a direct quotation


def _write_geo(path: Path) -> None:
    text = "Officials in Nairobi said talks with Ethiopia would go on in Zorbville."
    tops = "".join(
        f"<toponym><extractedName>{n}</extractedName><start>{s}</start><end>{e}</end>"
        f"<latitude>{lat}</latitude><longitude>{lon}</longitude></toponym>"
        for n, s, e, lat, lon in [("Nairobi", 13, 20, -1.28, 36.82), ("Ethiopia", 37, 45, 8.5, 38.5),
                                  ("Zorbville", 61, 70, 10.0, 10.0)]
    )
    path.write_text(f'<articles><article file="0"><text>{text}</text><toponyms>{tops}'
                    "<toponym><extractedName>talks</extractedName><start>26</start><end>31</end></toponym>"
                    "</toponyms></article></articles>", encoding="utf-8")


def test_geo_task(tmp_path: Path) -> None:
    _write_geo(tmp_path / "GWN.xml")
    f = evaluate("geo", str(tmp_path))  # a folder holding GWN.xml, or the file itself
    assert f["geo.gwn.articles"] == 1
    assert f["geo.gwn.toponym_recall"] == pytest.approx(2 / 3)  # the invented town is not found
    assert f["geo.gwn.acc161_on_found"] == 1.0
    assert f["geo.gwn.precision"] == 1.0


def test_quotes_task(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    text = "“We will rebuild the bridge,” Mayor Ann Lee said on Monday.\n\nThe council agreed."
    (tmp_path / "text" / "art1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "attributions" / "art1_ab12.ann").write_text(
        "T1\tContent 0 29\t“We will rebuild the bridge,”\nT2\tSource 30 42\tMayor Ann Lee\nT3\tCue 43 47\tsaid\n"
        "E1\tAttribution:T3 Source:T2 Content:T1\n", encoding="utf-8")
    f = evaluate("quotes", str(tmp_path))
    assert f["quotes.gold"] == 1
    assert f["quotes.recall(direct)"] == 1.0 and f["quotes.precision(direct)"] == 1.0
    assert f["quotes.speaker_accuracy_on_found"] == 1.0


def test_dates_task(tmp_path: Path) -> None:
    (tmp_path / "TimeBank").mkdir()
    (tmp_path / "TimeBank" / "d1.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2001-05-04">May 4, 2001</TIMEX3></DCT><TEXT>'
        'The bank cut rates <TIMEX3 tid="t1" type="DATE" value="2001-05-03">yesterday</TIMEX3> and will '
        'meet again <TIMEX3 tid="t2" type="DATE" value="2001-06">in June</TIMEX3>.</TEXT></TimeML>',
        encoding="utf-8")
    f = evaluate("dates", str(tmp_path))
    assert f["dates.documents"] == 1
    assert f["dates.relaxed_recall"] == 1.0
    assert f["dates.value_accuracy_on_found"] == pytest.approx(1.0)


def test_glue_html_and_india_tasks(tmp_path: Path) -> None:
    original = "Officials in Kenya met on Monday. The talks went well."
    glue = tmp_path / "glue.jsonl"
    glue.write_text(json.dumps({"id": "g1", "original": original, "glued": original}) + "\n", encoding="utf-8")
    f = evaluate("glue", str(glue))
    assert f["glue.clean_text_untouched"] == 1.0 and f["glue.articles"] == 1

    html = tmp_path / "html"
    (html / "html").mkdir(parents=True)
    body = "The council voted on Tuesday to rebuild the old bridge over the river before next winter."
    with gzip.open(html / "html" / "p1.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(f"<html><head><title>Bridge</title></head><body><article><p>{body}</p></article></body></html>")
    (html / "ground-truth.json").write_text(json.dumps({"p1": {"url": "http://x.test/a", "articleBody": body}}))
    f = evaluate("html", str(html))
    assert f["html.pages"] == 1 and f["html.recall"] > 0.9

    india = tmp_path / "india"
    india.mkdir()
    sents = [{"doc_id": 1, "sent_id": 0, "sent_labels": ["ARREST"],
              "sent_text": "Police arrested 20 rioters in the city."},
             {"doc_id": 1, "sent_id": 1, "sent_labels": [],
              "sent_text": "The weather in the city stayed mild throughout the whole of the week."}]
    (india / "sents.jsonl").write_text("".join(json.dumps(s) + "\n" for s in sents), encoding="utf-8")
    f = evaluate("india", str(india))
    assert f["india.sentences"] == 2
    assert f["india.violence_on_unlabelled_rate"] == 0.0
    assert 0.0 <= f["india.coerce_recall(arrest)"] <= 1.0


def test_missing_gold_folders_are_clear_errors(tmp_path: Path) -> None:
    for task in ("geo", "quotes", "dates", "html", "india"):
        with pytest.raises(EvalError):
            evaluate(task, str(tmp_path / "absent"))
