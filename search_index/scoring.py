"""Ranking: BM25F over the one indexed field, clause by clause.

Each clause of a query (a word, a phrase, a word with its corrections) becomes a map
of document number -> score. A term's score in a document is BM25F (Robertson and
Zaragoza's "simple BM25 extension to multiple weighted fields"): its frequency in
each stream (title, labels, body; ``documents.STREAMS``) is length-normalised by that
stream's own length against the stream's average, weighted, and summed; the sum
saturates once, with ``K1``:

    tf~ = sum over streams s of  W_s * tf_s / ((1 - B_s) + B_s * len_s / avglen_s)
    score = idf * tf~ * (K1 + 1) / (tf~ + K1)       idf = log(N / (df + 1)) + 1

``W_s / ((1 - B_s) + B_s * len_s / avglen_s)`` is computed once per document and
stream when the index is opened, from the lengths the marker records; N and the
average lengths are counted then too, and document frequencies are the posting
lists' lengths, so no statistic of the collection is frozen into the postings.
Phrases and field prefixes take their candidates from the posting lists and count
their occurrences in the documents' text (``wordfind``).

Whoosh's own matcher tree pays several Python calls per matching document and
field; reading each posting list once into plain lists (``lists``) and scoring it
with one comprehension is what keeps a query in the same range as SQLite FTS5 (see
benchmarks/search.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from math import log

from whoosh.reading import TermNotFound

from .documents import FIELD_STREAMS, STREAM_NAMES, SearchDoc
from .lists import SegmentLists
from .wordfind import PhraseFinder, StemFinder
from .writer import FIELD

# Stream weights and length normalisation (title, labels, body), and the saturation
# K1; chosen on the tuning half of the judged queries (tests/search_index/judged.yaml).
STREAM_WEIGHTS = (5.0, 1.5, 1.0)
B = (0.3, 0.3, 0.8)
K1 = 2.2

Scores = dict[int, float]


class Postings:
    """Reads posting lists of the index and scores them."""

    def __init__(
        self, reader, lengths: list[tuple[int, int, int]], docs: Sequence[SearchDoc]
    ) -> None:
        self.reader = reader
        self.lists = SegmentLists(reader)
        self.docs = docs
        self.count = len(lengths)
        # per stream, per document: W_s / ((1 - B_s) + B_s * len_s / avglen_s)
        self.inv: list[list[float]] = []
        for s in range(len(STREAM_NAMES)):
            column = [row[s] for row in lengths]
            avg = (sum(column) / len(column) if column else 0.0) or 1.0
            w, b = STREAM_WEIGHTS[s], B[s]
            self.inv.append([w / ((1 - b) + b * n / avg) for n in column])
        # what this query has read: document frequencies, posting lists, tf~ maps (a
        # synonym or another spelling often has a word of the query itself)
        self._df: dict[str, int] = {}
        self._lists: dict[str, tuple[list[int], array]] = {}
        self._tfs: dict[str, dict[int, float]] = {}

    def idf(self, df: int) -> float:
        """Whoosh's idf: ``log(N / (df + 1)) + 1``."""
        return log(self.count / (df + 1)) + 1 if self.count else 1.0

    def begin(self) -> None:
        """Start a query: forget what the previous one read."""
        self._df.clear()
        self._lists.clear()
        self._tfs.clear()

    def read(self, stem: str) -> tuple[list[int], array]:
        """Document numbers of ``stem`` and their stream frequencies (three per document);
        read once per query, not to be changed."""
        got = self._lists.get(stem)
        if got is None:
            got = self._lists[stem] = self.lists.read(stem)
            self._df[stem] = len(got[0])
        return got

    def _bm25(self, idf: float, pairs: Iterable[tuple[int, float]]) -> Scores:
        """BM25 of ``(document, tf~)`` pairs whose tf~ is already normalised."""
        k1, k = K1, K1 + 1
        return {d: idf * tf * k / (tf + k1) for d, tf in pairs}

    def term(self, stem: str, field: str | None = None) -> Scores:
        """Scores of the documents containing ``stem`` (only in ``field``, if given)."""
        ids, values = self.read(stem)
        idf = self.idf(len(ids))
        if field is None:
            t, lb, b = self.inv
            k1, c = K1, idf * (K1 + 1)
            tfs = zip(ids, values[0::3], values[1::3], values[2::3], strict=True)
            return {
                d: c * (tf := x * t[d] + y * lb[d] + z * b[d]) / (tf + k1) for d, x, y, z in tfs
            }
        finder, docs = StemFinder((stem,)), self.docs
        stream, boost = FIELD_STREAMS[field]
        inv = self.inv[stream]
        # only documents with the term in the field's stream can have it in the field
        ids = [d for d, x in zip(ids, values[stream::3], strict=True) if x]
        pairs = ((d, finder.count(docs[d].fields.get(field, ())) * boost * inv[d]) for d in ids)
        return self._bm25(idf, ((d, tf) for d, tf in pairs if tf))

    def phrase(self, stems: tuple[str, ...], field: str | None = None) -> Scores:
        """Scores of the documents where ``stems`` occur adjacent and in order."""
        reads = [self.read(s) for s in stems]
        # per document, the streams that have every stem (bit s for stream s): a phrase
        # can only be in the fields of those
        common: dict[int, int] | None = None
        for ids, values in reads:
            tfs = zip(ids, values[0::3], values[1::3], values[2::3], strict=True)
            bits = {d: (x > 0) | (y > 0) << 1 | (z > 0) << 2 for d, x, y, z in tfs}
            if common is not None:
                bits = {d: m & common[d] for d, m in bits.items() if d in common}
            common = {d: m for d, m in bits.items() if m}
        finder, docs, inv = PhraseFinder(stems), self.docs, self.inv
        names = (field,) if field is not None else FIELD_STREAMS
        in_streams = [[n for n in names if m >> FIELD_STREAMS[n][0] & 1] for m in range(8)]
        pairs = []
        for d, m in (common or {}).items():
            texts = docs[d].fields
            tf = 0.0
            for n in in_streams[m]:
                count = finder.count(texts[n]) if texts.get(n) else 0
                if count:
                    stream, boost = FIELD_STREAMS[n]
                    tf += count * boost * inv[stream][d]
            if tf:
                pairs.append((d, tf))
        return self._bm25(sum(self.idf(len(ids)) for ids, _ in reads), pairs)

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

    def tfs(self, stems: tuple[str, ...]) -> dict[int, float]:
        """Normalised frequencies (tf~) of a term, or of several words taken together
        (documents with every one of them; their mean tf~), as one term; not to be changed."""
        maps = [self._tf(stem) for stem in stems]
        if len(maps) == 1:
            return maps[0]
        if not all(maps):
            return {}
        common = set(maps[0]).intersection(*maps[1:])
        return {d: sum(m[d] for m in maps) / len(maps) for d in common}

    def _tf(self, stem: str) -> dict[int, float]:
        """tf~ of ``stem`` in each document that has it (once per query)."""
        found = self._tfs.get(stem)
        if found is None:
            t, lb, b = self.inv
            ids, values = self.read(stem)
            tfs = zip(ids, values[0::3], values[1::3], values[2::3], strict=True)
            found = self._tfs[stem] = {d: x * t[d] + y * lb[d] + z * b[d] for d, x, y, z in tfs}
        return found

    def bm25(self, idf: float, tfs: dict[int, float], factor: float = 1.0) -> Scores:
        """BM25 of normalised frequencies, times ``factor``."""
        return self._bm25(idf * factor, tfs.items())

    def doc_frequency(self, stem: str) -> int:
        """How many documents contain ``stem``."""
        df = self._df.get(stem)
        if df is None:
            try:
                df = self._df[stem] = self.reader.doc_frequency(FIELD, stem)
            except TermNotFound:
                df = self._df[stem] = 0
        return df
