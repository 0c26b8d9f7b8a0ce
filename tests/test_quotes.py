"""Tests for newsevents.quotes: quote marks, cues, speakers and name resolution."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.errors import KnowledgeError
from newsevents.quotemarks import MAX_QUOTE_CHARS
from newsevents.quotes import (
    QuoteOptions,
    find_quote_spans,
    find_quotes,
    load_speech_lexicon,
)
from newsevents.records import Quote

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@pytest.fixture(scope="module")
def nlp() -> Language:
    from newsevents.nlp import load_model

    return load_model()


def run(nlp: Language, text: str, options: QuoteOptions | None = None) -> list[Quote]:
    quotes = find_quotes(nlp(text), options)
    for q in quotes:  # every offset points at the text it claims
        assert text[q.start : q.end] == q.text
        if q.speaker is not None and q.speaker.start is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text
    return quotes


def test_straight_quote_with_pronoun_speaker(nlp: Language) -> None:
    text = 'Mayor Anna Kowalski opened the new bridge. "It will change the town," she said on Friday.'
    (q,) = run(nlp, text)
    assert q.text == '"It will change the town,"'
    assert q.verb == "say"
    assert q.speaker is not None and q.speaker.text == "she"
    assert q.speaker.name == "Anna Kowalski"
    assert q.speaker.code is None


def test_curly_quote_speaker_after_verb(nlp: Language) -> None:
    text = "“We have no money left for the harbour,” said Pedro Alvarez, the finance minister."
    (q,) = run(nlp, text)
    assert q.text.startswith("“We have") and q.text.endswith("harbour,”")
    assert q.speaker is not None and q.speaker.text == "Pedro Alvarez"
    assert q.speaker.name == "Pedro Alvarez"


def test_split_quote_gives_two_quotes_with_one_speaker(nlp: Language) -> None:
    text = "“The talks went well,” Johnson said, “but nothing has been signed yet.”"
    quotes = run(nlp, text, QuoteOptions(join_split=False))
    assert [q.text for q in quotes] == ["“The talks went well,”", "“but nothing has been signed yet.”"]
    assert {q.speaker.text for q in quotes if q.speaker} == {"Johnson"}
    assert all(q.speaker is not None for q in quotes)


def test_split_quote_can_be_joined(nlp: Language) -> None:
    text = "“The talks went well,” Johnson said, “but nothing has been signed yet.”"
    (q,) = run(nlp, text)  # joined by default, as attribution corpora annotate it
    assert q.start == 0 and q.end == len(text)
    assert q.speaker is not None and q.speaker.text == "Johnson"


def test_cue_before_with_colon_and_that(nlp: Language) -> None:
    text = (
        "The governor, Maria Santos, told reporters: “The road will reopen in May.”\n\n"
        "Her deputy Tom Reed said that “nobody was hurt in the collapse.”"
    )
    first, second = run(nlp, text)
    assert first.verb == "tell"
    assert first.speaker is not None and first.speaker.name == "Maria Santos"
    assert second.verb == "say"
    assert second.speaker is not None and "Reed" in second.speaker.text
    assert second.speaker.name == "Tom Reed"


def test_surname_resolves_to_full_name(nlp: Language) -> None:
    text = (
        "Prime Minister Karl Lindqvist arrived in Oslo on Monday.\n\n"
        "“We came to listen,” Lindqvist told the press."
    )
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.text == "Lindqvist"
    assert q.speaker.name == "Karl Lindqvist"


def test_role_noun_then_name_fragment(nlp: Language) -> None:
    text = (
        "Olga Ivanova met the envoy.\n\n"
        "“Nothing is decided yet,” a government spokesman said. Ivan Petrov at his weekly briefing."
    )
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.text == "a government spokesman"
    assert q.speaker.name == "Ivan Petrov"


def test_role_noun_without_name_stays_unnamed(nlp: Language) -> None:
    text = "“The dam is safe,” an engineer said. The river rose again overnight."
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.text == "an engineer"
    assert q.speaker.name is None


def test_multi_paragraph_quotation(nlp: Language) -> None:
    text = (
        "Director Lena Holm spoke at length.\n\n"
        "“We started the project ten years ago with almost nothing.\n\n"
        "“Today it feeds three villages and employs forty people,” Holm said."
    )
    (q,) = run(nlp, text)
    assert q.text.startswith("“We started") and q.text.endswith("forty people,”")
    assert "\n\n" in q.text
    assert q.speaker is not None and q.speaker.name == "Lena Holm"


def test_continuation_after_cue_sentence_inherits_speaker(nlp: Language) -> None:
    text = "“The vote was fair,” Chen Wei said. “Anyone can check the ballots.”"
    first, second = run(nlp, text, QuoteOptions(join_split=False))
    assert first.speaker is not None and second.speaker == first.speaker


def test_partial_quote_governed_by_speech_verb(nlp: Language) -> None:
    text = "Senator Ruth Baker said she would seek “at least a pause in the fighting” from both sides."
    (q,) = run(nlp, text, QuoteOptions(partial=True))
    assert q.text == "“at least a pause in the fighting”"
    assert q.verb == "say"
    assert q.speaker is not None and q.speaker.name == "Ruth Baker"


def test_partial_quote_without_speech_verb_has_no_speaker(nlp: Language) -> None:
    text = "The company sold its “premium” plan to few customers last year."
    (q,) = run(nlp, text, QuoteOptions(partial=True, partial_needs_speaker=False))
    assert q.text == "“premium”"
    assert q.speaker is None and q.verb is None
    assert run(nlp, text, QuoteOptions(partial=True)) == []  # an unattributed quoted phrase is not a quotation


def test_partial_quotes_are_left_out_by_default(nlp: Language) -> None:
    text = "Ann Lee said the plan was “a costly mistake” for the city. “Prices will fall,” its chief said."
    assert [q.text for q in run(nlp, text)] == ["“Prices will fall,”"]
    assert [q.text for q in run(nlp, text, QuoteOptions(partial=True))] == ["“a costly mistake”", "“Prices will fall,”"]


def test_single_quotes_and_apostrophes() -> None:
    text = "Lula’s rivals don’t agree on a ‘grand bargain’ for the ’90s debts, or on 'fair shares'."
    spans = [text[s:e] for s, e in find_quote_spans(text)]
    assert spans == ["‘grand bargain’", "'fair shares'"]


def test_plural_possessive_is_not_a_closing_mark() -> None:
    text = "He called it ‘the farmers’ own plan’ yesterday."
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["‘the farmers’ own plan’"]


def test_nested_single_quotes_stay_inside() -> None:
    text = "“They told us ‘wait’, so we waited,” she said."
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["“They told us ‘wait’, so we waited,”"]


def test_unbalanced_marks_do_not_make_giant_quotes() -> None:
    long_par = "word " * (MAX_QUOTE_CHARS // 5 + 10)
    text = f"“{long_par}”\n\nShe left. “Never closed here\n\nNext paragraph is plain text."
    assert find_quote_spans(text) == []


def test_double_apostrophes_as_marks() -> None:
    text = "''We will win,'' said Ana Lopez. It rained."
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["''We will win,''"]


def test_dash_attribution(nlp: Language) -> None:
    text = (
        "Readers wrote in.\n“The bus never comes on time.” ― Maria Gomez\n"
        "“Fix the roads first.” ― Ali Khan"
    )
    first, second = run(nlp, text)
    assert first.speaker is not None and first.speaker.text == "Maria Gomez"
    assert second.speaker is not None and second.speaker.text == "Ali Khan"
    assert first.verb is None


def test_according_to(nlp: Language) -> None:
    text = "“Turnout was very high,” according to the election commission."
    (q,) = run(nlp, text)
    assert q.verb == "according to"
    assert q.speaker is not None and q.speaker.text == "the election commission"


def test_pronoun_skips_person_of_other_gender(nlp: Language) -> None:
    text = "Mr. Paul Dubois met Mrs. Claire Martin in Lyon. “It was useful,” he said."
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.name == "Paul Dubois"


def test_lexicon_loads_and_validates(tmp_path: Path) -> None:
    lex = load_speech_lexicon()
    assert {"say", "tell", "warn", "add"} <= lex.verbs
    assert ("according", "to") in lex.phrases
    bad = tmp_path / "verbs.yaml"
    bad.write_text("version: 1\nverbs: say\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_speech_lexicon(str(bad))
    bad.write_text("version: 9\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="version"):
        load_speech_lexicon(str(bad))


def test_custom_lexicon_adds_a_cue_verb(nlp: Language, tmp_path: Path) -> None:
    packaged = Path(__file__).resolve().parents[1] / "src" / "newsevents" / "data" / "speech_verbs.yaml"
    custom = tmp_path / "verbs.yaml"
    custom.write_text(packaged.read_text(encoding="utf-8").replace("verbs:\n", "verbs:\n  - grumble\n"))
    text = "“The coffee is cold,” grumbled Otto Brandt."
    assert run(nlp, text)[0].verb is None
    (q,) = run(nlp, text, QuoteOptions(lexicon=str(custom)))
    assert q.verb == "grumble"
    assert q.speaker is not None and q.speaker.name == "Otto Brandt"


def test_closed_paragraph_quote_takes_the_next_speaker(nlp: Language) -> None:
    text = (
        "The coach spoke after the match.\n\n"
        "“We were tired.”\n\n"
        "“Next week will be different,” Marta Lind said."
    )
    first, second = run(nlp, text, QuoteOptions(join_split=False))
    assert second.speaker is not None and second.speaker.name == "Marta Lind"
    assert first.speaker == second.speaker


def test_pronoun_prefers_recent_subject_and_skips_quoted_people(nlp: Language) -> None:
    text = (
        "Governor Sam Whitaker met the lawyer of Tom Bell on Monday. "
        "“I told Peter Grant to wait,” he said."
    )
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.text == "he"
    assert q.speaker.name == "Sam Whitaker"


def test_participle_cue_takes_the_clause_subject(nlp: Language) -> None:
    text = "Nadia Farouk defended the budget on Tuesday, saying, “Every school gets more money.”"
    (q,) = run(nlp, text)
    assert q.verb == "say"
    assert q.speaker is not None and q.speaker.name == "Nadia Farouk"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .,\n\"'“”‘’—", max_size=300))
def test_spans_are_ordered_bounded_and_marked(text: str) -> None:
    spans = find_quote_spans(text)
    assert spans == sorted(spans)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert text[start] in "\"'“‘„`”" and text[end - 1] in "\"'”’`“"
        assert max(len(part) for part in text[start:end].split("\n")) <= MAX_QUOTE_CHARS


def test_partial_quote_ignores_speech_verb_of_a_later_clause(nlp: Language) -> None:
    text = (
        "The ministry has warned that it will impose “strict controls” if the deadline is missed, "
        "but so far it has not commented on the talks."
    )
    (q,) = run(nlp, text, QuoteOptions(partial=True))
    assert q.verb == "warn"
    assert q.speaker is not None and q.speaker.text == "The ministry"


def test_partial_quote_with_cue_after_it(nlp: Language) -> None:
    text = "The new stadium is “a costly mistake,” Helen Park said."
    (q,) = run(nlp, text, QuoteOptions(partial=True))
    assert q.text == "“a costly mistake,”"
    assert q.speaker is not None and q.speaker.name == "Helen Park"


def test_run_of_quoted_words_is_not_a_quotation(nlp: Language) -> None:
    # each quoted word follows the previous quotation directly: none of them starts a sentence
    text = 'The coach called the referee "blind," "biased" and "a disgrace."'
    assert run(nlp, text) == []
    partial = " ".join(q.text for q in run(nlp, text, QuoteOptions(partial=True)))
    assert '"blind,"' in partial and '"biased"' in partial  # still found as partial quotations


def test_quotation_after_a_quoted_sentence_still_leads(nlp: Language) -> None:
    text = "“We lost the match.” “We will win the next one,” the captain, Ravi Menon, said."
    texts = [q.text for q in run(nlp, text, QuoteOptions(join_split=False))]
    assert texts == ["“We lost the match.”", "“We will win the next one,”"]


def test_passive_label_is_not_a_quotation(nlp: Language) -> None:
    text = "The claim about bus fares was checked last week, and it was labeled “Half True.”"
    assert run(nlp, text) == []
    active = "The mayor said “Bus fares will not rise.”"
    (q,) = run(nlp, active)
    assert q.speaker is not None and q.speaker.text == "The mayor"


def test_nested_curly_quotation_is_one_span() -> None:
    text = "“I would rather walk than take what he calls “a shortcut” every day,” Ana Ruiz said."
    spans = [text[s:e] for s, e in find_quote_spans(text)]
    assert spans == ["“I would rather walk than take what he calls “a shortcut” every day,”"]


def test_unclosed_outer_curly_mark_keeps_the_inner_quotation() -> None:
    text = "“Stray mark here, then the “real one” in the middle.\n\nNext paragraph."
    spans = [text[s:e] for s, e in find_quote_spans(text)]
    assert spans == ["“real one”"]


def test_title_in_apposition_is_not_a_quotation(nlp: Language) -> None:
    text = 'Maria Gomez\'s new essay, "Listen to your neighbors," is worth reading.'
    assert run(nlp, text) == []
    spoken = 'At the rally, she said, "Listen to your neighbors."'
    (q,) = run(nlp, spoken)
    assert q.verb == "say"



def _parsed(nlp: Language, rows: list[tuple[str, str, int, str, str, str, bool]]) -> Doc:
    """A Doc with a parse given by hand (word, pos, head index, dep, tag, lemma, space after),
    to pin rules that guard against mis-parses of the small model."""
    from spacy.tokens import Doc

    words, pos, heads, deps, tags, lemmas, spaces = (list(col) for col in zip(*rows, strict=True))
    return Doc(nlp.vocab, words=words, pos=pos, heads=heads, deps=deps, tags=tags, lemmas=lemmas, spaces=spaces)


def test_speaker_is_not_taken_from_inside_the_quotation(nlp: Language) -> None:
    # the parse makes "said" a conjunct of the quoted "will", whose subject "We" is quoted speech
    rows = [
        ("“", "PUNCT", 2, "punct", "``", "“", False),
        ("We", "PRON", 2, "nsubj", "PRP", "we", True),
        ("will", "AUX", 2, "ROOT", "MD", "will", True),
        ("win", "VERB", 2, "xcomp", "VB", "win", False),
        (",", "PUNCT", 2, "punct", ",", ",", False),
        ("”", "PUNCT", 2, "punct", "''", "”", True),
        ("Mayor", "PROPN", 7, "compound", "NNP", "Mayor", True),
        ("Okafor", "PROPN", 8, "npadvmod", "NNP", "Okafor", True),
        ("said", "VERB", 2, "conj", "VBD", "say", False),
        (".", "PUNCT", 2, "punct", ".", ".", False),
    ]
    (q,) = find_quotes(_parsed(nlp, rows))
    assert q.speaker is not None and q.speaker.text == "Mayor Okafor"


def test_dash_is_never_a_speaker(nlp: Language) -> None:
    # the parse tags a dash as a noun subject of the cue verb, beside the real subject
    rows = [
        ("Bills", "NOUN", 1, "nsubj", "NNS", "bill", True),
        ("rose", "VERB", 1, "ROOT", "VBD", "rise", True),
        ("―", "NOUN", 4, "nsubj", "NN", "―", True),
        ("Pell", "PROPN", 4, "nsubj", "NNP", "Pell", True),
        ("replied", "VERB", 1, "ccomp", "VBD", "reply", False),
        (",", "PUNCT", 1, "punct", ",", ",", True),
        ("“", "PUNCT", 1, "punct", "``", "“", False),
        ("Fine", "ADJ", 1, "ccomp", "JJ", "fine", False),
        (".", "PUNCT", 1, "punct", ".", ".", False),
        ("”", "PUNCT", 1, "punct", "''", "”", False),
    ]
    (q,) = find_quotes(_parsed(nlp, rows))
    assert q.speaker is not None and q.speaker.text == "Pell"


def test_quotation_set_off_by_dashes(nlp: Language) -> None:
    text = "The coach brushed off the loss -- “We will be back next season” -- and left the stadium."
    (q,) = run(nlp, text)
    assert q.text == "“We will be back next season”"
    lower = "The coach brushed off the loss -- “a small setback” -- and left the stadium."
    assert run(nlp, lower) == []  # a quoted phrase between dashes stays partial


def test_quotation_opening_on_an_ellipsis() -> None:
    # a closing-style mark used to open a quotation that starts mid-sentence
    text = "” … and then the lights went out,” Dara Quinn said."
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["” … and then the lights went out,”"]
    text = "He paused ” and stopped.” Then he left."
    assert find_quote_spans(text) == []  # before a plain space the mark opens nothing


def test_trailing_speaker_with_a_long_apposition(nlp: Language) -> None:
    text = (
        "“The harbour plan will pay for itself,” Maria Santos, head of the regional port authority and a "
        "former adviser to the transport ministry in the coastal province of Alvara, said on Tuesday."
    )
    (q,) = run(nlp, text)
    assert q.verb == "say"
    assert q.speaker is not None and q.speaker.name == "Maria Santos"


def test_colon_after_a_clause_gives_its_subject_as_speaker(nlp: Language) -> None:
    text = "The union leader Paul Grady opened the meeting with a warning: “Nobody goes home until this is settled.”"
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.name == "Paul Grady"
    assert q.verb is None


def test_colon_after_a_verbless_phrase_gives_the_person_named(nlp: Language) -> None:
    text = "Advice from Nora Delaney: ‘Read the contract twice.’\n\nShe has run the firm for ten years."
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.name == "Nora Delaney"


def test_untagged_surnames_count_as_people(nlp: Language) -> None:
    from spacy.tokens import Doc, Span

    from newsevents.quotes import _people

    words = ["Ruth", "Okoye", "met", "Dan", "Bell", ".", "Okoye", "left", "."]
    pos = ["PROPN", "PROPN", "VERB", "PROPN", "PROPN", "PUNCT", "PROPN", "VERB", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, pos=pos)
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 3, 5, label="PERSON")]  # the second "Okoye" untagged
    people = _people(doc, tuple(doc.ents), len(doc))
    assert [(p.text, p.start) for p in people] == [("Ruth Okoye", 0), ("Dan Bell", 3), ("Okoye", 6)]
    assert all(p.label_ == "PERSON" for p in people)


def test_paragraph_ending_with_a_colon_introduces_the_next_quotation(nlp: Language) -> None:
    text = (
        "On Monday, Lara Novak made the following statement:\n\n“We will appeal the ruling.”\n\n"
        "The court did not comment."
    )
    (q,) = run(nlp, text)
    assert q.speaker is not None and q.speaker.name == "Lara Novak"
    text = "Lara Novak was asked about the ruling.\n\nShe said:\n\n“We will appeal it.”"
    (q,) = run(nlp, text)
    assert q.verb == "say"
    assert q.speaker is not None and q.speaker.name == "Lara Novak"


def test_a_short_quoted_heading_alone_on_its_line_is_no_quotation(nlp: Language) -> None:
    text = ("The talks ended without a deal.\n\n“New Balance”\n\nThe French leader proposed a new approach.\n\n"
            "“Never.”\n\nThat was all the minister would say.")
    quotes = run(nlp, text)
    # the heading is dropped; a one-word answer that ends a sentence is still a quotation
    assert [q.text for q in quotes] == ["“Never.”"]
