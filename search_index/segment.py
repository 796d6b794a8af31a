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
of the same postings, so every Whoosh reader reads them. An edit changes a few documents
of a segment: ``update_segment`` makes the new one from the old one, copying the
postings of the terms those documents do not have (most of them), and writes the others.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable
from hashlib import md5
from io import BytesIO
from itertools import accumulate, repeat
from operator import sub
from pickle import dumps, load

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3Segment, W3TermInfo
from whoosh.util.numeric import byte_to_length, length_to_byte

from .lists import read_postings
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
    lists: defaultdict[str, list[Posting]] = defaultdict(list)
    lengths = bytearray()
    for docnum, (terms, packed) in enumerate(docs):
        weights, byte = _weights(packed)
        lengths.append(byte)
        for term, weight, value in zip(terms, weights, _values(packed), strict=True):
            lists[term].append((docnum, weight, byte, value))
    _write_lengths(storage, segment, lengths)
    postfile = _direct(segment.create_file(storage, W3Codec.POSTS_EXT))
    terms = sorted(lists)
    infos = [_write_list(postfile, lists[term]) for term in terms]
    postfile.close()
    _write_terms(storage, segment, terms, infos)


Change = tuple[int, int, list[Document], Iterable[str]]  # see update_segment


def update_segment(
    storage, segid: str, count: int, earlier: tuple[bytes, bytes, bytes], changes: list[Change]
) -> None:
    """``write_segment`` of ``count`` documents, given the terms, postings and lengths
    files (``earlier``: ``.trm``, ``.pst``, ``._text_len.col``) of a segment that held the
    same documents but where ``changes`` say: each ``(start, stop, docs, had)`` puts
    ``docs`` in the place of its documents ``start:stop`` there (``had``: their terms),
    in order. The postings of a term none of those documents has, there or here, are
    copied; where the documents after a change are numbered anew (they are more or fewer
    than there), a term's blocks of them are copied with their numbers changed. An edit
    changes a few documents of a chunk, and most of its terms are in none of them. The
    same bytes as ``write_segment``; ``ValueError`` if ``earlier`` cannot be read as such
    files, or ``changes`` do not fit them."""
    terms_file, posts_file, lengths_file = earlier
    had = _read_terms(terms_file)
    before = count - sum(len(docs) - (stop - start) for start, stop, docs, _ in changes)
    if not len(lengths_file) <= before:
        raise ValueError("not the lengths of as many documents")
    old = lengths_file + bytes(before - len(lengths_file))  # 0s at the end are left out
    lengths = bytearray()
    renumber = [-1] * before  # each document's number here, by its number there (-1: gone)
    fresh: defaultdict[str, list[Posting]] = defaultdict(list)
    dirty: set[str] = set()  # the changed documents' terms, there and here
    at = 0
    for start, stop, docs, was in changes:
        if not at <= start <= stop <= before:
            raise ValueError("changes out of order")
        renumber[at:start] = range(len(lengths), len(lengths) + start - at)
        lengths += old[at:start]
        for terms, packed in docs:
            weights, byte = _weights(packed)
            docnum = len(lengths)
            lengths.append(byte)
            for term, weight, value in zip(terms, weights, _values(packed), strict=True):
                fresh[term].append((docnum, weight, byte, value))
        dirty.update(was)
        at = stop
    renumber[at:] = range(len(lengths), len(lengths) + before - at)
    lengths += old[at:]
    dirty.update(fresh)
    # the first document numbered anew: a term's postings all before it stay as they are
    moved = next((n for n, new in enumerate(renumber) if new not in (n, -1)), before)
    segment = new_segment(segid)
    _write_lengths(storage, segment, lengths)
    posts = memoryview(posts_file)
    postfile = _direct(segment.create_file(storage, W3Codec.POSTS_EXT))
    terms, infos = [], []
    for term in sorted(had.keys() | fresh.keys()):
        info = had.get(term)
        if term in dirty:
            kept = [] if info is None else _read_list(posts, info, renumber, lengths)
            postings = sorted(kept + fresh[term]) if term in fresh else kept
            if postings:
                terms.append(term)
                infos.append(_write_list(postfile, postings))
        elif _INFO.unpack_from(info)[-1] < moved:  # its last document
            start, length = _extent(info)
            where = postfile.tell()
            postfile.write(posts[start : start + length])
            terms.append(term)
            infos.append(info[: -_EXTENT.size] + _EXTENT.pack(where, length))
        else:
            terms.append(term)
            infos.append(_move_list(postfile, posts, info, renumber, moved))
    postfile.close()
    # the same terms, their infos as long: each is where it was, and so are the tables
    same = terms == list(had) and list(map(len, infos)) == list(map(len, had.values()))
    _write_terms(storage, segment, terms, infos, terms_file if same else None)


def _weights(packed: bytes) -> tuple[list[float], int]:
    """The weights of a document's postings (their ``packed`` values), and its length
    byte: the words Whoosh counts, each term's frequency int(weight), at least 1."""
    weights = list(map(sum, STREAM_VALUE.iter_unpack(packed)))
    return weights, length_to_byte(sum(map(max, repeat(1, len(weights)), map(int, weights))))


def _write_lengths(storage, segment: W3Segment, lengths: bytes) -> None:
    """The segment's length column of its documents' length bytes (``lengths``), and its
    (empty) stored-fields column, by Whoosh's per-document writer."""
    perdoc = segment.codec().per_document_writer(storage, segment)
    field = schema()[FIELD]
    for docnum, byte in enumerate(lengths):
        perdoc.start_doc(docnum)
        perdoc.add_field(FIELD, field, None, byte_to_length(byte))  # the same byte again
        perdoc.finish_doc()
    perdoc.close()


def _values(packed: bytes) -> list[bytes]:
    """Each posting's value in a document's ``packed`` values."""
    size = STREAM_VALUE.size
    return [packed[at : at + size] for at in range(0, len(packed), size)]


def _write_terms(
    storage, segment: W3Segment, terms: list[str], infos: list[bytes], like: bytes | None = None
) -> None:
    """The terms file of ``terms`` and their ``infos``; ``like``: a terms file of the same
    terms, each info as long, whose hash tables (where each term is) it takes."""
    keys = [_KEY_PREFIX + term.encode() for term in terms]
    table = segment.create_file(storage, W3Codec.TERMS_EXT)
    table.write(_terms_file(keys, infos) if like is None else _same_terms(like, keys, infos))
    table.close()


def _same_terms(like: bytes, keys: list[bytes], infos: list[bytes]) -> bytes:
    """``_terms_file`` of ``keys`` and ``infos``, given one (``like``) of the same keys with
    infos as long: its header and keys with these infos, then the rest of it."""
    records = b"".join([_TABLE_HEADER, *_records(keys, infos)])
    return records + like[len(records) :]


def _records(keys: list[bytes], infos: list[bytes]) -> list[bytes]:
    """Each key and its value as a terms file holds them, after its header."""
    pack = _TABLE_LENGTHS.pack
    return [pack(len(key), len(info)) + key + info for key, info in zip(keys, infos, strict=True)]


def _read_terms(data: bytes) -> dict[str, bytes]:
    """Each term of a terms file (``_terms_file``) and its info, in order."""
    found = {}
    at = len(_TABLE_HEADER)
    unpack, skip, prefix = _TABLE_LENGTHS.unpack_from, _TABLE_LENGTHS.size, len(_KEY_PREFIX)
    try:
        (tail,) = _LENGTH.unpack_from(data, len(data) - _LENGTH.size)
        directory = len(data) - _LENGTH.size - tail - 256 * _TABLE_DIRECTORY.size
        end = _TABLE_DIRECTORY.unpack_from(data, directory)[0] if directory >= 0 else -1
        while at < end:  # the terms, up to the first table
            keys, values = unpack(data, at)
            at += skip
            found[data[at + prefix : at + keys].decode()] = data[at + keys : at + keys + values]
            at += keys + values
    except (struct.error, UnicodeDecodeError):
        raise ValueError("not a terms file") from None
    if at != end:
        raise ValueError("not a terms file")
    return found


def _extent(info: bytes) -> tuple[int, int]:
    """Where the postings a term's ``info`` points to start in the postings file, and
    their length."""
    return _EXTENT.unpack_from(info, _INFO.size)


def _blocks(posts: memoryview, info: bytes):
    """The blocks of the postings a term's ``info`` points to in ``posts``: each one's
    bytes (its info and its data, pickled), and whether it is the last (copied as they
    are or renumbered by ``_move_list``; ``lists`` reads them for queries)."""
    start, length = _extent(info)
    data = posts[start : start + length]
    if data[: len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a postings list")
    at, last = len(WHOOSH3_HEADER_MAGIC), False
    while not last:
        (size,) = _LENGTH.unpack_from(data, at)
        at += _LENGTH.size
        last = size < 0
        yield data[at : at + abs(size)], last
        at += abs(size)


def _read_list(
    posts: memoryview, info: bytes, renumber: list[int], lengths: bytes
) -> list[Posting]:
    """The postings a term's ``info`` points to in ``posts`` (read as queries read them),
    each document numbered anew (``renumber``; left out where -1), with its length byte
    (``lengths``)."""
    start, length = _extent(info)
    ids: list[int] = []
    values = array("f")
    read_postings(posts[start : start + length], 0, ids, values)
    packed = values.tobytes()  # the values as written (read_postings does not swap them)
    size = STREAM_VALUE.size
    found = []
    for n, docnum in enumerate(ids):
        new = renumber[docnum]
        if new >= 0:
            value = packed[n * size : (n + 1) * size]
            found.append((new, sum(STREAM_VALUE.unpack(value)), lengths[new], value))
    return found


def _move_list(postfile, posts: memoryview, info: bytes, renumber: list[int], moved: int) -> bytes:
    """Write the postings a term's ``info`` points to in ``posts`` with each document
    numbered anew (``renumber``: none left out), as ``_write_list`` would: a block of
    documents before ``moved`` is copied, the others' numbers are changed in their
    pickles. Its term info."""
    out = [WHOOSH3_HEADER_MAGIC]
    for block, last in _blocks(posts, info):
        stream = BytesIO(block)
        head = load(stream)  # (count, last document, most weight, 0, min and max length)
        if head[1] >= moved:
            deltas, weights, values = load(stream)
            ids = [renumber[n] for n in accumulate(deltas)]
            data = dumps(((ids[0], *map(sub, ids[1:], ids)), weights, values), 2)
            block = dumps((head[0], ids[-1], *head[2:]), 2) + data
        out += (_LENGTH.pack(-len(block) if last else len(block)), block)
    start = postfile.tell()
    postfile.write(b"".join(out))
    fields = _INFO.unpack_from(info)
    first, final = renumber[fields[-2]], renumber[fields[-1]]
    return _INFO.pack(*fields[:-2], first, final) + _EXTENT.pack(start, postfile.tell() - start)


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
    records = _records(keys, infos)
    out = [_TABLE_HEADER, *records]
    positions = list(accumulate(map(len, records), initial=len(_TABLE_HEADER)))
    at = positions.pop()  # where the records end
    buckets: list[list[tuple[int, int]]] = [[] for _ in range(256)]
    for key, where in zip(keys, positions, strict=True):
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:])  # Whoosh's md5_hash
        buckets[hashed & 255].append((hashed, where))
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
