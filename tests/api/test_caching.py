"""Precomputed and cached responses: equal to what the handlers make, and bounded."""

from __future__ import annotations

import gzip

import brotli
import pytest
from litestar.testing import TestClient

import corpus
from api.app import create_app
from api.config import Settings
from api.http.caching import ResponseCache, cache_key, make_entry, negotiate
from api.resources.catalog import guide_url, question_url, topic_url
from api.store import ResponseStore
from api.versions import etag_matches

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


def test_responses_are_cached_after_the_first(app, client):
    url = "/v1/questions?tag=caching-streaming&limit=3"
    first = client.get(url)
    key = ("/v1/questions", b"limit=3&tag=caching-streaming")
    assert key in app.cache.lru
    entries = len(app.cache.lru)
    # The order of parameters, a trailing `&` or `/` make no new entry.
    for same in (
        "/v1/questions?limit=3&tag=caching-streaming",
        "/v1/questions/?tag=caching-streaming&limit=3&",
    ):
        assert client.get(same).headers["etag"] == first.headers["etag"]
    assert len(app.cache.lru) == entries
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
    ("header", "chosen"),
    [(b"gzip, deflate, br", "gzip"), (b"br", None), (b"*", "gzip"), (b"gzip;q=0, br", None)],
)
def test_negotiate_among_what_is_offered(header, chosen):
    assert negotiate(header, ("gzip",)) == chosen


def test_a_packed_entry_has_only_the_variants_given():
    body = b'{"answer": "' + b"sharding and replicas " * 200 + b'"}'
    packed = {"gzip": gzip.compress(body)}
    entry = make_entry(body, b"application/json", b'W/"e"', b"public", packed=packed)
    assert entry.encodings == ("gzip",) and set(entry.variants) == {None, "gzip"}
    assert entry.variant("gzip")[1] == packed["gzip"]
    assert make_entry(body, b"application/json", b'W/"e"', b"public").encodings == ("br", "gzip")


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


def test_lru_is_bounded_in_bytes_keys_included():
    cache = ResponseCache(budget=40_000)
    for n in range(50):
        entry = make_entry(bytes(800), b"application/octet-stream", b'W/"x"', b"public")
        cache.add((f"/p{n}", b"q=" + bytes(2000)), entry)
    # Each costs its body, its 2 KB key and a fixed overhead: 10 fit, not 40.
    assert cache.used <= 40_000 and len(cache.lru) < 12
    assert cache.get(("/p49", b"q=" + bytes(2000))) is not None
    assert cache.get(("/p0", b"q=" + bytes(2000))) is None


def test_lru_is_bounded_in_entries():
    cache = ResponseCache(max_entries=5)
    for n in range(20):
        cache.add((f"/p{n}", b""), make_entry(b"{}", b"application/json", b'W/"x"', b"public"))
    assert list(cache.lru) == [(f"/p{n}", b"") for n in range(15, 20)]


@pytest.mark.parametrize(
    ("path", "query", "key"),
    [
        ("/v1/questions", b"b=1&a=2", ("/v1/questions", b"a=2&b=1")),
        ("/v1/questions/", b"a=2&b=1&", ("/v1/questions", b"a=2&b=1")),
        ("/v1/questions", b"&&a=2", ("/v1/questions", b"a=2")),
        ("/v1/deck", b"tag=z&cards=x&tag=a", ("/v1/deck", b"cards=x&tag=z&tag=a")),
        ("/", b"", ("/", b"")),
    ],
)
def test_cache_key_is_normalised(path, query, key):
    assert cache_key(path, query) == key


def test_brotli_bodies_of_every_size_decode_to_themselves() -> None:
    """The window is fitted to the body (clamped to what brotli allows): tiny, mid-sized
    and bodies larger than the largest window all come back whole."""
    import os

    from api.http.caching import compress

    for size in (0, 1, 900, 70_000, (1 << 24) + 5000):
        body = (os.urandom(64).hex() * (size // 128 + 1)).encode()[:size]
        assert brotli.decompress(compress(body, "br")) == body


def test_a_body_the_guide_has_twice_is_compressed_once(data, monkeypatch) -> None:
    """A topic without content of its own is the same bytes in every format: its bodies
    are compressed once, and every row holds them."""
    import sqlite3
    from collections import Counter

    from api.http.caching import MIN_COMPRESS
    from api.store import writer

    guide = data.guides[0]
    cat = writer.Catalog([writer.guide_index(guide)], "", "")
    bodies = [b for _, _, b in writer.responses(guide, cat) if len(b) >= MIN_COMPRESS]
    assert len(set(bodies)) < len(bodies)  # the case this is about
    made: list[bytes] = []
    real = writer.compress

    def counted(body: bytes, encoding: str) -> bytes:
        made.append(body)
        return real(body, encoding)

    monkeypatch.setattr(writer, "compress", counted)
    image = writer.part(guide).files[writer.DB]
    assert Counter(made) == {body: 2 for body in set(bodies)}  # gzip and brotli, once
    db = sqlite3.connect(":memory:")
    db.deserialize(image)
    rows = db.execute("SELECT body, gzip, br FROM responses WHERE gzip IS NOT NULL").fetchall()
    assert len(rows) == len(bodies)
    assert all(gzip.decompress(gz) == b and brotli.decompress(br) == b for b, gz, br in rows)
