"""Tokens people type (symbols, compounds, identifiers), query stop words and synonyms,
on fixtures/terms/terms.md with the glossary and the synonyms.yaml beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import corpus
from search_index import (
    ARTIFACT,
    MAX_CLAUSES,
    RESULTS,
    SearchIndex,
    SynonymError,
    Synonyms,
)
from search_index.searcher import MAX_TOTAL_EXPANSIONS
from search_index.synonyms import GLOSSARY

TERMS = Path(__file__).parent / "fixtures" / "terms"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> corpus.BuildResult:
    return corpus.build([TERMS], tmp_path_factory.mktemp("terms"), [ARTIFACT])


@pytest.fixture(scope="module")
def index(built: corpus.BuildResult) -> Iterator[SearchIndex]:
    """The fixture's index with the glossary and the fixture's own synonyms.yaml (which
    the build carries)."""
    ix = SearchIndex.open(built.path, built.corpus)
    yield ix
    ix.close()


def _top(index: SearchIndex, q: str) -> str:
    return index.search(q).hits[0].id


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("n+1", "terms/what-is-the-n-1-query-problem"),
        ("N + 1 queries", "terms/what-is-the-n-1-query-problem"),
        ("c++", "terms/when-would-you-pick-c-over-c"),
        ("c#", "terms/when-would-you-pick-c-over-c"),
        (".net runtime", "terms/when-would-you-pick-c-over-c"),
        ("http/2", "terms/what-does-http-2-multiplexing-fix"),
        ("O(n log n)", "terms/why-is-comparison-sorting-o-n-log-n"),
        ("===", "terms/which-is-stricter-in-javascript-or"),
        ("max_connections", "terms/how-do-you-size-max-connections-for-postgres"),
        ("max connections", "terms/how-do-you-size-max-connections-for-postgres"),
        ("useEffect", "terms/when-does-useeffect-run-its-cleanup"),
        ("use effect", "terms/when-does-useeffect-run-its-cleanup"),
        ("naive", "terms/why-render-a-naive-list-twice"),
    ],
)
def test_symbols_identifiers_and_accents_are_words(index, q, expected):
    assert _top(index, q) == expected


@pytest.mark.parametrize("q", ["microfrontend", "micro-frontend", "micro frontend"])
def test_a_compound_is_found_however_it_is_written(index, q):
    assert _top(index, q) == "terms/how-do-micro-frontends-split-a-page"


def test_a_symbol_is_not_its_letters(index):
    # "c++" is not the letter c (not indexed) nor "c#"
    ids = [h.id for h in index.search("c++").hits]
    assert ids == ["terms/when-would-you-pick-c-over-c"]


def test_how_people_ask_is_not_searched_but_a_quoted_phrase_keeps_it(index):
    asked = index.search("what is the difference between == and ===")
    assert [h.id for h in asked.hits] == [h.id for h in index.search("== ===").hits]
    quoted = index.search('"difference between"')
    assert [h.id for h in quoted.hits] == ["terms/why-render-a-naive-list-twice"]


def test_an_abbreviation_finds_what_it_stands_for_and_says_so(index):
    hit = index.search("k8s").hits[0]
    assert hit.id == "terms/how-does-kubernetes-schedule-pods"
    assert "kubernetes" in hit.expanded
    assert "<mark>Kubernetes</mark>" in hit.highlights.title
    hit = index.search("lb").hits[0]
    assert (hit.id, hit.expanded) == (
        "terms/how-does-a-load-balancer-pick-a-backend",
        ["load balancer"],
    )


def test_a_multi_word_synonym_matches_the_words_typed(index):
    hit = index.search("load balancers").hits[0]
    assert hit.id == "terms/how-does-a-load-balancer-pick-a-backend"
    assert hit.expanded == []  # its own words matched; "lb" is in no document


def test_synonyms_beside_the_guides_apply_one_way(index):
    hit = index.search("sprocket").hits[0]
    assert (hit.id, hit.expanded) == (
        "terms/how-does-a-load-balancer-pick-a-backend",
        ["load balancer"],
    )
    assert all("sprocket" not in h.expanded for h in index.search("load balancer").hits)
    assert index.search("tabulator").hits[0].expanded == ["round robin"]


def test_synonyms_change_without_a_rebuild(built, index):
    plain = SearchIndex.open(built.path, built.corpus, Synonyms())
    try:
        assert plain.search("sprocket").total == 0
        assert plain.search("k8s").total == 0
        assert index.search("sprocket").total > 0  # same build, same query, other synonyms
    finally:
        plain.close()
    RESULTS.clear()


def test_expansions_add_documents_and_never_remove_them(index):
    for q in ("kubernetes", "load balancer", "cleanup"):
        with_synonyms = {h.id for h in index.search(q, limit=100).hits}
        words_only = SearchIndex.open(index.folder.parent, synonyms=Synonyms())
        try:
            assert {h.id for h in words_only.search(q, limit=100).hits} <= with_synonyms
        finally:
            words_only.close()


def test_the_glossary_is_large_and_every_rule_is_usable():
    rules = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    assert len(rules) >= 300
    glossary = Synonyms()
    glossary.add_file(GLOSSARY, GLOSSARY.read_bytes())  # raises on any unusable rule
    assert glossary.get(("k8s",))[0].label == "kubernetes"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- [unclosed", "not valid YAML"),
        ("k8s: kubernetes", "expected a list of rules"),
        ("- 42", "rule 1: 42 is not a string"),
        ("- k8s => kubernetes\n- lonely", "rule 2 ('lonely'): a rule needs at least two terms"),
        ("- a => b => c", "more than one '=>'"),
        ("- layer 4, transport layer", "one-letter words such as '4' are not indexed"),
        ("- the, of", "'the' has no searchable word"),
        ("[" * 5000 + "]" * 5000, "not valid YAML: nested too deeply"),
        (
            "- " + ", ".join(f"alpha{i}" for i in range(300)),
            "rule 1 ('alpha0, alpha1, alpha2, alpha3, alpha4, alpha5, alpha6, alpha7, alpha8, "
            "alpha...'): more than 256 terms on one side; split the rule",
        ),
    ],
)
def test_a_bad_synonyms_file_is_one_error_naming_the_file_and_rule(tmp_path, content, message):
    path = tmp_path / "synonyms.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SynonymError) as err:
        Synonyms.load([path])
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_an_unreadable_synonyms_file_is_a_synonym_error(tmp_path):
    with pytest.raises(SynonymError, match="cannot read synonyms"):
        Synonyms.load([tmp_path / "missing.yaml"])


def test_a_synonyms_path_that_is_no_regular_file_is_not_read(tmp_path):
    """A named pipe would wait for a writer forever, /dev/zero never end."""
    import os

    pipe = tmp_path / "synonyms.yaml"
    os.mkfifo(pipe)
    for path, why in ((pipe, "not a regular file"), (tmp_path, "Is a directory")):
        with pytest.raises(SynonymError, match=f"cannot read synonyms: {why}"):
            Synonyms.load([path])


def test_a_synonyms_file_over_the_limit_is_a_synonym_error(tmp_path, monkeypatch):
    from search_index import synonyms

    monkeypatch.setattr(synonyms, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "synonyms.yaml"
    path.write_text("- k8s => kubernetes\n" * 60_000)
    with pytest.raises(SynonymError, match="cannot read synonyms: over the 1 MiB limit"):
        Synonyms.load([path])


def test_synonyms_spend_the_query_expansion_budget(built):
    # five words of 80-term rules would read 395 posting lists without the budget
    huge = Synonyms()
    for k in range(5):
        huge.add(", ".join(f"term{k}x{i}" for i in range(80)))
    index = SearchIndex.open(built.path, built.corpus, huge)
    try:
        index.search(" ".join(f"term{k}x0" for k in range(5)))
        assert len(index._postings._df) <= MAX_TOTAL_EXPANSIONS + MAX_CLAUSES  # lists read
    finally:
        index.close()
    RESULTS.clear()
