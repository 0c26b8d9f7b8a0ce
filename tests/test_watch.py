"""Tests for newsevents.watch and the ``watch`` command, against a loopback feed site."""

from __future__ import annotations

import argparse
import functools
import random
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from newsevents.errors import InputError
from newsevents.feeds import Fetcher, FetchOptions
from newsevents.htmltext import html_to_text
from newsevents.records import Article, ArticleResult
from newsevents.store import Store
from newsevents.watch import WatchOptions, iter_polls, poll_once, read_feed_list
from test_feeds import FeedSite

WORDS = ("minister talks border army city council vote budget river port trade deal court judge police "
         "protest election party leader rebels ceasefire aid convoy bridge harbour storm flood drought farmers "
         "prices bank loan strike union workers school hospital doctors vaccine airline pilots fuel tax road "
         "railway mine copper gold oil gas pipeline treaty summit envoy embassy sanctions exports wheat").split()


def story(n: str) -> str:
    """Eighty words of a made-up story, the same for the same ``n`` and different for another."""
    rng = random.Random(n)
    return " ".join(rng.choice(WORDS) for _ in range(80)) + "."


def feed(base: str, pages: list[str]) -> str:
    items = "".join(f"<item><title>Story {p.split('?')[0]}</title><link>{base}/page/{p}</link>"
                    f"<description>Summary of story {p}.</description></item>" for p in pages)
    return f"<rss version='2.0'><channel><title>Loopback Wire</title>{items}</channel></rss>"


class WatchSite(FeedSite):
    """Pages /page/N are distinct stories; /page/copyN republishes story N with other furniture."""

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        if path.startswith("/page/copy"):
            n = path.removeprefix("/page/copy").rstrip("b")
            body = (f"<html><body><nav>Home | World | Sport</nav><article><h1>Republished {n}</h1>"
                    f"<p>{story(n)}</p><p>Read more on our site.</p></article>"
                    "<footer>Share this article</footer></body></html>")
            self.send(h, 200, body.encode())
        elif path.startswith("/page/"):
            n = path.removeprefix("/page/")
            body = f"<html><body><article><h1>Story {n}</h1><p>{story(n)}</p></article></body></html>"
            self.send(h, 200, body.encode())
        else:
            super().handle(h)

    def set_items(self, pages: list[str], etag: str) -> None:
        self.feed_body = feed("{base}", pages)
        self.etag = etag


def fake_process(article: Article) -> ArticleResult:
    """A fast stand-in for pipeline.process: the article's text, no analysis."""
    text = article.text if article.text is not None else html_to_text(article.html or "").body
    return ArticleResult(id=str(article.id), text=(article.title or "") + "\n\n" + text, url=article.url,
                         title=article.title, published=article.published, source=article.source)


def fetcher() -> Fetcher:
    return Fetcher(FetchOptions(timeout=5.0), sleep=lambda s: None)


@pytest.fixture
def site() -> Iterator[WatchSite]:
    with WatchSite() as s:
        s.set_items(["1", "2", "copy1"], '"e1"')
        yield s


def page_requests(site: FeedSite) -> list[str]:
    return [p for p in site.paths() if p.startswith("/page/")]


def test_first_poll_stores_new_items_and_marks_copies(site: WatchSite) -> None:
    with Store.open(":memory:") as store:
        s = poll_once([site.base + "/feed.xml"], store, fetcher=fetcher(), processor=fake_process)
        assert (s.feeds, s.unchanged, s.failed, s.items, s.new, s.stored, s.copies) == (1, 0, 0, 3, 3, 3, 1)
        assert store.stats()["articles"] == 3
        state = store.get_feed_state(site.base + "/feed.xml")
        assert state and state["etag"] == '"e1"' and state["last_status"] == "200"
        assert store.seen_urls([site.base + "/page/1", site.base + "/page/9"]) == {site.base + "/page/1"}
        dup = store._query("SELECT url, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")  # noqa: SLF001
        assert [r[0] for r in dup] == [site.base + "/page/copy1"]
        (members,) = store.story_clusters().values()
        assert len(members) == 2


def test_unchanged_feed_costs_one_304_and_new_items_only_are_fetched(site: WatchSite) -> None:
    url = site.base + "/feed.xml"
    with Store.open(":memory:") as store:
        f = fetcher()
        poll_once([url], store, fetcher=f, processor=fake_process)
        before = len(site.paths())
        again = poll_once([url], store, fetcher=f, processor=fake_process)
        assert again.unchanged == 1 and again.stored == 0
        assert site.paths()[before:] == ["/feed.xml"]
        site.set_items(["1", "2", "copy1", "22"], '"e2"')
        third = poll_once([url], store, fetcher=f, processor=fake_process)
        assert (third.items, third.new, third.stored) == (4, 1, 1)
        assert page_requests(site).count("/page/1") == 1 and page_requests(site)[-1] == "/page/22"
        assert store.stats()["articles"] == 4


def test_restart_carries_on_without_refetching_or_double_counting(site: WatchSite, tmp_path: Path) -> None:
    db, url = tmp_path / "w.duckdb", site.base + "/feed.xml"
    with Store.open(db) as store:
        poll_once([url], store, fetcher=fetcher(), processor=fake_process)
    pages_before = len(page_requests(site))
    site.set_items(["1", "2", "copy1"], '"e2"')  # the feed changed its ETag, not its items
    with Store.open(db) as store:  # a new process: nothing in memory
        s = poll_once([url], store, fetcher=fetcher(), processor=fake_process)
        assert (s.unchanged, s.new, s.stored) == (0, 0, 0)
        assert len(page_requests(site)) == pages_before
        site.set_items(["1", "copy7", "2"], '"e3"')  # a copy of a story never stored: new
        s = poll_once([url], store, fetcher=fetcher(), processor=fake_process)
        assert (s.new, s.stored, s.copies) == (1, 1, 0)
        site.set_items(["copy1b"], '"e4"')
        s = poll_once([url], store, fetcher=fetcher(), processor=fake_process)
        # the copy detector was seeded from the database: a copy of a story stored before the restart
        assert (s.stored, s.copies) == (1, 1)
        assert store.stats()["articles"] == 5
        runs = store._query("SELECT count(*) FROM runs")[0][0]  # noqa: SLF001
        assert runs == 4


def test_a_url_seen_but_not_stored_is_not_counted_twice(site: WatchSite) -> None:
    url = site.base + "/feed.xml"
    with Store.open(":memory:") as store:
        store.mark_urls_seen([(site.base + "/page/1", None)])
        s = poll_once([url], store, fetcher=fetcher(), processor=fake_process)
        assert (s.new, s.stored) == (2, 2)
        assert "/page/1" not in page_requests(site)


def test_same_text_under_two_urls_is_stored_once(site: WatchSite) -> None:
    site.set_items(["1", "1?utm=x"], '"e9"')
    with Store.open(":memory:") as store:
        s = poll_once([site.base + "/feed.xml"], store, fetcher=fetcher(), processor=fake_process)
        assert (s.new, s.stored, s.already) == (2, 1, 1)


def test_failed_feed_is_recorded_and_others_go_on(site: WatchSite) -> None:
    with Store.open(":memory:") as store:
        s = poll_once([site.base + "/missing.xml", site.base + "/feed.xml"], store, fetcher=fetcher(),
                      processor=fake_process)
        assert (s.failed, s.stored) == (1, 3)
        assert any("HTTP 404" in p for p in s.problems)
        state = store.get_feed_state(site.base + "/missing.xml")
        assert state and state["last_status"] == "404"


def test_summaries_only_and_no_dedup(site: WatchSite) -> None:
    with Store.open(":memory:") as store:
        s = poll_once([site.base + "/feed.xml"], store, WatchOptions(fetch_pages=False, dedup=False),
                      fetcher=fetcher(), processor=fake_process)
        assert (s.stored, s.copies) == (3, 0)
        assert page_requests(site) == []


def test_schedule_sleeps_between_rounds_and_rejects_tiny_intervals(site: WatchSite) -> None:
    waits: list[float] = []
    with Store.open(":memory:") as store:
        polls = iter_polls([site.base + "/feed.xml"], store, WatchOptions(interval=120), fetcher=fetcher(),
                           processor=fake_process, sleep=waits.append)
        first, second = next(polls), next(polls)
        assert first.stored == 3 and second.unchanged == 1
        assert len(waits) == 1 and 100 < waits[0] <= 120
        with pytest.raises(InputError, match="at least"):
            next(iter_polls(["http://x.example/f"], store, WatchOptions(interval=5)))


def test_read_feed_list(tmp_path: Path) -> None:
    f = tmp_path / "feeds.txt"
    f.write_text("# my feeds\nhttps://a.example/rss\n\nhttps://b.example/atom  # the B desk\nhttps://a.example/rss\n",
                 encoding="utf-8")
    assert read_feed_list([str(f), "http://c.example/feed"]) == [
        "https://a.example/rss", "https://b.example/atom", "http://c.example/feed"]
    (tmp_path / "bad.txt").write_text("not a url\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.txt:1"):
        read_feed_list([str(tmp_path / "bad.txt")])
    with pytest.raises(InputError, match="cannot read"):
        read_feed_list([str(tmp_path / "none.txt")])


def test_watch_command_once(site: WatchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    import newsevents.cli as cli
    import newsevents.feeds as feeds
    import newsevents.pipeline as pipeline
    from newsevents import cli_watch

    parser = argparse.ArgumentParser(prog="newsevents")
    cli_watch.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["watch", site.base + "/feed.xml", "--db", str(tmp_path / "c.duckdb"), "--once"])
    assert args.once and args.interval == 900
    monkeypatch.setattr(pipeline, "process", lambda a, o=None: fake_process(a))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("newsevents.cli_watch",))
    monkeypatch.setattr(feeds, "FetchOptions", functools.partial(feeds.FetchOptions, min_interval=0.0))
    db = str(tmp_path / "c.duckdb")
    assert cli.main(["watch", site.base + "/feed.xml", "--db", db, "--once"]) == 0
    assert "3 stored (1 copies)" in capsys.readouterr().err
    assert cli.main(["watch", site.base + "/missing.xml", "--db", db, "--once"]) == 1
    assert cli.main(["watch", str(tmp_path / "nofile.txt"), "--db", db, "--once"]) == 2
    assert "cannot read the feed list" in capsys.readouterr().err
