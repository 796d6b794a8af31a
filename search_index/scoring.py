"""Ranking: BM25F over the one indexed field, clause by clause.

Each clause of a query (a word, a phrase, a word with its corrections) becomes a map
of document number -> score. The scores are Whoosh's ``bm25()`` with Whoosh's idf;
the word weight already sums the field boosts of every occurrence (BM25F), and the
length part of the formula is computed once per document when the index is opened.
Phrases and field prefixes take their candidates from the posting lists and count
their occurrences in the documents' text (``wordfind``).

Whoosh's own matcher tree pays several Python calls per matching document and
field; reading each posting list once into plain lists and scoring it with one
comprehension is what keeps a query in the same range as SQLite FTS5 (see
benchmarks/search.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from math import log

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from .documents import FIELD_BOOSTS, SearchDoc
from .wordfind import PhraseFinder, StemFinder
from .writer import FIELD

# BM25 parameters: answers run from a line to several pages, and full length
# normalisation (B = 0.75) buries long, thorough answers; a larger K1 lets a word in
# the title (weight 5) count for more before the score saturates. Chosen on the
# judged query set (tests/search_index/test_quality.py).
B = 0.5
K1 = 2.0

Scores = dict[int, float]


class Postings:
    """Reads posting lists of the index and scores them."""

    def __init__(self, reader, lengths: list[int], docs: list[SearchDoc]) -> None:
        self.reader = reader
        self.docs = docs
        self.count = len(lengths)
        avg = (sum(lengths) / len(lengths)) if lengths else 1.0
        avg = avg or 1.0
        # K1 * ((1 - B) + B * fl / avgfl): the length part of bm25(), per document
        self.norms = [K1 * ((1 - B) + B * n / avg) for n in lengths]
        self._df: dict[str, int] = {}  # document frequencies seen by this query

    def idf(self, df: int) -> float:
        """Whoosh's idf: ``log(N / (df + 1)) + 1``."""
        return log(self.count / (df + 1)) + 1 if self.count else 1.0

    def begin(self) -> None:
        """Start a query: forget the document frequencies noted for the previous one."""
        self._df.clear()

    def read(self, stem: str) -> tuple[list[int], list[float]]:
        """Document numbers of ``stem`` with their weights."""
        try:
            m = self.reader.postings(FIELD, stem)
        except TermNotFound:
            self._df[stem] = 0
            return [], []
        ids, weights = _drain(m)
        self._df[stem] = len(ids)
        return ids, weights

    def _bm25(self, idf: float, pairs: Iterable[tuple[int, float]]) -> Scores:
        norms, k = self.norms, K1 + 1
        return {d: idf * tf * k / (tf + norms[d]) for d, tf in pairs}

    def term(self, stem: str, field: str | None = None) -> Scores:
        """Scores of the documents containing ``stem`` (only in ``field``, if given)."""
        ids, weights = self.read(stem)
        idf = self.idf(len(ids))
        if field is None:
            return self._bm25(idf, zip(ids, weights, strict=True))
        finder, boost, docs = StemFinder((stem,)), FIELD_BOOSTS[field], self.docs
        pairs = ((d, finder.count(docs[d].fields.get(field, ())) * boost) for d in ids)
        return self._bm25(idf, ((d, tf) for d, tf in pairs if tf))

    def phrase(self, stems: tuple[str, ...], field: str | None = None) -> Scores:
        """Scores of the documents where ``stems`` occur adjacent and in order."""
        lists = [self.read(s)[0] for s in stems]
        if not all(lists):
            return {}
        common = set(lists[0]).intersection(*lists[1:])
        finder, docs = PhraseFinder(stems), self.docs
        names = (field,) if field is not None else tuple(FIELD_BOOSTS)
        pairs = []
        for d in common:
            texts = docs[d].fields
            tf = sum(finder.count(texts.get(n, ())) * FIELD_BOOSTS[n] for n in names)
            if tf:
                pairs.append((d, tf))
        return self._bm25(sum(self.idf(len(ids)) for ids in lists), pairs)

    def either(self, weighted: list[tuple[str, float]], field: str | None = None) -> Scores:
        """The best score of any of several stems, each scaled by its factor.

        For a word with its corrections or completions, or a wildcard's expansions:
        they stand for one word of the query, so they do not add up.
        """
        best: Scores = {}
        for stem, factor in weighted:
            for d, s in self.term(stem, field).items():
                s *= factor
                if s > best.get(d, 0.0):
                    best[d] = s
        return best

    def doc_frequency(self, stem: str) -> int:
        """How many documents contain ``stem``."""
        df = self._df.get(stem)
        if df is None:
            try:
                df = self._df[stem] = self.reader.doc_frequency(FIELD, stem)
            except TermNotFound:
                df = self._df[stem] = 0
        return df


def _drain(m) -> tuple[list[int], list[float]]:
    """Every document number of matcher ``m`` with its weight.

    Whoosh's W3 leaf matcher is read a block (up to 128 postings) at a time through
    the methods it uses itself, instead of four method calls per posting; any other
    matcher goes through the public API. ``test_scoring`` checks both give the same.
    """
    ids: list[int] = []
    weights: list[float] = []
    if type(m) is W3LeafMatcher:
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            m._next_block()
        return ids, weights
    is_active, ident, weight, step = m.is_active, m.id, m.weight, m.next
    while is_active():
        ids.append(ident())
        weights.append(weight())
        step()
    return ids, weights
