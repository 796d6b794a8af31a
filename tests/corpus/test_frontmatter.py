"""Frontmatter keys the guide's metadata comes from (besides the parser fixtures)."""

from __future__ import annotations

import pytest

import corpus

GUIDE = """---
title: Caching
base_url: {url}
---

## Basics

### What is a cache?

**Answer:** A copy kept close, see [the guide](../retries).
"""


def test_base_url_is_read_from_the_frontmatter() -> None:
    guide = corpus.parse_guide(GUIDE.format(url="https://example.org/guides/caching"), "c.md")
    assert guide.base_url == "https://example.org/guides/caching"
    assert not guide.warnings


@pytest.mark.parametrize("url", ["example.org/guides", "ftp://example.org/x", "'/guides/'"])
def test_a_base_url_that_is_not_absolute_http_is_a_warning_and_ignored(url: str) -> None:
    guide = corpus.parse_guide(GUIDE.format(url=url), "c.md")
    assert guide.base_url is None
    assert [str(w) for w in guide.warnings] == [
        f"c.md:1: base_url {url.strip(chr(39))!r} is not an absolute http(s) URL; ignored"
    ]


def test_no_base_url_is_none() -> None:
    assert corpus.parse_guide(GUIDE.replace("base_url: {url}\n", ""), "c.md").base_url is None


def test_a_base_url_with_a_broken_ipv6_host_is_a_warning_and_ignored() -> None:
    guide = corpus.parse_guide(GUIDE.format(url="http://["), "c.md")
    assert guide.base_url is None
    assert [str(w) for w in guide.warnings] == [
        "c.md:1: base_url 'http://[' is not an absolute http(s) URL; ignored"
    ]


@pytest.mark.parametrize(
    "meta",
    ["title: Deep\nx: " + "[" * 1000 + "]" * 1000, "- " * 500 + "Deep"],
    ids=["flow", "block"],
)
def test_frontmatter_nested_too_deeply_is_a_warning_and_ignored(meta: str) -> None:
    guide = corpus.parse_guide(f"---\n{meta}\n---\n\n## What is x?\n\nA.\n", "d.md")
    assert guide.title != "Deep"  # the whole frontmatter is ignored, as when malformed
    assert [q.title for q in guide.questions] == ["What is x?"]
    assert [str(w) for w in guide.warnings] == [
        "d.md:2: malformed frontmatter (nested too deeply); ignored"
    ]


def test_an_escaped_surrogate_in_the_frontmatter_becomes_a_replacement_character() -> None:
    """YAML's "\\ud800" makes a string no encoder takes: every response of the guide, and
    its search documents and cards, would fail to encode."""
    import msgspec

    text = '---\ntitle: "Caching \\ud800"\ntags: ["a\\udc00b"]\n---\n\n## What is x?\n\nA.\n'
    guide = corpus.parse_guide(text, "s.md")
    assert guide.title == "Caching \ufffd"
    msgspec.json.encode(guide).decode("utf-8")  # encodes, as UTF-8
    assert [str(w) for w in guide.warnings] == [
        "s.md:2: frontmatter escapes a lone surrogate (not a character); U+FFFD instead"
    ]
