"""Search benchmark: the Whoosh index against SQLite FTS5 over the same documents.

Over every question and topic note of ../shared/guides, in one run:

- query latency: 50 distinct queries typed the way people type them (a few with
  typos, abbreviations the glossary expands, phrases, a field prefix), each answered
  cold (result cache cleared) with the top 10, highlights, total and facets, with the
  glossary's synonyms on; p50 and p99 of the per-query medians, as
  ratios to SQLite FTS5 (porter tokenizer, ``bm25()`` with the same field weights,
  ``highlight()``/``snippet()``, and a ``count(*)`` for the total) on an on-disk
  database. prepdeck ranks every document that has any of the words (those with all
  of them first), so the FTS5 baseline is asked the same: the words joined by OR.
  The stricter FTS5 AND query (fewer matches to rank) is printed too.
- the same queries again, answered from the in-process result cache;
- index build time against raw markdown-it tokenization of the same guides.

Targets: p50 ratio <= 1.5, p99 ratio <= 2.0, cached/cold <= 0.1, build ratio <= 1.5.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import guide_files, interleaved, target
from markdown_it import MarkdownIt

import corpus
from search_index import RESULTS, SearchIndex, write
from search_index.analysis import ANALYZER
from search_index.documents import FIELD_STREAMS, FIELDS, documents
from search_index.scoring import STREAM_WEIGHTS

REPEATS = 5  # timings per query; its median is the query's latency
BUILD_ROUNDS = 3

QUERIES = [
    "database sharding",
    "how does the event loop work",
    "python gil threads",
    "goroutine leak",
    "k8s pod keeps restarting",
    "docker layer caching",
    "tell me about a conflict with a coworker",
    "cap theorem",
    "consistent hashing",
    "design a rate limiter",
    "closures in javascript",
    "transformer attention",
    "redis cache invalidation",
    "btree index",
    "react hooks rules",
    "virtual dom diffing",
    "rdbms vs nosql db",
    "acid transactions isolation levels",
    "lb health checks",
    "websockets vs long polling",
    "garbage collector pauses",
    "memory leak in node",
    "context cancellation go",
    "python decorators",
    "generators and iterators",
    "async await error handling",
    "container vs vm",
    "multi stage docker build",
    "kubernetes service types",
    "horizontal pod autoscaler",
    "prompt injection",
    "rag retrieval augmented generation",
    "url shortener design",
    "news feed system design",
    "idempotency keys payments",
    "message queue kafka",
    "deadlock detection",
    "page cache linux",
    "tcp handshake",
    "observability metrics tracing",
    "weakness interview answer",
    "leading a team through failure",
    "react server components",
    "useEffect cleanup",
    "databse shardng",
    "kuberntes ingres",
    '"event loop"',
    '"connection pooling"',
    "title:cache",
    "replica*",
]
assert len(QUERIES) == len(set(QUERIES)) == 50

FTS_COLUMNS = ", ".join(FIELDS)
_WORDS = re.compile(r"\w+")
_FIELD_PREFIX = re.compile(r"^(\w+):(.*)$")


def fts_database(path: Path, data: corpus.Corpus) -> sqlite3.Connection:
    """The same documents and fields in an FTS5 table on disk."""
    db = sqlite3.connect(path)
    db.execute(
        f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, {FTS_COLUMNS},"
        " tokenize='porter unicode61')"
    )
    rows = [
        (d.id, *("\n".join(d.fields.get(name, ())) for name in FIELDS)) for d in documents(data)
    ]
    db.executemany(f"INSERT INTO docs VALUES (?{', ?' * len(FIELDS)})", rows)
    db.commit()
    return db


def fts_match(q: str, joint: str) -> str:
    """The FTS5 query for one of QUERIES: words, a phrase, a column filter or a prefix."""
    if q.startswith('"'):
        return q
    m = _FIELD_PREFIX.match(q)
    if m:
        return f'{m.group(1)} : "{m.group(2)}"'
    if q.endswith("*"):
        return f'"{q[:-1]}"*'
    words = [w for w in _WORDS.findall(q.lower()) if ANALYZER.stem(w)]
    return joint.join(f'"{w}"' for w in words)


def fts_search(db: sqlite3.Connection, match: str) -> tuple[list, int]:
    """Top 10 with a highlighted title and best snippet, and the total."""
    weights = ", ".join(
        str(STREAM_WEIGHTS[FIELD_STREAMS[name][0]] * FIELD_STREAMS[name][1]) for name in FIELDS
    )
    rows = db.execute(
        "SELECT id, highlight(docs, 1, '<mark>', '</mark>'),"
        " snippet(docs, -1, '<mark>', '</mark>', '…', 32)"
        f" FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0.0, {weights}) LIMIT 10",
        (match,),
    ).fetchall()
    total = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
    return rows, total


def latencies(run: Callable[[str], object]) -> list[float]:
    """Median of REPEATS timings per query, in seconds."""
    out = []
    for q in QUERIES:
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            run(q)
            times.append(time.perf_counter() - start)
        out.append(statistics.median(times))
    return out


def p(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (linear interpolation)."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def main() -> None:
    files = guide_files()
    data = corpus.load_guides(files)
    work = Path(tempfile.mkdtemp(prefix="prepdeck-bench-"))
    try:
        run_benchmark(files, data, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_benchmark(files: list[Path], data: corpus.Corpus, work: Path) -> None:
    docs = documents(data)
    print(f"documents: {len(docs)} ({sum(d.kind == 'question' for d in docs)} questions)")

    # Index build vs raw tokenization, alternately, from a cold stem cache each time.
    texts = [f.read_text(encoding="utf-8") for f in files]
    raw = MarkdownIt("commonmark").enable("table")
    builds = iter(range(1000))

    def tokenize() -> None:
        for text in texts:
            raw.parse(text)

    def build() -> None:
        ANALYZER.clear()
        folder = work / f"build-{next(builds)}"
        folder.mkdir()
        write(folder, data)

    t_raw, t_build = interleaved(tokenize, build, BUILD_ROUNDS)
    print(f"raw markdown-it tokenization: {t_raw:.3f} s")
    print(f"index build:                  {t_build:.3f} s")

    build_path = work / "build"
    (build_path / "index").mkdir(parents=True)
    write(build_path / "index", data)
    ix = SearchIndex.open(build_path, data)
    db = fts_database(work / "fts.sqlite", data)

    def cold(q: str) -> object:
        RESULTS.clear()
        return ix.search(q, limit=10)

    for q in QUERIES:  # warm both engines' file caches and code paths, not results
        cold(q)
        fts_search(db, fts_match(q, " OR "))
    ours = latencies(cold)
    fts_or = latencies(lambda q: fts_search(db, fts_match(q, " OR ")))
    fts_and = latencies(lambda q: fts_search(db, fts_match(q, " ")))
    for q in QUERIES:
        ix.search(q, limit=10)
    cached = latencies(lambda q: ix.search(q, limit=10))

    def row(name: str, values: list[float]) -> None:
        print(
            f"{name:<28} p50 {p(values, 50) * 1000:7.3f} ms   p99 {p(values, 99) * 1000:7.3f} ms"
            f"   mean {statistics.fmean(values) * 1000:7.3f} ms"
        )

    row("prepdeck (cold)", ours)
    row("SQLite FTS5, words OR", fts_or)
    row("SQLite FTS5, words AND", fts_and)
    row("prepdeck (cached)", cached)
    p50 = p(ours, 50) / p(fts_or, 50)
    p99 = p(ours, 99) / p(fts_or, 99)
    print(f"ratio p50 vs FTS5 OR:  {p50:.2f}   (vs AND: {p(ours, 50) / p(fts_and, 50):.2f})")
    print(f"ratio p99 vs FTS5 OR:  {p99:.2f}   (vs AND: {p(ours, 99) / p(fts_and, 99):.2f})")
    cache_ratio = p(cached, 50) / p(ours, 50)
    print(f"ratio cached/cold p50: {cache_ratio:.4f}")
    build_ratio = t_build / t_raw
    print(f"ratio build/tokenize:  {build_ratio:.2f}")
    slowest = sorted(zip(ours, QUERIES, strict=True), reverse=True)[:5]
    print("slowest queries:", ", ".join(f"{q!r} {t * 1000:.2f} ms" for t, q in slowest))
    ix.close()
    db.close()
    target("search_p50_vs_fts5", p50, 1.5)
    target("search_p99_vs_fts5", p99, 2.0)
    target("search_cached_vs_cold", cache_ratio, 0.1, "{:.4f}")
    target("index_build_vs_tokenize", build_ratio, 1.5)


if __name__ == "__main__":
    main()
