"""The index written guide by guide: one Whoosh segment per guide, joined by a table of
contents (the ``index`` artifact's ``part`` and ``join``).

``part(guide)`` runs in the build's process pool, once per changed guide: it analyses the
guide's documents and writes their postings as a Whoosh segment named after the guide,
and keeps the documents' ids, stream lengths, words (for typo correction), what a hit
reports of them and their text (for phrases and highlights). ``join`` writes every
guide's segment files as they are, one table of contents listing the segments in corpus
order (so Whoosh numbers the documents as ``documents(corpus)`` does), the documents'
text one file per guide (``docs/<segment>.msgpack``, read on demand by the searcher) and
``docs.msgpack`` (what every hit and filter needs, read at open).

Nothing written for a guide depends on another guide: collection statistics (document
count, average lengths, document frequencies) are summed over the segments when the
index is queried. So an edit rewrites one segment, and an incremental build is the same
as a full one, byte for byte.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import msgspec
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.writing import SegmentWriter

import corpus

from .documents import SearchDoc, documents
from .writer import (
    FIELD,
    INDEX_VERSION,
    MARKER,
    MIN_SPELL_WORD,
    Marker,
    _BuildCodec,
    _Pool,
    _postings,
    digest_files,
    schema,
)

INDEX_NAME = "MAIN"  # Whoosh's default index name, as ``writer.write`` uses
DOCS_FILE = "docs.msgpack"
TEXTS_DIR = "docs"


class DocMeta(corpus.Base):
    """What a hit and the filters need of a document (``SearchDoc`` without its text)."""

    id: str
    kind: str
    guide: str
    topic: corpus.TopicRef | None
    facet_topic: str | None
    scopes: list[str]
    tags: list[str]
    title: str


class DocsFile(corpus.Base):
    """``docs.msgpack``: every document's ``DocMeta`` in index order, the segment holding
    its text, and the titles facets show."""

    docs: list[DocMeta]
    segments: list[str]  # per document: the segment id naming its text file
    guide_titles: dict[str, str]
    topic_titles: dict[str, str]


class Part(corpus.Base):
    """One guide's share of the index."""

    segid: str
    slug: str
    title: str
    topic_titles: dict[str, str]
    files: dict[str, bytes]  # the segment's Whoosh files
    docs: list[DocMeta]
    texts: bytes  # msgpack list of each document's fields
    lengths: list[tuple[int, int, int]]
    words: dict[str, int]


_encoder = msgspec.msgpack.Encoder()
_part_decoder = msgspec.msgpack.Decoder(Part)


def segment_id(slug: str) -> str:
    """The segment of a guide: named by its slug (unique in a corpus), so the same guide
    always writes the same files."""
    return hashlib.blake2b(slug.encode(), digest_size=8).hexdigest()


def _meta(d: SearchDoc) -> DocMeta:
    return DocMeta(
        id=d.id,
        kind=d.kind,
        guide=d.guide,
        topic=d.topic,
        facet_topic=d.facet_topic,
        scopes=list(d.scopes),
        tags=list(d.tags),
        title=d.title,
    )


def part(guide: corpus.Guide[corpus.Rich]) -> bytes:
    """``Artifact.part``: the guide's documents analysed and written as one segment."""
    docs = documents(corpus.Corpus(hash="", parser_version="", guides=[guide]))
    segid = segment_id(guide.slug)
    words: Counter = Counter()
    lengths = []
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="prepdeck-segment-") as tmp:
        ix = FileStorage(tmp).create_index(schema())
        writer = SegmentWriter(ix, codec=_BuildCodec(segid), compound=False)
        writer.pool = _Pool(writer._tempstorage, writer.newsegment)
        try:
            for doc in docs:
                items, length = _postings(doc.fields, words)
                writer.add_document(**{FIELD: items})
                lengths.append(length)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
        for path in sorted(Path(tmp).iterdir()):
            if path.name.startswith(f"{INDEX_NAME}_{segid}"):
                files[path.name] = path.read_bytes()
    return _encoder.encode(
        Part(
            segid=segid,
            slug=guide.slug,
            title=guide.title,
            topic_titles={t.id: t.title for t in guide.topics},
            files=files,
            docs=[_meta(d) for d in docs],
            texts=_encoder.encode([d.fields for d in docs]),
            lengths=lengths,
            words={w: n for w, n in words.items() if len(w) >= MIN_SPELL_WORD and not w.isdigit()},
        )
    )


def write(folder: Path, data: corpus.Corpus) -> None:
    """Build the search index of ``data`` into the (empty) ``folder`` in one go."""
    join(folder, data.hash, [part(g) for g in data.guides])


def join(folder: Path, digest: str, parts: Sequence[bytes]) -> None:
    """``Artifact.join``: every guide's segment, in corpus order, as one index."""
    (folder / TEXTS_DIR).mkdir()
    segments = []
    ids: list[str] = []
    lengths: list[tuple[int, int, int]] = []
    words: Counter = Counter()
    docs: list[DocMeta] = []
    owners: list[str] = []
    guide_titles: dict[str, str] = {}
    topic_titles: dict[str, str] = {}
    for raw in parts:
        p = _part_decoder.decode(raw)
        for name, data in p.files.items():
            (folder / name).write_bytes(data)
        if p.docs:
            segments.append(W3Segment(W3Codec(compression=0), INDEX_NAME, len(p.docs), p.segid))
        (folder / TEXTS_DIR / f"{p.segid}.msgpack").write_bytes(p.texts)
        ids += [d.id for d in p.docs]
        lengths += p.lengths
        words.update(p.words)
        docs += p.docs
        owners += [p.segid] * len(p.docs)
        guide_titles[p.slug] = p.title
        topic_titles.update(p.topic_titles)
    TOC(schema(), segments, 1).write(FileStorage(str(folder)), INDEX_NAME)
    table = DocsFile(
        docs=docs, segments=owners, guide_titles=guide_titles, topic_titles=topic_titles
    )
    (folder / DOCS_FILE).write_bytes(_encoder.encode(table))
    marker = Marker(
        version=INDEX_VERSION,
        hash=digest,
        ids=ids,
        lengths=lengths,
        words=dict(sorted(words.items())),
        files=digest_files(folder),
    )
    (folder / MARKER).write_bytes(msgspec.json.encode(marker))
