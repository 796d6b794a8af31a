"""Queries against real indexes: phrases, field prefixes, wildcards, exclusions,
filters, topic hits, highlights, facets, pagination, typos and the result cache."""

from __future__ import annotations

import re

import pytest

from search_index import RESULTS, QueryError, SearchIndex

B_TREE = "search/how-does-a-b-tree-index-speed-up-reads"
SHARD = "search/why-do-databases-shard-their-data"
EVENT_LOOP = "search/what-does-the-event-loop-do"
LOOP_EVENTS = "search/how-do-you-loop-over-events-in-a-stream"
ESCAPE = "search/escape-script-alert-x-script-friends"
RESUME = "search/resume-tips-for-a-cafe-owner"


def ids(index: SearchIndex, q: str, **kw) -> list[str]:
    return [h.id for h in index.search(q, limit=20, **kw).hits]


def test_words_match_in_any_field_and_rank_documents_with_all_of_them_first(fixture_index):
    found = ids(fixture_index, "event loop")
    assert set(found[:2]) == {EVENT_LOOP, LOOP_EVENTS}
    assert ids(fixture_index, "event blocks")[0] == EVENT_LOOP


def test_stemming_matches_other_forms_of_a_word(fixture_index):
    assert ids(fixture_index, "sharded")[0] == SHARD
    assert B_TREE in ids(fixture_index, "splitting")


def test_a_quoted_phrase_needs_the_words_adjacent_and_in_order(fixture_index):
    assert ids(fixture_index, '"event loop"') == [EVENT_LOOP]
    assert ids(fixture_index, '"loop event"') == []
    assert ids(fixture_index, '"loop over events"') == [LOOP_EVENTS]  # "over": not a stop word


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("title:shard", [SHARD]),
        ("answer:replica", [SHARD]),
        ("title:replica", []),
        ("red_flags:replica", [SHARD]),
        ("redflags:faster", [B_TREE]),
        ("follow_ups:sequential", [B_TREE]),
        ("testing:split", [B_TREE]),
        ('answer:"shard key"', [SHARD]),
        ('title:"event loop"', [EVENT_LOOP]),
    ],
)
def test_a_field_prefix_searches_only_that_field(fixture_index, q, expected):
    assert ids(fixture_index, q) == expected


def test_an_unknown_prefix_is_read_as_words(fixture_index):
    assert SHARD in ids(fixture_index, "nothing:shard")
    assert ids(fixture_index, "about:shard") == ids(fixture_index, "shard")


def test_prefix_and_wildcard_terms_expand_over_the_corpus_words(fixture_index):
    assert SHARD in ids(fixture_index, "shard*")
    assert SHARD in ids(fixture_index, "rep?ica")
    assert ids(fixture_index, "zzq*") == []


def test_a_minus_excludes_documents(fixture_index):
    assert LOOP_EVENTS in ids(fixture_index, "loop")
    assert ids(fixture_index, "loop -stream") == [EVENT_LOOP]
    assert ids(fixture_index, 'loop -"for await"') == [EVENT_LOOP]


def test_topic_notes_are_their_own_kind_of_hit(fixture_index):
    hit = fixture_index.search("write-ahead log durable").hits[0]
    assert (hit.id, hit.kind, hit.topic) == ("search/storage-engines", "topic", None)
    hit = fixture_index.search("pages balanced tree").hits[0]
    assert (hit.id, hit.kind) == ("search/b-trees", "topic")
    assert hit.topic is not None and hit.topic.id == "search/storage-engines"


def test_filters_narrow_by_guide_topic_with_its_sub_topics_and_tag(fixture_index):
    everything = set(ids(fixture_index, "pages shard loop"))
    storage = set(ids(fixture_index, "pages shard loop", topic="search/storage-engines"))
    assert {B_TREE, SHARD, "search/b-trees"} <= storage < everything
    assert EVENT_LOOP not in storage
    assert set(ids(fixture_index, "pages shard loop", topic="search/concurrency")) == {
        EVENT_LOOP,
        LOOP_EVENTS,
    }
    assert set(ids(fixture_index, "pages shard loop", guide="search")) == everything
    assert set(ids(fixture_index, "pages shard loop", tag="runtime")) == {EVENT_LOOP, LOOP_EVENTS}
    assert ids(fixture_index, "pages", tag="no-such-tag") == []


@pytest.mark.parametrize("kw", [{"guide": "nope"}, {"topic": "search/nope"}])
def test_an_unknown_guide_or_topic_is_a_query_error(fixture_index, kw):
    with pytest.raises(QueryError, match=r"no (guide|topic)"):
        fixture_index.search("pages", **kw)


def test_highlights_are_escaped_html_with_only_mark_elements(fixture_index):
    hit = fixture_index.search("markup script").hits[0]
    assert hit.id == ESCAPE
    title, passage = hit.highlights.title, hit.highlights.passage
    assert "<mark>script</mark>" in title and "&lt;" in title and "&amp;" in title
    assert "a &lt; b &amp;&amp; c &gt; d" in passage and "<mark>Markup</mark>" in passage
    for fragment in (title, passage):
        assert "<" not in re.sub(r"</?mark>", "", fragment)


def test_the_passage_is_the_best_window_of_the_answer(default_index):
    hit = default_index.search("replication lag").hits[0]
    passage = hit.highlights.passage
    assert "<mark>replication</mark> <mark>lag</mark>" in passage.lower()
    assert len(re.sub(r"</?mark>", "", passage)) <= 240


def test_non_ascii_words_are_searched_and_marked(fixture_index):
    hit = fixture_index.search("résumé café").hits[0]
    assert hit.id == RESUME
    assert "<mark>Résumé</mark>" in hit.highlights.title
    assert ids(fixture_index, "ünïcödé") == [RESUME]


def test_typos_are_forgiven_and_a_correction_is_suggested(default_index):
    found = default_index.search("databse shardng")
    assert found.suggestion == "database sharding"
    assert found.hits[0].id == "mercor/how-do-you-handle-database-scaling"
    assert "<mark>" in found.hits[0].highlights.passage


def test_partial_words_are_completed_without_a_suggestion(default_index):
    found = default_index.search("idempot")
    assert found.total > 0 and found.suggestion is None
    assert "<mark>Idempoten" in found.hits[0].highlights.passage


def test_a_correct_query_gets_no_suggestion(default_index):
    assert default_index.search("database sharding").suggestion is None


def test_facets_count_every_match_per_guide_and_topic(default_index):
    found = default_index.search("cache", limit=1)
    assert set(found.facets) == {"guide", "topic"}
    assert found.facets["guide"][0].value == "mercor"
    assert found.facets["guide"][0].count == found.total
    topics = found.facets["topic"]
    assert sum(f.count for f in topics) == found.total
    assert [f.count for f in topics] == sorted((f.count for f in topics), reverse=True)
    assert all(f.title for f in topics)


def test_pagination_pages_through_one_ranking(default_index):
    whole = default_index.search("design system", limit=12)
    first = default_index.search("design system", limit=5)
    second = default_index.search("design system", limit=5, offset=5)
    assert whole.total == first.total == second.total > 10
    assert [h.id for h in first.hits + second.hits] == [h.id for h in whole.hits[:10]]
    beyond = default_index.search("design system", offset=whole.total)
    assert beyond.hits == [] and beyond.total == whole.total


def test_repeated_queries_come_from_the_cache_keyed_by_the_index_hash(default_index):
    RESULTS.clear()
    first = default_index.search("load balancing")
    assert default_index.search("load balancing") is first
    assert any(key[0] == default_index.hash for key in RESULTS._data)
    assert default_index.search("load balancing", limit=3) is not first
