"""Writing one Whoosh W3 segment from analysed documents, without Whoosh's SegmentWriter.

Whoosh's writer pools every posting as a tuple, sorts the pool, and writes each term
through several layers of method calls and checks; most of an index build went there,
per term rather than per posting (a chunk of guides has tens of thousands of terms,
most of them in a few documents). Here a chunk's postings are grouped by term in one
dict and each term's list is written in the W3 layout directly:

    .pst    per term: the tag b"W3Bl", then blocks of up to ``BLOCK`` postings, each an
            int32 length (negative for the last) and two pickles, the block's info
            (count, last id, max weight, compression 0, min and max length as bytes)
            and its data (id deltas, weights, values)
    .trm    what Whoosh's ``OrderedHashWriter`` writes of field number + term -> term
            info (a hash file: ``_terms_file``), made in one go
    .col    the length column and the (empty) stored-fields column, by Whoosh's
            ``W3PerDocWriter``

``test_segments`` checks that the files are byte for byte those Whoosh's writer makes
of the same postings, so every Whoosh reader reads them.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections import defaultdict
from hashlib import md5
from itertools import repeat
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3Segment, W3TermInfo
from whoosh.util.numeric import length_to_byte

from .writer import FIELD, STREAM_VALUE, schema

INDEX_NAME = "MAIN"  # Whoosh's default index name
BLOCK = 128  # postings per block (Whoosh's default)

Document = tuple[list[str], bytes]  # its terms, and their stream frequencies (STREAM_VALUE)
Posting = tuple[int, float, int, bytes]  # document, weight, length byte, value
_INFO = W3TermInfo._struct
_EXTENT = struct.Struct("!qi")
_LENGTH = struct.Struct("!i")
_FLOAT = struct.Struct("f")
_KEY_PREFIX = struct.pack("!H", 0)  # the field number of FIELD, the only field
# the terms file (whoosh.filedb.filetables.HashWriter): magic, hash type 0 (md5), two ints
_TABLE_HEADER = b"HSH3" + bytes(1) + struct.pack("!ii", 0, 0)
_TABLE_LENGTHS = struct.Struct("!ii")  # of a key and its value
_TABLE_POINTER = struct.Struct("!Iq")  # a hash table's slot: hash, where the key is
_TABLE_DIRECTORY = struct.Struct("!qi")  # a hash table: where it is, its slots


def new_segment(segid: str, count: int = 0) -> W3Segment:
    """The segment ``segid`` of ``count`` documents, as the table of contents lists it."""
    return W3Segment(W3Codec(compression=0), INDEX_NAME, count, segid)


def write_segment(storage, segid: str, docs: list[Document]) -> None:
    """Write the segment ``segid`` of ``docs`` (numbered from 0) into ``storage``."""
    segment = new_segment(segid)
    perdoc = segment.codec().per_document_writer(storage, segment)
    field = schema()[FIELD]
    size = STREAM_VALUE.size
    lists: defaultdict[str, list[Posting]] = defaultdict(list)
    for docnum, (terms, packed) in enumerate(docs):
        weights = list(map(sum, STREAM_VALUE.iter_unpack(packed)))
        # the words Whoosh counts: each term's frequency int(weight), at least 1
        length = sum(map(max, repeat(1, len(weights)), map(int, weights)))
        byte = length_to_byte(length)
        values = [packed[at : at + size] for at in range(0, len(packed), size)]
        for term, weight, value in zip(terms, weights, values, strict=True):
            lists[term].append((docnum, weight, byte, value))
        perdoc.start_doc(docnum)
        perdoc.add_field(FIELD, field, None, length)
        perdoc.finish_doc()
    perdoc.close()
    postfile = _direct(segment.create_file(storage, W3Codec.POSTS_EXT))
    terms = sorted(lists)
    infos = [_write_list(postfile, lists[term]) for term in terms]
    postfile.close()
    table = segment.create_file(storage, W3Codec.TERMS_EXT)
    table.write(_terms_file([_KEY_PREFIX + term.encode() for term in terms], infos))
    table.close()


def _direct(structfile):
    """A Whoosh ``StructFile`` whose ``write`` and ``tell`` call its file's own (its
    methods pass every call through ``*args, **kwargs``: a segment makes hundreds of
    thousands of them)."""
    structfile.write = structfile.file.write
    structfile.tell = structfile.file.tell
    return structfile


def _terms_file(keys: list[bytes], infos: list[bytes]) -> bytes:
    """The terms file: what Whoosh's ``OrderedHashWriter`` writes of ``keys`` (ascending)
    and their term infos, made in one go. After a header, each key and its value, then
    256 hash tables (a key goes to the table of the low byte of its hash, at the slot of
    the rest, or the next free one), a directory of the tables, the extras (pickled) with
    the array of where each key is, and the length of those two."""
    out = [_TABLE_HEADER]
    at = len(_TABLE_HEADER)
    positions = []
    buckets: list[list[tuple[int, int]]] = [[] for _ in range(256)]
    for key, info in zip(keys, infos, strict=True):
        positions.append(at)
        out += (_TABLE_LENGTHS.pack(len(key), len(info)), key, info)
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:])  # Whoosh's md5_hash
        buckets[hashed & 255].append((hashed, at))
        at += _TABLE_LENGTHS.size + len(key) + len(info)
    directory = []
    for entries in buckets:
        slots = 2 * len(entries)
        directory.append((at, slots))
        table = [(0, 0)] * slots
        for hashed, where in entries:
            slot = (hashed >> 8) % slots
            while table[slot] != (0, 0):
                slot = (slot + 1) % slots
            table[slot] = (hashed, where)
        out += (_TABLE_POINTER.pack(*pointer) for pointer in table)
        at += _TABLE_POINTER.size * slots
    out += (_TABLE_DIRECTORY.pack(*entry) for entry in directory)
    index = array(_index_type(positions[-1] if positions else 0), positions)
    extras = {"fieldmap": {FIELD: 0}, "indextype": index.typecode, "indexlen": len(index)}
    if sys.byteorder == "little":
        index.byteswap()
    tail = dumps(extras, -1) + index.tobytes()
    out += (tail, _LENGTH.pack(len(tail)))
    return b"".join(out)


def _index_type(largest: int) -> str:
    """The array type Whoosh's ``GrowableArray`` ends with after holding ``largest``."""
    if largest < 2**16:
        return "H"
    if largest < 2**31:
        return "i"
    return "I" if largest < 2**32 else "q"


def _write_list(postfile, postings: list[Posting]) -> bytes:
    """Write one term's postings (ascending documents); its term info."""
    n = len(postings)
    if n == 1:
        return _write_one(postfile, postings[0])
    out = [WHOOSH3_HEADER_MAGIC]
    total = top = 0.0
    short, long = 255, 0
    for at in range(0, n, BLOCK):
        ids, exact, lengths, values = zip(*postings[at : at + BLOCK], strict=True)
        weights = array("f", exact)
        most = max(0, *exact)
        deltas = (ids[0], *map(sub, ids[1:], ids))
        data = dumps((deltas, _mini(weights), b"".join(values)), 2)
        info = dumps((len(ids), ids[-1], most, 0, min(lengths), max(lengths)), 2)
        size = len(info) + len(data)
        out += (_LENGTH.pack(-size if at + BLOCK >= n else size), info, data)
        total += sum(weights)
        top = max(top, most)
        short, long = min(short, *lengths), max(long, *lengths)
    start = postfile.tell()
    postfile.write(b"".join(out))
    info = _INFO.pack(0, total, n, short, long, top, postings[0][0], postings[-1][0])
    return info + _EXTENT.pack(start, postfile.tell() - start)


def _write_one(postfile, posting: Posting) -> bytes:
    """``_write_list`` of a term in one document (most terms), without its loops."""
    docnum, exact, length, value = posting
    weight = _FLOAT.unpack(_FLOAT.pack(exact))[0]  # as stored: single precision
    start = postfile.tell()
    data = dumps(((docnum,), None if weight == 1.0 else weight, value), 2)
    most = max(0, exact)
    info = dumps((1, docnum, most, 0, length, length), 2)
    postfile.write(WHOOSH3_HEADER_MAGIC + _LENGTH.pack(-len(info) - len(data)) + info + data)
    info = _INFO.pack(0, weight, 1, length, length, max(0.0, most), docnum, docnum)
    return info + _EXTENT.pack(start, postfile.tell() - start)


def _mini(weights: array) -> tuple[float, ...] | float | None:
    """Whoosh's short form of a block's weights: none if all 1, one if all the same."""
    if weights.count(1.0) == len(weights):
        return None
    if weights.count(weights[0]) == len(weights):
        return weights[0]
    return tuple(weights)
