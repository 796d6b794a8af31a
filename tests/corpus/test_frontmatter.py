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
