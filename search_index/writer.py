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
(``title:``) are checked against the document's own text (``wordfind``). The segments
are written by ``segment``, the index guide by guide by ``parts``.

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
from collections.abc import Mapping
from pathlib import Path

import msgspec
from whoosh import fields, formats

import corpus

from .analysis import ANALYZER, WORD, extras, whoosh_analyzer
from .documents import FIELD_STREAMS

Lengths = tuple[int, int, int]  # a document's indexed words per stream
INDEX_VERSION = "6"
FIELD = "text"
MARKER = "prepdeck-index.json"
MIN_SPELL_WORD = 3  # shorter words are never offered as corrections


class Marker(corpus.Base):
    """What the index holds and for which corpus; its presence means "complete"."""

    version: str
    hash: str
    ids: list[str]
    lengths: list[Lengths]  # indexed words per stream (title, labels, body)
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


def analyse(doc_fields: dict[str, list[str]], words: Counter) -> tuple[list[str], bytes, Lengths]:
    """One document's terms, their frequency in each stream (``STREAM_VALUE`` each, in
    the same order) and its length in each stream (indexed words); ``words`` gets its
    words (for typo correction).

    A term's frequency in a stream is the sum over the stream's fields of its count
    there times the field's boost: its count in the whole stream plus the extra
    (boost - 1) of the fields whose boost is not 1, so the long fields (answer, notes)
    cost no Python loop at all. Terms come in the order they are first met (title,
    labels, body), so the same document always gives the same bytes.
    """
    streams: list[list[str]] = [[], [], []]
    extra: list[dict[str, float]] = [{}, {}, {}]
    lengths = [0, 0, 0]
    stem = ANALYZER.stem
    for name, texts in doc_fields.items():
        if not texts:
            continue
        surface, more = _read_field(texts, words)
        field_stems = ANALYZER.stems(surface)
        if more:
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
    short = dict.fromkeys(title) | dict.fromkeys(labels)
    terms = list(short)
    flat = [f for s in terms for f in (title.get(s, 0.0), labels.get(s, 0.0), body.get(s, 0.0))]
    # most terms are in the body only
    for s, b in body.items():
        if s not in short:
            terms.append(s)
            flat += (0.0, 0.0, b)
    packed = struct.pack(f"<{len(flat)}f", *flat)
    return terms, packed, (lengths[0], lengths[1], lengths[2])


def count_words(doc_fields: dict[str, list[str]], words: Counter) -> None:
    """Add to ``words`` what ``analyse`` adds for a document, without analysing it (a
    document whose analysis is taken from an earlier build still counts its words)."""
    for texts in doc_fields.values():
        if texts:
            _read_field(texts, words)


def _read_field(texts: list[str], words: Counter) -> tuple[list[str], list[str]]:
    """A field's words and the extra forms ``extras`` finds in it (lowercased); ``words``
    counts them (of the extras, the alphabetic ones)."""
    low = (texts[0] if len(texts) == 1 else "\n".join(texts)).lower()
    surface = WORD.findall(low)
    words.update(surface)
    more = extras(low)
    if more:
        words.update(w for w in more if w.isalpha())
    return surface, more


def digest_files(folder: Path, known: Mapping[str, str] | None = None) -> dict[str, str]:
    """sha256 of every Whoosh file of the index (lock files and the marker excepted);
    ``known``: those already hashed as they were written, by name."""
    known = known or {}
    out = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != MARKER and not path.name.endswith(".lock"):
            out[path.name] = known.get(path.name) or hashlib.sha256(path.read_bytes()).hexdigest()
    return out
