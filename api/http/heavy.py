"""Heavy work (bulk bodies, decks, compressing large bodies) kept off the event loop.

A worker's event loop answers every request, ``/healthz`` included; a few megabytes
encoded or compressed on it would hold them all. So:

- ``off_loop`` runs such work in a thread, at most ``THREADS`` at a time per worker
  (the rest wait without holding the loop); zlib and brotli release the GIL, and
  encoding yields it every few milliseconds, so the loop keeps answering;
- ``Flights`` lets one request at a time compute a given resource: the others wait for
  it and are answered from the cache it filled;
- ``HeavyGate`` caps how many heavy requests one client has in progress (429 with
  ``Retry-After`` past it), so a single client cannot queue up the worker's threads.

Heavy routes are the handlers marked ``opt={"heavy": True}``; ``heavy_paths`` turns
their paths into the pattern the edge checks before routing.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")
THREADS = 2  # heavy computations running at once in a worker
PER_CLIENT = 2  # heavy requests one client may have in progress in a worker
RETRY_AFTER = b"1"
LARGE = 256 * 1024  # bytes: a body this large is compressed off the loop
HEAVY = {"heavy": True}  # the ``opt`` of a heavy route handler

_limiter: anyio.CapacityLimiter | None = None


async def off_loop(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in a worker thread, at most ``THREADS`` of them at a time."""
    global _limiter
    if _limiter is None:  # made in the running loop: anyio needs one
        _limiter = anyio.CapacityLimiter(THREADS)
    return await anyio.to_thread.run_sync(fn, *args, limiter=_limiter)


def heavy_paths(paths: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching the given route paths (``/v1/guides/{guide:str}/deck.apkg``)."""
    regexes = [re.sub(r"\\\{\w+:\w+\\\}", "[^/]+", re.escape(path)) for path in paths]
    return re.compile("^(?:" + "|".join(regexes) + ")/?$") if regexes else None


class Flights:
    """Requests computing a resource now, by cache key; followers wait for the leader."""

    def __init__(self) -> None:
        self.running: dict[tuple[str, bytes], asyncio.Event] = {}

    async def follow(self, key: tuple[str, bytes]) -> bool:
        """Wait for the computation of ``key`` in progress, if any; whether there was one."""
        event = self.running.get(key)
        if event is None:
            return False
        await event.wait()
        return True

    def lead(self, key: tuple[str, bytes]) -> asyncio.Event:
        """Mark ``key`` as being computed; set the event returned once it is answered."""
        event = self.running[key] = asyncio.Event()
        return event

    def land(self, key: tuple[str, bytes], event: asyncio.Event) -> None:
        """The computation of ``key`` is over (answered, stored or failed)."""
        event.set()
        if self.running.get(key) is event:
            del self.running[key]


class HeavyGate:
    """How many heavy requests each client has in progress."""

    def __init__(self, per_client: int = PER_CLIENT) -> None:
        self.per_client = per_client
        self.active: dict[str, int] = {}

    def enter(self, client: str) -> bool:
        """Count one more heavy request of ``client``; False (and nothing counted) past the cap."""
        count = self.active.get(client, 0)
        if count >= self.per_client:
            return False
        self.active[client] = count + 1
        return True

    def leave(self, client: str) -> None:
        count = self.active.pop(client, 1) - 1
        if count > 0:
            self.active[client] = count
