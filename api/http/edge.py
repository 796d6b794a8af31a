"""The ASGI layer in front of the Litestar app: everything HTTP that is not a resource.

Per request, in order: a request target over 8 KB (414), CORS preflight, rate limit
(429; by the API key once it is verified, else by the client's address, so failed key
checks count against the address), API key (401), then for a GET or HEAD whose response
is cached (``api.http.caching``) the reply straight from the cache, with ``304`` on a
matching ``If-None-Match`` and the best compressed variant. Anything else goes to
Litestar, and ``api.http.replies`` finishes its response on the way out (a cacheable 200
is stored, then answered like a cached one; other bodies are compressed when large).

When API keys are configured, what needed one is ``Cache-Control: private`` with
``Vary: X-API-Key``, so a shared cache never hands it to a client without a key.

Doing this in one plain ASGI callable instead of Litestar middleware keeps the hot path
to a header scan, a dict look-up and two ``send`` calls; the routes, validation and the
OpenAPI document stay Litestar's.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

from ..config import Settings
from .caching import ResponseCache, cache_key
from .cors import Cors
from .heavy import RETRY_AFTER, Flights, HeavyGate
from .ratelimit import RateLimiter, SharedRateLimiter
from .replies import Responder, Store, reply, send_problem

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
# What needs no key besides the health checks: the docs and what problems mean.
OPEN_PREFIXES = ("/schema", "/problems")
MAX_TARGET = 8192  # bytes of path and query string; longer is a 414
NOSNIFF = (b"x-content-type-options", b"nosniff")
RETRY_HEAVY = (b"retry-after", RETRY_AFTER)


class Edge:
    """Wraps an ASGI app with CORS, API keys, rate limits, ETags, compression and the cache."""

    def __init__(
        self,
        app: Any,
        settings: Settings,
        cache: ResponseCache,
        corpus_hash: str,
        heavy: re.Pattern[str] | None = None,
    ) -> None:
        self.app = app
        self.heavy = heavy  # paths of the heavy routes (``api.http.heavy``)
        self.flights = Flights()
        self.gate = HeavyGate()
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
        self.open_store = Store(cache, corpus_hash, self.cache_control, [])
        self.store = (
            Store(
                cache,
                corpus_hash,
                f"private, max-age={settings.max_age}".encode(),
                [(b"vary", b"X-API-Key")],
            )
            if self.keys
            else self.open_store
        )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        query: bytes = scope["query_string"]
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
        extra = [NOSNIFF, *self.cors.headers(origin)]

        if len(path) + len(query) > MAX_TARGET:
            detail = f"the request target is over {MAX_TARGET} bytes; send fewer parameters"
            await send_problem(send, method, 414, detail, path[:200], extra)
            return

        if method == "OPTIONS" and origin is not None and ac_method is not None:
            allowed = self.cors.preflight(origin, ac_method, ac_headers)
            if allowed is None:
                detail = (
                    f"origin {origin.decode('latin-1')} may not {ac_method.decode('latin-1')} here"
                )
                await send_problem(send, method, 403, detail, path, [NOSNIFF, (b"vary", b"Origin")])
            else:
                headers = [NOSNIFF, *allowed]
                await send({"type": "http.response.start", "status": 204, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
            return

        open_path = _open(path)
        verified = bool(self.keys) and self._known_key(key)
        client = None
        if self.limiter is not None and path not in HEALTH_PATHS:
            # Only a verified key is a bucket of its own: a guessed one counts against the
            # address it came from, and so do the 401s it gets.
            client = "key:" + key.decode("latin-1") if verified and key else _client_host(scope)
            if self.shared is not None:
                ok, limit_headers = await self.shared.hit(client)
            else:
                ok, limit_headers = self.limiter.hit(client)
            extra += limit_headers
            if not ok:
                detail = (
                    f"rate limit of {self.limiter.limit} exceeded; "
                    f"retry in {dict(limit_headers)[b'retry-after'].decode()} s"
                )
                await send_problem(send, method, 429, detail, path, extra)
                return

        if self.keys and not open_path and not verified:
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

        store = self.open_store if open_path else self.store
        if method == "GET" or method == "HEAD":
            path, query = cache_key(path, query)
            entry = self.cache.get((path, query))
            if entry is not None:
                await reply(send, entry, method, inm, accept, extra)
                return
            scope = {**scope, "method": "GET"} if method == "HEAD" else scope
            if self.heavy is not None and self.heavy.match(path):
                await self._heavy(
                    method, scope, receive, send, client, store, (path, query), inm, accept, extra
                )
                return
        responder = Responder(store, send, method, path, query, inm, accept, extra)
        await self.app(scope, receive, responder)

    async def _heavy(
        self,
        method: str,
        scope: dict,
        receive: Any,
        send: Any,
        client: str | None,
        store: Store,
        key: tuple[str, bytes],
        inm: bytes | None,
        accept: bytes | None,
        extra: list,
    ) -> None:
        """A heavy request that missed the cache: within the client's cap, and computed by
        one request at a time (the others are answered from the cache it fills)."""
        path = key[0]
        if client is not None and not self.gate.enter(client):
            detail = (
                f"at most {self.gate.per_client} downloads at a time per client; "
                "retry when one has finished"
            )
            await send_problem(
                send, method, 429, detail, path, [*extra, RETRY_HEAVY], "too_many_downloads"
            )
            return
        try:
            if await self.flights.follow(key):
                entry = self.cache.get(key)
                if entry is not None:
                    await reply(send, entry, method, inm, accept, extra)
                    return
            ready = self.flights.lead(key)
            try:
                responder = Responder(store, send, method, *key, inm, accept, extra, ready)
                await self.app(scope, receive, responder)
            finally:
                self.flights.land(key, ready)
        finally:
            if client is not None:
                self.gate.leave(client)

    async def close(self) -> None:
        """Release what the edge holds open (the Redis connections of the rate limit)."""
        if self.shared is not None:
            await self.shared.close()

    def _known_key(self, key: bytes | None) -> bool:
        # Compare with every key in constant time, so timing tells nothing about them.
        return key is not None and any([hmac.compare_digest(key, k) for k in self.keys])


def _open(path: str) -> bool:
    """Health checks, the API docs and the problem types need no API key."""
    return path in HEALTH_PATHS or any(
        path == prefix or path.startswith(prefix + "/") for prefix in OPEN_PREFIXES
    )


def _client_host(scope: dict) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"
