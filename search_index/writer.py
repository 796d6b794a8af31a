"""Writing the search index of a Corpus (the ``index`` artifact of a build).

Layout of ``<build>/index/``: a Whoosh index with ONE indexed field, ``text``, and no
stored fields, plus ``prepdeck-index.json`` (the marker, written last: corpus hash,
document ids and lengths, the word list for typo correction, and a digest of every
Whoosh file).

Every searchable field (title, answer, ...) is indexed into ``text``, and a word's
weight there is the sum of the boosts of the fields it occurs in: BM25F with one
posting list per word, so a query reads one list per word rather than one per word
and field. Postings hold weights and frequencies, not positions: phrases and field
prefixes (``title:``) are checked against the document's own text, which the searcher
holds in memory anyway for highlights (``wordfind``). Reading positions for every
posting would cost more than the whole query (they are unpickled with the block),
and writing them would double the build.

The build folder is staged and renamed by ``corpus.store``; this only writes into the
folder it is given.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import msgspec
from whoosh import fields
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter, W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

import corpus

from .analysis import ANALYZER, whoosh_analyzer
from .documents import FIELD_BOOSTS, documents

INDEX_VERSION = "4"
FIELD = "text"
MARKER = "prepdeck-index.json"
MIN_SPELL_WORD = 3  # shorter words are never offered as corrections


class Marker(corpus.Base):
    """What the index holds and for which corpus; its presence means "complete"."""

    version: str
    hash: str
    ids: list[str]
    lengths: list[int]
    words: dict[str, int]
    files: dict[str, str]


_marker_encoder = msgspec.json.Encoder()
marker_decoder = msgspec.json.Decoder(Marker)


class PreAnalyzedText(fields.TEXT):
    """A TEXT field whose values arrive already analyzed as Whoosh posting tuples.

    ``index()`` passes ``[(term bytes, frequency, weight, encoded frequency)]``
    through, so Whoosh skips its per-token analysis. Queries and Whoosh's own tools
    still see an ordinary TEXT field with an equivalent analyzer.
    """

    def index(self, value, **kwargs):
        return value


def schema() -> fields.Schema:
    """The index schema: the one scorable text field (frequencies, no positions)."""
    return fields.Schema(**{FIELD: PreAnalyzedText(analyzer=whoosh_analyzer(), phrase=False)})


class _FieldWriter(W3FieldWriter):
    """W3's field writer, fed the way this index is built: one field, sorted postings.

    The generic loop (``FieldWriter.add_postings``) checks the field and order of every
    posting and looks its document's length up in the on-disk length column, one seek
    and decode each; here the lengths are read once into a list.
    """

    def add_postings(self, schema, lengths, items):
        table = None
        if lengths:
            get = lengths.doc_field_length_reader(FIELD)
            table = [get(n) for n in range(lengths.doc_count_all())]
        add = None
        last = None
        for fieldname, btext, docnum, weight, value in items:
            if add is None:
                if fieldname != FIELD:
                    raise ValueError(f"unexpected field {fieldname!r} in the posting pool")
                self.start_field(FIELD, schema[FIELD])
                add = self._postwriter.add_posting
            if btext != last:
                if last is not None:
                    self.finish_term()
                self.start_term(btext)
                last = btext
            add(docnum, weight, value, table[docnum] if table else None)
        if last is not None:
            self.finish_term()
        if add is not None:
            self.finish_field()


class _PostingsWriter(W3PostingsWriter):
    """``W3PostingsWriter.add_posting`` without its per-posting type assertions.

    Every posting here comes from ``_postings`` below, already of the right types.
    """

    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


class _Pool(PostingPool):
    """Whoosh's posting pool, counting postings instead of estimating bytes per posting."""

    MAX_POSTINGS = 2_000_000  # about 400 MB of tuples before a run goes to disk

    def add(self, item):
        self.current.append(item)
        if len(self.current) >= self.MAX_POSTINGS:
            self.save()


class _BuildCodec(W3Codec):
    """Whoosh's W3 codec, writing uncompressed blocks with less per-posting overhead.

    Segments record a plain ``W3Codec``, so readers need nothing from this module. The
    segment is named by ``segid`` rather than at random, so the same corpus always makes
    the same files (an incremental build is the same as a full one, byte for byte).
    """

    def __init__(self, segid: str) -> None:
        super().__init__(compression=0)
        self.segid = segid

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, self._blocklimit, byteids, compression=0)

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(compression=0), indexname, segid=self.segid)


_FREQUENCIES = [pack_uint(n) for n in range(256)]  # the encoded values of Frequency


def _postings(doc_fields: dict[str, list[str]], words: Counter) -> tuple[list[tuple], int]:
    """The posting tuples of one document and its length (number of indexed words).

    A word's weight is the sum over fields of its count there times the field boost,
    computed as its count plus the extra (boost - 1) of the fields whose boost is not
    1: the long fields (answer, notes) then cost no Python loop at all.
    """
    stems: list[str] = []
    extra: dict[str, float] = {}
    for name, texts in doc_fields.items():
        if not texts:
            continue
        surface = ANALYZER.words(texts[0] if len(texts) == 1 else "\n".join(texts))
        words.update(surface)
        field_stems = ANALYZER.stems(surface)
        stems += field_stems
        delta = FIELD_BOOSTS[name] - 1.0
        if delta and field_stems:
            get = extra.get
            for s, n in Counter(field_stems).items():
                extra[s] = get(s, 0.0) + n * delta
    encoded, get = _FREQUENCIES, extra.get
    items = [
        (s.encode(), n, n + get(s, 0.0), encoded[n] if n < 256 else pack_uint(n))
        for s, n in Counter(stems).items()
    ]
    return items, len(stems)


def write(folder: Path, data: corpus.Corpus) -> None:
    """Build the search index of ``data`` into the (empty) ``folder``."""
    docs = documents(data)
    storage = FileStorage(str(folder))
    ix = storage.create_index(schema())
    writer = SegmentWriter(ix, codec=_BuildCodec(data.hash[:16]), compound=False)
    writer.pool = _Pool(writer._tempstorage, writer.newsegment)
    words: Counter = Counter()
    lengths = []
    try:
        for doc in docs:
            items, length = _postings(doc.fields, words)
            writer.add_document(**{FIELD: items})
            lengths.append(length)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    marker = Marker(
        version=INDEX_VERSION,
        hash=data.hash,
        ids=[d.id for d in docs],
        lengths=lengths,
        words={w: n for w, n in words.items() if len(w) >= MIN_SPELL_WORD and not w.isdigit()},
        files=digest_files(folder),
    )
    (folder / MARKER).write_bytes(_marker_encoder.encode(marker))


def digest_files(folder: Path) -> dict[str, str]:
    """sha256 of every Whoosh file of the index (lock files and the marker excepted)."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != MARKER and not path.name.endswith(".lock"):
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
