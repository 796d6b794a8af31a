"""Judging search quality: the judged set, its split, the metrics and two peer engines.

The judged set is ``judged.yaml`` beside this file (how it was written is in its
header). A query belongs to the tuning half when the first byte of the sha256 of its
text is even, else to the test half; the rule is fixed so that no query can move.

Metrics, per query, averaged over a set of queries:

- recall@3: the share of the best answers (grade 2) in the top 3, out of at most 3;
- MRR@10: 1 / the rank of the first best answer in the top 10 (0 when absent);
- nDCG@10: graded gains 2^g - 1 (3 for a best answer, 1 for a relevant one).

Peers, run on the same documents as prepdeck (every searchable document of the
corpus, as ``search_index.documents`` makes them) in the same run:

- SQLite FTS5: columns title and body (every other field), the ``porter`` tokenizer,
  ``bm25()`` with the title weighted 5, the query's words OR-ed;
- naive Whoosh: fields title and body with Whoosh's ``StemmingAnalyzer``, its default
  BM25F, the query's words OR-ed over both fields by ``MultifieldParser``.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from whoosh import fields as wfields
from whoosh.analysis import StemmingAnalyzer
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser, OrGroup

import corpus
from search_index.documents import documents

JUDGED = Path(__file__).parent / "judged.yaml"
CLASSES = ("abbreviation", "paraphrase", "question", "typo", "partial", "multi", "short")
FTS_TITLE_WEIGHT = 5.0

Ranker = Callable[[str], list[str]]  # query -> ranked document ids, best first


@dataclass(frozen=True, eq=False)
class Judged:
    """One judged query: what a person typed and the grade of each relevant question."""

    q: str
    cls: str
    guides: str
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def half(self) -> str:
        return "tuning" if hashlib.sha256(self.q.encode()).digest()[0] % 2 == 0 else "test"

    @property
    def best(self) -> list[str]:
        return [d for d, g in self.grades.items() if g == 2]


def load_judged(path: Path = JUDGED) -> list[Judged]:
    """Every judged query of ``path``."""
    out = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        grades = {d: 1 for d in entry.get("also", [])} | {d: 2 for d in entry["best"]}
        out.append(Judged(entry["q"], entry["class"], entry["guides"], grades))
    return out


@dataclass(frozen=True)
class Scores:
    """Mean recall@3, MRR@10 and nDCG@10 over some queries."""

    n: int
    recall: float
    mrr: float
    ndcg: float


def score_one(j: Judged, ranked: list[str]) -> tuple[float, float, float]:
    """recall@3, reciprocal rank and nDCG@10 of one ranking."""
    best = j.best
    recall = sum(1 for d in ranked[:3] if d in best) / min(len(best), 3)
    rr = next((1 / n for n, d in enumerate(ranked[:10], 1) if j.grades.get(d) == 2), 0.0)
    gains = [2 ** j.grades.get(d, 0) - 1 for d in ranked[:10]]
    dcg = sum(g / math.log2(n + 1) for n, g in enumerate(gains, 1))
    ideal = sorted(j.grades.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(n + 1) for n, g in enumerate(ideal, 1))
    return recall, rr, dcg / idcg


def mean(rows: Iterable[tuple[float, float, float]]) -> Scores:
    rows = list(rows)
    if not rows:
        return Scores(0, 0.0, 0.0, 0.0)
    n = len(rows)
    return Scores(n, *(sum(r[i] for r in rows) / n for i in range(3)))


def evaluate(
    judged: list[Judged], rankers: dict[str, Ranker]
) -> dict[Judged, tuple[list[str], tuple[float, float, float]]]:
    """Each query ranked by the ranker of its ``guides`` and scored."""
    out = {}
    for j in judged:
        ranked = rankers[j.guides](j.q)
        out[j] = (ranked, score_one(j, ranked))
    return out


def _peer_docs(data: corpus.Corpus) -> list[tuple[str, str, str]]:
    rows = []
    for d in documents(data):
        body = "\n".join(t for name, texts in d.fields.items() if name != "title" for t in texts)
        rows.append((d.id, d.title, body))
    return rows


_WORD = re.compile(r"\w+")


class FTS5:
    """SQLite FTS5 over the same documents (in memory): porter, bm25(), words OR-ed."""

    def __init__(self, data: corpus.Corpus) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body,"
            " tokenize='porter unicode61')"
        )
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)", _peer_docs(data))

    def __call__(self, q: str) -> list[str]:
        words = _WORD.findall(q.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.db.execute(
            "SELECT id FROM docs WHERE docs MATCH ?"
            f" ORDER BY bm25(docs, 0.0, {FTS_TITLE_WEIGHT}, 1.0) LIMIT 10",
            (match,),
        ).fetchall()
        return [r[0] for r in rows]


class NaiveWhoosh:
    """A Whoosh index as its tutorial makes one: title and body, stemming, BM25F."""

    def __init__(self, data: corpus.Corpus) -> None:
        schema = wfields.Schema(
            id=wfields.ID(stored=True),
            title=wfields.TEXT(analyzer=StemmingAnalyzer()),
            body=wfields.TEXT(analyzer=StemmingAnalyzer()),
        )
        ix = RamStorage().create_index(schema)
        with ix.writer() as w:
            for doc_id, title, body in _peer_docs(data):
                w.add_document(id=doc_id, title=title, body=body)
        self.searcher = ix.searcher()
        self.parser = MultifieldParser(["title", "body"], schema, group=OrGroup)

    def __call__(self, q: str) -> list[str]:
        query = self.parser.parse(q)
        return [hit["id"] for hit in self.searcher.search(query, limit=10)]
