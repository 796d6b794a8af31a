"""The ASGI layer in front of the Litestar app: everything HTTP that is not a resource.

Per request, in order: CORS preflight, API key (401), rate limit (429), then for a GET or
HEAD whose response is cached (``api.caching``) the reply straight from the cache, with
``304`` on a matching ``If-None-Match`` and the best compressed variant. Anything else
goes to Litestar; its response gets the same treatment on the way out (a cacheable 200 is
stored, then answered like a cached one; other bodies are compressed when large).

Doing this in one plain ASGI callable instead of Litestar middleware keeps the hot path
to a header scan, a dict look-up and two ``send`` calls; the routes, validation and the
OpenAPI document stay Litestar's.
"""

from __future__ import annotations

import hmac
from typing import Any

from .caching import (
    MIN_COMPRESS,
    Entry,
    Headers,
    ResponseCache,
    compress,
    etag_matches,
    is_compressible,
    make_entry,
    make_etag,
    negotiate,
)
from .config import Settings
from .cors import Cors
from .problems import MEDIA_TYPE, problem
from .ratelimit import RateLimiter, SharedRateLimiter

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
DOCS_PREFIX = "/schema"
# Inner response headers the edge sets itself, so Litestar's are dropped.
_REPLACED = frozenset({b"content-length", b"etag", b"cache-control", b"vary", b"content-encoding"})
_PROBLEM_TYPE = MEDIA_TYPE.encode()
_NO_STORE = b"no-store"


class Edge:
    """Wraps an ASGI app with CORS, API keys, rate limits, ETags, compression and the cache."""

    def __init__(
        self, app: Any, settings: Settings, cache: ResponseCache, corpus_hash: str
    ) -> None:
        self.app = app
        self.cache = cache
        self.corpus_hash = corpus_hash
        self.cors = Cors(settings.cors_origins)
        self.limiter = RateLimiter(settings.rate_limit) if settings.rate_limit else None
        self.shared = (
            SharedRateLimiter(settings.rate_limit, settings.redis_url)
            if settings.rate_limit and settings.redis_url
            else None
        )
        self.keys = tuple(k.encode() for k in settings.api_keys)
        self.cache_control = f"public, max-age={settings.max_age}".encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        origin = inm = accept = key = ac_method = ac_headers = None
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept = value
            elif name == b"if-none-match":
                inm = value
            elif name == b"origin":
                origin = value
            elif name == b"x-api-key":
                key = value
            elif name == b"access-control-request-method":
                ac_method = value
            elif name == b"access-control-request-headers":
                ac_headers = value
        extra = self.cors.headers(origin)

        if method == "OPTIONS" and origin is not None and ac_method is not None:
            allowed = self.cors.preflight(origin, ac_method, ac_headers)
            if allowed is None:
                detail = (
                    f"origin {origin.decode('latin-1')} may not {ac_method.decode('latin-1')} here"
                )
                await self.problem(send, method, 403, detail, path, [(b"vary", b"Origin")])
            else:
                await send({"type": "http.response.start", "status": 204, "headers": allowed})
                await send({"type": "http.response.body", "body": b""})
            return

        if self.keys and not _open(path) and not self._known_key(key):
            why = "missing" if key is None else "not a valid key"
            await self.problem(
                send,
                method,
                401,
                f"this server requires an API key in the X-API-Key header ({why})",
                path,
                [*extra, (b"www-authenticate", b'ApiKey realm="prepdeck", header="X-API-Key"')],
            )
            return

        if self.limiter is not None and path not in HEALTH_PATHS:
            client = key.decode("latin-1") if key is not None and self.keys else _client_host(scope)
            if self.shared is not None:
                ok, limit_headers = await self.shared.hit(client)
            else:
                ok, limit_headers = self.limiter.hit(client)
            extra = [*extra, *limit_headers]
            if not ok:
                detail = (
                    f"rate limit of {self.limiter.limit} exceeded; "
                    f"retry in {dict(limit_headers)[b'retry-after'].decode()} s"
                )
                await self.problem(send, method, 429, detail, path, extra)
                return

        query: bytes = scope["query_string"]
        if method == "GET" or method == "HEAD":
            entry = self.cache.get((path, query))
            if entry is not None:
                await self.reply(send, entry, method, inm, accept, extra)
                return
            scope = {**scope, "method": "GET"} if method == "HEAD" else scope
        responder = _Responder(self, send, method, path, query, inm, accept, extra)
        await self.app(scope, receive, responder)

    async def close(self) -> None:
        """Release what the edge holds open (the Redis connections of the rate limit)."""
        if self.shared is not None:
            await self.shared.close()

    def _known_key(self, key: bytes | None) -> bool:
        # Compare with every key in constant time, so timing tells nothing about them.
        return key is not None and any([hmac.compare_digest(key, k) for k in self.keys])

    async def reply(
        self,
        send: Any,
        entry: Entry,
        method: str,
        inm: bytes | None,
        accept: bytes | None,
        extra: Headers,
    ) -> None:
        """Answer from a cache entry: 304, or the body in the best encoding the client takes."""
        if inm is not None and etag_matches(inm, entry.etag):
            headers = [*entry.not_modified, *extra]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers, body = entry.variant(negotiate(accept) if accept is not None else None)
        if extra:
            headers = [*headers, *extra]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body if method != "HEAD" else b""})

    async def problem(
        self, send: Any, method: str, status: int, detail: str, path: str, extra: Headers
    ) -> None:
        """Answer with a problem document (the shape comes from ``api.problems``)."""
        body = problem(status, detail, path)
        headers = [
            (b"content-type", _PROBLEM_TYPE),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", _NO_STORE),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if method != "HEAD" else b""})


def _open(path: str) -> bool:
    """Health checks and the API docs need no API key."""
    return path in HEALTH_PATHS or path == DOCS_PREFIX or path.startswith(DOCS_PREFIX + "/")


def _client_host(scope: dict) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


class _Responder:
    """The ``send`` given to Litestar: finishes, caches or streams its response."""

    __slots__ = (
        "accept",
        "edge",
        "extra",
        "inm",
        "method",
        "path",
        "query",
        "send",
        "start",
        "state",
    )

    def __init__(
        self,
        edge: Edge,
        send: Any,
        method: str,
        path: str,
        query: bytes,
        inm: bytes | None,
        accept: bytes | None,
        extra: Headers,
    ) -> None:
        self.edge = edge
        self.send = send
        self.method = method
        self.path = path
        self.query = query
        self.inm = inm
        self.accept = accept
        self.extra = extra
        self.start: dict | None = None
        self.state = "waiting"  # then "streaming" or "swallowing" (304/HEAD of a stream)

    async def __call__(self, message: dict) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.start = message
            return
        if self.state == "swallowing":
            return
        if kind != "http.response.body":
            await self.send(message)
            return
        if self.state == "streaming":
            await self._forward(message)
            return
        assert self.start is not None
        status: int = self.start["status"]
        headers: Headers = list(self.start.get("headers", []))
        body: bytes = message.get("body", b"")
        found = {name.lower(): value for name, value in headers}
        cache_control = found.get(b"cache-control", b"")
        cacheable = (
            self.method in ("GET", "HEAD") and status == 200 and _NO_STORE not in cache_control
        )
        if message.get("more_body", False):
            await self._start_stream(status, headers, cacheable, cache_control)
            if self.state == "streaming":
                await self._forward(message)
            return
        edge = self.edge
        if cacheable:
            kept = [
                (n, v) for n, v in headers if n.lower() not in _REPLACED and n != b"content-type"
            ]
            entry = make_entry(
                body,
                found.get(b"content-type", b"application/octet-stream"),
                make_etag(edge.corpus_hash, self.path, self.query),
                cache_control or edge.cache_control,
                kept,
            )
            edge.cache.add((self.path, self.query), entry)
            await edge.reply(self.send, entry, self.method, self.inm, self.accept, self.extra)
            return
        out = [(n, v) for n, v in headers if n.lower() not in (b"content-length", b"etag")]
        content_type = found.get(b"content-type", b"")
        encoding = negotiate(self.accept) if self.accept is not None else None
        if (
            encoding is not None
            and len(body) >= MIN_COMPRESS
            and is_compressible(content_type)
            and b"content-encoding" not in found
        ):
            body = compress(body, encoding)
            out += [(b"content-encoding", encoding.encode()), (b"vary", b"Accept-Encoding")]
        if b"cache-control" not in found:
            out.append((b"cache-control", _NO_STORE if status >= 400 else edge.cache_control))
        out.append((b"content-length", str(len(body)).encode()))
        await self.send(
            {"type": "http.response.start", "status": status, "headers": out + self.extra}
        )
        await self.send(
            {"type": "http.response.body", "body": body if self.method != "HEAD" else b""}
        )

    async def _forward(self, message: dict) -> None:
        """Pass a chunk of a stream on; a HEAD request gets only the final, empty one."""
        if self.method != "HEAD":
            await self.send(message)
        elif not message.get("more_body", False):
            await self.send({"type": "http.response.body", "body": b""})

    async def _start_stream(
        self, status: int, headers: Headers, cacheable: bool, cache_control: bytes
    ) -> None:
        """A streamed body (a deck file): add ETag and the edge's headers, or answer 304."""
        out = [(n, v) for n, v in headers if n.lower() not in (b"etag", b"cache-control")]
        if cacheable:
            etag = make_etag(self.edge.corpus_hash, self.path, self.query)
            control = cache_control or self.edge.cache_control
            if self.inm is not None and etag_matches(self.inm, etag):
                self.state = "swallowing"
                hdrs = [(b"etag", etag), (b"cache-control", control), *self.extra]
                await self.send({"type": "http.response.start", "status": 304, "headers": hdrs})
                await self.send({"type": "http.response.body", "body": b""})
                return
            out += [(b"etag", etag), (b"cache-control", control)]
        self.state = "streaming"
        await self.send(
            {"type": "http.response.start", "status": status, "headers": out + self.extra}
        )
