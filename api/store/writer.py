"""Writing the response store: every detail response of a guide, made at build time.

``part(guide)`` runs in the build's process pool, once per changed guide: it encodes the
guide's question, topic and guide detail responses in every format, with the same views
and encoder the handlers use, compresses each (gzip and brotli, as an edge would) and
makes them one SQLite database image, a file handed to the build (``corpus.Made``): the
worker that made it keeps it beside the guide's cache entry, and ``join`` links it into
the build as ``<build>/api/guides/<slug>.sqlite``, never copying it. A server's worker
opens them read-only, and every worker on a host reads the same pages of the host's
page cache.

Both settings are chosen by measurement over the 3,841 distinct compressible detail
responses of the 18 shared guides (13.6 MB). Brotli: quality 3 was larger than gzip for
96% of them, quality 4 about gzip's size (0.32 s of CPU), quality 5 smaller for every one
and by 8% in all (5.43 MB, 0.36 s), quality 6 no smaller than 5. Quality 5 is the one that
pays (``caching.BROTLI_QUALITY``); a window no larger than the body (``caching.compress``)
made the same bodies in less time, 0.1% smaller. Gzip: zlib at level 6 made 5.91 MB in
0.24 s; ISA-L (``isal``) at its best level, 3, made 6.05 MB (2.3% more) in 0.08 s: a
quarter of a build's compressing saved, for slightly larger bodies to the few clients
that take gzip and not brotli (``caching.GZIP_LEVEL``); zlib-ng at level 6 took 0.17 s.

One database per guide (rather than one for the corpus) makes an incremental build take
the unchanged guides' files as they are: it never re-inserts their rows, and the result
is the same, byte for byte, as a full build.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import msgspec

import corpus
from corpus import FORMATS, Guide, Rich

from ..http.caching import MIN_COMPRESS, compress
from ..resources.catalog import (
    Catalog,
    GuideIndex,
    guide_index,
    guide_url,
    question_url,
    topic_url,
)
from ..versions import CODE_VERSION

NAME = "api"
GUIDES = "guides"
SUFFIX = ".sqlite"
SCHEMA = """
CREATE TABLE responses (
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    body BLOB NOT NULL,
    gzip BLOB,
    br BLOB,
    PRIMARY KEY (path, format)
);
CREATE TABLE topics (id TEXT NOT NULL, format TEXT NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (id, format));
CREATE TABLE guide (data BLOB NOT NULL);
"""
CATALOG = "catalog.msgpack"
DB = "db"  # the name of the file a part makes: the guide's database
# The store follows the code that makes responses (``api.versions``), as their ETags do: a
# release that changes any of it makes a new build, never serving an older one's bodies.
VERSION = f"2+{CODE_VERSION}"


class Part(corpus.Base):
    """What ``part`` makes of one guide besides its database (the file ``DB``): its slug
    and index."""

    slug: str
    index: msgspec.Raw  # GuideIndex, msgpack


class StoreCatalog(corpus.Base):
    """``catalog.msgpack``: the index of every guide, what a worker reads at start-up."""

    hash: str
    parser_version: str
    guides: list[GuideIndex]


_encoder = msgspec.json.Encoder()
_part_encoder = msgspec.msgpack.Encoder()
_part_decoder = msgspec.msgpack.Decoder(Part)


def responses(guide: Guide[Rich], cat: Catalog) -> list[tuple[str, str, bytes]]:
    """``(path, format, body)`` of every detail response of ``guide``, sorted."""
    out = []
    for fmt in FORMATS:
        for q in guide.questions:
            out.append((question_url(q.id), fmt, _encoder.encode(corpus.question_view(q, fmt))))
        for t in guide.topics:
            out.append((topic_url(t.id), fmt, _encoder.encode(cat.topic_detail(t, fmt))))
        out.append((guide_url(guide.slug), fmt, _encoder.encode(cat.guide_detail(guide, fmt))))
    out.sort(key=lambda row: (row[0], row[1]))
    return out


Packed = tuple[bytes | None, bytes | None]


def _packed(body: bytes, known: dict[bytes, Packed]) -> Packed:
    """The gzip and brotli bodies of a response (``None`` when too small to compress),
    from ``known`` when it has them, else made and added to it."""
    if len(body) < MIN_COMPRESS:
        return None, None
    found = known.get(body)
    if found is None:
        found = known[body] = (compress(body, "gzip"), compress(body, "br"))
    return found


def _compressed(previous: corpus.Previous | None) -> dict[bytes, Packed]:
    """The compressed bodies of a ``previous`` part's database, by body."""
    path = None if previous is None else previous.files.get(DB)
    if path is None:
        return {}
    try:
        image = path.read_bytes()
    except OSError:  # only costs compressing again
        return {}
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(image)
        rows = db.execute("SELECT body, gzip, br FROM responses WHERE gzip IS NOT NULL")
        return {body: (gz, br) for body, gz, br in rows}
    finally:
        db.close()


def part(
    guide: Guide[Rich],
    previous: corpus.Previous | None = None,
    parsed: corpus.Fragments | None = None,
) -> corpus.Made:
    """``Artifact.part``: the guide's responses (``parsed`` is not read), compressed, as
    a SQLite database image (the file ``DB``, linked into the build by ``join``); a body
    the ``previous`` version's database holds, or that an earlier response of this guide
    has (a topic without content of its own is the same bytes in every format), is not
    compressed again: compressing is most of a part's work."""
    index = guide_index(guide)
    cat = Catalog([index], "", "")
    known = _compressed(previous)
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        rows = [
            (path, fmt, body, *_packed(body, known)) for path, fmt, body in responses(guide, cat)
        ]
        db.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?)", rows)
        topics = [
            (t.id, fmt, _encoder.encode(corpus.topic_view(t, fmt)))
            for t in sorted(guide.topics, key=lambda t: t.id)
            for fmt in sorted(FORMATS)
        ]
        db.executemany("INSERT INTO topics VALUES (?, ?, ?)", topics)
        db.execute("INSERT INTO guide VALUES (?)", (_part_encoder.encode(guide),))
        db.commit()
        image = db.serialize()
    finally:
        db.close()
    raw_index = msgspec.Raw(_part_encoder.encode(index))
    data = _part_encoder.encode(Part(slug=guide.slug, index=raw_index))
    return corpus.Made(data, {DB: image})


def join(folder: Path, joining: corpus.Joining, parts: Sequence[bytes | memoryview]) -> None:
    """``Artifact.join``: each guide's database into ``folder/guides/<slug>.sqlite``, and
    the index of every guide into ``folder/catalog.msgpack``."""
    guides = folder / GUIDES
    guides.mkdir()
    indexes = []
    for raw, made in zip(parts, joining.files, strict=True):
        got = _part_decoder.decode(raw)
        joining.place(f"{GUIDES}/{got.slug}{SUFFIX}", made[DB])
        indexes.append(got.index)
    catalog = StoreCatalog(
        hash=joining.digest, parser_version=corpus.PARSER_VERSION, guides=indexes
    )
    joining.write(CATALOG, _part_encoder.encode(catalog))


ARTIFACT = corpus.Artifact(name=NAME, version=VERSION, part=part, join=join)
