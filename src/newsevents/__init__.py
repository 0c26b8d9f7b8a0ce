"""newsevents: news articles in, traceable event data out.

The public API:

- ``extract(text_or_article, **options) -> ArticleResult`` for one article;
- ``extract_many(articles, **options) -> Iterator[ArticleResult]`` for many, in input order;
- the records in ``newsevents.records`` (``ArticleResult.to_dict()`` is the ``newsevents/1`` record).

Both call ``newsevents.pipeline.process``, the same function the command line uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from newsevents.records import Article, ArticleResult

__version__ = "0.1.0"
__all__ = ["Article", "ArticleResult", "__version__", "extract", "extract_many"]


def _article(item: str | dict[str, Any] | Article, published: str | None) -> Article:
    from newsevents.ingest import article_from_json

    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(text=item, published=published)
    if isinstance(item, dict):
        return article_from_json(item, origin="<api>")
    raise TypeError(f"expected a str, dict or Article, got {type(item).__name__}")


def extract(item: str | dict[str, Any] | Article, *, published: str | None = None,
            knowledge_dirs: tuple[str, ...] = (), max_chars: int | None = None) -> ArticleResult:
    """Analyse one article: a text, an input-record dict, or an ``Article``."""
    return next(extract_many([item], published=published, knowledge_dirs=knowledge_dirs, max_chars=max_chars))


def extract_many(items: Iterable[str | dict[str, Any] | Article], *, published: str | None = None,
                 knowledge_dirs: tuple[str, ...] = (), max_chars: int | None = None) -> Iterator[ArticleResult]:
    """Analyse many articles lazily, in input order."""
    from newsevents.pipeline import DEFAULT_MAX_CHARS, Options, process

    opts = Options(published=published, knowledge_dirs=tuple(knowledge_dirs), max_chars=max_chars or DEFAULT_MAX_CHARS)
    for item in items:
        yield process(_article(item, published), opts)
