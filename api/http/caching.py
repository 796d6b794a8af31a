"""Encoded responses, computed once: body, ETag and compressed variants, looked up by request.

The corpus of a running worker never changes, so a ``200`` body is a pure function of
the request's path and query string. ``ResponseCache`` keeps each such body as an
``Entry`` with everything a reply needs (the ETag, gzip and brotli variants, the header
lists), so answering a repeated request is a dict look-up and two ``send`` calls.

Entries for every question, topic and guide are made at build time, in the response
store (``api.store``); any other cacheable response is added when first answered, in an
LRU bounded in bytes.

ETag: ``W/"<digest>"`` of the corpus hash and the request (path and query string). It is
weak because the gzip, brotli and identity bodies are the same representation.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import brotli

MIN_COMPRESS = 860  # bytes; below about one TCP packet compression gains nothing
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # about gzip's speed and a smaller body; each body pays it once
LRU_BYTES = 24 * 1024 * 1024  # per worker; detail responses are in the response store
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # after compression
LARGE_BODY = 512 * 1024  # bodies above this are kept compressed only
COMPRESSIBLE = (
    b"application/json",
    b"application/problem+json",
    b"application/x-ndjson",
    b"text/",
    b"application/javascript",
    b"application/vnd.oai.openapi",
)

Headers = list[tuple[bytes, bytes]]


def make_etag(corpus_hash: str, path: str, query: bytes) -> bytes:
    """The ETag of the response to ``path?query`` from the corpus ``corpus_hash``."""
    h = hashlib.blake2b(digest_size=12)
    h.update(corpus_hash.encode())
    h.update(b"\0" + path.encode() + b"?" + query)
    return b'W/"' + h.hexdigest().encode() + b'"'


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 weak comparison of ``etag`` against an ``If-None-Match`` value."""
    if if_none_match == etag or if_none_match.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(
        candidate.strip().removeprefix(b"W/") == opaque for candidate in if_none_match.split(b",")
    )


def is_compressible(content_type: bytes) -> bool:
    return content_type.startswith(COMPRESSIBLE)


def compress(body: bytes, encoding: str) -> bytes:
    """``body`` compressed with ``br`` or ``gzip`` (mtime 0, so equal input gives equal output)."""
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, GZIP_LEVEL, mtime=0)


_choices: dict[bytes, str | None] = {}


def negotiate(accept_encoding: bytes) -> str | None:
    """``"br"``, ``"gzip"`` or ``None`` (identity) for an ``Accept-Encoding`` value.

    Honours ``q`` values (``gzip;q=0`` refuses gzip); br wins a tie. Results are memoised:
    clients send a handful of distinct values.
    """
    try:
        return _choices[accept_encoding]
    except KeyError:
        pass
    weights: dict[str, float] = {}
    for item in accept_encoding.decode("latin-1").lower().split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        params = params.replace(" ", "")
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        weights[name.strip()] = q
    star = weights.get("*", 0.0)
    best = None
    best_q = 0.0
    for name in ("br", "gzip"):
        q = weights.get(name, star)
        if q > best_q:
            best, best_q = name, q
    if len(_choices) < 256:
        _choices[accept_encoding] = best
    return best


@dataclass(slots=True)
class Entry:
    """A cacheable response: its ETag and, per encoding, the header list and the body.

    A large body is kept only compressed (``variants`` has no ``None``): the rare client
    that takes no gzip gets it decompressed on the fly, which costs far less than
    keeping megabytes of identity bodies in every worker.
    """

    etag: bytes
    headers: Headers  # shared by every variant: content-type, etag, cache-control, ...
    variants: dict[str | None, tuple[Headers, bytes]]
    not_modified: Headers  # the headers of a 304 for it
    size: int

    def variant(self, encoding: str | None) -> tuple[Headers, bytes]:
        """Headers and body for ``encoding`` (identity when compressing did not pay)."""
        found = self.variants.get(encoding) or self.variants.get(None)
        if found is None:
            body = gzip.decompress(self.variants["gzip"][1])
            found = (_sized(self.headers, body), body)
        return found


def _sized(headers: Headers, body: bytes, encoding: str | None = None) -> Headers:
    extra = [(b"content-encoding", encoding.encode())] if encoding else []
    return [*headers, *extra, (b"content-length", str(len(body)).encode())]


def make_entry(
    body: bytes,
    content_type: bytes,
    etag: bytes,
    cache_control: bytes,
    extra: Headers = (),
    packed: dict[str, bytes] | None = None,
) -> Entry:
    """An Entry for ``body`` with every worthwhile compressed variant.

    ``extra`` are other headers of the response to keep (``content-disposition``, ...).
    ``packed`` holds the body already compressed by ``compress`` (the response store's,
    made at build time); else the variants are compressed now.
    """
    headers: Headers = [
        (b"content-type", content_type),
        (b"etag", etag),
        (b"cache-control", cache_control),
        *extra,
    ]
    compressible = is_compressible(content_type)
    if compressible:
        headers.append((b"vary", b"Accept-Encoding"))
    variants: dict[str | None, tuple[Headers, bytes]] = {None: (_sized(headers, body), body)}
    if compressible and len(body) >= MIN_COMPRESS:
        for encoding in ("br", "gzip"):
            done = packed.get(encoding) if packed else None
            smaller = compress(body, encoding) if done is None else done
            if len(smaller) < len(body):
                variants[encoding] = (_sized(headers, smaller, encoding), smaller)
        if len(body) > LARGE_BODY and "gzip" in variants:
            del variants[None]
    size = sum(len(b) for _, b in variants.values())
    not_modified = [h for h in headers if h[0] in (b"etag", b"cache-control", b"vary")]
    return Entry(etag, headers, variants, not_modified, size)


class ResponseCache:
    """Entries by ``(path, query string)``: an LRU bounded in bytes, in front of ``ready``
    (the build's response store, which holds every question, topic and guide)."""

    def __init__(
        self,
        budget: int = LRU_BYTES,
        ready: Callable[[tuple[str, bytes]], Entry | None] | None = None,
    ) -> None:
        self.lru: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()
        self.budget = budget
        self.used = 0
        self.ready = ready

    def get(self, key: tuple[str, bytes]) -> Entry | None:
        entry = self.lru.get(key)
        if entry is not None:
            self.lru.move_to_end(key)
            return entry
        return None if self.ready is None else self.ready(key)

    def add(self, key: tuple[str, bytes], entry: Entry) -> None:
        """Keep ``entry`` (with its variants) unless it alone is too large; evict the oldest."""
        size = entry.size
        if size > MAX_ENTRY_BYTES:
            return
        old = self.lru.pop(key, None)
        if old is not None:
            self.used -= old.size
        self.lru[key] = entry
        self.used += size
        while self.used > self.budget and self.lru:
            _, evicted = self.lru.popitem(last=False)
            self.used -= evicted.size
