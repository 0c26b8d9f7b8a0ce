"""The exception hierarchy: one root, coded errors.

Every error raised on purpose by newsevents derives from ``NewsEventsError`` and carries a
short code (``E101``...) so that messages can be looked up in the README's error table.
Per-article problems are not raised to the caller: they are recorded in
``ArticleResult.errors`` (see ``records.ArticleError``) and processing goes on.
"""

from __future__ import annotations


class NewsEventsError(Exception):
    """Root of every error newsevents raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class InputError(NewsEventsError):
    """An input file or record could not be read."""

    code = "E101"


class ModelError(NewsEventsError):
    """The spaCy model is not installed or cannot be loaded."""

    code = "E201"


class KnowledgeError(NewsEventsError):
    """A knowledge file (actors, verb patterns, CAMEO table...) is missing or invalid."""

    code = "E301"


class StoreError(NewsEventsError):
    """The database cannot be opened, is foreign or corrupt, or a write failed."""

    code = "E401"


class EvalError(NewsEventsError):
    """Gold data for an evaluation is missing or malformed."""

    code = "E501"
