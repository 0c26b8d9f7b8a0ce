"""A per-article table of token attributes, read once from a spaCy ``Doc``.

spaCy builds a new ``Token`` object on every ``doc[i]``, new ``Span`` objects on every
``doc.ents`` and rebuilds ``doc.text`` from all tokens on every access; stages that scan tokens in
loops (place finding) read this table instead: plain lists of words, offsets, entity and
part-of-speech labels, taken with one ``doc.to_array`` call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, IS_ALPHA, LOWER, ORTH, POS, SPACY

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["TokenTable"]

_IOB = ("", "I", "O", "B")  # spaCy's ENT_IOB values 0..3 as Token.ent_iob_ spells them


class TokenTable:
    """The token attributes the rules read, taken once per article: spaCy builds a new Token object on every
    ``doc[i]``, new Spans on every ``doc.ents`` and rebuilds ``doc.text`` from all tokens on every access,
    which made these the costliest calls of place finding."""

    __slots__ = ("alpha", "caps", "ends", "ent_iob", "ent_type", "ents", "idx", "lower", "n", "pos", "start_of",
                 "text", "words")

    def __init__(self, doc: Doc) -> None:
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        # one array of attribute ids for all tokens (no Token objects), turned into strings through the
        # vocabulary; the few distinct labels (entity types, parts of speech) are looked up once each
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, LOWER, IDX, SPACY, IS_ALPHA, ENT_TYPE, ENT_IOB, POS]).T.tolist()
        orth, lower, idx, space, alpha, ent_type, ent_iob, pos = columns if len(doc) else [[]] * 8
        labels = {h: strings[h] if h else "" for h in {*ent_type, *pos}}
        self.words: list[str] = [strings[h] for h in orth]
        self.lower: list[str] = [strings[h] for h in lower]
        self.idx: list[int] = idx
        self.ends: list[int] = [a + len(w) for a, w in zip(idx, self.words, strict=True)]
        self.caps: list[bool] = [(bool(w) and w[0].isupper()) for w in self.words]
        self.alpha: list[bool] = [bool(x) for x in alpha]
        self.ent_type: list[str] = [labels[h] for h in ent_type]
        self.ent_iob: list[str] = [_IOB[x] for x in ent_iob]
        self.pos: list[str] = [labels[h] for h in pos]
        # doc.text is the tokens' texts, each with its trailing space if it has one
        self.text: str = "".join(w + " " if sp else w for w, sp in zip(self.words, space, strict=True))
        self.n = len(self.words)
        self.start_of: dict[int, int] = {a: i for i, a in enumerate(self.idx)}

    def window(self, i: int, j: int) -> tuple[int, int, str]:
        """Start, end and text of tokens ``i..j-1`` (``i < j``): the same as ``doc[i:j]``'s."""
        a, b = self.idx[i], self.ends[j - 1]
        return a, b, self.text[a:b]
