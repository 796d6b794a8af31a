"""Precomputed and cached responses: equal to what the handlers make, and bounded."""

from __future__ import annotations

import gzip

import brotli
import pytest
from litestar.testing import TestClient

import corpus
from api.app import create_app
from api.config import Settings
from api.http.caching import ResponseCache, etag_matches, make_entry, make_etag, negotiate
from api.resources.catalog import guide_url, question_url, topic_url
from api.store import ResponseStore

IDENTITY = {"accept-encoding": "identity"}


def detail_paths(data: corpus.Corpus) -> list[str]:
    g = data.guides[0]
    return (
        [question_url(q.id) for q in g.questions]
        + [topic_url(t.id) for t in g.topics]
        + [guide_url(g.slug)]
    )


def test_stored_bodies_equal_the_handlers(app, client, built, data):
    store = ResponseStore(built.path, built.hash)
    stored = [
        store.entry((path, query), b"public")
        for path in detail_paths(data)
        for query in (b"", *(f"format={f}".encode() for f in corpus.FORMATS))
    ]
    assert len(stored) == 4 * (17 + 16 + 1) and all(stored)
    assert store.entry(("/v1/questions/mercor/nope", b""), b"public") is None
    assert store.entry((detail_paths(data)[0], b"format=pdf"), b"public") is None
    cold = create_app(Settings(build=built.path, rate_limit=None), store=False)
    assert cold.cache.ready is None  # no store: every answer is a handler's
    with TestClient(cold) as fresh:
        for path in detail_paths(data):
            for query in ("", *(f"?format={f}" for f in corpus.FORMATS)):
                warm = client.get(path + query, headers=IDENTITY)
                cold = fresh.get(path + query, headers=IDENTITY)
                assert warm.status_code == cold.status_code == 200
                assert warm.content == cold.content, path + query
                assert warm.headers["content-type"] == cold.headers["content-type"]
                if query:
                    assert warm.headers["etag"] == cold.headers["etag"]


def test_etag_depends_on_corpus_and_request():
    a = make_etag("hash1", "/v1/questions/x", b"format=html")
    assert a.startswith(b'W/"') and a == make_etag("hash1", "/v1/questions/x", b"format=html")
    assert a != make_etag("hash2", "/v1/questions/x", b"format=html")
    assert a != make_etag("hash1", "/v1/questions/x", b"format=text")


def test_responses_are_cached_after_the_first(app, client):
    url = "/v1/questions?tag=caching-streaming&limit=3"
    first = client.get(url)
    key = ("/v1/questions", b"tag=caching-streaming&limit=3")
    assert key in app.cache.lru
    again = client.get(url)
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    # Uncacheable answers (a fresh random draw) are not kept.
    client.get("/v1/questions/random")
    assert ("/v1/questions/random", b"") not in app.cache.lru


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        (b"gzip, deflate, br", "br"),
        (b"gzip", "gzip"),
        (b"br;q=0.5, gzip", "gzip"),
        (b"gzip;q=0, br;q=0", None),
        (b"identity", None),
        (b"*", "br"),
        (b"*;q=0, gzip", "gzip"),
        (b"", None),
        (b"gzip;q=bogus, br", "br"),
    ],
)
def test_negotiate(header, chosen):
    assert negotiate(header) == chosen


@pytest.mark.parametrize(
    ("header", "match"),
    [
        (b'W/"abc"', True),
        (b'"abc"', True),
        (b'"x", W/"abc"', True),
        (b"*", True),
        (b'"abcd"', False),
        (b"", False),
    ],
)
def test_etag_matches(header, match):
    assert etag_matches(header, b'W/"abc"') is match


def test_entry_variants_decompress_to_the_body():
    body = b'{"answer": "' + b"sharding and replicas " * 200 + b'"}'
    entry = make_entry(body, b"application/json", b'W/"e"', b"public, max-age=60")
    assert entry.variant(None)[1] == body
    assert gzip.decompress(entry.variant("gzip")[1]) == body
    assert brotli.decompress(entry.variant("br")[1]) == body
    headers = dict(entry.variant("br")[0])
    assert headers[b"content-encoding"] == b"br"
    assert headers[b"content-length"] == str(len(entry.variant("br")[1])).encode()
    small = make_entry(b"{}", b"application/json", b'W/"s"', b"no-cache")
    assert small.variant("gzip") == small.variant(None)  # too small to compress


def test_lru_is_bounded_in_bytes():
    cache = ResponseCache(budget=10_000)
    for n in range(50):
        entry = make_entry(bytes(800), b"application/octet-stream", b'W/"x"', b"public")
        cache.add((f"/p{n}", b""), entry)
    assert cache.used <= 10_000
    assert cache.get(("/p49", b"")) is not None and cache.get(("/p0", b"")) is None
