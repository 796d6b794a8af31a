"""Bad queries: each is a clear ``QueryError`` (the API's 4xx) or a sensible result,
never another exception, and never unbounded work."""

from __future__ import annotations

import contextlib
import random

import pytest

from search_index import MAX_QUERY_CHARS, QueryError, SearchIndex, SearchResult
from search_index.spelling import MAX_EXPANSIONS

ERRORS = [
    ("", "empty"),
    ("   \t ", "empty"),
    ("x" * 10_000, "10000 characters"),
    ("*", "wildcard needs"),
    ("**", "wildcard needs"),
    ("a*", "wildcard needs"),
    ("?", "wildcard needs"),
    ("*a*b*c*d*e*", "wildcard needs"),
    ("te*?*?st", "at most 3 wildcards"),
    ("title:", "needs a word"),
    ('title:""', "needs a word"),
    ("-cache", "only excludes"),
    (" ".join(f"word{n}" for n in range(40)), "limit is 32"),
    ("\x00\x01\x1b", "empty"),
    ("🙂 ☃", "no words"),
    ("--", "no words"),
]

SENSIBLE = [
    "the of and",  # only stop words: an empty result
    '"unbalanced quote',
    "(unbalanced parenthesis",
    "a)b(c",
    "cache) (invalidation",
    "AND OR NOT",
    "c++ c#",
    "naïve 東京 résumé",
    "cache\x00invalidation\x1b[31m",
    "foo:bar",
    "title:*",
    "replica* shard* cach*",
    "a" * MAX_QUERY_CHARS,
    "-",
    '""',
]


@pytest.mark.parametrize(("q", "message"), ERRORS)
def test_unusable_queries_are_a_clear_query_error(default_index: SearchIndex, q, message):
    with pytest.raises(QueryError, match=message):
        default_index.search(q)


@pytest.mark.parametrize("q", SENSIBLE)
def test_odd_queries_get_a_sensible_result_or_a_query_error(default_index: SearchIndex, q):
    try:
        result = default_index.search(q)
    except QueryError as exc:
        assert str(exc)
    else:
        assert isinstance(result, SearchResult)
        assert result.total >= len(result.hits)


def test_only_stop_words_is_an_empty_result(default_index: SearchIndex):
    result = default_index.search("the of and")
    assert (result.total, result.hits, result.suggestion) == (0, [], None)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (101, 0), (10, -1), (10, 10**9)])
def test_out_of_range_paging_is_a_query_error(default_index: SearchIndex, limit, offset):
    with pytest.raises(QueryError, match="between"):
        default_index.search("cache", limit=limit, offset=offset)


def test_random_input_never_raises_anything_but_query_error(default_index: SearchIndex):
    rng = random.Random(20260)
    alphabet = 'abcdefgh ráé東-*?:"()\\\x00\x07\n\t+~^' + "title:answer:".upper()
    for _ in range(400):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        with contextlib.suppress(QueryError):
            default_index.search(q)


def test_wildcard_expansion_is_capped(shared_index: SearchIndex):
    vocabulary = shared_index._vocabulary
    assert len(vocabulary.expand("re*")) == MAX_EXPANSIONS
    assert len(vocabulary.completions("co", MAX_EXPANSIONS)) <= MAX_EXPANSIONS
    assert shared_index.search("re* co* de*").total > 0
