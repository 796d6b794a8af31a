"""What produced the bytes (code versions), and the one ETag derivation.

A response's bytes are a pure function of three things: the build (its content hash,
which already covers the guides and the corpus parser), the request (path and normalised
query string), and the code that turned the build into bytes: this ``api`` package, the
exporter (decks) and the search index's query side. ``CODE_VERSION`` digests that code,
so a release that changes any of it changes every ETag, and an old ETag is never answered
with a 304 for a changed body. ``DECK_VERSION`` is the part decks depend on (the parser
and the exporter): it names the deck files, so a release that changes the exporter never
serves an old deck, and the old ones are pruned (``api.resources.decks``).

Everything that makes an ETag calls ``make_etag``: the edge for responses made on demand,
and build-time or start-up precomputation of ready-made responses, so an entry made ahead
of time validates exactly like one made by a handler. A store of ready-made responses
written at build time keys itself by ``CODE_VERSION`` too, so a worker of another release
never serves it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import exporter
import search_index
from corpus import PARSER_VERSION, code_digest


def _sources(package: Path) -> list[Path]:
    return sorted(package.rglob("*.py"))


_EXPORTER = _sources(Path(exporter.__file__).parent)

# What made a deck file: the corpus parser and the exporter.
DECK_VERSION = f"{PARSER_VERSION}+{code_digest(*_EXPORTER)}"
# What made any other response: the corpus parser, the api, the exporter and the search
# index (its queries, scores and highlights).
CODE_VERSION = f"{PARSER_VERSION}+" + code_digest(
    *_sources(Path(__file__).parent), *_EXPORTER, *_sources(Path(search_index.__file__).parent)
)
_SEED = hashlib.blake2b(CODE_VERSION.encode(), digest_size=16).digest()


def make_etag(corpus_hash: str, path: str, query: bytes) -> bytes:
    """The weak ETag of the response to ``path?query`` from build ``corpus_hash``.

    ``query`` is the normalised query string (``caching.cache_key``). Weak, because the
    gzip, brotli and identity bodies are one representation.
    """
    h = hashlib.blake2b(_SEED, digest_size=12)
    h.update(corpus_hash.encode())
    h.update(b"\0" + path.encode() + b"?" + query)
    return b'W/"' + h.hexdigest().encode() + b'"'


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 weak comparison of ``etag`` against an ``If-None-Match`` value."""
    if if_none_match == etag or if_none_match.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(
        candidate.strip().removeprefix(b"W/") == opaque for candidate in if_none_match.split(b",")
    )
