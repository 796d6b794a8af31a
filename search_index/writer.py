"""Writing the search index of a Corpus (the ``index`` artifact of a build).

Layout of ``<build>/index/``: a Whoosh index with ONE indexed field, ``text``, and no
stored fields, plus ``prepdeck-index.json`` (the marker, written last: corpus hash,
document ids, each document's length in every stream, the word list for typo
correction, and a digest of every Whoosh file).

Every searchable field (title, answer, ...) is indexed into ``text``: one posting list
per term, so a query reads one list per word rather than one per word and field. A
posting's value holds the term's frequency in each of the three streams of
``documents.STREAMS`` (title, labels, body) as little-endian float32, each the sum of
the field boosts of its occurrences; its weight is their sum (what Whoosh's own tools
score). Terms are the stems of the words plus the extra terms of ``analysis.extras``
(compounds, symbols). Postings hold no positions: phrases and field prefixes
(``title:``) are checked against the document's own text, which the searcher holds in
memory anyway for highlights (``wordfind``).

Nothing written depends on any other document: collection statistics (the number of
documents, average stream lengths, document frequencies) are computed when the index
is opened and queried, so the postings of one guide could be written (and reused) on
their own.

The build folder is staged and renamed by ``corpus.store``; this only writes into the
folder it is given.
"""

from __future__ import annotations

import hashlib
import struct
from collections import Counter
from pathlib import Path

import msgspec
from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter, W3Segment
from whoosh.writing import PostingPool

import corpus

from .analysis import ANALYZER, WORD, extras, whoosh_analyzer
from .documents import FIELD_STREAMS

INDEX_VERSION = "5"
FIELD = "text"
MARKER = "prepdeck-index.json"
MIN_SPELL_WORD = 3  # shorter words are never offered as corrections


class Marker(corpus.Base):
    """What the index holds and for which corpus; its presence means "complete"."""

    version: str
    hash: str
    ids: list[str]
    lengths: list[tuple[int, int, int]]  # indexed words per stream (title, labels, body)
    words: dict[str, int]
    files: dict[str, str]


_marker_encoder = msgspec.json.Encoder()
marker_decoder = msgspec.json.Decoder(Marker)


STREAM_VALUE = struct.Struct("<3f")  # a posting's value: its frequency in each stream


class StreamFrequencies(formats.Frequency):
    """Postings whose value is ``STREAM_VALUE``: the term's weighted frequency per stream."""

    posting_size = STREAM_VALUE.size

    def decode_frequency(self, valuestring: bytes) -> int:
        return round(sum(STREAM_VALUE.unpack(valuestring)))

    def decode_weight(self, valuestring: bytes) -> float:
        return sum(STREAM_VALUE.unpack(valuestring))


class PreAnalyzedText(fields.TEXT):
    """A TEXT field whose values arrive already analyzed as Whoosh posting tuples.

    ``index()`` passes ``[(term bytes, frequency, weight, stream frequencies)]``
    through, so Whoosh skips its per-token analysis. Queries and Whoosh's own tools
    still see an ordinary TEXT field with an equivalent analyzer.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.format = StreamFrequencies()

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


def _postings(
    doc_fields: dict[str, list[str]], words: Counter
) -> tuple[list[tuple], tuple[int, int, int]]:
    """The posting tuples of one document and its length in each stream (indexed words).

    A term's frequency in a stream is the sum over the stream's fields of its count
    there times the field's boost: its count in the whole stream plus the extra
    (boost - 1) of the fields whose boost is not 1, so the long fields (answer, notes)
    cost no Python loop at all.
    """
    streams: list[list[str]] = [[], [], []]
    extra: list[dict[str, float]] = [{}, {}, {}]
    lengths = [0, 0, 0]
    stem, findall = ANALYZER.stem, WORD.findall
    for name, texts in doc_fields.items():
        if not texts:
            continue
        low = (texts[0] if len(texts) == 1 else "\n".join(texts)).lower()
        surface = findall(low)
        words.update(surface)
        field_stems = ANALYZER.stems(surface)
        more = extras(low)
        if more:
            words.update(w for w in more if w.isalpha())
            field_stems += [x for x in (stem(w) if w.isalpha() else w for w in more) if x]
        stream, boost = FIELD_STREAMS[name]
        lengths[stream] += len(surface)
        streams[stream] += field_stems
        if boost != 1.0 and field_stems:
            delta, get = boost - 1.0, extra[stream].get
            for s, n in Counter(field_stems).items():
                extra[stream][s] = get(s, 0.0) + n * delta
    counts = [Counter(stems) for stems in streams]
    for c, more in zip(counts, extra, strict=True):
        for s, x in more.items():
            c[s] += x
    title, labels, body = counts
    pack = STREAM_VALUE.pack
    short = title.keys() | labels.keys()
    # most terms are in the body only: one tuple each without a look-up in the others
    items = [
        (s.encode(), int(b) or 1, b, pack(0.0, 0.0, b)) for s, b in body.items() if s not in short
    ]
    for s in short:
        row = (title.get(s, 0.0), labels.get(s, 0.0), body.get(s, 0.0))
        total = row[0] + row[1] + row[2]
        items.append((s.encode(), int(total) or 1, total, pack(*row)))
    return items, (lengths[0], lengths[1], lengths[2])


def digest_files(folder: Path) -> dict[str, str]:
    """sha256 of every Whoosh file of the index (lock files and the marker excepted)."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != MARKER and not path.name.endswith(".lock"):
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
