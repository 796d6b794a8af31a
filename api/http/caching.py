"""Encoded responses, computed once: body, ETag and compressed variants, looked up by request.

The corpus of a running worker never changes, so a ``200`` body is a pure function of
the request's path and normalised query string (``cache_key``). ``ResponseCache`` keeps
each such body as an ``Entry`` with everything a reply needs (the ETag, gzip and brotli
variants, the header lists), so answering a repeated request is a dict look-up and two
``send`` calls.

Entries for every question, topic and guide are made at build time, in the response
store (``api.store``), which the cache reads through (``ready``); any other cacheable
response is added when first answered, in an LRU bounded in entries and
in bytes (keys included). Only a ``200`` is stored, and only a request whose every
parameter the handler declares gets one (``resources.params.known_parameters``), so the
keys are validated parameters: junk in a query string is a 422, never an entry.

ETags come from ``api.versions.make_etag``.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from isal import igzip

MIN_COMPRESS = 860  # bytes; below about one TCP packet compression gains nothing
GZIP_LEVEL = 3  # ISA-L's best: zlib -6's ratio, 3x its speed (see api/store/writer.py)
BROTLI_QUALITY = 5  # about gzip's speed and a smaller body (see api/store/writer.py)
BROTLI_MIN_WINDOW, BROTLI_MAX_WINDOW = 10, 24  # log2 of the window sizes brotli allows
LRU_BYTES = 24 * 1024 * 1024  # per worker; detail responses are in the response store
LRU_ENTRIES = 4096  # so many small entries cannot cost more in objects than in bytes
ENTRY_OVERHEAD = 1024  # bytes an entry costs beyond its bodies and key (objects, headers)
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
Key = tuple[str, bytes]


def cache_key(path: str, query: bytes) -> Key:
    """The key of a request: its path without a trailing ``/`` and its query string with
    the parameters in name order and no empty ones, so ``?b=1&a=2&`` and ``?a=2&b=1`` are
    one entry (repeated parameters keep their order: it can matter)."""
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    if b"&" in query:
        parts = [p for p in query.split(b"&") if p]
        parts.sort(key=lambda p: p.partition(b"=")[0])
        query = b"&".join(parts)
    return path, query


def is_compressible(content_type: bytes) -> bool:
    return content_type.startswith(COMPRESSIBLE)


def compress(body: bytes, encoding: str) -> bytes:
    """``body`` compressed with ``br`` or ``gzip`` (mtime 0, so equal input gives equal output)."""
    if encoding == "br":  # a window no larger than the body: less to set up, same ratio
        window = min(BROTLI_MAX_WINDOW, max(BROTLI_MIN_WINDOW, (len(body) + 16).bit_length()))
        return brotli.compress(body, quality=BROTLI_QUALITY, lgwin=window)
    return igzip.compress(body, GZIP_LEVEL, mtime=0)


ENCODINGS = ("br", "gzip")  # what a response may be compressed with, preferred first
_choices: dict[tuple[bytes, tuple[str, ...]], str | None] = {}


def negotiate(accept_encoding: bytes, offered: tuple[str, ...] = ENCODINGS) -> str | None:
    """The encoding of ``offered`` (``"br"``, ``"gzip"``) the client takes best, for an
    ``Accept-Encoding`` value; ``None``: identity.

    Honours ``q`` values (``gzip;q=0`` refuses gzip); the first offered wins a tie. Results
    are memoised: clients send a handful of distinct values.
    """
    key = (accept_encoding, offered)
    try:
        return _choices[key]
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
    for name in offered:
        q = weights.get(name, star)
        if q > best_q:
            best, best_q = name, q
    if len(_choices) < 256:
        _choices[key] = best
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
    # per encoding, its headers (None until first asked: ``variant`` makes them) and body
    variants: dict[str | None, tuple[Headers | None, bytes]]
    not_modified: Headers  # the headers of a 304 for it
    size: int
    encodings: tuple[str, ...]  # of its compressed variants, preferred first (``negotiate``)

    def variant(self, encoding: str | None) -> tuple[Headers, bytes]:
        """Headers and body for ``encoding`` (identity when compressing did not pay)."""
        if encoding not in self.variants:
            encoding = None
        found = self.variants.get(encoding)
        if found is None:
            body = gzip.decompress(self.variants["gzip"][1])
            return _sized(self.headers, body), body
        headers, body = found
        if headers is None:
            headers = _sized(self.headers, body, encoding)
            self.variants[encoding] = (headers, body)
        return headers, body


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
    ``packed`` holds the body already compressed (the response store's, made at build
    time): its variants are the entry's, and nothing is compressed now.
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
    variants: dict[str | None, tuple[Headers | None, bytes]] = {None: (None, body)}
    if compressible and len(body) >= MIN_COMPRESS:
        for encoding in ENCODINGS:
            smaller = compress(body, encoding) if packed is None else packed.get(encoding)
            if smaller is not None and len(smaller) < len(body):
                variants[encoding] = (None, smaller)
        if len(body) > LARGE_BODY and "gzip" in variants:
            del variants[None]
    size = sum(len(b) for _, b in variants.values())
    not_modified = [h for h in headers if h[0] in (b"etag", b"cache-control", b"vary")]
    encodings = tuple(e for e in ENCODINGS if e in variants)
    return Entry(etag, headers, variants, not_modified, size, encodings)


class ResponseCache:
    """Entries by ``cache_key``: a bounded LRU, in front of ``ready`` (the build's
    response store, which holds every question, topic and guide)."""

    def __init__(
        self,
        budget: int = LRU_BYTES,
        max_entries: int = LRU_ENTRIES,
        ready: Callable[[Key], Entry | None] | None = None,
    ) -> None:
        self.lru: OrderedDict[Key, tuple[Entry, int]] = OrderedDict()  # entry, its cost
        self.budget = budget
        self.max_entries = max_entries
        self.used = 0
        self.ready = ready

    def get(self, key: Key) -> Entry | None:
        kept = self.lru.get(key)
        if kept is not None:
            self.lru.move_to_end(key)
            return kept[0]
        # Not kept in the LRU: a stored body is a look-up away (about 25 us), and every
        # question in the LRU would push out lists and searches that cost far more.
        return None if self.ready is None else self.ready(key)

    def add(self, key: Key, entry: Entry) -> None:
        """Keep ``entry`` (with its variants) unless it alone is too large; evict the oldest
        until both bounds hold."""
        if entry.size > MAX_ENTRY_BYTES:
            return
        cost = entry.size + len(key[0]) + len(key[1]) + ENTRY_OVERHEAD
        old = self.lru.pop(key, None)
        if old is not None:
            self.used -= old[1]
        self.lru[key] = (entry, cost)
        self.used += cost
        while self.lru and (self.used > self.budget or len(self.lru) > self.max_entries):
            _, (_, evicted) = self.lru.popitem(last=False)
            self.used -= evicted
