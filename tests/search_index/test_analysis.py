"""Extra terms: the fast symbol scan against its one-pattern definition, on real texts."""

from __future__ import annotations

from collections import Counter

import pytest

from search_index import SearchIndex
from search_index.analysis import (
    _SLASH_VERSION,
    _SYMBOL,
    COMPOUND,
    compounds,
    extras,
    slash_versions,
    symbol_term,
    symbols,
)


def _texts(index: SearchIndex) -> list[str]:
    return [t.lower() for d in index.documents for texts in d.fields.values() for t in texts]


@pytest.mark.parametrize("which", ["default_index", "shared_index", "fixture_index"])
def test_the_symbol_scan_finds_what_the_symbol_pattern_defines(which, request):
    for text in _texts(request.getfixturevalue(which)):
        expected = Counter(symbol_term(m) for m in _SYMBOL.findall(text))
        assert Counter(symbols(text)) == expected, text[:200]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c++ and c# on .net", ["c++", "c#", ".net"]),
        ("the n + 1 problem; n+1 queries", ["n+1", "n+1"]),
        ("a == b, a === b, a != b, a !== b, a <= b, ====, x += 1", ["==", "===", "!=", "!=="]),
        ("o(n log n) beats o(n^2); o(1)", ["o(nlogn)", "o(n^2)", "o(1)"]),
        ("abc++ x#y .network", []),
        (
            "micro-frontends, e-commerce, b-tree, fan-in and http/2",
            ["ecommerce", "btree", "fanin", "http2"],
        ),
    ],
)
def test_extra_terms(text, expected):
    assert sorted(extras(text)) == sorted(expected)


@pytest.mark.parametrize("which", ["default_index", "shared_index", "fixture_index"])
def test_the_compound_scan_finds_what_the_compound_pattern_defines(which, request):
    for text in _texts(request.getfixturevalue(which)):
        assert compounds(text) == COMPOUND.findall(text), text[:200]


@pytest.mark.parametrize("which", ["default_index", "shared_index"])
def test_the_slash_scan_finds_what_the_slash_pattern_defines(which, request):
    for text in _texts(request.getfixturevalue(which)):
        assert slash_versions(text) == [a + b for a, b in _SLASH_VERSION.findall(text)]


@pytest.mark.parametrize(
    "text", ["http/2, tls/1.3, a/1 abcdefghijk/2 x_http/3 http/2x http/20 éhttp/2 h2/3"]
)
def test_the_slash_scan_on_edge_cases(text):
    assert slash_versions(text) == [a + b for a, b in _SLASH_VERSION.findall(text)]


@pytest.mark.parametrize(
    "text",
    ["a-b-c-d-e x", "well-known, re-render; -leading trailing- a--b", "x1-y z-2 _a-b a-b_c"],
)
def test_the_compound_scan_on_edge_cases(text):
    assert compounds(text) == COMPOUND.findall(text)
