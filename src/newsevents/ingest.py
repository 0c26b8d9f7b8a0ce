"""The ingest stage: read articles from files, folders and JSON Lines into ``Article`` records.

Supported inputs (the extract contract): ``.txt`` (first line is the title when a blank line
follows it), ``.html``/``.htm``, ``.jsonl`` (one JSON object per line), folders of these (walked
in sorted order), JSON Lines on stdin (path ``-``), ``.warc``/``.warc.gz`` web archives (read
streaming with warcio: each HTML response record is an article with its URL and the WARC-Date),
RSS/Atom feed files (``.rss``, ``.atom``: each item is an article, its summary as text) and feed
URLs (``http(s)://...``: the feed and its pages are fetched politely, see ``feeds.py``).

Nothing here raises for a bad article: an unreadable file or a malformed JSON line becomes an
``Article`` whose ``error`` says what is wrong, so that it is recorded in order and the good
articles beside it come through untouched.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from newsevents.errors import InputError
from newsevents.records import Article

if TYPE_CHECKING:
    from newsevents.feeds import Fetcher

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
FEED_SUFFIXES = (".rss", ".atom")
ALL_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES + FEED_SUFFIXES
URL_PREFIXES = ("http://", "https://")

#: WARC record types that can hold a fetched page (``resource`` is what wget and some crawlers write).
WARC_PAGE_TYPES = ("response", "resource")

#: Media types read from WARC records as HTML pages; everything else (images, scripts, PDFs) is skipped.
WARC_HTML_TYPES = ("text/html", "application/xhtml+xml")

#: Encodings tried in order for files that are not valid UTF-8; cp1252 covers most Western
#: "Latin-1" news exports, and latin-1 always decodes, so a file is never lost to its bytes.
FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

#: The share of NUL/control bytes above which a file is treated as binary, not text.
BINARY_CONTROL_SHARE = 0.10

#: Fields of a JSONL input record and the types they must have.
STRING_FIELDS = ("id", "url", "title", "published", "source", "text", "html", "language")

ID_HASH_CHARS = 16

#: Lone UTF-16 surrogates: valid in a JSON string ("\ud800") and in a Python str, but not encodable
#: as UTF-8, so they would break the JSON output and the database write of a whole batch.
_SURROGATE = re.compile("[\ud800-\udfff]")


def content_hash(article: Article) -> str:
    """A stable SHA-256 of what the article says (title and text or html): its identity in the store."""
    h = hashlib.sha256()
    for part in (article.title or "", article.text or "", article.html or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def with_id(article: Article) -> Article:
    """Give an article without an id the stable hash of its content as id."""
    if article.id:
        return article
    from dataclasses import replace

    if article.text or article.html or article.title:
        key = content_hash(article)
    else:  # nothing readable: the origin (path:line) is the stable identity
        key = hashlib.sha256((article.origin or "").encode("utf-8", "surrogatepass")).hexdigest()
    return replace(article, id=key[:ID_HASH_CHARS])


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes: UTF-8 first, then the fallbacks; returns (text, encoding used)."""
    for enc in FALLBACK_ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", "replace"), "latin-1"  # pragma: no cover - latin-1 never fails


def looks_binary(data: bytes) -> bool:
    """True when a file is mostly not text (NUL bytes or many control bytes)."""
    if not data:
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls / len(sample) > BINARY_CONTROL_SHARE


def split_title(text: str) -> tuple[str | None, str]:
    """A .txt file's first line is its title when a blank line follows it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) >= 3 and lines[0].strip() and not lines[1].strip():
        return lines[0].strip(), "\n".join(lines[2:]).strip("\n")
    return None, text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def read_txt(path: Path) -> Article:
    """One article from a text file."""
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Article(origin=origin, error=f"cannot read file: {exc.strerror or exc}")
    if looks_binary(data):
        return Article(origin=origin, error="file looks binary, not text; skipped")
    text, _enc = decode_bytes(data)
    if not text.strip():
        return Article(origin=origin, text="", error="empty file")
    title, body = split_title(text)
    return Article(id=path.stem, title=title, text=body, origin=origin)


def read_html(path: Path) -> Article:
    """One article from an HTML file (extracted to text later, in the clean stage)."""
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Article(origin=origin, error=f"cannot read file: {exc.strerror or exc}")
    if looks_binary(data):
        return Article(origin=origin, error="file looks binary, not HTML; skipped")
    html, _enc = decode_bytes(data)
    if not html.strip():
        return Article(origin=origin, html="", error="empty file")
    return Article(id=path.stem, html=html, origin=origin)


def article_from_json(obj: Any, origin: str) -> Article:
    """Validate one decoded JSONL record and make an Article (or an error Article)."""
    if not isinstance(obj, dict):
        return Article(origin=origin, error=f"JSON line is a {type(obj).__name__}, not an object")
    fields: dict[str, str | None] = {}
    problems = []
    for name in STRING_FIELDS:
        value = obj.get(name)
        if value is None:
            fields[name] = None
        elif name == "id" and isinstance(value, int) and not isinstance(value, bool):
            fields[name] = str(value)
        elif name == "id" and isinstance(value, float) and math.isfinite(value):
            fields[name] = str(value)
        elif isinstance(value, str):
            fields[name], n_bad = _SURROGATE.subn("\ufffd", value)
            if n_bad:  # JSON "\ud800" escapes decode to characters no UTF-8 output or database accepts
                problems.append(f"field {name!r} had {n_bad} unpaired surrogate escape(s), replaced by U+FFFD")
        else:
            problems.append(f"field {name!r} must be a string, got {type(value).__name__}")
            fields[name] = None
    if fields["text"] is None and fields["html"] is None:
        problems.append("record has neither 'text' nor 'html'")
    return Article(
        id=fields["id"],
        text=fields["text"],
        html=fields["html"],
        url=fields["url"],
        title=fields["title"],
        published=fields["published"],
        source=fields["source"],
        language=fields["language"],
        origin=origin,
        error="; ".join(problems) or None,
    )


def read_jsonl_stream(stream: IO[str], name: str) -> Iterator[Article]:
    """Articles from a JSON Lines stream; a broken line becomes an error Article, never an exception."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        origin = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Article(origin=origin, error=f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:  # "[[[[...]]]]" nested deeper than the interpreter's stack allows
            yield Article(origin=origin, error="malformed JSON: nested too deeply to read")
            continue
        yield article_from_json(obj, origin)


def read_jsonl(path: Path) -> Iterator[Article]:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            yield from read_jsonl_stream(fh, str(path))
    except OSError as exc:
        yield Article(origin=str(path), error=f"cannot read file: {exc.strerror or exc}")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suf in ALL_SUFFIXES:
        if name.endswith(suf):
            return suf
    return path.suffix.lower()


def read_path(path: Path) -> Iterator[Article]:
    """Articles from one file, by its suffix."""
    suf = _suffix(path)
    if suf in TEXT_SUFFIXES:
        yield read_txt(path)
    elif suf in HTML_SUFFIXES:
        yield read_html(path)
    elif suf in JSONL_SUFFIXES:
        yield from read_jsonl(path)
    elif suf in WARC_SUFFIXES:
        yield from read_warc(path)
    elif suf in FEED_SUFFIXES:
        from newsevents.feeds import read_feed_file

        yield from read_feed_file(path)
    else:
        yield Article(origin=str(path), error=f"unsupported file type {suf or '(none)'!r}; "
                                               "use .txt, .html, .jsonl, .warc, .warc.gz, .rss, .atom")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"\'').lower()
    return None


def decode_page(data: bytes, content_type: str = "") -> str:
    """Decode a fetched page: the charset its Content-Type names, else UTF-8 and the fallbacks."""
    charset = _charset(content_type)
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)[0]


def _warc_page(record: Any) -> tuple[str, int] | None:
    """(content type, HTTP status) of a WARC record that holds an HTML page, else None."""
    if record.rec_type not in WARC_PAGE_TYPES:
        return None
    status = 200
    if record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
        code = (record.http_headers.get_statuscode() or "200").strip()
        status = int(code) if code.isdigit() else 0
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in WARC_HTML_TYPES:
        return None
    return content_type, status


def read_warc(path: Path) -> Iterator[Article]:
    """HTML pages of a ``.warc``/``.warc.gz`` file, streamed record by record.

    Each ``response`` (or ``resource``) record with an HTML payload and a 2xx status becomes an
    Article with the page as ``html``, ``WARC-Target-URI`` as ``url`` and ``WARC-Date`` as
    ``published``; other records (requests, metadata, images, redirects) are skipped.  A file cut
    short (a truncated download) yields the records read before the cut and then one error
    Article saying where the file stops; a broken record never loses the ones before it.
    """
    from warcio.archiveiterator import ArchiveIterator

    origin = str(path)
    n = pages = 0
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                n += 1
                where = f"{origin}#{n}"
                if record.format != "warc":  # warcio reads anything else as an old ARC record
                    yield Article(origin=where, error=f"record {n} is not a WARC record (not a WARC file, "
                                                      f"or corrupt there); {pages} page(s) before it were read")
                    return
                page = _warc_page(record)
                if page is None:
                    continue
                content_type, status = page
                data = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0):  # fewer bytes than Content-Length: cut short
                    yield Article(origin=where, error=f"WARC file is truncated in record {n}; "
                                                      f"{pages} page(s) before it were read")
                    return
                if not 200 <= status < 300:
                    continue
                pages += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                yield Article(html=decode_page(data, content_type), url=uri, published=date, origin=where)
    except OSError as exc:
        yield Article(origin=origin, error=f"cannot read WARC file after {pages} page(s): {exc.strerror or exc}")
        return
    except Exception as exc:  # noqa: BLE001 - warcio raises assorted errors on corrupt archives
        yield Article(origin=f"{origin}#{n + 1}", error=f"WARC file is corrupt or truncated after record {n} "
                                                         f"({pages} page(s) read): {type(exc).__name__}: {exc}")
        return
    if n == 0 and path.stat().st_size > 0:
        yield Article(origin=origin, error="no WARC record could be read (truncated, or not a WARC file)")


def expand(paths: Iterable[str]) -> Iterator[Path | str]:
    """Files named, folders walked (sorted, supported suffixes only), ``-`` and URLs kept as strings."""
    for p in paths:
        if p == "-" or p.startswith(URL_PREFIXES):
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and _suffix(child) in ALL_SUFFIXES:
                    yield child
        elif path.exists():
            yield path
        else:
            raise InputError(f"no such file or folder: {p}")


def iter_articles(paths: Iterable[str] = (), stdin: IO[str] | None = None,
                  fetcher: Fetcher | None = None) -> Iterator[Article]:
    """Every article of the inputs, in order, with ids filled in. No paths means stdin.

    A feed URL (``http(s)://``) is fetched with ``fetcher`` (by default one polite
    ``feeds.Fetcher`` shared by all the URLs of the call).
    """
    sources = list(paths) or ["-"]
    # Every named path is checked before the first article is read: a typo in the last of many
    # paths must stop a run at once, not after hours of work on the others.
    missing = [p for p in sources if p != "-" and not p.startswith(URL_PREFIXES) and not Path(p).exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    for item in expand(sources):
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from (with_id(a) for a in read_jsonl_stream(stream, "<stdin>"))
        elif isinstance(item, str):
            from newsevents.feeds import Fetcher, read_feed_url

            fetcher = fetcher or Fetcher()
            yield from (with_id(a) for a in read_feed_url(item, fetcher))
        else:
            yield from (with_id(a) for a in read_path(item))
