"""Schemathesis hooks for tests/api/test_fuzz.py (loaded through ``SCHEMATHESIS_HOOKS``).

``/v1/search``'s ``q`` has the format ``search-query``: a query in the search language,
which JSON Schema cannot describe. This teaches schemathesis to write such queries: a
word to search for first, then anything at all (other words, phrases, exclusions, field
prefixes, wildcards, punctuation, other scripts, control characters), with fewer clauses
than the limit. Queries outside the format (``-only``, ``§``) are the 400s the operation
documents.
"""

from __future__ import annotations

import schemathesis
from hypothesis import strategies as st

# Real words of the default guide, and made-up ones that are never stop words.
WORDS = st.sampled_from(
    ["database", "sharding", "cache", "kafka", "latency", "replica", "queue", "redis", "index"]
) | st.from_regex(r"[a-z]{2,10}[0-9]", fullmatch=True)
SYNTAX = st.sampled_from(['"', "-", "*", "?", ":", "title:", "answer:", "tags:", "(", ")"])
NOISE = st.text(max_size=12)  # at most a few clauses each, so 4 stay far below the limit
PARTS = st.lists(st.one_of(WORDS, SYNTAX, NOISE, st.tuples(SYNTAX, WORDS).map("".join)), max_size=4)

QUERIES = st.tuples(WORDS, PARTS).map(lambda t: " ".join([t[0], *t[1]]))

schemathesis.openapi.format("search-query", QUERIES)
