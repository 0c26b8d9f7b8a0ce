"""Tests for newsevents.toponyms: finding place-name mentions and their candidates (sentences written here)."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from newsevents.gazetteer import Gazetteer, load_gazetteer
from newsevents.nlp import load_model
from newsevents.tokentable import TokenTable
from newsevents.toponyms import _person_place, collect_mentions, ranked_candidates, region_of


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_a_place_tagged_as_a_person_only_when_no_person_has_that_name(gaz: Gazetteer) -> None:
    doc = load_model()("Officials in Abuja met Whitney Houston fans.")
    abuja, houston = Span(doc, 2, 3, label="PERSON"), Span(doc, 5, 6, label="PERSON")
    mention = _person_place(doc, gaz, abuja, frozenset({"whitney", "houston"}))
    assert mention is not None and any(gaz.entries[i].country == "NGA" for i in mention.ids)
    assert _person_place(doc, gaz, houston, frozenset({"whitney", "houston"})) is None


def test_collect_mentions_gives_sources_offsets_and_candidates(gaz: Gazetteer) -> None:
    text = "KYIV, Ukraine - Russian troops shelled Kharkiv, officials in the city of Odesa said."
    doc = load_model()(text)
    mentions = collect_mentions(doc, TokenTable(doc), gaz)
    by_word = {text[m.start:m.end]: m for m in mentions}
    assert by_word["KYIV"].source == "dateline"
    assert by_word["KYIV"].container == ("UKR", None)  # "Ukraine" right after it holds it
    assert by_word["Russian"].source == "demonym"
    assert "Odesa" in by_word and "Kharkiv" in by_word
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for m in mentions:
        assert m.ids, m


def test_ranked_candidates_prefer_big_main_names(gaz: Gazetteer) -> None:
    ids = gaz.lookup_ids("Paris")
    best = gaz.entries[ranked_candidates(gaz, "Paris", ids)[0][1]]
    assert (best.country, best.feature) == ("FRA", "PPLC")
    assert region_of(best, True) == ("FRA", best.admin1) and region_of(best, False) == ("FRA", None)
