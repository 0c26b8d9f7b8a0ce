"""Tests for HTML-to-text extraction (htmltext.py)."""

from __future__ import annotations

from lxml import html as lxml_html

from newsevents.clean import clean_text
from newsevents.htmltext import HtmlText, html_to_text

PARAS = [
    "The foreign ministers of both countries met in Vienna on Thursday to discuss a new round of talks.",
    "According to officials, the meeting lasted more than three hours and ended without an agreement.",
    "A spokesperson said further consultations were planned for the coming weeks in the same city.",
    "Observers noted that the tone of the discussions had improved compared with previous meetings.",
]

PAGE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Ministers meet in Vienna | Example News</title>
<meta property="og:title" content="Ministers meet in Vienna">
<meta name="author" content="Maria Example">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-03-09T10:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Ministers meet in Vienna</h1>
{''.join(f'<p>{p}</p>' for p in PARAS)}
</article>
<footer><p>Copyright 2023 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_trafilatura_extracts_body_and_metadata() -> None:
    out = html_to_text(PAGE, url="https://news.example.com/world/vienna-talks")
    assert isinstance(out, HtmlText)
    assert out.method == "trafilatura"
    assert out.title == "Ministers meet in Vienna"
    assert out.date == "2023-03-09"
    assert out.author == "Maria Example"
    assert out.sitename == "Example News"
    for p in PARAS:
        assert p in out.body
    assert "Home" not in out.body
    assert "\n\n" in out.body  # paragraphs separated by a blank line
    doc = clean_text(out.body, title=out.title)
    assert doc.text.startswith("Ministers meet in Vienna\n\nThe foreign ministers")


def test_fallback_on_page_without_article() -> None:
    page = "<html><head><title>Short page</title></head><body><div>" + "<p>Tiny.</p>" + (
        "<p>" + PARAS[0] + "</p>") + "</div></body></html>"
    out = html_to_text(page)
    assert PARAS[0] in out.body
    assert out.method in ("trafilatura", "fallback")


def test_empty_and_broken_html() -> None:
    assert html_to_text("") == HtmlText(None, "", method="fallback")
    out = html_to_text("<html><body><p>unclosed <b>markup")
    assert isinstance(out.body, str)
    assert html_to_text("   ").body == ""


# ---------------------------------------------------------------- page-level rules (one page per rule)

MORE = [
    "Engineers inspected the bridge on Friday after residents reported new cracks along the main span.",
    "The city council will vote next month on a repair budget that could reach several million euros.",
    "Traffic was diverted to two smaller crossings, and buses ran on a temporary timetable all weekend.",
    "Local shop owners said the closure had already cut the number of customers visiting the old town.",
]


def _page(body: str, title: str = "Bridge closed after cracks found", head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title} | Example Times</title>"
            f"<meta property='og:title' content='{title}'>{head}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/local'>Local</a></nav>"
            f"<main><article>{body}</article></main>"
            "<footer><p>Example Times, 1 Main Street.</p></footer></body></html>")


def _ps(paras: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def test_tables_are_kept() -> None:
    table = ("<table><tr><th>Team</th><th>Points</th></tr><tr><td>Northport Rovers</td><td>41</td></tr>"
             "<tr><td>Southgate United</td><td>38</td></tr></table>")
    out = html_to_text(_page(_ps(MORE[:2]) + table + _ps(MORE[2:])))
    assert "Northport Rovers" in out.body and "Southgate United" in out.body
    assert MORE[3] in out.body


def test_leading_headline_and_standfirst_are_dropped() -> None:
    body = ("<h1>Cracks close the old town bridge</h1><h2>Repairs could take months, officials warn</h2>"
            + _ps(MORE))
    out = html_to_text(_page(body))
    assert out.title == "Bridge closed after cracks found"
    assert out.body.startswith(MORE[0])
    assert "Repairs could take months" not in out.body
    assert "Cracks close the old town bridge" not in out.body


def test_first_paragraph_repeating_title_is_dropped_but_a_lead_sentence_is_kept() -> None:
    from newsevents.htmltext import _drop_leading_headlines

    title = "Bridge closed after cracks found in old town"
    variant = "Old town bridge closed after cracks found"
    assert _drop_leading_headlines([variant, MORE[0]], title) == [MORE[0]]
    assert _drop_leading_headlines([title, MORE[0]], title) == [MORE[0]]
    lead = "The old town bridge was closed after cracks were found."  # a sentence: ends with a full stop
    assert _drop_leading_headlines([lead, MORE[0]], title) == [lead, MORE[0]]
    assert _drop_leading_headlines([variant], None) == [variant]


def test_hover_cards_are_pruned_from_sentences() -> None:
    card = ("<span class='person-rollover-block'><img src='/m.jpg' alt=''>"
            "<a href='/people/mayor'>Mayor Anna Lindqvist</a><a href='/story/1'>Mayor opens new library wing</a>"
            "<a href='/story/2'>Council approves tram extension plan</a></span>")
    first = f"Mayor <a href='/people/mayor'>Anna Lindqvist</a>{card} said the bridge would reopen in spring."
    out = html_to_text(_page(_ps([first] + MORE)))
    assert "Mayor Anna Lindqvist said the bridge would reopen in spring." in out.body
    assert "library wing" not in out.body and "tram extension" not in out.body


def test_article_split_into_sibling_containers_is_read_whole() -> None:
    later = [
        "A second inspection is planned for December, when the weather allows divers to check the piers.",
        "Historians noted that the bridge has been repaired four times since it was built in the 1880s.",
        "The transport minister promised national funds if the city's own estimate proves too low.",
    ]
    # trafilatura reads the first container matching its body XPath ('article-body' is one of them)
    long_first = [p + " Officials gave no further details at the press conference on Friday evening." for p in MORE]
    body = (f"<div class='article-body'>{_ps(long_first)}</div>"
            "<div class='ad-slot'><span>Advertisement</span></div>"
            f"<div class='article-body'>{_ps(later)}</div>")
    out = html_to_text(_page(body))
    for p in long_first + later:
        assert p in out.body
    assert out.body.index(long_first[-1]) < out.body.index(later[0])


def test_sibling_merge_ignores_single_paragraph_siblings() -> None:
    from newsevents.htmltext import _merge_sibling_containers

    tree = lxml_html.fromstring(
        f"<html><body><div class='c'><p>{MORE[0]}</p><p>{MORE[1]}</p></div>"
        f"<div class='c'><p>{MORE[2]}</p></div></body></html>")
    assert _merge_sibling_containers(tree, [MORE[0], MORE[1]], frozenset()) == [MORE[0], MORE[1]]
    tree = lxml_html.fromstring(
        f"<html><body><div><p>{MORE[0]}</p></div><div><p>{MORE[2]}</p><p>{MORE[3]}</p></div></body></html>")
    assert _merge_sibling_containers(tree, [MORE[0]], frozenset()) == [MORE[0]]  # no class: no merge


def test_link_blocks_are_dropped() -> None:
    related = ("<p>Related: <a href='/story/9'>Five bridges in the region that need urgent repair</a></p>"
               "<ul><li><a href='/story/10'>City council approves record budget for roads</a></li>"
               "<li><a href='/story/11'>Why old stone bridges crack in cold winters</a></li></ul>")
    inline = ("The <a href='/council'>city council of the old town</a> has asked the regional government "
              "for an emergency grant to cover the first phase of the work.")
    out = html_to_text(_page(_ps(MORE[:2]) + related + _ps([inline] + MORE[2:])))
    assert "Five bridges" not in out.body
    assert "record budget" not in out.body and "cold winters" not in out.body
    assert lxml_html.fromstring(inline).text_content() in out.body  # a sentence with an inline link is prose
    assert MORE[3] in out.body


def test_link_block_rule_keeps_bare_urls_and_prose() -> None:
    from newsevents.htmltext import _drop_link_blocks

    anchors = frozenset({"http://example.org/report-2019", "Five bridges in the region that need urgent repair"})
    paras = ["http://example.org/report-2019", "- Five bridges in the region that need urgent repair", MORE[0]]
    assert _drop_link_blocks(paras, anchors) == ["http://example.org/report-2019", MORE[0]]
    assert _drop_link_blocks(paras, frozenset()) == paras


def test_trailing_credit_contact_and_newsletter_lines_are_trimmed() -> None:
    from newsevents.htmltext import _trim_tail

    mid = "Readers of the council newsletter had been warned about the cracks in March, officials said."
    tail = [
        "___",
        "(Reporting by Jane Example; additional reporting by John Sample; editing by Max Muster)",
        "Contributing: Ola Nordmann",
        "Email Kari Example at kari@example.com or follow her on Twitter @kariex.",
        "Sign up for our free daily briefing and get the top stories in your inbox.",
    ]
    assert _trim_tail(MORE[:2] + [mid] + MORE[2:] + tail) == MORE[:2] + [mid] + MORE[2:]
    assert _trim_tail(MORE) == MORE
    out = html_to_text(_page(_ps(MORE + tail[1:])))
    assert out.body.rstrip().endswith(MORE[3])


def test_tail_rule_keeps_prose_endings_with_cue_words() -> None:
    from newsevents.htmltext import _trim_tail

    endings = [
        "Rescue teams could not reach him before nightfall, the police said.",
        "Soldiers said they would follow him wherever the campaign led.",
        "The agency will subscribe its members automatically from January.",
    ]
    for ending in endings:
        assert _trim_tail(MORE + [ending]) == MORE + [ending]
