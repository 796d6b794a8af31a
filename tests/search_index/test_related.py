"""More like this: ``SearchIndex.related`` with the filters and hit shape of search."""

from __future__ import annotations

import pytest

from search_index import QueryError

SCALING = "mercor/how-do-you-handle-database-scaling"


def test_related_leaves_the_document_itself_out_and_ranks_its_neighbours(default_index):
    result = default_index.related(SCALING, limit=5)
    ids = [h.id for h in result.hits]
    assert SCALING not in ids and len(ids) == 5
    assert result.query == SCALING and result.total > len(ids)
    assert ids[0] == "mercor/core-design-principles"  # the topic notes on scaling databases
    assert "mercor/how-do-you-choose-between-a-relational-database-and-a-nosql-database" in ids
    assert "<mark>" in result.hits[0].highlights.passage  # the words they share


def test_related_questions_of_a_real_guide_share_its_subject(shared_index):
    ids = [h.id for h in shared_index.related("go/closing-channels", limit=5).hits]
    assert "go/nil-channel-behavior" in ids
    assert all(i.startswith("go/") for i in ids)
    ids = [h.id for h in shared_index.related("kubernetes/taints-tolerations", limit=3).hits]
    assert ids[0] == "kubernetes/taints-and-tolerations"


def test_related_takes_the_filters_and_pages_of_search(default_index):
    everything = default_index.related(SCALING, limit=100)
    topic = "mercor/database-design-architecture"
    narrowed = default_index.related(SCALING, topic=topic, limit=100)
    assert 0 < narrowed.total < everything.total
    assert {h.id for h in narrowed.hits} <= {h.id for h in everything.hits}
    second = default_index.related(SCALING, limit=2, offset=2)
    assert [h.id for h in second.hits] == [h.id for h in everything.hits[2:4]]
    assert sum(f.count for f in everything.facets["guide"]) == everything.total


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"doc_id": "mercor/no-such-question"}, "no question or topic 'mercor/no-such-question'"),
        ({"doc_id": SCALING, "limit": 0}, "limit must be between 1 and 100"),
        ({"doc_id": SCALING, "offset": -1}, "offset must be between 0"),
        ({"doc_id": SCALING, "guide": "nope"}, "no guide 'nope'"),
    ],
)
def test_bad_related_requests_are_query_errors(default_index, kw, message):
    with pytest.raises(QueryError, match=message):
        default_index.related(**kw)
