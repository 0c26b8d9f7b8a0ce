"""Tests for newsevents.actors: knowledge matches, composed noun phrases, offices by date, pronouns."""

from __future__ import annotations

from datetime import date

from newsevents.actors import ActorCoder
from newsevents.knowledge import load_knowledge
from newsevents.nlp import load_model
from newsevents.records import Actor


def code_subject(text: str, day: date | None = date(2022, 2, 7)) -> Actor | None:
    nlp = load_model()
    coder = ActorCoder(load_knowledge(), nlp)
    doc = nlp(text)
    ctx = coder.start_article(doc, day)
    root = [s.root for s in doc.sents][-1]
    subj = next(c for c in root.children if c.dep_ in ("nsubj", "nsubjpass"))
    return coder.code_token(subj, ctx)


def test_country_adjective_and_agent_compose() -> None:
    a = code_subject("Russian troops crossed the river.")
    assert a is not None and a.code == "RUSMIL" and a.country == "RUS" and a.text == "Russian troops"


def test_seat_of_government() -> None:
    a = code_subject("The Kremlin denied the report.")
    assert a is not None and a.code == "RUSGOV" and a.kind == "country"


def test_igo_by_alias() -> None:
    a = code_subject("The Atlantic Alliance rejected the demands.")
    assert a is not None and a.code == "IGOWSTNAT" and a.kind == "igo"


def test_person_coded_by_office_on_the_article_date() -> None:
    a = code_subject("Macron arrived on Monday.", day=date(2022, 2, 7))
    assert a is not None and a.code == "FRAGOV" and a.name == "Emmanuel Macron" and a.kind == "person"


def test_unknown_person_with_title_and_later_surname() -> None:
    a = code_subject("Zambian Foreign Minister Kelvin Nkandu spoke. Nkandu left.")
    assert a is not None and a.code == "ZMBGOV" and a.name == "Kelvin Nkandu"


def test_apposition_gives_the_office() -> None:
    a = code_subject("Mirela Voss, the Moldovan defence minister, resigned.")
    assert a is not None and a.country == "MDA"


def test_pronoun_points_back_to_the_last_fitting_actor() -> None:
    a = code_subject("Ecuador closed its embassy. It recalled the ambassador.")
    assert a is not None and a.country == "ECU" and a.text == "It"


def test_plain_noun_is_no_actor() -> None:
    assert code_subject("The weather improved.") is None


def test_capital_naming_an_organisation_is_not_the_government() -> None:
    from newsevents import extract

    ev = next(e for e in extract("The Lusaka Water Forum concluded that Zambia must build new plants.",
                                 published="2023-05-01").events if e.plover == "REQUEST")
    assert all(a.sector != "GOV" for a in ev.source)
    gov = next(e for e in extract("Moscow's envoy met the Turkish foreign minister in Ankara.",
                                  published="2023-05-01").events if e.plover == "CONSULT")
    assert any(a.code == "RUSGOV" for a in gov.source)
