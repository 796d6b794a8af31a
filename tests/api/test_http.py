"""What only real HTTP shows: ETag/304, compression, CORS, rate limits, API keys, HEAD."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

import brotli

QUESTION = "/v1/questions/mercor/how-do-you-handle-database-scaling"


def raw_get(url: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """A GET whose body is returned exactly as sent (no decompression)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_etag_and_304(server):
    with server.client() as c:
        first = c.get(QUESTION)
        etag = first.headers["etag"]
        assert first.headers["cache-control"].startswith("public, max-age=")
        again = c.get(QUESTION, headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert c.get(QUESTION, headers={"if-none-match": '"other"'}).status_code == 200
        html = c.get(QUESTION + "?format=html")
        assert html.headers["etag"] != etag
        # A response made by a handler (not precomputed) validates the same way.
        listed = c.get("/v1/questions?limit=2&tag=caching-streaming")
        tag = listed.headers["etag"]
        assert c.get("/v1/questions?limit=2&tag=caching-streaming",
                     headers={"if-none-match": tag}).status_code == 304  # fmt: skip


def test_compression(server):
    status, plain_headers, plain = raw_get(server.url, "/v1/bulk.json", {})
    assert status == 200 and "content-encoding" not in plain_headers
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        status, headers, body = raw_get(server.url, "/v1/bulk.json", {"accept-encoding": encoding})
        assert headers["content-encoding"] == encoding
        assert "Accept-Encoding" in headers["vary"]
        assert int(headers["content-length"]) == len(body) < len(plain) / 2
        assert decode(body) == plain
    status, headers, body = raw_get(server.url, "/healthz", {"accept-encoding": "gzip"})
    assert "content-encoding" not in headers  # too small to be worth it
    # A stored response (api.store.writer) has all three bodies, brotli the smallest.
    status, _, plain = raw_get(server.url, QUESTION, {})
    sizes = {}
    for accept, encoding, decode in (
        ("gzip, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
    ):
        status, headers, body = raw_get(server.url, QUESTION, {"accept-encoding": accept})
        assert headers["content-encoding"] == encoding and decode(body) == plain
        sizes[encoding] = len(body)
    assert sizes["br"] < sizes["gzip"] < len(plain)


def test_cors_any_origin(server):
    with server.client() as c:
        r = c.get("/v1/guides", headers={"origin": "https://quiz.example"})
        assert r.headers["access-control-allow-origin"] == "*"
        assert "ETag" in r.headers["access-control-expose-headers"]
        assert "access-control-allow-credentials" not in r.headers
        pre = c.options(
            "/v1/questions",
            headers={
                "origin": "https://quiz.example",
                "access-control-request-method": "GET",
                "access-control-request-headers": "x-api-key",
            },
        )
        assert pre.status_code == 204
        assert pre.headers["access-control-allow-origin"] == "*"
        assert "GET" in pre.headers["access-control-allow-methods"]
        assert pre.headers["access-control-allow-headers"] == "x-api-key"


def test_cors_narrowed(serve, serve_home):
    env = {"PREPDECK_CORS_ORIGINS": "https://quiz.example", "PREPDECK_RATE_LIMIT": "off"}
    with serve(serve_home, env=env) as s, s.client() as c:
        ok = c.get("/v1/guides", headers={"origin": "https://quiz.example"})
        assert ok.headers["access-control-allow-origin"] == "https://quiz.example"
        assert "Origin" in ok.headers["vary"]
        other = c.get("/v1/guides", headers={"origin": "https://evil.example"})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
        refused = c.options(
            "/v1/guides",
            headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"


def test_rate_limit(serve, serve_home):
    with serve(serve_home, env={"PREPDECK_RATE_LIMIT": "3/minute"}) as s, s.client() as c:
        remaining = [int(c.get("/v1/guides").headers["ratelimit-remaining"]) for _ in range(3)]
        assert remaining == [2, 1, 0]
        r = c.get(QUESTION)
        assert r.status_code == 429
        assert r.headers["content-type"] == "application/problem+json"
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert r.headers["ratelimit-limit"] == "3"
        assert r.headers["ratelimit-remaining"] == "0"
        assert r.headers["ratelimit-policy"] == "3;w=60"
        assert c.get("/healthz").status_code == 200  # probes are never limited
        assert c.get("/readyz").status_code == 200


def test_api_keys(serve, serve_home):
    env = {"PREPDECK_API_KEYS": "alpha, beta", "PREPDECK_RATE_LIMIT": "off"}
    with serve(serve_home, env=env) as s, s.client() as c:
        assert c.get("/v1/guides").status_code == 401
        assert c.get("/v1/guides", headers={"x-api-key": "gamma"}).status_code == 401
        assert c.get("/v1/guides", headers={"x-api-key": "beta"}).status_code == 200
        assert c.get(QUESTION, headers={"x-api-key": "alpha"}).status_code == 200
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 200
        assert c.get("/schema/openapi.json").status_code == 200
        pre = c.options(
            "/v1/guides",
            headers={"origin": "https://quiz.example", "access-control-request-method": "GET"},
        )
        assert pre.status_code == 204  # browsers send no key in a preflight


def test_head(server):
    with server.client() as c:
        get = c.get(QUESTION)
        head = c.head(QUESTION)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == get.headers["etag"]
        assert head.headers["content-length"] == get.headers["content-length"]
        listed = c.head("/v1/topics?limit=3")
        assert listed.status_code == 200 and listed.content == b""
        assert int(listed.headers["content-length"]) > 0


def test_failed_key_checks_are_rate_limited_by_address(serve, serve_home):
    env = {"PREPDECK_API_KEYS": "alpha", "PREPDECK_RATE_LIMIT": "3/minute"}
    with serve(serve_home, env=env) as s, s.client() as c:
        guesses = [c.get("/v1/guides", headers={"x-api-key": f"guess-{n}"}) for n in range(3)]
        assert [r.status_code for r in guesses] == [401, 401, 401]
        assert [r.headers["ratelimit-remaining"] for r in guesses] == ["2", "1", "0"]
        assert c.get("/v1/guides", headers={"x-api-key": "guess-4"}).status_code == 429
        # An unchecked key is no bucket of its own, on the open docs too.
        assert c.get("/schema/openapi.json", headers={"x-api-key": "other"}).status_code == 429
        # A verified key is.
        keyed = c.get("/v1/guides", headers={"x-api-key": "alpha"})
        assert keyed.status_code == 200
        assert keyed.headers["cache-control"].startswith("private, max-age=")
        assert "X-API-Key" in keyed.headers["vary"]
        assert keyed.headers["x-content-type-options"] == "nosniff"
        again = c.get(
            "/v1/guides", headers={"x-api-key": "alpha", "if-none-match": keyed.headers["etag"]}
        )
        assert again.status_code == 304 and "X-API-Key" in again.headers["vary"]
        detail = c.get(QUESTION, headers={"x-api-key": "alpha"})  # precomputed at start-up
        assert detail.headers["cache-control"].startswith("private")
        assert "X-API-Key" in detail.headers["vary"]


def test_forwarded_for_is_believed_only_from_trusted_proxies(serve, serve_home):
    def statuses(c, addresses):
        return [c.get("/v1/guides", headers={"x-forwarded-for": a}).status_code for a in addresses]

    with serve(serve_home, env={"PREPDECK_RATE_LIMIT": "2/minute"}) as s, s.client() as c:
        # A client cannot pick its own bucket: every request counts against 127.0.0.1.
        assert statuses(c, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [200, 200, 429]
    env = {"PREPDECK_RATE_LIMIT": "2/minute", "PREPDECK_TRUSTED_PROXIES": "127.0.0.0/8"}
    with serve(serve_home, env=env) as s, s.client() as c:
        assert statuses(c, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [200, 200, 200]
        assert statuses(c, ["198.51.100.1", "198.51.100.1"]) == [200, 429]


def test_contract_for_typed_clients(server):
    with server.client() as c:
        index = c.get("/v1").json()
        for resource in index["resources"]:
            if "{" not in resource["url"]:
                assert c.get(resource["url"]).status_code == 200, resource
        assert c.get(index["openapi"]).status_code == 200
        assert c.get(index["problems"]).status_code == 200

        page = c.get("/v1/questions?limit=2&with_red_flag=true")
        assert page.headers["link"] == f'<{page.json()["next"]}>; rel="next"'
        assert "with_red_flag=true" in page.json()["next"]
        last = c.get(f"/v1/questions?limit=2&offset={page.json()['total'] - 1}")
        assert last.json()["next"] is None and "link" not in last.headers
        # The old name of the filter still works, and means the same.
        old = c.get("/v1/questions?limit=2&has_red_flags=true")
        assert old.json()["items"] == page.json()["items"]

        hit = c.get("/v1/search?q=database+scaling&limit=1").json()["hits"][0]
        assert c.get(hit["url"]).json()["id"] == hit["id"]
        summary = c.get("/v1/topics/mercor/core-design-principles").json()["questions"][0]
        assert summary["red_flag_count"] == summary["red_flags"]
        assert summary["follow_up_count"] == summary["follow_ups"]
        stats = c.get("/v1/guides/mercor").json()["stats"]
        assert stats["follow_up_count"] == stats["follow_ups"] > 0
        assert stats["red_flag_count"] == stats["red_flags"] > 0

        not_allowed = c.delete(QUESTION)
        assert not_allowed.status_code == 405
        assert not_allowed.headers["allow"] == "GET, HEAD, OPTIONS"
        etag = c.get(QUESTION).headers["etag"]
        answers = [
            c.get(QUESTION),
            c.get(QUESTION, headers={"if-none-match": etag}),
            c.head("/v1/guides"),
            c.get("/v1/nowhere"),
            c.get("/v1/questions?junk=1"),
            not_allowed,
            c.get("/schema"),
            c.get("/healthz"),
        ]
        for r in answers:
            assert r.headers["x-content-type-options"] == "nosniff", r.request.url
