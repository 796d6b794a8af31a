"""Reading a term's posting list from every segment of the index, one read per segment.

Whoosh's W3 matcher seeks and unpickles a block at a time, decodes document numbers with
a Python generator and answers several method calls per posting. Scoring wants every
posting of a term at once, so ``SegmentLists.read`` looks the term up in each segment's
term table (Whoosh's own), reads the whole on-disk list in one ``get`` and decodes it
block by block in memory: the W3 layout, as ``whoosh.codec.whoosh3`` writes it::

    list   = the 4-byte tag b"W3Bl", then blocks
    block  = int32 big-endian length (negative for the last block),
             pickle (count, last id, max weight, compression, min length, max length),
             pickle (id deltas, weights, values), zlib-compressed if compression > 0

Document numbers are delta-coded from 0 in each block; ``itertools.accumulate`` decodes
them in C. A value is the term's frequency in each stream (``writer.STREAM_VALUE``).
``test_scoring`` checks the result against Whoosh's public matcher API.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from array import array
from itertools import accumulate

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermsReader

from .writer import FIELD

_LENGTH = struct.Struct("!i")
# A W3 term info: flags (1: postings inlined), weight, document frequency, min and max
# length, max weight, first and last id; then the inlined postings (a pickle) or where
# the list is in the postings file (offset, length).
_INFO = struct.Struct("!BfIBBfII")
_EXTENT = struct.Struct("!qi")
_MAGIC = len(WHOOSH3_HEADER_MAGIC)  # the tag before the first block


class SegmentLists:
    """Every segment of a Whoosh reader, each with its first document number."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self._leaves: list[tuple[object, bytes, object, int]] = []
        for leaf, offset in reader.leaf_readers():
            if not leaf.doc_count_all():  # an empty index has one empty reader
                continue
            terms = leaf._terms  # the segment's W3TermsReader: term table and postings file
            if not isinstance(terms, W3TermsReader):
                raise TypeError(f"segment terms read by {type(terms).__name__}, not W3")
            prefix = terms._keycoder(FIELD, b"")  # a term's key: field number + term
            self._leaves.append((terms._tindex, prefix, terms._postfile, offset))

    def read(self, stem: str) -> tuple[list[int], array]:
        """Document numbers with ``stem``, ascending, and their stream frequencies (three
        floats a document)."""
        key = stem.encode()
        ids: list[int] = []
        values = array("f")
        for table, prefix, postfile, offset in self._leaves:
            info = table.get(prefix + key)
            if info is None:
                continue
            if info[0]:  # inlined in the term info
                got, _, more = pickle.loads(info[_INFO.size :])
                ids += [d + offset for d in got]
                values.frombytes(b"".join(more))
            else:
                start, length = _EXTENT.unpack_from(info, _INFO.size)
                read_postings(postfile.get(start, length), offset, ids, values)
        if sys.byteorder == "big":  # values are written little-endian
            values.byteswap()
        return ids, values


def read_postings(data: bytes, offset: int, ids: list[int], values: array) -> None:
    """Append the postings of one on-disk list (``data``) to ``ids`` (plus ``offset``) and
    ``values`` (their values as written: little-endian, swapped by the caller if need be);
    ``segment`` reads lists with it too."""
    if data[:_MAGIC] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"bad posting list tag {data[:_MAGIC]!r}")
    f = io.BytesIO(data)
    f.seek(_MAGIC)
    last = False
    while not last:
        (length,) = _LENGTH.unpack(f.read(_LENGTH.size))
        last = length < 0
        end = f.tell() + abs(length)
        compression = pickle.load(f)[3]
        raw = f.read(end - f.tell())
        deltas, _, packed = pickle.loads(zlib.decompress(raw) if compression else raw)
        ids += map(offset.__add__, accumulate(deltas)) if offset else accumulate(deltas)
        values.frombytes(packed)
