"""Start-up precomputation: every question, topic and guide, encoded in every format.

The corpus never changes while a worker runs, so the detail resources are encoded once,
with their ETags and compressed variants, and pinned in the response cache; a request for
one of them never reaches a handler. The bodies come from the same ``Catalog`` methods
and the same JSON encoding the handlers use (a test compares the two byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

import corpus
from corpus import FORMATS, Format

from .http.caching import ResponseCache, make_entry, make_etag
from .resources.catalog import Catalog, guide_url, question_url, topic_url

JSON = b"application/json"
_encoder = msgspec.json.Encoder()


def precompute(cache: ResponseCache, cat: Catalog, cache_control: bytes) -> int:
    """Pin the detail responses of ``cat`` in ``cache``; returns how many were made."""
    made = 0
    resources: list[tuple[Iterable, Callable[..., str], Callable[..., object]]] = [
        (cat.all_questions, lambda q: question_url(q.id), corpus.question_view),
        (cat.all_topics, lambda t: topic_url(t.id), cat.topic_detail),
        (cat.guides.values(), lambda g: guide_url(g.slug), cat.guide_detail),
    ]
    for items, url_of, view in resources:
        for item in items:
            path = url_of(item)
            for fmt in FORMATS:
                made += _pin(cache, cat.hash, path, fmt, view(item, fmt), cache_control)
    return made


def _pin(
    cache: ResponseCache, digest: str, path: str, fmt: Format, body: object, cache_control: bytes
) -> int:
    query = f"format={fmt}".encode()
    entry = make_entry(_encoder.encode(body), JSON, make_etag(digest, path, query), cache_control)
    cache.pin((path, query), entry)
    if fmt == "markdown":  # the default: no query string at all
        cache.pin((path, b""), entry)
    return 1
