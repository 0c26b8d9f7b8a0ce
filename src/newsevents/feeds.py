"""RSS/Atom feeds into Articles, and polite HTTP fetching of feeds and pages.

``parse_feed(data)`` reads a feed (any RSS or Atom version, with feedparser) into ``FeedItem``
records; ``read_feed_file`` turns a feed file into Articles (each item's summary as its text);
``read_feed_url`` fetches a feed and then each item's page (the page's HTML is the article, the
summary the fallback when the page cannot be fetched).

``Fetcher`` is the one way newsevents goes on the network, and it is polite:

- it sends a clear ``User-Agent`` (``USER_AGENT``) naming the project and where to read about it;
- it reads each host's ``robots.txt`` once (RFC 9309: a 4xx answer allows everything, a 5xx or
  an unreachable server disallows everything for now) and never fetches a disallowed URL;
- it waits at least ``MIN_HOST_INTERVAL`` seconds between two requests to the same host (longer
  when robots.txt asks for a ``Crawl-delay``, up to ``MAX_CRAWL_DELAY``);
- every request has a timeout and a size limit, and conditional GET (``If-None-Match`` /
  ``If-Modified-Since``) is supported so that an unchanged feed costs one ``304``.

Network failures raise ``FetchError`` (an ``InputError``); the feed readers turn them into
error Articles so that one dead feed or page never stops a batch.
"""

from __future__ import annotations

import calendar
import gzip
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from newsevents.errors import InputError
from newsevents.ingest import decode_page
from newsevents.records import Article

__all__ = [
    "USER_AGENT", "FeedFetch", "FeedItem", "FetchError", "FetchOptions", "Fetcher", "Response",
    "fetch_feed", "item_article", "parse_feed", "read_feed_file", "read_feed_url",
]

#: The User-Agent of every request: who is fetching, and where to learn about it.
USER_AGENT = "newsevents/0.1 (+https://example.org/newsevents)"

#: Seconds to wait for a server to connect or to send data: long enough for a slow news site,
#: short enough that one dead feed does not stall a 15-minute polling round.
DEFAULT_TIMEOUT = 20.0

#: Least seconds between two requests to one host.  One request a second per host is the
#: customary polite crawl rate (and what most robots.txt Crawl-delay values ask for or less).
MIN_HOST_INTERVAL = 1.0

#: A robots.txt Crawl-delay above this many seconds is capped: honouring "Crawl-delay: 3600" would
#: stop a polling round on one slow host; the host is still never hit faster than this.
MAX_CRAWL_DELAY = 30.0

#: Largest body read (bytes).  News pages are 50 kB-2 MB of HTML; anything bigger is not an article.
MAX_BYTES = 10_000_000

#: Largest robots.txt read (bytes); RFC 9309 asks crawlers to parse at least 500 KiB.
MAX_ROBOTS_BYTES = 512_000

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(InputError):
    """A URL could not be fetched (network error, HTTP error, robots.txt, size limit)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str = USER_AGENT
    timeout: float = DEFAULT_TIMEOUT
    min_interval: float = MIN_HOST_INTERVAL
    max_crawl_delay: float = MAX_CRAWL_DELAY
    max_bytes: int = MAX_BYTES
    respect_robots: bool = True


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode_page(self.body, self.content_type)


@dataclass
class _Host:
    last: float | None = None
    robots: urllib.robotparser.RobotFileParser | None = None
    allow_all: bool | None = None  # True: no usable robots.txt (4xx); False: unreachable (disallow)
    delay: float = 0.0


class Fetcher:
    """Polite HTTP GET: robots.txt, a per-host rate limit, timeouts, a clear user agent.

    ``clock`` and ``sleep`` can be replaced (tests); the per-host state lives in the object.
    """

    def __init__(self, options: FetchOptions | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options or FetchOptions()
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self.requests = 0  # requests sent (robots.txt included), for logs and tests

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"not an http(s) URL: {url}")
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        return key, self._hosts.setdefault(key, _Host())

    def _wait(self, host: _Host) -> None:
        interval = max(self.options.min_interval, min(host.delay, self.options.max_crawl_delay))
        if host.last is not None:
            remaining = host.last + interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        host.last = self._clock()

    def allowed(self, url: str) -> bool:
        """May ``url`` be fetched under its host's robots.txt (read once per host)?"""
        if not self.options.respect_robots:
            return True
        key, host = self._host(url)
        if host.allow_all is None and host.robots is None:
            self._read_robots(key, host)
        if host.allow_all is not None:
            return host.allow_all
        assert host.robots is not None
        return host.robots.can_fetch(self.options.user_agent, url)

    def _read_robots(self, key: str, host: _Host) -> None:
        try:
            resp = self._send(key + "/robots.txt", host, {"Accept": "text/plain"}, MAX_ROBOTS_BYTES)
        except FetchError as exc:
            status = exc.status or 0
            host.allow_all = 400 <= status < 500  # RFC 9309: unavailable -> allow; unreachable -> disallow
            return
        rp = urllib.robotparser.RobotFileParser(key + "/robots.txt")
        rp.parse(resp.text().splitlines())
        host.robots = rp
        delay = rp.crawl_delay(self.options.user_agent)
        host.delay = float(delay) if delay else 0.0

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str = PAGE_ACCEPT) -> Response:
        """GET ``url`` politely; a ``304`` comes back as a Response with ``not_modified``."""
        key, host = self._host(url)
        if not self.allowed(url):
            raise FetchError(f"robots.txt of {key} disallows {url}")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._send(url, host, headers, self.options.max_bytes)

    def _send(self, url: str, host: _Host, headers: dict[str, str], max_bytes: int) -> Response:
        self._wait(host)
        self.requests += 1
        req = urllib.request.Request(url, headers={"User-Agent": self.options.user_agent,
                                                   "Accept-Encoding": "gzip", **headers})
        try:
            with urllib.request.urlopen(req, timeout=self.options.timeout) as resp:  # noqa: S310 - http(s) only
                body = resp.read(max_bytes + 1)
                return _response(resp.geturl(), resp.status, body, resp.headers, max_bytes)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(url, 304, b"", etag=exc.headers.get("ETag"),
                                last_modified=exc.headers.get("Last-Modified"))
            raise FetchError(f"HTTP {exc.code} {exc.reason} for {url}", exc.code) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"cannot fetch {url}: {reason}") from None


def _response(url: str, status: int, body: bytes, headers: Any, max_bytes: int) -> Response:
    if len(body) > max_bytes:
        raise FetchError(f"{url} is larger than {max_bytes} bytes; not read")
    if (headers.get("Content-Encoding") or "").lower() == "gzip":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as exc:
            raise FetchError(f"{url}: broken gzip body: {exc}") from None
    return Response(url, status, body, headers.get("Content-Type") or "", headers.get("ETag"),
                    headers.get("Last-Modified"))


# ---------------------------------------------------------------------------- feeds
@dataclass(frozen=True)
class FeedItem:
    link: str | None
    title: str | None
    published: str | None  # ISO 8601 UTC, e.g. 2024-01-12T10:00:00Z
    summary: str | None  # plain text
    guid: str | None = None


@dataclass(frozen=True)
class Feed:
    title: str | None
    items: tuple[FeedItem, ...]


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))
    except (TypeError, ValueError, OverflowError):
        return None


def fragment_text(html: str | None) -> str | None:
    """Plain text of an HTML fragment (a feed summary): tags dropped, paragraphs on their own lines."""
    if not html or not html.strip():
        return None
    if "<" not in html:
        return html.strip()
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several error types on broken fragments
        return html.strip()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n" + (block.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    text = "\n".join(line for line in lines if line)
    return text or None


def parse_feed(data: bytes, base_url: str | None = None) -> Feed:
    """Parse RSS or Atom ``data``; raises ``InputError`` when it is not a feed."""
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError(f"not an RSS or Atom feed{': ' + str(problem) if problem else ''}")
    items = []
    for e in parsed.entries:
        summary = e.get("summary")
        if not summary and e.get("content"):
            summary = e["content"][0].get("value")
        link = e.get("link")
        if link and base_url:
            link = urljoin(base_url, link)
        items.append(FeedItem(link=link or None, title=(e.get("title") or "").strip() or None,
                              published=_iso(e.get("published_parsed") or e.get("updated_parsed")),
                              summary=fragment_text(summary), guid=e.get("id") or link))
    title = (parsed.feed.get("title") or "").strip() or None
    return Feed(title, tuple(items))


def item_article(item: FeedItem, source: str | None, origin: str, html: str | None = None,
                 error: str | None = None) -> Article:
    """The Article of a feed item: its page's HTML when given, else its summary as text."""
    if html is not None:
        return Article(html=html, url=item.link, title=item.title, published=item.published, source=source,
                       origin=origin, error=error)
    return Article(text=item.summary, url=item.link, title=item.title, published=item.published, source=source,
                   origin=origin, error=error if item.summary or item.title else (error or "feed item has no text"))


def read_feed_file(path: Path) -> Iterator[Article]:
    """Articles of an RSS/Atom file: each item's summary is its text (nothing is fetched)."""
    origin = str(path)
    try:
        feed = parse_feed(path.read_bytes())
    except OSError as exc:
        yield Article(origin=origin, error=f"cannot read file: {exc.strerror or exc}")
        return
    except InputError as exc:
        yield Article(origin=origin, error=exc.message)
        return
    for n, item in enumerate(feed.items, start=1):
        yield item_article(item, feed.title, f"{origin}#{n}")


@dataclass(frozen=True)
class FeedFetch:
    """One poll of a feed URL: ``not_modified`` (nothing to do) or its items and cache validators."""

    url: str
    status: int
    feed: Feed | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    items: tuple[FeedItem, ...] = field(default=())

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch_feed(url: str, fetcher: Fetcher, etag: str | None = None, last_modified: str | None = None) -> FeedFetch:
    """Fetch and parse a feed, conditionally; errors are returned in ``error``, never raised."""
    try:
        resp = fetcher.get(url, etag, last_modified, accept=FEED_ACCEPT)
    except FetchError as exc:
        return FeedFetch(url, exc.status or 0, error=exc.message)
    if resp.not_modified:
        return FeedFetch(url, 304, etag=resp.etag or etag, last_modified=resp.last_modified or last_modified)
    try:
        feed = parse_feed(resp.body, resp.url)
    except InputError as exc:
        return FeedFetch(url, resp.status, error=f"{url}: {exc.message}")
    return FeedFetch(url, resp.status, feed, resp.etag, resp.last_modified, items=feed.items)


def fetch_item(item: FeedItem, fetcher: Fetcher, source: str | None, origin: str) -> Article:
    """The Article of a feed item with its page fetched; the summary (and an error) when that fails."""
    if not item.link:
        return item_article(item, source, origin)
    try:
        resp = fetcher.get(item.link)
    except FetchError as exc:
        return item_article(item, source, origin, error=f"{exc.message}; the feed's summary was used")
    ctype = resp.content_type.split(";")[0].strip().lower()
    if ctype and ctype not in HTML_TYPES:
        return item_article(item, source, origin, error=f"{item.link} is {ctype}, not HTML; the feed's summary "
                                                        "was used")
    return item_article(item, source, origin, html=resp.text())


def read_feed_url(url: str, fetcher: Fetcher | None = None, fetch_pages: bool = True) -> Iterator[Article]:
    """Articles of a feed URL: each item's page fetched (politely), or its summary."""
    fetcher = fetcher or Fetcher()
    got = fetch_feed(url, fetcher)
    if got.error or got.feed is None:
        yield Article(origin=url, error=got.error or f"{url}: no feed")
        return
    source = got.feed.title or urlsplit(url).netloc
    for n, item in enumerate(got.items, start=1):
        origin = f"{url}#{n}"
        yield fetch_item(item, fetcher, source, origin) if fetch_pages else item_article(item, source, origin)
