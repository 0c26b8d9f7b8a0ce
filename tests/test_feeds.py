"""Tests for newsevents.feeds: feed parsing and polite fetching from a loopback HTTP server."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

import pytest

from newsevents.errors import InputError
from newsevents.feeds import (
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchOptions,
    fetch_feed,
    fragment_text,
    parse_feed,
    read_feed_file,
    read_feed_url,
)
from newsevents.ingest import iter_articles

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>{base}/</link>
<item><title>Ministers meet in Geneva</title><link>{base}/a.html</link><guid>a-1</guid>
<pubDate>Tue, 07 Feb 2023 10:30:00 +0100</pubDate>
<description>&lt;p&gt;The foreign ministers met on &lt;b&gt;Tuesday&lt;/b&gt;.&lt;/p&gt;
&lt;p&gt;Talks go on.&lt;/p&gt;</description></item>
<item><title>Closed page</title><link>{base}/private/c.html</link>
<description>A summary of the closed page.</description></item>
<item><title>A report</title><link>/doc.pdf</link><description>The report in brief.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id><updated>2024-01-12T10:00:00Z</updated>
<entry><title>Strikes on the coast</title><link href="https://news.example.org/strikes"/><id>urn:e1</id>
<updated>2024-01-12T09:15:00Z</updated><summary>Warplanes struck targets overnight.</summary></entry>
<entry><title>Content only</title><link href="https://news.example.org/c"/><id>urn:e2</id>
<updated>2024-01-12T09:00:00Z</updated><content type="html">&lt;p&gt;Full content here.&lt;/p&gt;</content></entry>
</feed>"""

PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>{text}</p></article></body></html>")


class FeedSite:
    """A loopback web site: robots.txt, a feed with ETag/Last-Modified, pages, and request logs."""

    ETAG = '"v1"'
    LAST_MODIFIED = "Tue, 07 Feb 2023 10:00:00 GMT"

    def __init__(self, robots: tuple[int, str] = (200, "User-agent: *\nDisallow: /private/\n")) -> None:
        self.robots = robots
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.feed_body = RSS
        self.etag = self.ETAG
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with site.lock:
                    site.requests.append((self.path, dict(self.headers.items())))
                site.handle(self)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _h in self.requests]

    def send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
             extra: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path == "/robots.txt":
            self.send(h, self.robots[0], self.robots[1].encode(), "text/plain")
        elif path == "/feed.xml":
            if h.headers.get("If-None-Match") == self.etag:
                h.send_response(304)
                h.send_header("ETag", self.etag)
                h.end_headers()
                return
            body = self.feed_body.format(base=self.base).encode()
            self.send(h, 200, body, "application/rss+xml",
                      {"ETag": self.etag, "Last-Modified": self.LAST_MODIFIED})
        elif path == "/a.html":
            self.send(h, 200, PAGE.format(title="Ministers meet in Geneva",
                                          text="The foreign ministers met in Geneva on Tuesday. " * 8).encode())
        elif path.startswith("/page/"):
            name = path.rsplit("/", 1)[-1]
            self.send(h, 200, PAGE.format(title=f"Story {name}", text=f"Story {name} happened today. " * 8).encode())
        elif path == "/gz.html":
            body = gzip.compress(PAGE.format(title="Zipped", text="Compressed page text.").encode())
            self.send(h, 200, body, extra={"Content-Encoding": "gzip"})
        elif path == "/doc.pdf":
            self.send(h, 200, b"%PDF-1.4", "application/pdf")
        elif path == "/slow":
            time.sleep(1.0)
            self.send(h, 200, b"late")
        elif path == "/notfeed":
            self.send(h, 200, b"<html><body>just a page</body></html>")
        else:
            self.send(h, 404, b"not found", "text/plain")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out (the /slow test) is expected, not an error


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with FeedSite() as s:
        yield s


def fast(**kw: object) -> Fetcher:
    """A fetcher that does not really sleep (the rate limit is checked separately)."""
    return Fetcher(FetchOptions(timeout=5.0, **kw), sleep=lambda s: None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- parsing
def test_parse_rss_items_dates_and_summaries() -> None:
    feed = parse_feed(RSS.format(base="https://w.example").encode(), "https://w.example/feed.xml")
    assert feed.title == "Example Wire"
    a, b, c = feed.items
    assert a.link == "https://w.example/a.html" and (a.guid or "").endswith("a-1")
    assert a.published == "2023-02-07T09:30:00Z"  # +0100 converted to UTC
    assert a.summary == "The foreign ministers met on Tuesday.\nTalks go on."
    assert b.published is None
    assert c.link == "https://w.example/doc.pdf"  # relative link resolved against the feed URL


def test_parse_atom_and_content_fallback() -> None:
    feed = parse_feed(ATOM.encode())
    assert feed.title == "Atom Desk"
    assert [i.published for i in feed.items] == ["2024-01-12T09:15:00Z", "2024-01-12T09:00:00Z"]
    assert feed.items[1].summary == "Full content here."


def test_not_a_feed_raises_input_error() -> None:
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>hello</body></html>")


def test_fragment_text() -> None:
    assert fragment_text("<p>One<br>two</p><ul><li>three</li></ul>") == "One\ntwo\nthree"
    assert fragment_text("plain words") == "plain words"
    assert fragment_text("  ") is None and fragment_text(None) is None


def test_feed_files(tmp_path: Path) -> None:
    (tmp_path / "w.rss").write_text(RSS.format(base="https://w.example"), encoding="utf-8")
    (tmp_path / "d.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "bad.rss").write_text("not xml at all", encoding="utf-8")
    arts = list(iter_articles([str(tmp_path)]))
    assert "not an RSS or Atom feed" in (arts[0].error or "")
    atom, rss = arts[1:3], arts[3:]
    assert [a.title for a in atom] == ["Strikes on the coast", "Content only"]
    assert atom[0].text == "Warplanes struck targets overnight." and atom[0].source == "Atom Desk"
    assert rss[0].url == "https://w.example/a.html" and rss[0].published == "2023-02-07T09:30:00Z"
    assert all(a.id and a.error is None for a in arts[1:])
    assert list(read_feed_file(tmp_path / "missing.rss"))[0].error


# ---------------------------------------------------------------------------- fetching
def test_user_agent_robots_and_disallowed_url(site: FeedSite) -> None:
    f = fast()
    resp = f.get(site.base + "/a.html")
    assert resp.status == 200 and "Geneva" in resp.text()
    assert site.paths() == ["/robots.txt", "/a.html"]
    assert all(h.get("User-Agent") == USER_AGENT for _p, h in site.requests)
    with pytest.raises(FetchError, match="robots.txt"):
        f.get(site.base + "/private/c.html")
    assert "/private/c.html" not in site.paths()
    f.get(site.base + "/a.html")
    assert site.paths().count("/robots.txt") == 1  # read once per host


def test_robots_missing_allows_and_server_error_disallows() -> None:
    with FeedSite(robots=(404, "")) as s:
        f = fast()
        assert f.allowed(s.base + "/private/c.html")
        assert f.get(s.base + "/a.html").status == 200
        assert s.paths() == ["/robots.txt", "/a.html"]
    with FeedSite(robots=(503, "")) as s:
        f = fast()
        assert not f.allowed(s.base + "/a.html")
        with pytest.raises(FetchError):
            f.get(s.base + "/a.html")
        assert "/a.html" not in s.paths()


def test_http_errors_timeouts_and_gzip(site: FeedSite) -> None:
    f = fast()
    with pytest.raises(FetchError, match="HTTP 404") as err:
        f.get(site.base + "/nothing")
    assert err.value.status == 404
    assert "Compressed page text." in f.get(site.base + "/gz.html").text()
    slow = Fetcher(FetchOptions(timeout=0.3), sleep=lambda s: None)
    with pytest.raises(FetchError, match="cannot fetch"):
        slow.get(site.base + "/slow")
    with pytest.raises(FetchError, match="not an http"):
        f.get("ftp://example.org/x")
    with pytest.raises(FetchError, match="larger than"):
        Fetcher(FetchOptions(max_bytes=100), sleep=lambda s: None).get(site.base + "/a.html")


def test_rate_limit_per_host(site: FeedSite) -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    f = Fetcher(FetchOptions(min_interval=2.0), clock=lambda: now[0], sleep=sleep)
    f.get(site.base + "/a.html")  # robots.txt, then the page: one wait between them
    f.get(site.base + "/a.html")
    assert waits == [2.0, 2.0]
    now[0] += 5.0  # time passes: no wait needed
    f.get(site.base + "/a.html")
    assert len(waits) == 2
    assert f.requests == 4


def test_crawl_delay_is_honoured_and_capped() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    with FeedSite(robots=(200, "User-agent: *\nCrawl-delay: 5\n")) as s:
        Fetcher(FetchOptions(min_interval=1.0), clock=lambda: now[0], sleep=sleep).get(s.base + "/a.html")
    with FeedSite(robots=(200, "User-agent: *\nCrawl-delay: 500\n")) as s:
        Fetcher(FetchOptions(min_interval=1.0, max_crawl_delay=10.0), clock=lambda: now[0],
                sleep=sleep).get(s.base + "/a.html")
    assert waits == [5.0, 10.0]


def test_conditional_get(site: FeedSite) -> None:
    f = fast()
    first = fetch_feed(site.base + "/feed.xml", f)
    assert first.status == 200 and len(first.items) == 3 and first.etag == FeedSite.ETAG
    assert first.last_modified == FeedSite.LAST_MODIFIED
    again = fetch_feed(site.base + "/feed.xml", f, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.items == () and again.etag == FeedSite.ETAG
    feed_requests = [h for p, h in site.requests if p == "/feed.xml"]
    assert feed_requests[1]["If-None-Match"] == FeedSite.ETAG
    assert feed_requests[1]["If-Modified-Since"] == FeedSite.LAST_MODIFIED


def test_fetch_feed_errors_are_returned(site: FeedSite) -> None:
    assert "HTTP 404" in (fetch_feed(site.base + "/none.xml", fast()).error or "")
    assert "not an RSS" in (fetch_feed(site.base + "/notfeed", fast()).error or "")


def test_read_feed_url_fetches_pages_politely(site: FeedSite) -> None:
    arts = list(read_feed_url(site.base + "/feed.xml", fast()))
    assert len(arts) == 3
    a, closed, pdf = arts
    assert a.html and "foreign ministers met in Geneva" in a.html and a.text is None
    assert a.source == "Example Wire" and a.published == "2023-02-07T09:30:00Z"
    assert closed.html is None and closed.text == "A summary of the closed page."
    assert "robots.txt" in (closed.error or "")
    assert pdf.text == "The report in brief." and "application/pdf" in (pdf.error or "")
    assert "/private/c.html" not in site.paths()


def test_extract_accepts_a_feed_url(site: FeedSite) -> None:
    arts = list(iter_articles([site.base + "/feed.xml"], fetcher=fast()))
    assert len(arts) == 3 and all(a.id for a in arts)
    (dead,) = list(iter_articles([site.base + "/gone.xml"], fetcher=fast()))
    assert "HTTP 404" in (dead.error or "")
