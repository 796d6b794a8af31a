"""Per-client rate limiting: a fixed window per client, and the headers that describe it.

A client's window opens with its first request and lasts the policy's period; within it
at most ``requests`` are answered, the rest get a 429 until the window ends.

Headers follow the IETF RateLimit fields draft in its widely deployed form
(``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` in seconds, and
``RateLimit-Policy: 120;w=60``); a refused request also gets ``Retry-After``.

The counters live in the worker process: with ``--workers N`` a client may get up to N
times the limit in the worst case.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from .config import RateLimit

Headers = list[tuple[bytes, bytes]]
MAX_CLIENTS = 50_000  # forget idle clients beyond this many, so memory stays bounded


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
        reset = max(1, math.ceil(start + self.limit.window - now))
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
