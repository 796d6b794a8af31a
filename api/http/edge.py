"""The ASGI layer in front of the Litestar app: everything HTTP that is not a resource.

Per request, in order: CORS preflight, API key (401), rate limit (429), then for a GET or
HEAD whose response is cached (``api.http.caching``) the reply straight from the cache, with
``304`` on a matching ``If-None-Match`` and the best compressed variant. Anything else
goes to Litestar, and ``api.http.replies`` finishes its response on the way out (a cacheable
200 is stored, then answered like a cached one; other bodies are compressed when large).

Doing this in one plain ASGI callable instead of Litestar middleware keeps the hot path
to a header scan, a dict look-up and two ``send`` calls; the routes, validation and the
OpenAPI document stay Litestar's.
"""

from __future__ import annotations

import hmac
from typing import Any

from ..config import Settings
from .caching import ResponseCache
from .cors import Cors
from .ratelimit import RateLimiter, SharedRateLimiter
from .replies import Responder, Store, reply, send_problem

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
DOCS_PREFIX = "/schema"


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
        self.store = Store(cache, corpus_hash, self.cache_control)

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
                await send_problem(send, method, 403, detail, path, [(b"vary", b"Origin")])
            else:
                await send({"type": "http.response.start", "status": 204, "headers": allowed})
                await send({"type": "http.response.body", "body": b""})
            return

        if self.keys and not _open(path) and not self._known_key(key):
            why = "missing" if key is None else "not a valid key"
            await send_problem(
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
                await send_problem(send, method, 429, detail, path, extra)
                return

        query: bytes = scope["query_string"]
        if method == "GET" or method == "HEAD":
            entry = self.cache.get((path, query))
            if entry is not None:
                await reply(send, entry, method, inm, accept, extra)
                return
            scope = {**scope, "method": "GET"} if method == "HEAD" else scope
        responder = Responder(self.store, send, method, path, query, inm, accept, extra)
        await self.app(scope, receive, responder)

    async def close(self) -> None:
        """Release what the edge holds open (the Redis connections of the rate limit)."""
        if self.shared is not None:
            await self.shared.close()

    def _known_key(self, key: bytes | None) -> bool:
        # Compare with every key in constant time, so timing tells nothing about them.
        return key is not None and any([hmac.compare_digest(key, k) for k in self.keys])


def _open(path: str) -> bool:
    """Health checks and the API docs need no API key."""
    return path in HEALTH_PATHS or path == DOCS_PREFIX or path.startswith(DOCS_PREFIX + "/")


def _client_host(scope: dict) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"
