"""Copies and near-copies of articles across a corpus: exact hashes and MinHash LSH.

The same wire story is republished by many sites with their own boilerplate, cut after a few
paragraphs, or with paragraphs moved.  ``Deduplicator.check(article_id, text)`` answers, for each
article in turn, "is this a copy of one seen before?" and returns the id of the first article of
its story (the cluster root) or ``None``:

1. **exact**: the SHA-256 of the normalised words (case-folded, NFKC, punctuation and spacing
   dropped) equals one seen before;
2. **near**: the article's word ``SHINGLE_WORDS``-grams are summarised by a MinHash
   (``datasketch``); an LSH index with a low Jaccard threshold proposes candidates, and a
   candidate is accepted when the estimated *containment* of the smaller shingle set in the larger
   reaches ``MIN_CONTAINMENT``.  Containment, not Jaccard, is what survives truncation: a copy
   cut at a third of the story shares a third of the shingles (Jaccard 0.33) but is almost
   wholly contained in the original.  The intersection is estimated from the MinHash Jaccard
   ``J`` and the set sizes as ``J / (1 + J) * (|A| + |B|)``.

Every article checked is indexed (a copy under its root's id), so a chain of copies of copies
stays one cluster.  The object holds a run's state; it is not module-level and not shared across
processes: the runner keeps one per run and can seed it with ``add`` from stored articles.
Memory is about 1.3 kB per article (``NUM_PERM`` 64-bit values and the LSH buckets).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["DedupOptions", "Deduplicator", "exact_key", "normalised_words", "shingles"]

#: Words per shingle.  Five-word shingles rarely repeat between different articles on the same
#: story (shared names and phrases are shorter) but survive local edits; 3 gave false matches
#: between follow-up stories and 7 lost recall on lightly edited copies in tests/test_dedup.py.
SHINGLE_WORDS = 5

#: MinHash permutations: the Jaccard estimate's standard error is about 1/sqrt(NUM_PERM) (0.06).
NUM_PERM = 128

#: LSH candidate threshold (Jaccard).  Low, because candidates are verified by containment: a
#: half-length copy with other furniture has a Jaccard near 0.15-0.3 with its original.  At 0.25
#: recall on the generated corpus (cleaned) was 0.93-0.95, all misses LSH misses; 0.15 gave 0.98-1.0
#: with no loss of precision, and 0.12 no further gain.
LSH_THRESHOLD = 0.15

#: Estimated containment of the smaller article's shingles in the larger's needed to call them
#: copies.  In the generated corpus (after clean_text) distinct stories wrapped in one site's
#: furniture reach at most 0.36 (exact), while copies score 0.6-1.0; 0.5 sits between with room
#: for the MinHash error (~0.06).  On raw, uncleaned text 0.45 already let false links through.
MIN_CONTAINMENT = 0.5

#: Articles with fewer shingles than this are only compared exactly: a 20-word brief has too few
#: shingles for a reliable MinHash estimate (and short notices repeat by design).
MIN_SHINGLES = 20

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DedupOptions:
    """Tuning of ``Deduplicator`` (the defaults are measured in tests/test_dedup.py)."""

    shingle_words: int = SHINGLE_WORDS
    num_perm: int = NUM_PERM
    lsh_threshold: float = LSH_THRESHOLD
    min_containment: float = MIN_CONTAINMENT
    min_shingles: int = MIN_SHINGLES


def normalised_words(text: str) -> list[str]:
    """The words of ``text``, NFKC-normalised and case-folded (punctuation and spacing dropped)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").casefold())


def exact_key(text: str) -> str:
    """SHA-256 of the normalised words: equal for texts that differ only in case, spacing, punctuation."""
    return hashlib.sha256(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


def shingles(words: list[str], n: int = SHINGLE_WORDS) -> set[bytes]:
    """The distinct word ``n``-grams of ``words`` (the whole text when it is shorter than ``n``)."""
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


@dataclass(frozen=True)
class _Sketch:
    root: str
    size: int
    minhash: MinHash


class Deduplicator:
    """Finds exact and near copies among the articles of a run, in the order they are checked."""

    def __init__(self, options: DedupOptions | None = None) -> None:
        self.options = options or DedupOptions()
        self._exact: dict[str, str] = {}  # exact key -> root id
        self._sketches: dict[str, _Sketch] = {}  # LSH key -> sketch
        self._lsh = MinHashLSH(threshold=self.options.lsh_threshold, num_perm=self.options.num_perm)
        self._roots: dict[str, str] = {}  # article id -> root id
        # One hashing of the permutations for all MinHashes (datasketch recomputes them per object).
        self._template = MinHash(num_perm=self.options.num_perm)

    def __len__(self) -> int:
        return len(self._roots)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._roots

    def root_of(self, article_id: str) -> str | None:
        """The cluster root of an article already checked (itself when it is an original)."""
        return self._roots.get(article_id)

    def clusters(self) -> dict[str, list[str]]:
        """Root id -> ids of the articles of its story (root first), for clusters of two or more."""
        out: dict[str, list[str]] = {}
        for aid, root in self._roots.items():
            out.setdefault(root, []).append(aid)
        return {root: sorted(ids, key=lambda a: a != root) for root, ids in out.items() if len(ids) > 1}

    def check(self, article_id: str, text: str) -> str | None:
        """Register an article; return the root id of the story it copies, or ``None`` if it is new.

        Checking the same id twice returns its earlier answer and indexes nothing new.
        """
        if article_id in self._roots:
            earlier = self._roots[article_id]
            return None if earlier == article_id else earlier
        words = normalised_words(text)
        key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        root = self._exact.get(key)
        sketch = self._sketch(words)
        if root is None and sketch is not None:
            root = self._near(sketch)
        self._register(article_id, key, sketch, root or article_id)
        return root

    def add(self, article_id: str, text: str, duplicate_of: str | None = None) -> None:
        """Index an article without checking it (seeding from a database of earlier runs)."""
        if article_id in self._roots:
            return
        words = normalised_words(text)
        key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        root = self._roots.get(duplicate_of, duplicate_of) if duplicate_of else article_id
        self._register(article_id, key, self._sketch(words), root)

    def check_many(self, items: Iterable[tuple[str, str]]) -> list[str | None]:
        """``check`` over ``(article_id, text)`` pairs, in order."""
        return [self.check(aid, text) for aid, text in items]

    # ------------------------------------------------------------------ internals
    def _sketch(self, words: list[str]) -> tuple[int, MinHash] | None:
        grams = shingles(words, self.options.shingle_words)
        if len(grams) < self.options.min_shingles:
            return None
        m = self._template.copy()
        m.update_batch(list(grams))
        return len(grams), m

    def _near(self, sketch: tuple[int, MinHash]) -> str | None:
        size, m = sketch
        best: tuple[float, str] | None = None
        for key in self._lsh.query(m):
            other = self._sketches[key]
            j = float(np.count_nonzero(m.hashvalues == other.minhash.hashvalues)) / len(m.hashvalues)
            inter = j / (1.0 + j) * (size + other.size)
            containment = inter / min(size, other.size)
            if containment >= self.options.min_containment and (best is None or containment > best[0]):
                best = (containment, other.root)
        return best[1] if best else None

    def _register(self, article_id: str, key: str, sketch: tuple[int, MinHash] | None, root: str) -> None:
        self._roots[article_id] = root
        self._exact.setdefault(key, root)
        if sketch is not None:
            lsh_key = f"{len(self._sketches)}:{article_id}"
            self._sketches[lsh_key] = _Sketch(root, sketch[0], sketch[1])
            self._lsh.insert(lsh_key, sketch[1])
