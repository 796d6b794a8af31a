"""Sending answers over ASGI: from a cache entry, as a problem, or Litestar's, finished.

``Responder`` is the ``send`` the edge gives Litestar: a cacheable ``200`` is stored in
the response cache and answered like any cached one (ETag, 304, best encoding); other
bodies get the edge's headers and are compressed when large (off the event loop when
very large, ``api.http.heavy``); a streamed body (a deck file) gets its ETag, or a 304
that drops the stream.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from ..versions import etag_matches, make_etag
from .caching import (
    MIN_COMPRESS,
    Entry,
    Headers,
    ResponseCache,
    compress,
    is_compressible,
    make_entry,
    negotiate,
)
from .heavy import LARGE, off_loop
from .problems import MEDIA_TYPE, problem

# Inner response headers the edge sets itself, so Litestar's are dropped.
_REPLACED = frozenset({b"content-length", b"etag", b"cache-control", b"vary", b"content-encoding"})
_PROBLEM_TYPE = MEDIA_TYPE.encode()
_NO_STORE = b"no-store"
# Every resource of this read-only API, whatever Litestar's routes list: the edge answers
# HEAD (as a GET without the body) and CORS preflights itself.
ALLOW = b"GET, HEAD, OPTIONS"


@dataclass(frozen=True, slots=True)
class Store:
    """Where cacheable answers are kept, and what they are keyed and labelled with."""

    cache: ResponseCache
    corpus_hash: str  # part of every ETag
    cache_control: bytes  # for a 200 that does not set its own
    headers: Headers  # added to every 200 and 304 (``Vary: X-API-Key`` when keys are on)


async def reply(
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
    encoding = negotiate(accept, entry.encodings) if accept is not None else None
    if encoding in entry.variants or None in entry.variants:
        headers, body = entry.variant(encoding)
    else:  # a large body kept only compressed, for a client that takes no compression
        headers, body = await off_loop(entry.variant, None)
    if extra:
        headers = [*headers, *extra]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body if method != "HEAD" else b""})


async def send_problem(
    send: Any,
    method: str,
    status: int,
    detail: str,
    path: str,
    extra: Headers,
    code: str | None = None,
) -> None:
    """Answer with a problem document (the shape comes from ``api.http.problems``)."""
    body = problem(status, detail, path, code=code)
    headers = [
        (b"content-type", _PROBLEM_TYPE),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", _NO_STORE),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body if method != "HEAD" else b""})


class Responder:
    """The ``send`` given to Litestar: finishes, caches or streams its response."""

    __slots__ = (
        "accept",
        "extra",
        "inm",
        "method",
        "path",
        "query",
        "ready",
        "send",
        "start",
        "state",
        "store",
    )

    def __init__(
        self,
        store: Store,
        send: Any,
        method: str,
        path: str,
        query: bytes,
        inm: bytes | None,
        accept: bytes | None,
        extra: Headers,
        ready: asyncio.Event | None = None,
    ) -> None:
        self.ready = ready  # set once the answer is known (stored, or starting to stream)
        self.store = store
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
            if self.ready is not None:
                self.ready.set()
            if self.state == "streaming":
                await self._forward(message)
            return
        store = self.store
        if cacheable:
            # A body chosen by a request header (a deck's `Accept`) is answered like a cached
            # one but not stored: the cache's key, path and query, does not hold that header.
            varies = found.get(b"vary")
            kept = [
                (n, v) for n, v in headers if n.lower() not in _REPLACED and n != b"content-type"
            ]
            args = (
                body,
                found.get(b"content-type", b"application/octet-stream"),
                make_etag(store.corpus_hash, self.path, self.query),
                cache_control or store.cache_control,
                [*kept, (b"vary", varies), *store.headers] if varies else kept + store.headers,
            )
            entry = await off_loop(make_entry, *args) if len(body) > LARGE else make_entry(*args)
            if varies is None:
                store.cache.add((self.path, self.query), entry)
            if self.ready is not None:
                self.ready.set()
            await reply(self.send, entry, self.method, self.inm, self.accept, self.extra)
            return
        out = [
            (n, v) if n.lower() != b"allow" else (n, ALLOW)
            for n, v in headers
            if n.lower() not in (b"content-length", b"etag")
        ]
        content_type = found.get(b"content-type", b"")
        encoding = negotiate(self.accept) if self.accept is not None else None
        if (
            encoding is not None
            and len(body) >= MIN_COMPRESS
            and is_compressible(content_type)
            and b"content-encoding" not in found
        ):
            body = (
                await off_loop(compress, body, encoding)
                if len(body) > LARGE
                else compress(body, encoding)
            )
            out += [(b"content-encoding", encoding.encode()), (b"vary", b"Accept-Encoding")]
        if b"cache-control" not in found:
            out.append((b"cache-control", _NO_STORE if status >= 400 else store.cache_control))
        if status < 400:
            out += store.headers
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
            etag = make_etag(self.store.corpus_hash, self.path, self.query)
            control = cache_control or self.store.cache_control
            if self.inm is not None and etag_matches(self.inm, etag):
                self.state = "swallowing"
                hdrs = [(b"etag", etag), (b"cache-control", control), *self.store.headers]
                hdrs += self.extra
                await self.send({"type": "http.response.start", "status": 304, "headers": hdrs})
                await self.send({"type": "http.response.body", "body": b""})
                return
            out += [(b"etag", etag), (b"cache-control", control), *self.store.headers]
        self.state = "streaming"
        await self.send(
            {"type": "http.response.start", "status": status, "headers": out + self.extra}
        )
