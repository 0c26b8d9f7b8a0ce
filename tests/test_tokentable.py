"""Tests for newsevents.tokentable: the per-article token table reads what spaCy gives."""

from __future__ import annotations

import pytest

from newsevents.nlp import load_model
from newsevents.tokentable import TokenTable


@pytest.mark.parametrize("text", [
    "Officials in São Paulo met the Brazilian envoy on Tuesday.  Then they flew to Zürich , where the U.N. waited.\n",
    "UPDATE - Troops near Kharkiv’s outskirts; the Russian army said (again) it would stay.",
    "",
])
def test_token_table_matches_spacy(text: str) -> None:
    # the per-article token table must read exactly what spaCy's Token and Span attributes give
    doc = load_model()(text)
    tk = TokenTable(doc)
    assert tk.text == doc.text
    assert tk.n == len(doc)
    assert tk.words == [t.text for t in doc]
    assert tk.lower == [t.lower_ for t in doc]
    assert tk.idx == [t.idx for t in doc]
    assert tk.ends == [t.idx + len(t) for t in doc]
    assert tk.alpha == [t.is_alpha for t in doc]
    assert tk.ent_type == [t.ent_type_ for t in doc]
    assert tk.ent_iob == [t.ent_iob_ for t in doc]
    assert tk.pos == [t.pos_ for t in doc]
    assert [(e.start, e.end, e.label_) for e in tk.ents] == [(e.start, e.end, e.label_) for e in doc.ents]
    for i in range(len(doc)):
        for j in range(i + 1, min(i + 4, len(doc)) + 1):
            span = doc[i:j]
            assert tk.window(i, j) == (span.start_char, span.end_char, span.text)
