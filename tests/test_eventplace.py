"""Tests for newsevents.eventplace: the place of an event and the countries of its actors."""

from __future__ import annotations

import spacy

from newsevents import extract
from newsevents.actors import ActorCoder
from newsevents.eventplace import EventPlacer
from newsevents.knowledge import load_knowledge
from newsevents.records import Actor


def placer() -> EventPlacer:
    kb = load_knowledge()
    return EventPlacer(kb, ActorCoder(kb, spacy.blank("en")), lambda tokens, ctx: [])


def test_localised_gives_bare_sectors_the_country_and_leaves_coded_actors_alone() -> None:
    kenya = Actor("Kenya", 0, 5, "Kenya", "KEN", "KEN", None, "country")
    police = Actor("police", 10, 16, None, "COP", None, "COP", "other")
    envoy = Actor("the UN envoy", 20, 32, None, "IGOUNO", None, None, "person")
    un = Actor("UN", 40, 42, "United Nations", "IGOUNO", None, None, "igo")
    pl = placer()
    assert pl.localised(police, kenya) == Actor("police", 10, 16, None, "KENCOP", "KEN", "COP", "other")
    assert pl.localised(envoy, kenya) is envoy
    assert pl.localised(un, kenya) is un
    assert pl.localised(kenya, Actor("Peru", 0, 4, "Peru", "PER", "PER", None, "country")) is kenya


def test_ethnic_qualifier_strips_the_nationality() -> None:
    doc = spacy.blank("en")("Police detained three ethnic Uzbeks on Friday.")
    uzbeks = Actor("Uzbeks", 29, 35, "Uzbekistan", "UZBCVL", "UZB", "CVL", "country")
    plain = Actor("Uzbeks", 29, 35, "Uzbekistan", "UZBCVL", "UZB", "CVL", "country")
    stripped = placer().ethnic(uzbeks, doc)
    assert stripped.country is None and stripped.code == "CVL"
    other = spacy.blank("en")("Police detained three young Uzbeks on Friday.")
    assert placer().ethnic(plain, other) is plain


def test_domestic_target_only_for_domestic_kinds() -> None:
    pl = placer()
    police = Actor("Kenyan police", 0, 13, None, "KENCOP", "KEN", "COP", "other")
    assert [a.country for a in pl.domestic_target("173", [police], [])] == ["KEN"]
    assert pl.domestic_target("042", [police], []) == []  # a visit needs a named host


def test_place_of_the_act_through_nested_nouns_and_not_from_reporting_clause() -> None:
    ev = next(e for e in extract("A bomb exploded in a crowded market of central Peshawar on Monday, "
                                 "killing four people, officials in Kabul said.", published="2023-05-01").events
              if e.plover == "ASSAULT")
    assert {a.country for a in ev.source} <= {"PAK"} and "AFG" not in {a.country for a in ev.target}


def test_state_or_military_force_gets_no_domestic_recipient() -> None:
    pl = placer()
    jets = Actor("Indian warplanes", 0, 16, None, "INDMIL", "IND", "MIL", "other")
    usa = Actor("United States", 0, 13, "United States", "USA", "USA", None, "country")
    police = Actor("Egyptian police", 0, 15, None, "EGYCOP", "EGY", "COP", "other")
    assert pl.domestic_target("195", [jets], []) == []
    assert pl.domestic_target("190", [usa], []) == []
    assert [a.country for a in pl.domestic_target("190", [police], [])] == ["EGY"]


def test_soldier_hit_abroad_keeps_no_borrowed_country() -> None:
    ev = next(e for e in extract("Wing Commander Arjun Rao was captured in Pakistan on Wednesday.",
                                 published="2023-05-01").events if e.plover == "COERCE")
    assert "PAK" not in {a.country for a in ev.target}
