"""Tests for newsevents.quotemarks: quotation spans from the characters alone."""

from __future__ import annotations

from newsevents.quotemarks import MAX_QUOTE_CHARS, quote_mark_spans


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in quote_mark_spans(text, frozenset({"em", "90s"}))]


def test_straight_curly_and_doubled_apostrophe_quotes() -> None:
    assert texts('He said "we will stay" and left.') == ['"we will stay"']
    assert texts("She said “not today” twice.") == ["“not today”"]
    assert texts("He said ''no deal'' again.") == ["''no deal''"]


def test_apostrophes_and_elisions_are_not_marks() -> None:
    assert texts("Macron’s aides don’t expect it in the ’90s style.") == []
    assert texts("They told 'em to leave, the 'rebels' said.") == ["'rebels'"]


def test_multi_paragraph_quotation_is_continued() -> None:
    text = '"We came here first.\n\n"And we will stay," he said.'
    assert texts(text) == [text[: text.index(",") + 2]]


def test_unbalanced_or_overlong_quotation_is_dropped() -> None:
    assert texts('He said "this never closes.') == []
    assert texts('"' + "word " * (MAX_QUOTE_CHARS // 5 + 10) + '"') == []
