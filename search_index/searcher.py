"""``SearchIndex``: queries over one verified index, with filters, facets and a cache.

How a query runs (``_run``):

1. every clause is scored exactly (``scoring.Postings``);
2. when a word is unknown or the query finds little, words are widened to their
   corrections and completions from the corpus vocabulary (``spelling``), and an
   unknown word with a correction yields a "did you mean" suggestion;
3. spans of words with synonyms or other spellings (``expansion``) score as the best
   of their own words and their alternatives;
4. documents are ranked by the sum of their scores. (Multiplying it by the share of
   the query a document matches, Lucene's classic "coord", with or without idf
   weights, ranked worse on the tuning half of the judged queries: the rare words of
   a long question matter more than matching its filler. Pseudo-relevance feedback,
   adding the best words of the top 3-5 documents to queries of 3-5+ words, moved
   one tuning query of 104 and lowered MRR: not kept either.)
5. exclusions and filters apply, facets count every match, and only the requested
   page is highlighted.
"""

from __future__ import annotations

import heapq
import pickle
import re
import struct
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from whoosh.reading import ReaderClosed

import corpus

from . import expansion, loading
from .analysis import ANALYZER
from .cache import LRUCache
from .documents import SearchDoc
from .errors import IndexUnavailable, QueryError, echo
from .facets import Facets
from .highlight import Highlighter
from .query import Clause, ParsedQuery, clean, parse
from .related import like_terms
from .results import Hit, SearchResult
from .scoring import Postings, Scores
from .spelling import MAX_EXPANSIONS, Vocabulary
from .synonyms import Synonyms, carried

MAX_LIMIT = 100
MAX_OFFSET = 10_000
FEW = 3  # fewer matches than this widens the query to corrections and completions
RARE = 3  # words in fewer documents than this are widened
CORRECTION_FACTOR = {1: 0.8, 2: 0.6}  # score factor of a correction, by edit distance
COMPLETION_FACTOR = 0.85
SYNONYM_FACTOR = 0.8  # score factor of a synonym or another spelling of the words
MAX_TOTAL_EXPANSIONS = 200  # extra words (wildcards, corrections, synonyms) one query reads
CACHE_SIZE = 1024  # results; a page of 10 hits is about 10 KB

RESULTS: LRUCache[SearchResult] = LRUCache(CACHE_SIZE)
# What a damaged or vanished index raises while it is read.
_READ_ERRORS = (OSError, EOFError, ValueError, struct.error, pickle.UnpicklingError, zlib.error)


class SearchIndex:
    """A Whoosh index opened for searching, with the corpus it was built from."""

    def __init__(
        self,
        loaded: loading.Loaded,
        synonyms: Synonyms | None = None,
        data: corpus.Corpus | None = None,
    ) -> None:
        self.hash: str = loaded.marker.hash
        self.folder = loaded.folder
        self._corpus = data
        self._loaded = loaded
        self._docs = loaded.docs
        self._numbers = {d.id: n for n, d in enumerate(loaded.docs.meta)}
        self._postings = Postings(loaded.searcher.reader(), loaded.marker.lengths, loaded.docs)
        self._vocabulary = Vocabulary(loaded.marker.words)
        self.synonyms = synonyms if synonyms is not None else Synonyms.load(carried(self.folder))
        # Whoosh readers share file handles: one search at a time per index.
        self._lock = threading.Lock()
        self._budget = MAX_TOTAL_EXPANSIONS
        self._facets = Facets(loaded.docs.meta, loaded.docs.guide_titles, loaded.docs.topic_titles)

    @classmethod
    def open(
        cls,
        build_path: Path,
        data: corpus.Corpus | None = None,
        synonyms: Synonyms | None = None,
    ) -> SearchIndex:
        """Open the index of the build at ``build_path`` (``<out>/builds/<hash>``), made
        for ``data`` (default: the corpus the folder is named after); the corpus itself
        is not read: what searching needs is in the index.

        ``synonyms`` defaults to the glossary, the synonyms the build carries and the
        files of ``$PREPDECK_SYNONYMS`` (``SynonymError`` when one cannot be used).
        Raises ``IndexUnavailable`` saying why when it is missing, damaged, or was built
        for another corpus.
        """
        loaded = loading.load(Path(build_path), data)  # verifies the carried file too
        if synonyms is None:
            try:
                synonyms = Synonyms.load(carried(loaded.folder))
            except BaseException:
                loaded.searcher.close()
                loaded.docs.close()
                raise
        return cls(loaded, synonyms, data)

    @property
    def corpus(self) -> corpus.Corpus:
        """The corpus the index was built from: the one given to ``open``, else read from
        the build when first asked for (searching never needs it)."""
        if self._corpus is None:
            build = self.folder.parent
            self._corpus = corpus.load_corpus(build.parent.parent, build.name)
        return self._corpus

    def related(
        self,
        doc_id: str,
        *,
        guide: str | None = None,
        topic: str | None = None,
        tag: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        """Documents like ``doc_id`` (a question or topic id), itself left out.

        The filters and the result are those of ``search``; ``query`` is ``doc_id``.
        Raises ``QueryError`` for an unknown id or a bad parameter.
        """
        _check_page(limit, offset)
        key = ("related", self.hash, doc_id, guide, topic, tag, limit, offset)
        cached = RESULTS.get(key)
        if cached is not None:
            return cached
        number = self._numbers.get(doc_id)
        if number is None:
            raise QueryError(f"no question or topic {echo(doc_id)}")
        allowed = self._facets.allowed(guide, topic, tag)
        with self._lock, self._reading():
            postings = self._postings
            postings.begin()
            terms = like_terms(self._docs[number], postings)
            total: Scores = {}
            for stem, weight in terms:
                for d, s in postings.term(stem).items():
                    total[d] = total.get(d, 0.0) + weight * s
            total.pop(number, None)
            result = self._page(doc_id, total, allowed, limit, offset, {s for s, _ in terms})
        RESULTS.put(key, result)
        return result

    @property
    def documents(self) -> Sequence[SearchDoc]:
        """The searchable documents, in index order (their text is read on demand)."""
        return self._docs

    def check(self) -> None:
        """Readiness probe: ``IndexUnavailable`` if the index on disk is gone or replaced."""
        names = [n for n in self._loaded.fingerprint if n != loading.MARKER]
        # A rewritten file (a new build in the same place) gets a new inode and mtime.
        if loading.fingerprint(self.folder, names) != self._loaded.fingerprint:
            raise IndexUnavailable(f"{self.folder}: index changed on disk since it was opened")

    def close(self) -> None:
        """Release the Whoosh searcher and the documents' text file."""
        self._loaded.searcher.close()
        self._loaded.docs.close()

    def search(
        self,
        q: str,
        *,
        guide: str | None = None,
        topic: str | None = None,
        tag: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        """Rank the documents matching ``q``; see the module docstring.

        ``guide``, ``topic`` (with its sub-topics) and ``tag`` narrow the search.
        Raises ``QueryError`` for an unusable query or parameter, ``IndexUnavailable``
        when the index cannot be read.
        """
        _check_page(limit, offset)
        key = (self.hash, self.synonyms.digest, q, guide, topic, tag, limit, offset)
        cached = RESULTS.get(key)
        if cached is not None:
            return cached
        parsed = parse(q)
        allowed = self._facets.allowed(guide, topic, tag)
        with self._lock, self._reading():
            result = self._run(clean(q), parsed, allowed, limit, offset)
        RESULTS.put(key, result)
        return result

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Errors of a damaged or vanished index, as ``IndexUnavailable``."""
        try:
            yield
        except (*_READ_ERRORS, ReaderClosed) as exc:
            raise IndexUnavailable(f"{self.folder}: cannot read the index: {exc}") from exc

    def _run(
        self, text: str, parsed: ParsedQuery, allowed: set[int] | None, limit: int, offset: int
    ) -> SearchResult:
        postings = self._postings
        postings.begin()
        self._budget = MAX_TOTAL_EXPANSIONS
        clauses = parsed.positive
        spans = expansion.spans(clauses, self.synonyms, self._vocabulary)
        spanned = {i for span in spans for i in range(span.start, span.end)}
        ruled = {i for span in spans if span.rule for i in range(span.start, span.end)}
        # the filler of how people ask counts only inside a synonym ("work from home")
        used = [not c.filler or i in spanned for i, c in enumerate(clauses)]
        marks: set[str] = set()  # stems to highlight
        results = [
            self._exact(c, marks) if use else {} for c, use in zip(clauses, used, strict=True)
        ]
        suggestion = None
        total = _combine(results)
        widen = [
            i
            for i, c in enumerate(clauses)
            if i not in ruled  # a word of a synonym rule is not a typo
            and used[i]
            and c.kind == "term"
            and postings.doc_frequency(c.stems[0]) < RARE
        ]
        if widen and (len(total) < FEW or any(not results[i] for i in widen)):
            corrected: dict[str, str] = {}
            for i in widen:
                alternatives, correction = self._alternatives(clauses[i])
                marks.update(s for s, _ in alternatives)
                results[i] = postings.either(alternatives, clauses[i].field)
                if correction and not postings.doc_frequency(clauses[i].stems[0]):
                    corrected[clauses[i].words[0]] = correction
            suggestion = _suggest(text, corrected)
        matched: list[tuple[str, Scores]] = []  # each expansion and what it matched
        if spans:
            results = self._expand(results, spans, marks, matched)
        total = _combine(results)
        for c in parsed.negative:
            for d in self._exact(c, set()):
                total.pop(d, None)
        return self._page(text, total, allowed, limit, offset, marks, matched, suggestion)

    def _page(
        self,
        query: str,
        total: Scores,
        allowed: set[int] | None,
        limit: int,
        offset: int,
        marks: set[str],
        matched: list[tuple[str, Scores]] | None = None,
        suggestion: str | None = None,
    ) -> SearchResult:
        """The requested page of ``total`` within the filters, highlighted, with facets."""
        if allowed is not None:
            total = {d: s for d, s in total.items() if d in allowed}
        ranked = _top(total, offset + limit)
        highlighter = Highlighter(marks)
        hits = [self._hit(d, s, highlighter, matched or []) for d, s in ranked[offset:]]
        return SearchResult(
            query=query,
            hits=hits,
            total=len(total),
            limit=limit,
            offset=offset,
            facets=self._facets.counts(total),
            suggestion=suggestion,
        )

    def _exact(self, c: Clause, marks: set[str]) -> Scores:
        """The scores of clause ``c`` as written; adds the stems it searched to ``marks``."""
        p = self._postings
        marks.update(c.stems)
        if c.kind == "term":
            return p.term(c.stems[0], c.field)
        if c.kind == "phrase":
            return p.phrase(c.stems, c.field)
        words = (
            self._vocabulary.completions(c.pattern[:-1], MAX_EXPANSIONS)
            if c.kind == "prefix"
            else self._vocabulary.expand(c.pattern)
        )
        if c.kind == "prefix" and c.pattern[:-1] in self._vocabulary.counts:
            words.insert(0, c.pattern[:-1])
        stems = self._spend(list(dict.fromkeys(s for s in map(ANALYZER.stem, words) if s)))
        marks.update(stems)
        return p.either([(s, 1.0) for s in stems], c.field)

    def _expand(
        self,
        results: list[Scores],
        spans: list[expansion.Span],
        marks: set[str],
        matched: list[tuple[str, Scores]],
    ) -> list[Scores]:
        """``results`` with each span's clauses replaced by the best of them and its
        alternatives; ``matched`` gets each alternative and the documents it matched.

        A span and its alternatives are one concept, so (as Lucene's SynonymQuery
        does) an alternative is scored with the idf of every document the concept
        matches: "golang" expanded to "go" is no rarer than "go".
        """
        p = self._postings
        out: list[Scores] = []
        at = 0
        for span in spans:
            out += results[at : span.start]
            own = results[span.start : span.end]
            best = _combine(own)
            # alternatives spend the query's expansion budget, as corrections do
            spent = self._spend(list(span.alternatives))
            alternatives = [(alt, p.tfs(alt.stems)) for alt in spent]
            # the concept's documents: those with all of its own words, or an alternative
            concept = set(own[0]).intersection(*own[1:]).union(*(t for _, t in alternatives))
            idf = p.idf(len(concept))
            for alt, tfs in alternatives:
                if not tfs:
                    continue
                marks.update(alt.stems)
                scores = p.bm25(idf, tfs, SYNONYM_FACTOR)
                matched.append((alt.label, scores))
                for d, s in scores.items():
                    if s > best.get(d, 0.0):
                        best[d] = s
            out.append(best)
            at = span.end
        return out + results[at:]

    def _spend(self, stems: list) -> list:
        """As many of ``stems`` as the query's expansion budget still allows (at least one)."""
        allowed = max(1, self._budget)
        self._budget -= min(len(stems), allowed)
        return stems[:allowed]

    def _alternatives(self, c: Clause) -> tuple[list[tuple[str, float]], str | None]:
        """The word of ``c`` with its corrections and completions, and the best correction."""
        word = c.words[0]
        vocab = self._vocabulary
        completions = vocab.completions(word) if len(word) >= 3 else []
        corrections = vocab.corrections(word)
        found: dict[str, float] = {c.stems[0]: 1.0}
        for w, dist in corrections:
            s = ANALYZER.stem(w)
            found[s] = max(found.get(s, 0.0), CORRECTION_FACTOR[dist])
        for w in completions:
            s = ANALYZER.stem(w)
            found[s] = max(found.get(s, 0.0), COMPLETION_FACTOR)
        best = corrections[0][0] if corrections and not completions else None
        return self._spend(list(found.items())), best

    def _hit(
        self, d: int, score: float, highlighter: Highlighter, matched: list[tuple[str, Scores]]
    ) -> Hit:
        doc = self._docs[d]
        return Hit(
            id=doc.id,
            kind=doc.kind,
            guide=doc.guide,
            topic=doc.topic,
            title=doc.title,
            score=round(score, 4),
            highlights=highlighter.highlight(doc),
            expanded=list(dict.fromkeys(label for label, docs in matched if d in docs)),
        )


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, not {offset}")


def _top(total: Scores, n: int) -> list[tuple[int, float]]:
    """The ``n`` best ``(document, score)`` of ``total``, ties by document number.

    The ``n``-th best score is found among the bare scores (compared in C); only the
    documents that reach it are sorted.
    """
    if len(total) > n:
        least = heapq.nlargest(n, total.values())[-1]
        total = {d: s for d, s in total.items() if s >= least}
    return sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _combine(results: list[Scores]) -> Scores:
    """Each document's summed scores."""
    if not results:
        return {}
    # a copy of the longest (in C), then the others added to it
    longest = max(range(len(results)), key=lambda i: len(results[i]))
    total = dict(results[longest])
    get = total.get
    for i, scores in enumerate(results):
        if i != longest:
            for d, s in scores.items():
                total[d] = get(d, 0.0) + s
    return total


def _suggest(text: str, corrected: dict[str, str]) -> str | None:
    """``text`` with each misspelled word replaced by its correction, if any."""
    if not corrected:
        return None
    out = text
    for word, fix in corrected.items():
        out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", fix, out, count=1, flags=re.IGNORECASE)
    return out if out != text else None
