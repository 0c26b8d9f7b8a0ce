"""Tests for the clean stage: offsets, repairs, boilerplate, whitespace, encoding."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.clean import CleanOptions, _parse_knowledge, clean_text, load_knowledge
from newsevents.errors import KnowledgeError
from newsevents.records import CleanDoc

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_691b8c58cffdcacc.txt"

SPACE_KINDS = {"glue_split", "sentence_space", "whitespace"}


def assert_offsets_exact(doc: CleanDoc) -> None:
    """Every clean character comes from raw: same character unless a repair covers it."""
    assert len(doc.offsets) == len(doc.text)
    covered: dict[int, set[str]] = {}
    for r in doc.repairs:
        for i in range(r.start, r.end):
            covered.setdefault(i, set()).add(r.kind)
    last = -1
    for i, ch in enumerate(doc.text):
        j = doc.offsets[i]
        assert 0 <= j < len(doc.raw)
        assert j >= last, f"offsets not monotonic at {i}"
        last = j
        if doc.raw[j] != ch:
            kinds = covered.get(i, set())
            if ch == " " and kinds & SPACE_KINDS:
                continue
            assert kinds & {"encoding", "whitespace"}, f"clean char {i} {ch!r} != raw {doc.raw[j]!r}"


def test_title_and_body_layout() -> None:
    doc = clean_text("First  line of the body.\n\n\n\nSecond paragraph.  ", title="  A   title ")
    assert doc.text == "A title\n\nFirst line of the body.\n\nSecond paragraph."
    assert doc.raw == "  A   title \n\nFirst  line of the body.\n\n\n\nSecond paragraph.  "
    assert doc.body_start == len("A title") + 2
    assert doc.text[doc.body_start:].startswith("First")
    assert doc.title == "A title"  # the title as cleaned, so that text starts with it
    assert_offsets_exact(doc)


def test_empty_and_title_only() -> None:
    empty = clean_text("")
    assert empty.text == "" and empty.offsets == () and empty.body_start == 0
    only = clean_text("", title="Just a headline")
    assert only.text == "Just a headline"
    assert only.body_start == len(only.text)
    assert_offsets_exact(only)
    blank_title = clean_text("Body text here.", title="   ")
    assert blank_title.text == "Body text here." and blank_title.body_start == 0
    assert_offsets_exact(blank_title)


def test_to_raw_maps_back() -> None:
    doc = clean_text("Officials met in Kyiv.The  meeting lasted  hours.", title="Talks")
    start = doc.text.index("meeting")
    rs, re_ = doc.to_raw(start, start + len("meeting"))
    assert doc.raw[rs:re_] == "meeting"


def test_seed_defects_repaired() -> None:
    if not SEED.exists():
        pytest.skip("seed article not present")
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    doc = clean_text(body, title=title)
    text = doc.text
    for fixed in ("Macron held", "Ukraine but", "Peskov at", "daily Macron", "Moscow. The", "demanding. in"):
        assert fixed in text, fixed
    for glued in ("Macronheld", "Ukrainebut", "Peskovat", "dailyMacron", "Moscow.The"):
        assert glued not in text, glued
    for junk in ("related news", "Source link", "Please enter your comment!", "Please enter your name here"):
        assert junk not in text, junk
    assert text.endswith("at the end of the talks.")
    assert "\n\n\n" not in text
    kinds = {r.kind for r in doc.repairs}
    assert {"glue_split", "sentence_space", "boilerplate"} <= kinds
    cut = [r for r in doc.repairs if r.kind == "boilerplate"]
    assert all(r.start == r.end and r.before and r.after == "" for r in cut)
    split = next(r for r in doc.repairs if r.before == "Macronheld")
    assert text[split.start:split.end] == "Macron held" and split.after == "Macron held"
    assert_offsets_exact(doc)
    assert clean_text(doc.text).text == doc.text


def test_repairs_located_in_clean_text() -> None:
    doc = clean_text(
        "Share on Facebook\nThe envoy met Lavrov.Both sides spoke.\n\nAdvertisement\nMore text here."
    )
    assert doc.text == "The envoy met Lavrov. Both sides spoke.\n\nMore text here."
    for r in doc.repairs:
        assert doc.text[r.start:r.end] == r.after
    assert [r.before.strip() for r in doc.repairs if r.kind == "boilerplate"] == [
        "Share on Facebook", "Advertisement"]


@pytest.mark.parametrize("line", [
    "Share on Facebook",
    "Tweet",
    "Facebook Twitter WhatsApp Email",
    "Please enter your comment!",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Subscribe to our newsletter for daily updates",
    "We use cookies to improve your experience on our site.",
    "Related news",
    "READ MORE: Minister resigns after vote",
    "Also read",
    "Source link",
    "Advertisement",
    "© 2024 Example Media Group. All rights reserved.",
    "By Jane Doe | Updated 14:05 GMT",
    "By Anna Kowalska, Reuters",
])
def test_boilerplate_line_cut(line: str) -> None:
    body = f"The minister spoke to reporters on Tuesday.\n\n{line}\n\nShe said the talks would go on."
    doc = clean_text(body)
    assert line not in doc.text
    assert doc.text == "The minister spoke to reporters on Tuesday.\n\nShe said the talks would go on."
    assert_offsets_exact(doc)


@pytest.mark.parametrize("line", [
    "Read more about the plan in the minister's report, which was published on Monday.",
    "By Monday, the troops had left the border region.",
    "Copyright law was changed by parliament last year.",
    "Share prices fell sharply after the announcement.",
    "Related talks are expected to resume in Geneva next month, officials said.",
    "Comments by the minister angered the opposition.",
    "Published reports say the deal was signed in secret.",
])
def test_real_sentences_kept(line: str) -> None:
    body = f"Opening sentence of the story.\n\n{line}\n\nClosing sentence of the story."
    assert line in clean_text(body).text


def test_edge_only_rules() -> None:
    body = ("Home\nNews\n\nThe vote was held on Sunday.\n\nSearch\n\nThe count went on.\n\n"
            "Tags: vote, election\nComments")
    text = clean_text(body).text
    assert text == "The vote was held on Sunday.\n\nSearch\n\nThe count went on."


def test_options_turn_stages_off() -> None:
    body = "Related news\nEmmanuel Macronheld talks."
    off = CleanOptions(strip_boilerplate=False, split_glue=False)
    assert clean_text(body, options=off).text == body
    assert "Macron held" in clean_text(body).text


def test_extra_vocabulary_counts_as_known() -> None:
    body = "The envoy Zubrikovin Kyiv on Monday."
    assert "Zubrikovin" in clean_text(body).text
    doc = clean_text(body, options=CleanOptions(extra_vocabulary=frozenset({"Zubrikov"})))
    assert "Zubrikov in Kyiv" in doc.text
    keep = CleanOptions(extra_vocabulary=frozenset({"Karlsbergin"}))
    assert "Karlsbergin" in clean_text("Mayor Karlsbergin said so.", options=keep).text


def test_encoding_repair_and_control_chars() -> None:
    raw = "The minister\u200b said â€˜noâ€™ to the plan.\x07\r\nCaf\u0065\u0301 talks\u00a0resumed."
    doc = clean_text(raw)
    assert doc.text == "The minister said ‘no’ to the plan.\nCafé talks resumed."
    kinds = {r.kind for r in doc.repairs}
    assert {"encoding", "control_char", "whitespace"} <= kinds
    assert_offsets_exact(doc)
    enc = [r for r in doc.repairs if r.kind == "encoding"]
    assert any(r.before == "â€˜" and r.after == "‘" for r in enc)
    kept = clean_text(raw, options=CleanOptions(fix_encoding=False)).text
    assert "â€˜" in kept


def test_curly_quotes_not_touched() -> None:
    body = "“We will not retreat,” Clinton’s aide said. ‘Never’."
    assert clean_text(body).text == body


def test_whitespace_rules() -> None:
    doc = clean_text("\n\n  One \t two   three  \n\n\n\n   Four\t\n\n")
    assert doc.text == "One two three\n\nFour"
    assert all(r.kind == "whitespace" for r in doc.repairs)
    assert_offsets_exact(doc)


def test_knowledge_is_validated() -> None:
    know = load_knowledge()
    assert know.rules and "the" in know.lexicon.function_words
    assert "on" in know.lexicon.function_words  # quoted in YAML, not a boolean
    with pytest.raises(KnowledgeError):
        _parse_knowledge({"boilerplate": [{"name": "x", "patterns": ["("]}]})
    with pytest.raises(KnowledgeError):
        _parse_knowledge({"boilerplate": []})
    glue = {k: ["a"] for k in ("function_words", "the_left_words", "the_right_words", "name_suffixes",
                               "camel_prefixes", "dotted_suffixes")}
    glue["function_words"] = [True]
    with pytest.raises(KnowledgeError):
        _parse_knowledge({"boilerplate": [], "glue": glue})


WORDS = ["Moscow", "the", "Putin", "said", "held", "talks", "Ukraine", "but", "U.S.", "e.g.", "3.5",
         "McDonald", "iPhone", "Share", "Source link", "#tag", "@user", "a.b@c.org", "Kazakhstan"]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
        st.sampled_from([" ", "  ", "\n", "\n\n\n", "\t", ".", "\u200b", "\r\n", "â€™", "\u00a0"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(body=TEXT, title=st.one_of(st.none(), TEXT))
def test_property_offsets_and_idempotence(body: str, title: str | None) -> None:
    doc = clean_text(body, title=title)
    assert len(doc.offsets) == len(doc.text)
    assert all(0 <= o < len(doc.raw) for o in doc.offsets)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:], strict=False))
    assert 0 <= doc.body_start <= len(doc.text)
    for r in doc.repairs:
        assert 0 <= r.start <= r.end <= len(doc.text)
    if doc.body_start == 0:
        again = clean_text(doc.text)
    elif doc.body_start == len(doc.text):
        again = clean_text("", title=doc.text)
    else:
        again = clean_text(doc.text[doc.body_start:], title=doc.text[: doc.body_start - 2])
    assert again.text == doc.text


def test_mojibake_closing_quote_with_c1_byte_is_repaired() -> None:
    # "â€\x9d" is a UTF-8 closing quote read as cp1252/latin-1: the C1 byte must reach ftfy
    doc = clean_text("He said \u00e2\u20ac\u0153we will win\u00e2\u20ac\x9d and left.")
    assert doc.text == "He said \u201cwe will win\u201d and left."
    assert all(0 <= o < len(doc.raw) for o in doc.offsets)
