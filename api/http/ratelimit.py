"""Per-client rate limiting: a fixed window per client, and the headers that describe it.

A client's window opens with its first request and lasts the policy's period; within it
at most ``requests`` are answered, the rest get a 429 until the window ends.

Headers follow the IETF RateLimit fields draft in its widely deployed form
(``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` in seconds, and
``RateLimit-Policy: 120;w=60``); a refused request also gets ``Retry-After``.

``RateLimiter`` counts in the worker process: with ``--workers N`` a client may get up to
N times the limit. ``SharedRateLimiter`` (``PREPDECK_REDIS_URL``) counts in Redis, once
for every worker and replica, behind a circuit breaker.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio
from redis.exceptions import RedisError

from ..config import RateLimit

Headers = list[tuple[bytes, bytes]]
MAX_CLIENTS = 50_000  # forget idle clients beyond this many, so memory stays bounded
TIMEOUT = 0.1  # seconds a Redis round trip may take (well under 1 ms on a healthy LAN)
BACKOFF = 30.0  # seconds a worker counts on its own after Redis failed
log = logging.getLogger("prepdeck.api")


class RateLimiter:
    """Counts requests per client key in the current window."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.clock = clock
        self.counts: dict[str, tuple[float, int]] = {}  # client -> (window start, requests)
        self.policy = f"{limit.requests};w={limit.window}".encode()
        self.limit_value = str(limit.requests).encode()

    def hit(self, client: str) -> tuple[bool, Headers]:
        """Count one request of ``client``: whether it is allowed, and the headers to send."""
        now = self.clock()
        start, count = self.counts.get(client, (now, 0))
        if now - start >= self.limit.window:
            start, count = now, 0
        count += 1
        if len(self.counts) >= MAX_CLIENTS and client not in self.counts:
            self._forget(now)
        self.counts[client] = (start, count)
        return self.headers(count, max(1, math.ceil(start + self.limit.window - now)))

    def headers(self, count: int, reset: int) -> tuple[bool, Headers]:
        """Whether request number ``count`` of a window ending in ``reset`` s is allowed."""
        allowed = count <= self.limit.requests
        headers = [
            (b"ratelimit-limit", self.limit_value),
            (b"ratelimit-remaining", str(max(0, self.limit.requests - count)).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"ratelimit-policy", self.policy),
        ]
        if not allowed:
            headers.append((b"retry-after", str(reset).encode()))
        return allowed, headers

    def _forget(self, now: float) -> None:
        """Drop clients whose window has ended (they start afresh anyway)."""
        window = self.limit.window
        self.counts = {k: v for k, v in self.counts.items() if now - v[0] < window}
        if len(self.counts) >= MAX_CLIENTS:  # all active: drop the oldest half
            for key in list(self.counts)[: MAX_CLIENTS // 2]:
                del self.counts[key]


class SharedRateLimiter:
    """The same policy with counters in Redis, shared by every worker and replica.

    A client's window is a Redis key that expires with it: set to 0 for the window if
    absent, incremented, and its remaining time read, in one round trip. Client keys are
    hashed (an API key is never stored).

    Redis is never allowed to slow the API down. Each round trip has ``timeout`` seconds;
    after a failure the circuit opens: for ``backoff`` seconds the worker counts on its own
    and no request waits on Redis, then one PING in the background (not on a request's
    time) closes the circuit if Redis answers, or opens it for another back-off. An
    outage is logged once when it starts and once when it ends.
    """

    def __init__(
        self, limit: RateLimit, url: str, timeout: float = TIMEOUT, backoff: float = BACKOFF
    ) -> None:
        self.limit = limit
        self.url = url
        self.timeout = timeout
        self.backoff = backoff
        self.local = RateLimiter(limit)
        self.client: Any = None
        self.open_until: float | None = None  # monotonic end of the back-off while open
        self.probe: asyncio.Task | None = None

    async def hit(self, client: str) -> tuple[bool, Headers]:
        """Count one request of ``client`` in Redis (see ``RateLimiter.hit``)."""
        if self.open_until is not None:
            if time.monotonic() >= self.open_until and self.probe is None:
                self.probe = asyncio.create_task(self._probe())
            return self.local.hit(client)
        try:
            count, ttl_ms = await asyncio.wait_for(self._count(client), self.timeout)
        except (TimeoutError, RedisError, OSError) as exc:
            self.open_until = time.monotonic() + self.backoff
            log.warning(
                "rate limit: Redis unavailable (%s); counting in this worker, trying again "
                "every %.0f s",
                exc or type(exc).__name__,
                self.backoff,
            )
            await self._reset()
            return self.local.hit(client)
        reset = max(1, math.ceil(ttl_ms / 1000)) if ttl_ms > 0 else self.limit.window
        return self.local.headers(count, reset)

    async def _probe(self) -> None:
        """Close the circuit if Redis answers a PING in time, else wait another back-off."""
        try:
            await asyncio.wait_for(self._connection().ping(), self.timeout)
        except (TimeoutError, RedisError, OSError):
            self.open_until = time.monotonic() + self.backoff
            await self._reset()
        else:
            self.open_until = None
            log.warning("rate limit: Redis answers again; counting there")
        finally:
            self.probe = None

    def _connection(self) -> Any:
        if self.client is None:
            self.client = redis.asyncio.from_url(
                self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout
            )
        return self.client

    async def _reset(self) -> None:
        """Drop the connections: one that timed out mid-reply cannot be reused."""
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(RedisError, OSError):
                await client.aclose()

    async def _count(self, client: str) -> tuple[int, int]:
        digest = hashlib.blake2b(client.encode(), digest_size=12).hexdigest()
        key = f"prepdeck:ratelimit:{self.local.policy.decode()}:{digest}"
        async with self._connection().pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=self.limit.window, nx=True)
            pipe.incr(key)
            pipe.pttl(key)
            _, count, ttl_ms = await pipe.execute()
        return int(count), int(ttl_ms)

    async def close(self) -> None:
        """Close the connections to Redis (at shutdown)."""
        if self.probe is not None:
            self.probe.cancel()
        await self._reset()
