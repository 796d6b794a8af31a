"""The index written guide by guide (the ``index`` artifact's ``part`` and ``join``).

``part(guide)`` runs in the build's process pool, once per changed guide: it analyses the
guide's documents into their postings, and keeps their ids, stream lengths, words (for
typo correction), what a hit reports of them and their text (for phrases and
highlights). ``join`` groups consecutive guides into chunks and writes each chunk as one
Whoosh segment, listed in corpus order by one table of contents (so Whoosh numbers the
documents as ``documents(corpus)`` does); then ``docs.msgpack`` (what every hit and
filter needs, read at open), ``texts.bin`` (each document's text, read on demand) and
``synonyms.yaml`` when the guides have one (the build carries it: ``synonyms``).

Chunks keep both costs small: a query reads each of its words once per segment (one
segment per guide made a search of 180 guides many times slower), and a build writes
again only the chunks whose guides changed; the others are linked from the build being
replaced (``Joining.reuse``). A chunk ends after a guide whose slug hashes to a multiple
of ``chunk_size``, so an edit or a new guide moves no other boundary, and a chunk is
named by a digest of its guides' parts, so the same guides always make the same files.
The segment of a chunk whose guides were edited is made from the one it replaces
(``update_segment``: what the edit left is copied).
Each chunk keeps its guides' words for typo correction, summed
(``words_<segment>.msgpack``): the marker's sum of every word is then the replaced
index's, less the chunks that went, plus those that came.
Nothing written depends on the rest of the collection: its statistics (document count,
average lengths, document frequencies) are summed over the segments when a query runs.
So an incremental build is the same as a full one, byte for byte.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import msgspec
from whoosh.filedb.filestore import RamStorage
from whoosh.index import TOC

import corpus
from corpus import pool

from .documents import SearchDoc, documents
from .errors import SynonymError
from .segment import INDEX_NAME, Change, Document, new_segment, update_segment, write_segment
from .synonyms import FILE_NAME as SYNONYMS_FILE
from .synonyms import merged
from .writer import (
    INDEX_VERSION,
    MARKER,
    MIN_SPELL_WORD,
    Lengths,
    Marker,
    analyse,
    count_words,
    digest_files,
    schema,
)

DOCS_FILE = "docs.msgpack"
TEXTS_FILE = "texts.bin"
SEGMENT_FILES = (".trm", ".pst", "._text_len.col", "._stored.col")  # what a segment writes


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
    """``docs.msgpack``: every document's ``DocMeta`` in index order, where its text is in
    ``texts.bin`` (offset, length), and the titles facets show."""

    docs: list[DocMeta]
    texts: list[tuple[int, int]]
    guide_titles: dict[str, str]
    topic_titles: dict[str, str]


class Part(corpus.Base):
    """One guide's share of the index."""

    slug: str
    title: str
    topic_titles: dict[str, str]
    docs: list[DocMeta]
    texts: list[bytes]  # each document's fields, msgpack
    lengths: list[tuple[int, int, int]]
    words: dict[str, int]
    postings: bytes  # msgpack: per document, its terms and their values (decoded if written)


class _Head(msgspec.Struct):
    """What starting a part's segment takes of it (and its documents and words as
    written): ``join`` reads the rest meanwhile."""

    slug: str
    docs: list[msgspec.Raw]
    postings: bytes
    words: msgspec.Raw


class _Id(msgspec.Struct):
    id: str


class _Rest(msgspec.Struct):
    """The rest of a part, as ``join`` reads it (documents by id only: their table rows
    are written as the part holds them)."""

    title: str
    topic_titles: dict[str, str]
    docs: list[_Id]
    texts: list[bytes]
    lengths: list[Lengths]


class _DocsWritten(DocsFile):
    """``DocsFile`` with each document's row as a part wrote it."""

    docs: list[msgspec.Raw]


class _EarlierWords(msgspec.Struct):
    """What an edit reads of the marker of the index it replaces."""

    version: str
    words: dict[str, int]


_encoder = msgspec.msgpack.Encoder()
_part_decoder = msgspec.msgpack.Decoder(Part)
_head_decoder = msgspec.msgpack.Decoder(_Head)
_rest_decoder = msgspec.msgpack.Decoder(_Rest)
_words_decoder = msgspec.msgpack.Decoder(dict[str, int])
_earlier_words_decoder = msgspec.json.Decoder(_EarlierWords)
_postings_decoder = msgspec.msgpack.Decoder(list[Document])


def chunk_size(guides: int) -> int:
    """Guides per chunk, on average: the power of two at or above the square root of the
    number of guides (at least 4), so segments and a chunk's guides grow alike. It
    changes only when the corpus crosses 16, 64, 256... guides."""
    return max(4, 2 ** math.ceil(math.log2(max(1.0, math.sqrt(guides)))))


def _ends_chunk(slug: str, size: int) -> bool:
    return int.from_bytes(hashlib.blake2b(slug.encode(), digest_size=4).digest()) % size == 0


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


def part(
    guide: corpus.Guide[corpus.Rich],
    previous: corpus.Previous | None = None,
    parsed: corpus.Fragments | None = None,
) -> bytes:
    """``Artifact.part``: the guide's documents, analysed (from their text: ``parsed`` is
    not read). A document the ``previous`` version's part holds with the very same fields
    takes its analysis from there, and the words (for typo correction) are the previous
    part's with those of the documents that went taken out and those of the documents
    that came put in: an edit reads only the documents it changed."""
    docs = documents(corpus.Corpus(hash="", parser_version="", guides=[guide]))
    texts = [_encoder.encode(doc.fields) for doc in docs]
    earlier = _earlier(previous)
    counted: Counter = Counter()  # the words of the documents analysed here
    postings, lengths = [], []
    for doc, text in zip(docs, texts, strict=True):
        found = earlier.analysed.get(text)
        terms, values, length = analyse(doc.fields, counted) if found is None else found
        postings.append((terms, values))
        lengths.append(length)
    if earlier.texts:
        counted = earlier.words_after(counted, docs, texts)
    return _encoder.encode(
        Part(
            slug=guide.slug,
            title=guide.title,
            topic_titles={t.id: t.title for t in guide.topics},
            docs=[_meta(d) for d in docs],
            texts=texts,
            lengths=lengths,
            words=_spelling(counted),
            postings=_encoder.encode(postings),
        )
    )


def _spelling(words: Counter) -> dict[str, int]:
    """The words of ``words`` typo correction may offer (long enough, not a number),
    sorted. Word by word, so the words of a whole are the sum of its pieces' words."""
    return {
        w: n
        for w, n in sorted(words.items())
        if n > 0 and len(w) >= MIN_SPELL_WORD and not w.isdigit()
    }


Analysed = tuple[list[str], bytes, Lengths]  # a document's terms, their values, its lengths
_fields_decoder = msgspec.msgpack.Decoder(dict[str, list[str]])


@dataclass
class _Earlier:
    """What a ``previous`` part gives: each of its documents' analysis by the document's
    fields (msgpack), those fields in order, and its words."""

    analysed: dict[bytes, Analysed]
    texts: list[bytes]
    words: dict[str, int]

    def words_after(self, counted: Counter, docs: list[SearchDoc], texts: list[bytes]) -> Counter:
        """The words of ``docs`` (their fields: ``texts``): these words, less the documents
        that went, plus those that came. ``counted`` holds the words of the documents
        analysed afresh (fields these lacked, each copy counted); a copy more of a document
        these had is counted here."""
        before, now = Counter(self.texts), Counter(texts)
        words = Counter(self.words)
        words.update(counted)
        fields = dict(zip(texts, (d.fields for d in docs), strict=True))
        for text, times in (now - before).items():
            if text in self.analysed:  # one more copy of a document analysed before
                _count(fields[text], words, times)
        for text, times in (before - now).items():
            _count(_fields_decoder.decode(text), words, -times)
        return words


def _count(fields: dict[str, list[str]], words: Counter, times: int) -> None:
    """Add the words of a document (its ``fields``) to ``words``, ``times`` times."""
    found: Counter = Counter()
    count_words(fields, found)
    words.update({w: n * times for w, n in found.items()})


_NOTHING = _Earlier({}, [], {})


def _earlier(previous: corpus.Previous | None) -> _Earlier:
    """What the ``previous`` part gives (nothing when there is none, or it is unreadable:
    that only costs analysing again)."""
    if previous is None:
        return _NOTHING
    try:
        old = _part_decoder.decode(previous.data)
        postings = _postings_decoder.decode(old.postings)
    except msgspec.DecodeError:
        return _NOTHING
    if not len(old.texts) == len(postings) == len(old.lengths):
        return _NOTHING
    analysed = {
        text: (terms, values, length)
        for text, (terms, values), length in zip(old.texts, postings, old.lengths, strict=True)
    }
    return _Earlier(analysed, old.texts, old.words)


def write(folder: Path, data: corpus.Corpus) -> None:
    """Build the search index of ``data`` into the (empty) ``folder`` in one go."""
    here = corpus.Joining(
        folder, data.hash, lambda fn, args, sizes: pool.start(fn, args, sizes, processes=1)
    )
    join(folder, here, [part(g) for g in data.guides])
    here.finish()


def join(folder: Path, joining: corpus.Joining, parts: Sequence[bytes | memoryview]) -> None:
    """``Artifact.join``: the guides' parts, in corpus order, as one index."""
    heads = [_head_decoder.decode(raw) for raw in parts]
    size = chunk_size(len(heads))
    chunks: list[list[int]] = [[]]
    for n, h in enumerate(heads):
        chunks[-1].append(n)
        if _ends_chunk(h.slug, size):
            chunks.append([])
    segments, named = [], []
    for chunk in chunks:
        count = sum(len(heads[n].docs) for n in chunk)
        if not count:
            continue
        segid = _segment_id(parts[n] for n in chunk)
        files = [f"{INDEX_NAME}_{segid}{suffix}" for suffix in SEGMENT_FILES]
        named.append((chunk, segid, [*files, _words_file(segid)]))
        segments.append(new_segment(segid, count))
    synonyms = None
    if joining.companions:  # the synonyms.yaml beside the guides: the build carries it
        try:
            synonyms = merged(joining.companions)
        except SynonymError as exc:  # said before any work starts
            raise corpus.CorpusError(str(exc)) from None
    # The chunks the build being replaced does not list are begun first; then the others
    # are taken from it, and those found damaged there are made again too.
    new = [c for c in named if not all(name in joining.listed for name in c[2])]
    then = _earlier_heads(joining)
    earlier = {segid: _earlier_segment(joining, heads, then, ns, parts) for ns, segid, _ in new}
    started = [_start_segments(joining, heads, new, earlier)]
    kept = [c for c in named if c not in new]
    again = [c for c in kept if not _reused(joining, c)]
    started.append(_start_segments(joining, heads, again))

    def written() -> list[dict[str, str]]:
        return [digests for wait in started for digests in wait()]

    made, edits = {}, {}  # the words of each chunk written here, while its segment is made
    for ns, segid, names in (*new, *again):
        found = earlier.get(segid)
        edited = None if found is None else _edited_words(joining, heads, then, ns, found)
        if edited is None:
            made[names[-1]] = _summed(_words_decoder.decode(heads[n].words) for n in ns)
        else:
            made[names[-1]], edits[names[-1]] = edited
    for name, words in made.items():
        joining.write(name, _encoder.encode(words))
    total = _total_words(joining, [names[-1] for _, _, names in named], made, edits)

    rest = [_rest_decoder.decode(raw) for raw in parts]
    toc = RamStorage()
    TOC(schema(), segments, 1).write(toc, INDEX_NAME)
    for name in toc.list():
        joining.write(name, toc.files[name])
    _write_docs(joining, heads, rest)
    if synonyms is not None:
        joining.write(SYNONYMS_FILE, synonyms)
    ids = [d.id for r in rest for d in r.docs]

    def mark() -> None:
        """The marker, last: it lists every file's digest, the segments' among them (each
        file hashed as it was written)."""
        for digests in written():
            joining.digests.update(digests)
        marker = Marker(
            version=INDEX_VERSION,
            hash=joining.digest,
            ids=ids,
            lengths=[length for r in rest for length in r.lengths],
            words=total,
            files=digest_files(folder, joining.digests),
        )
        joining.digests.update(marker.files)  # hashed once: the build's manifest takes them
        (folder / MARKER).write_bytes(msgspec.json.encode(marker))

    joining.later(mark)


Named = tuple[list[int], str, list[str]]  # a chunk's parts (their indices), segment id, files


def _words_file(segid: str) -> str:
    """The file of the words of a chunk (its segment ``segid``) for typo correction."""
    return f"words_{segid}.msgpack"


def _reused(joining: corpus.Joining, chunk: Named) -> bool:
    """Whether every file of ``chunk`` was taken from the build being replaced."""
    return all(joining.reuse(name) for name in chunk[2])


def _segment_id(parts: Iterable[bytes | memoryview]) -> str:
    """The name of the segment of the guides whose parts are ``parts``, in order."""
    digest = hashlib.blake2b(digest_size=8)
    for data in parts:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _start_segments(
    joining: corpus.Joining,
    heads: list[_Head],
    chunks: list[Named],
    earlier: Mapping[str, _EarlierSegment | None] | None = None,
) -> Callable[[], list[dict[str, str]]]:
    """Begin writing the segments of ``chunks`` (their other files are the join's to
    write), each from its ``earlier`` segment when it has one (by segment id), else
    whole; the function returned waits for them (the sha256 of their files)."""
    for _, _, names in chunks:
        for name in names:  # none of it may stay linked to the build being replaced
            (joining.folder / name).unlink(missing_ok=True)
            joining.digests.pop(name, None)
    jobs = [
        (
            joining.folder,
            segid,
            [heads[n].postings for n in ns],
            None if earlier is None else earlier[segid],
        )
        for ns, segid, _ in chunks
    ]
    return joining.start(_write_segment, jobs, [sum(map(len, job[2])) for job in jobs])


@dataclass
class _EarlierSegment:
    """The segment ``segid`` of a chunk in the build being replaced, when the chunk's
    guides are the same there but some were edited: its files (``folder``, name ->
    sha256), the chunk's documents' ``count`` here, and each edited guide's first
    document and postings there, by its place in the chunk."""

    segid: str
    folder: Path
    files: dict[str, str]
    count: int
    edited: dict[int, tuple[int, bytes]]


def _earlier_heads(joining: corpus.Joining) -> dict[int, _Head | None]:
    """The head of each earlier part the join was given (``Joining.earlier``), by the
    part's index; None for one that cannot be read."""
    found: dict[int, _Head | None] = {}
    for n, data in enumerate(joining.earlier):
        if data is not None:
            try:
                found[n] = _head_decoder.decode(data)
            except msgspec.DecodeError:
                found[n] = None
    return found


def _earlier_segment(
    joining: corpus.Joining,
    heads: list[_Head],
    then: dict[int, _Head | None],
    chunk: list[int],
    parts: Sequence[bytes | memoryview],
) -> _EarlierSegment | None:
    """The segment ``chunk`` (its parts' indices) had in the build being replaced, if
    some of its guides were made again from their version there (``then``: those
    versions' heads, ``_earlier_heads``), each readable, and it is listed there."""
    edited = [at for at, n in enumerate(chunk) if n in then]
    if joining.previous is None or not edited or any(then[chunk[at]] is None for at in edited):
        return None
    segid = _segment_id(joining.earlier[n] if n in then else parts[n] for n in chunk)
    names = [f"{INDEX_NAME}_{segid}{suffix}" for suffix in _UPDATED_FILES]
    if not all(name in joining.listed for name in names):
        return None
    found, first = {}, 0  # first: numbered there
    for at, n in enumerate(chunk):
        head = then[n] if n in then else heads[n]
        if n in then:
            found[at] = (first, head.postings)
        first += len(head.docs)
    files = {name: joining.listed[name] for name in names}
    count = sum(len(heads[n].docs) for n in chunk)
    return _EarlierSegment(segid, joining.previous, files, count, found)


_UPDATED_FILES = (".trm", ".pst", "._text_len.col")  # what ``update_segment`` reads
# The share of a chunk's documents an edit may change (those that went, or those that
# came) for its segment to be made from the earlier one: beyond it, reading and writing
# the changed documents' terms again costs more than writing the segment whole. Measured
# on the chunk of eight shared guides, the two cost the same at about 25% (20%: 0.94 of
# the whole write); on the chunk of four, held out, 0.91 at 20% and 0.97 at 25%.
MOST_CHANGED = 0.2


def _write_segment(
    folder: Path, segid: str, members: list[bytes], earlier: _EarlierSegment | None = None
) -> dict[str, str]:
    """One Whoosh segment named ``segid`` of the documents whose postings are in
    ``members`` (each guide's ``Part.postings``), in order; made in memory (from the
    ``earlier`` segment when given, and intact), then written. The sha256 of each file
    written, by name."""
    storage = RamStorage()
    try:
        made = earlier is not None and _update_segment(storage, segid, members, earlier)
    except ValueError:  # not a segment this code wrote (though intact as listed)
        made = False
    if not made:
        storage = RamStorage()
        docs = [doc for postings in members for doc in _postings_decoder.decode(postings)]
        write_segment(storage, segid, docs)
    written = sorted(name for name in storage.list() if name.startswith(f"{INDEX_NAME}_{segid}"))
    expected = sorted(f"{INDEX_NAME}_{segid}{suffix}" for suffix in SEGMENT_FILES)
    if written != expected:  # a Whoosh that writes other files: reuse would miss them
        raise RuntimeError(f"segment files {written}, expected {expected}")
    for name in written:
        (folder / name).write_bytes(storage.files[name])
    return {name: hashlib.sha256(storage.files[name]).hexdigest() for name in written}


def _update_segment(
    storage: RamStorage, segid: str, members: list[bytes], earlier: _EarlierSegment
) -> bool:
    """``update_segment`` of the documents of ``members`` from the ``earlier`` segment:
    False, nothing made, if its files are not intact, an edited guide's documents cannot
    be read, or more of the chunk's documents changed than ``MOST_CHANGED``."""
    changes: list[Change] = []
    for at, (first, postings) in sorted(earlier.edited.items()):
        try:
            before = _postings_decoder.decode(postings)
            now = _postings_decoder.decode(members[at])
        except msgspec.DecodeError:
            return False
        changes += _changes(first, before, now)
    went = sum(stop - start for start, stop, _, _ in changes)
    came = sum(len(docs) for _, _, docs, _ in changes)
    if max(went, came) > MOST_CHANGED * earlier.count:
        return False
    try:
        terms, posts, lengths = (_read_listed(earlier.folder, *f) for f in earlier.files.items())
    except (OSError, ValueError):
        return False
    update_segment(storage, segid, earlier.count, (terms, posts, lengths), changes)
    return True


def _changes(first: int, before: list[Document], now: list[Document]) -> list[Change]:
    """What ``update_segment`` is to change of a guide's documents ``before`` (numbered
    from ``first``) to make them ``now``: the runs of documents that differ."""
    same = SequenceMatcher(None, [_key(d) for d in before], [_key(d) for d in now], False)
    return [
        (first + i, first + j, now[k:m], [term for terms, _ in before[i:j] for term in terms])
        for tag, i, j, k, m in same.get_opcodes()
        if tag != "equal"
    ]


def _key(doc: Document) -> tuple[tuple[str, ...], bytes]:
    return tuple(doc[0]), doc[1]


Edit = tuple[str, list[dict[str, int]], list[dict[str, int]]]  # see _edited_words


def _edited_words(
    joining: corpus.Joining,
    heads: list[_Head],
    then: dict[int, _Head | None],
    chunk: list[int],
    earlier: _EarlierSegment,
) -> tuple[dict[str, int], Edit] | None:
    """The words of ``chunk`` (its parts' indices) from those of the chunk of its
    ``earlier`` segment: less its edited guides' words there (``then``: their heads),
    plus theirs here; and the edit (that chunk's words file, and those words there and
    here). None when that file or those words cannot be read, or are not as listed."""
    name = _words_file(earlier.segid)
    try:
        words = _read_words(earlier.folder, name, joining.listed[name])
        gone = [_words_decoder.decode(then[chunk[at]].words) for at in earlier.edited]
        come = [_words_decoder.decode(heads[chunk[at]].words) for at in earlier.edited]
        return _changed(words, gone, come), (name, gone, come)
    except (KeyError, OSError, ValueError, msgspec.DecodeError):
        return None


def _summed(pieces: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Words counted piece by piece, summed, sorted."""
    total: dict[str, int] = {}
    get = total.get
    for piece in pieces:
        for word, n in piece.items():
            total[word] = get(word, 0) + n
    return dict(sorted(total.items()))


def _total_words(
    joining: corpus.Joining,
    chunks: list[str],
    made: dict[str, dict[str, int]],
    edits: Mapping[str, Edit],
) -> dict[str, int]:
    """The words of every chunk (``chunks``: their files; ``made``: the words of those
    written by this join) summed, sorted: the sum the replaced index holds, less its
    chunks that went, plus those that came (an edit reads the words of its own chunk,
    not every guide's); a chunk that replaces one by an edit (``edits``: its file's
    name -> ``_edited_words``) counts as its edited guides' words there going and
    theirs here coming. Without such a sum to start from (none, another format, a file
    of it damaged), every chunk's."""
    earlier = _earlier_total(joining)
    if earlier is not None:
        total, had, previous = earlier
        went_files, came_files = had - set(chunks), [n for n in chunks if n not in had]
        went: list[dict[str, int]] = []
        came: list[dict[str, int]] = []
        for name, (replaced, gone, come) in edits.items():
            if name in came_files and replaced in went_files:
                came_files.remove(name)
                went_files.remove(replaced)
                went += gone
                came += come
        try:
            went += [_read_words(previous, n, joining.listed[n]) for n in went_files]
            return _changed(total, went, came + [made[n] for n in came_files])
        except (KeyError, OSError, ValueError, msgspec.DecodeError):
            pass
    return _summed(made[n] if n in made else _read_words(joining.folder, n) for n in chunks)


def _earlier_total(
    joining: corpus.Joining,
) -> tuple[dict[str, int], set[str], Path] | None:
    """The words the replaced index's marker holds, its chunks' words files (their sum)
    and its folder, when its marker is intact, of this format, and every chunk has such
    a file."""
    listed, previous = joining.listed, joining.previous
    if previous is None or MARKER not in listed:
        return None
    first, last = f"{INDEX_NAME}_", SEGMENT_FILES[0]
    segids = [
        n[len(first) : -len(last)] for n in listed if n.startswith(first) and n.endswith(last)
    ]
    had = {_words_file(segid) for segid in segids}
    if not had <= listed.keys():
        return None
    try:
        marker = _earlier_words_decoder.decode(_read_listed(previous, MARKER, listed[MARKER]))
    except (OSError, ValueError, msgspec.DecodeError):
        return None
    return (marker.words, had, previous) if marker.version == INDEX_VERSION else None


def _read_words(folder: Path, name: str, expected: str | None = None) -> dict[str, int]:
    """The words file ``name`` of ``folder`` (``_read_listed``)."""
    return _words_decoder.decode(_read_listed(folder, name, expected))


def _read_listed(folder: Path, name: str, expected: str | None) -> bytes:
    """File ``name`` of ``folder`` (of the build being replaced, mostly); ``ValueError``
    unless its sha256 is ``expected`` (when given), the one its manifest lists."""
    data = (folder / name).read_bytes()
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise ValueError(f"{name}: damaged")
    return data


def _changed(
    total: dict[str, int], went: list[dict[str, int]], came: list[dict[str, int]]
) -> dict[str, int]:
    """``total`` (sorted) less the words of ``went``, plus those of ``came``, sorted; only
    the counts that differ between the two are read one by one. ``ValueError`` if
    ``went`` takes away words ``total`` does not have."""
    gone, come = (pieces[0] if len(pieces) == 1 else _summed(pieces) for pieces in (went, came))
    change = {word: -n for word, n in gone.items() - come.items()}
    for word, n in come.items() - gone.items():
        change[word] = change.get(word, 0) + n
    fresh = False
    for word, n in change.items():
        left = total.get(word, 0) + n
        if left < 0:
            raise ValueError(f"{word!r}: {left - n} in all, less {-n}")
        if left:
            fresh = fresh or word not in total
            total[word] = left
        elif word in total:
            del total[word]
    return dict(sorted(total.items())) if fresh else total


def _write_docs(joining: corpus.Joining, heads: list[_Head], rest: list[_Rest]) -> None:
    """``docs.msgpack`` and ``texts.bin`` of every document, in index order."""
    texts = [text for r in rest for text in r.texts]
    offsets, at = [], 0
    for text in texts:
        offsets.append((at, len(text)))
        at += len(text)
    joining.write(TEXTS_FILE, b"".join(texts))
    table = _DocsWritten(
        docs=[d for h in heads for d in h.docs],
        texts=offsets,
        guide_titles={h.slug: r.title for h, r in zip(heads, rest, strict=True)},
        topic_titles={k: v for r in rest for k, v in r.topic_titles.items()},
    )
    joining.write(DOCS_FILE, _encoder.encode(table))
