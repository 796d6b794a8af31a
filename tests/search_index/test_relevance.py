"""Search quality on the judged queries of judged.yaml, against two peers, both halves.

Prints recall@3, MRR@10 and nDCG@10 per class and overall, for prepdeck, SQLite FTS5
and a naive Whoosh set-up on the same documents (relevance.py says how each is run),
for the tuning half, the test half and both. Fails when prepdeck's test-half recall@3
is below 0.85 or below either peer's (on the test half or on the whole set). Parameters,
synonyms and expansions were chosen on the tuning half only; the test half measures.
"""

from __future__ import annotations

import pytest
from relevance import CLASSES, FTS5, Judged, NaiveWhoosh, evaluate, load_judged, mean

from search_index import SearchIndex

MIN_TEST_RECALL = 0.85
ENGINES = ("prepdeck", "fts5", "naive")


def _ranker(index: SearchIndex):
    return lambda q: [h.id for h in index.search(q, limit=10).hits]


@pytest.fixture(scope="module")
def judged(default_index: SearchIndex, request: pytest.FixtureRequest) -> list[Judged]:
    """The judged queries whose guides are here (all of them when ../shared/guides is)."""
    queries = load_judged()
    try:
        request.getfixturevalue("shared_index")
    except pytest.skip.Exception:
        print("../shared/guides absent: judged only the default guide")
        return [j for j in queries if j.guides == "default"]
    return queries


@pytest.fixture(scope="module")
def results(judged, default_index: SearchIndex, request: pytest.FixtureRequest):
    """Each engine's ranking and scores of every judged query."""
    indexes = {"default": default_index}
    if any(j.guides == "shared" for j in judged):
        indexes["shared"] = request.getfixturevalue("shared_index")
    data = {name: index.corpus for name, index in indexes.items()}
    rankers = {
        "prepdeck": {name: _ranker(index) for name, index in indexes.items()},
        "fts5": {name: FTS5(d) for name, d in data.items()},
        "naive": {name: NaiveWhoosh(d) for name, d in data.items()},
    }
    return {engine: evaluate(judged, rankers[engine]) for engine in ENGINES}


def test_the_judged_set_is_large_split_and_names_real_questions(judged, default_index, request):
    everything = load_judged()
    assert len(everything) >= 150
    assert len({j.q for j in everything}) == len(everything)
    for half in ("tuning", "test"):
        assert {j.cls for j in everything if j.half == half} == set(CLASSES)
    for j in everything:
        assert j.best and set(j.grades.values()) <= {1, 2}, j.q
    ids = {d.id for d in default_index.documents}
    if any(j.guides == "shared" for j in judged):
        ids |= {d.id for d in request.getfixturevalue("shared_index").documents}
    missing = sorted({d for j in judged for d in j.grades} - ids)
    assert not missing, f"judged ids that are not questions of the guides: {missing}"


def test_prepdeck_finds_what_people_mean_ahead_of_fts5_and_naive_whoosh(judged, results):
    print()
    overall = {}
    for half in ("tuning", "test", "both"):
        chosen = [j for j in judged if half == "both" or j.half == half]
        print(f"\n{half} half: {len(chosen)} queries   recall@3 / MRR@10 / nDCG@10")
        print(f"  {'class':<13}" + "".join(f"{e:>22}" for e in ENGINES))
        for cls in (*CLASSES, "all"):
            rows = [j for j in chosen if cls == "all" or j.cls == cls]
            cells = []
            for engine in ENGINES:
                m = mean(results[engine][j][1] for j in rows)
                overall[half, cls, engine] = m.recall
                cells.append(f"{m.recall:.2f} / {m.mrr:.2f} / {m.ndcg:.2f}")
            print(f"  {cls + f' ({len(rows)})':<13}" + "".join(f"{c:>22}" for c in cells))
    for j in judged:
        ranked, (recall, _, _) = results["prepdeck"][j]
        if j.half == "test" and recall < 1:
            print(f"  test miss [{j.cls}] {j.q!r}: recall {recall:.2f}, top 3 {ranked[:3]}")
    assert overall["test", "all", "prepdeck"] >= MIN_TEST_RECALL
    for half in ("test", "both"):
        for peer in ("fts5", "naive"):
            assert overall[half, "all", "prepdeck"] >= overall[half, "all", peer], (half, peer)
