"""Tests for newsevents.dedup, and the copies corpus it is measured on.

The corpus is generated here from the team's examples/ articles: each is republished by made-up
sites with their own boilerplate, cut after some paragraphs, with paragraphs moved, lightly
edited, or all of these; for precision, every story is also published by one site that wraps
all of them in the *same* furniture (with "related" links to each other's headlines), in full and
as a lead-only brief.  ``python tests/test_dedup.py`` prints the figures (recall, precision, counts).
"""

from __future__ import annotations

import functools
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsevents.clean import CleanOptions, clean_text
from newsevents.dedup import Deduplicator, DedupOptions, exact_key, normalised_words, shingles
from newsevents.ingest import iter_articles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: Seed of the corpus generator: the corpus is the same on every run.
SEED = 20240601

#: Made-up site furniture (written for this test), shaped like what scrapers leave in.
HEADERS = [
    ["Skip to main content", "Home | World | Politics | Business | Sport | Opinion"],
    ["Menu", "Search", "Subscribe for $1 a week", "World News"],
    ["The Morning Ledger", "Latest headlines, updated every hour", "Advertisement"],
    ["Breaking", "Live updates", "Sign in to save articles for later"],
]
FOOTERS = [
    ["Share this article: Facebook Twitter WhatsApp Email", "Sign up for our daily newsletter to get the top "
     "stories delivered to your inbox every morning.", "© 2024 The Morning Ledger. All rights reserved."],
    ["We use cookies to improve your experience on our site. By continuing you agree to our cookie policy.",
     "Please enter your comment!", "Please enter your name here", "Source link"],
    ["Reporting by our correspondents; Editing by the world desk", "Our Standards: The Trust Principles."],
    ["Advertisement", "Follow us on social media for more news from around the world", "Terms of use | Privacy"],
]


@dataclass(frozen=True)
class Item:
    id: str
    family: str  # id of the original it was made from
    text: str
    kind: str


@functools.lru_cache(maxsize=1)
def originals() -> dict[str, tuple[str, list[str]]]:
    """Example id -> (title, body paragraphs), read from examples/ (HTML through the clean stage)."""
    from newsevents.htmltext import html_to_text

    out: dict[str, tuple[str, list[str]]] = {}
    for art in iter_articles([str(EXAMPLES / "txt"), str(EXAMPLES / "html"), str(EXAMPLES / "jsonl")]):
        title, body = art.title or "", art.text
        if body is None:
            page = html_to_text(art.html or "", art.url)
            title, body = title or page.title or "", page.body
        paras = [p.strip() for p in body.replace("\r", "").split("\n") if p.strip()]
        out[str(art.id)] = (title, paras)
    return out


def _site(rng: random.Random, paras: list[str], related: list[str]) -> str:
    head, foot = rng.choice(HEADERS), rng.choice(FOOTERS)
    links = ["Related news"] + [f"Read more: {t}" for t in related]
    return "\n".join(head + paras + links + foot)


def _edit(rng: random.Random, para: str) -> str:
    """Light copy-editing: a dropped space (glue), a changed word, different quotes."""
    words = para.split(" ")
    if len(words) > 6:
        i = rng.randrange(1, len(words) - 1)
        words[i - 1: i + 1] = [words[i - 1] + words[i]]
        j = rng.randrange(len(words))
        words[j] = words[j].upper() if rng.random() < 0.5 else words[j] + ","
    return " ".join(words).replace('"', "\u201c")


def corpus(seed: int = SEED) -> list[Item]:
    """Originals, their republished copies and the hard negatives, in a shuffled order."""
    rng = random.Random(seed)
    docs = originals()
    ids = sorted(docs)
    titles = {i: docs[i][0] for i in ids}
    items: list[Item] = []
    for aid in ids:
        title, paras = docs[aid]
        others = [titles[o] for o in rng.sample([i for i in ids if i != aid], 3)]
        n = len(paras)
        items.append(Item(aid, aid, title + "\n\n" + "\n".join(paras), "original"))
        items.append(Item(aid + "~boiler", aid, _site(rng, [title] + paras, others[:2]), "boilerplate"))
        keep = max(2, round(n * rng.uniform(0.35, 0.7)))
        items.append(Item(aid + "~trunc", aid, _site(rng, [title] + paras[:keep], others[:1]), "truncated"))
        moved = paras[:1] + rng.sample(paras[1:], len(paras) - 1)
        items.append(Item(aid + "~reorder", aid, "\n".join(["Updated: " + title] + moved), "reordered"))
        edited = [_edit(rng, p) for p in paras]
        items.append(Item(aid + "~edit", aid, "\n\n".join([title.upper()] + edited), "edited"))
        cut = moved[: max(2, round(n * 0.5))]
        items.append(Item(aid + "~all", aid, _site(rng, [_edit(rng, p) for p in cut], others), "all"))
        items.append(Item(aid + "~same", aid, "  " + title + "\n\n\n" + "\n\n".join(paras).lower(), "exact"))
    # Hard cases for precision: every story again as published by ONE site (same furniture, and
    # "related" links to each other's headlines), in full and as a lead-only brief.  Each is a copy
    # of its own story, and must not be taken for a copy of the site's other stories.
    rng_site = random.Random(seed + 1)
    head, foot = HEADERS[0], FOOTERS[0]
    for k, aid in enumerate(ids):
        title, paras = docs[aid]
        nxt = ids[(k + 1) % len(ids)]
        links = ["Related news", f"Read more: {titles[nxt]}", f"Read more: {titles[ids[k - 1]]}"]
        items.append(Item(aid + "~site", aid, "\n".join(head + [title] + paras + links + foot), "same-site"))
        lead = paras[: 1 + rng_site.randrange(2)]
        items.append(Item(aid + "~brief", aid, "\n".join(head + [title] + lead + links + foot), "same-site-brief"))
    rng.shuffle(items)
    return items


@dataclass
class Figures:
    items: int = 0
    copies: int = 0  # items with an earlier item of the same family
    flagged: int = 0  # items the deduplicator called a copy
    correct: int = 0  # flagged, and the root is of the same family

    @property
    def recall(self) -> float:
        return self.correct / self.copies if self.copies else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.flagged if self.flagged else 1.0


def measure(items: list[Item], options: DedupOptions | None = None) -> Figures:
    dd = Deduplicator(options)
    family = {i.id: i.family for i in items}
    seen: set[str] = set()
    fig = Figures()
    for it in items:
        fig.items += 1
        fig.copies += it.family in seen
        seen.add(it.family)
        dup = dd.check(it.id, it.text)
        if dup is not None:
            fig.flagged += 1
            fig.correct += family[dup] == it.family
    return fig


def cleaned(items: list[Item]) -> list[Item]:
    """The items as the runner sees them: through the clean stage (``ArticleResult.text``)."""
    opts = CleanOptions(detect_language=False)
    return [Item(i.id, i.family, clean_text(i.text, None, opts).text, i.kind) for i in items]


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return cleaned(corpus())


def test_corpus_has_every_kind(items: list[Item]) -> None:
    kinds = {i.kind for i in items}
    assert {"original", "boilerplate", "truncated", "reordered", "edited", "all", "exact"} <= kinds
    assert len({i.family for i in items}) == 33


def test_recall_and_precision_on_generated_copies(items: list[Item]) -> None:
    fig = measure(items)
    assert fig.copies > 200
    assert fig.recall >= 0.95, fig
    assert fig.precision >= 0.99, fig


def test_another_order_and_draw() -> None:
    fig = measure(cleaned(corpus(1)))
    assert fig.recall >= 0.95 and fig.precision >= 0.99, fig


def test_raw_text_still_precise() -> None:
    """Without the clean stage (furniture left in) recall drops a little; precision must hold."""
    fig = measure(corpus())
    assert fig.recall >= 0.9 and fig.precision >= 0.99, fig


def test_distinct_stories_from_one_site_are_not_copies() -> None:
    docs = originals()
    dd = Deduplicator()
    ids = sorted(docs)
    for k, aid in enumerate(ids):
        title, paras = docs[aid]
        links = [f"Read more: {docs[ids[k - 1]][0]}"]
        assert dd.check(aid, "\n".join(HEADERS[1] + [title] + paras[:2] + links + FOOTERS[1])) is None, aid


def test_exact_copy_differing_in_case_and_spacing() -> None:
    text = "The ministers met in Geneva on Tuesday. They agreed to meet again next month, officials said."
    assert exact_key(text) == exact_key("  the MINISTERS met in Geneva on Tuesday -- they agreed to meet "
                                        "again next month; officials said!")
    dd = Deduplicator()
    assert dd.check("a", text) is None
    assert dd.check("b", text.upper()) == "a"
    assert dd.check("c", "Something else entirely happened somewhere else.") is None


def test_short_texts_only_match_exactly() -> None:
    dd = Deduplicator()
    assert dd.check("a", "Markets closed higher on Friday.") is None
    assert dd.check("b", "Markets closed lower on Friday.") is None
    assert dd.check("c", "markets closed higher on friday") == "a"


def test_truncated_copy_found_in_either_order() -> None:
    docs = originals()
    title, paras = docs[sorted(docs)[0]]
    full, cut = "\n".join(paras), "\n".join(paras[:2])
    dd = Deduplicator()
    assert dd.check("cut", cut) is None
    assert dd.check("full", full) == "cut"
    dd2 = Deduplicator()
    assert dd2.check("full", full) is None
    assert dd2.check("cut", cut) == "full"


def test_chains_point_to_the_root_and_clusters() -> None:
    docs = originals()
    _title, paras = docs[sorted(docs)[1]]
    dd = Deduplicator()
    assert dd.check("a", "\n".join(paras)) is None
    assert dd.check("b", "\n".join(paras[:3]) + "\nSource link") == "a"
    assert dd.check("c", "Share this\n" + "\n".join(paras[:3])) == "a"
    assert dd.check("a", "anything") is None  # the same id again: its earlier answer
    assert dd.clusters() == {"a": ["a", "b", "c"]}
    assert dd.root_of("c") == "a" and "b" in dd and len(dd) == 3


def test_seeding_with_add() -> None:
    docs = originals()
    _title, paras = docs[sorted(docs)[2]]
    dd = Deduplicator()
    dd.add("stored-1", "\n".join(paras))
    dd.add("stored-2", "\n".join(paras[:2]), duplicate_of="stored-1")
    assert dd.check("new", "\n".join(paras[1:])) == "stored-1"
    assert dd.root_of("stored-2") == "stored-1"


def test_normalisation_and_shingles() -> None:
    assert normalised_words("Ｆｕｌｌ-width, CAFÉ!") == ["full", "width", "café"]
    assert shingles(["a", "b", "c"], 5) == {b"a b c"}
    assert len(shingles([str(i) for i in range(10)], 5)) == 6
    assert shingles([], 5) == set()


if __name__ == "__main__":  # figures for the report: python tests/test_dedup.py
    for s in (SEED, 1, 2, 3):
        raw = corpus(s)
        for name, its in (("cleaned", cleaned(raw)), ("raw", raw)):
            f = measure(its)
            print(f"seed {s} {name}: items {f.items} copies {f.copies} flagged {f.flagged} correct {f.correct} "
                  f"recall {f.recall:.4f} precision {f.precision:.4f}", file=sys.stdout)
