"""The index is written guide by guide (one segment each); its statistics are those of
the whole collection, and a worker opens it without reading the corpus."""

from __future__ import annotations

import random
import struct
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import SegmentWriter

import corpus
import search_index
from search_index import SearchIndex, segment
from search_index.segment import BLOCK, update_segment, write_segment
from search_index.writer import STREAM_VALUE, schema


@pytest.fixture
def twins(tmp_path: Path) -> corpus.BuildResult:
    """Two guides with the same text under two names, and a third, smaller one."""
    folder = tmp_path / "guides"
    folder.mkdir()
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    (folder / "a.md").write_text(text)
    (folder / "b.md").write_text(text)
    (folder / "c.md").write_text(
        "# C\n\n## Caches\n\n### What is a cache?\n\n**Answer:** A copy.\n"
    )
    return corpus.build([folder], tmp_path / "out", [search_index.ARTIFACT])


@pytest.fixture
def opened(twins: corpus.BuildResult) -> Iterator[SearchIndex]:
    index = SearchIndex.open(twins.path)
    yield index
    index.close()


def test_segments_hold_whole_guides_in_corpus_order(twins, opened):
    ix = whoosh_index.open_dir(str(twins.path / "index"))
    counts = [s.doc_count() for s in ix._segments()]
    guides = [d.guide for d in opened.documents.meta]
    assert guides == sorted(guides)  # a, b, c: corpus order
    assert sum(counts) == len(guides) and 1 <= len(counts) <= 3
    ends = [sum(counts[: n + 1]) for n in range(len(counts))]
    assert all(n == len(guides) or guides[n - 1] != guides[n] for n in ends)


def test_statistics_are_those_of_the_whole_collection(opened):
    index = opened
    hits = index.search("database sharding", limit=100).hits
    by_guide = {g: {h.id.split("/", 1)[1]: h.score for h in hits if h.guide == g} for g in "ab"}
    assert by_guide["a"] and by_guide["a"] == by_guide["b"]  # twins score the same
    postings = index._postings
    assert postings.count == len(index.documents) == 2 * 26 + 1
    stem = search_index.analysis.ANALYZER.stem("sharding")
    ids, _ = postings.read(stem)
    assert postings.doc_frequency(stem) == len(ids) > 0
    assert len([d for d in ids if index.documents[d].guide == "a"]) == len(ids) // 2


def test_a_worker_opens_the_index_without_the_corpus(twins):
    (twins.path / "corpus.json").unlink()
    index = SearchIndex.open(twins.path)
    try:
        hit = index.search('"consistent hashing"', limit=1).hits[0]
        assert "<mark>consistent</mark> <mark>hashing</mark>" in hit.highlights.passage.lower()
        texts = index.documents._texts
        assert 0 < len(texts) < len(index.documents)  # only the texts asked for are read
    finally:
        index.close()


def test_lists_read_from_every_segment_equal_the_public_matcher_api(tmp_path: Path):
    folder = tmp_path / "guides"
    folder.mkdir()
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    for slug in "aijk":  # "i" and "j" end a chunk of 4 (parts._ends_chunk): 3 segments
        (folder / f"{slug}.md").write_text(text)
    build = corpus.build([folder], tmp_path / "out", [search_index.ARTIFACT])
    opened = SearchIndex.open(build.path)
    lists = opened._postings.lists
    reader = lists.reader
    assert len(list(reader.leaf_readers())) == 3
    for term in reader.lexicon("text"):
        ids, values = lists.read(term.decode())
        matcher = reader.postings("text", term)
        want_ids, want_values = [], []
        while matcher.is_active():
            want_ids.append(matcher.id())
            want_values.append(matcher.value())
            matcher.next()
        assert ids == want_ids
        assert values.tobytes() == b"".join(want_values)
    opened.close()


@pytest.mark.parametrize("copies", [0, 1, 6])
def test_segment_files_are_those_whoosh_writes_of_the_same_postings(copies: int, tmp_path: Path):
    """``copies``: how many times each document of a guide is indexed (0: only three of
    them, a terms file small enough for Whoosh's shortest array of where its terms are)."""
    data = corpus.load_guides([corpus.DEFAULT_GUIDES / "mercor.md"])
    raw = search_index.parts._part_decoder.decode(search_index.part(data.guides[0]))
    docs = search_index.parts._postings_decoder.decode(raw.postings)
    docs = docs * copies if copies else docs[:3]
    counts = Counter(term for terms, _ in docs for term in terms)
    if copies == 1:  # most terms are in one document, some of them with weight 1
        assert sum(n == 1 for n in counts.values()) > len(counts) / 3
    elif copies > 1:  # some terms with more than a block of postings
        assert counts["mercor"] > BLOCK
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    write_segment(FileStorage(str(ours)), "s", docs)
    index = FileStorage(str(theirs)).create().create_index(schema())
    writer = SegmentWriter(index, codec=W3Codec(compression=0), compound=False)
    for terms, packed in docs:
        items = []
        for term, value in zip(terms, STREAM_VALUE.iter_unpack(packed), strict=True):
            weight = sum(value)
            items.append((term.encode(), int(weight) or 1, weight, STREAM_VALUE.pack(*value)))
        writer.add_document(text=items)
    writer.commit(merge=False)
    for suffix in search_index.parts.SEGMENT_FILES:
        (reference,) = theirs.glob(f"MAIN_*{suffix}")
        assert (ours / f"MAIN_s{suffix}").read_bytes() == reference.read_bytes(), suffix
    terms = (ours / "MAIN_s.trm").stat().st_size
    assert (terms < 2**16) == (copies == 0)  # where terms are: 16-bit numbers, or 32-bit


def _changed(doc: tuple, rnd: random.Random, known: list[str], seed: int) -> tuple:
    """``doc`` changed at random: terms dropped, weights changed, terms new to the
    segment, or emptied."""
    terms, packed = doc
    size = STREAM_VALUE.size
    values = dict(
        zip(terms, (packed[i : i + size] for i in range(0, len(packed), size)), strict=True)
    )
    kind = rnd.randrange(4)
    if kind == 0:
        values = {t: v for t, v in values.items() if rnd.random() > 0.2}
    elif kind == 1:
        values = {
            t: STREAM_VALUE.pack(*(2.5 * x for x in STREAM_VALUE.unpack(v)))
            for t, v in values.items()
        }
    elif kind == 2:
        values[rnd.choice(known)] = STREAM_VALUE.pack(1.5, 0, 2)
        values[f"zzz{seed}"] = STREAM_VALUE.pack(1, 0, 0)
    else:
        values = {}
    return sorted(values), b"".join(values[t] for t in sorted(values))


def _changes(docs: list, seed: int, same_count: bool) -> tuple[list, list]:
    """``docs`` with a few runs of them changed at random (each document of a run
    changed, or the run taken out, or documents put in; ``same_count``: each document in
    its place), and the changes for ``update_segment``."""
    rnd = random.Random(seed)
    known = sorted({term for terms, _ in docs for term in terms})
    now, changes, at = [], [], 0
    for start in sorted(rnd.sample(range(len(docs)), rnd.choice([1, 2, 5]))):
        if start < at:
            continue
        stop = min(len(docs), start + rnd.choice([0, 1, 1, 2]) if not same_count else start + 1)
        kinds = ["change"] if same_count else ["change", "out", "in"] if stop > start else ["in"]
        kind = rnd.choice(kinds)
        run = [_changed(doc, rnd, known, seed) for doc in docs[start:stop]]
        if kind == "out":
            run = []
        elif kind == "in":  # some of those, and copies of others changed
            run += [_changed(rnd.choice(docs), rnd, known, seed) for _ in range(rnd.randint(1, 3))]
        now += [*docs[at:start], *run]
        changes.append((start, stop, run, [t for terms, _ in docs[start:stop] for t in terms]))
        at = stop
    now += docs[at:]
    return now, changes


@pytest.mark.parametrize("seed", range(24))
def test_a_segment_made_from_an_earlier_one_is_the_segment_written_whole(seed: int):
    """``update_segment`` copies what the changed documents leave as it was (numbered anew
    when they are more or fewer), and writes the rest: the same files as writing the
    segment whole."""
    data = corpus.load_guides([corpus.DEFAULT_GUIDES / "mercor.md"])
    raw = search_index.parts._part_decoder.decode(search_index.part(data.guides[0]))
    docs = search_index.parts._postings_decoder.decode(raw.postings) * 6  # lists of blocks
    before = RamStorage()
    write_segment(before, "s", docs)
    earlier = tuple(before.files[f"MAIN_s{s}"] for s in (".trm", ".pst", "._text_len.col"))
    now, changes = _changes(docs, seed, same_count=seed % 2 == 0)
    whole, updated = RamStorage(), RamStorage()
    write_segment(whole, "s", now)
    update_segment(updated, "s", len(now), earlier, changes)
    assert updated.files == whole.files
    assert updated.files != before.files


def test_a_segment_of_the_same_terms_keeps_the_tables_of_the_earlier_one(monkeypatch):
    """When the changed documents' terms are all still in the segment, and none is new,
    every term is where it was: the terms file's hash tables are taken as they are."""
    data = corpus.load_guides([corpus.DEFAULT_GUIDES / "mercor.md"])
    raw = search_index.parts._part_decoder.decode(search_index.part(data.guides[0]))
    docs = search_index.parts._postings_decoder.decode(raw.postings) * 2
    before = RamStorage()
    write_segment(before, "s", docs)
    earlier = tuple(before.files[f"MAIN_s{s}"] for s in (".trm", ".pst", "._text_len.col"))
    tables: list[int] = []  # terms files whose tables were made
    real = segment._terms_file
    monkeypatch.setattr(segment, "_terms_file", lambda *a: (tables.append(1), real(*a))[1])
    terms, packed = docs[3]
    doubled = STREAM_VALUE.pack(*(2 * x for x in STREAM_VALUE.unpack(packed[: STREAM_VALUE.size])))
    changes = {
        "a weight": ([(terms, doubled + packed[STREAM_VALUE.size :])], False),
        "a term less (in its twin still)": ([(terms[1:], packed[STREAM_VALUE.size :])], False),
        "a new term": ([([*terms, "zzzz"], packed + STREAM_VALUE.pack(1, 0, 0))], True),
        "a document more (its twin's terms)": ([docs[3], docs[3]], False),
    }
    for name, (run, made) in changes.items():
        now = [*docs[:3], *run, *docs[4:]]
        tables.clear()
        whole, updated = RamStorage(), RamStorage()
        update_segment(updated, "s", len(now), earlier, [(3, 4, run, terms)])
        assert bool(tables) == made, name
        write_segment(whole, "s", now)
        assert updated.files == whole.files, name


def test_files_that_are_not_a_segment_are_not_made_into_one():
    """A terms file ``update_segment`` cannot read is said to be one (``ValueError``, so
    the segment is written whole), whatever of it is wrong; so are changes that do not
    fit the earlier segment's documents."""
    storage = RamStorage()
    doc = (["cache", "copy"], STREAM_VALUE.pack(1, 0, 1) * 2)
    write_segment(storage, "s", [doc, doc])
    terms = storage.files["MAIN_s.trm"]
    # the tables' directory (where each table is, and its size) is before the extras
    (extras,) = struct.unpack("!i", terms[-4:])
    directory = len(terms) - 4 - extras - 256 * 12
    (tables,) = struct.unpack_from("!q", terms, directory)  # where the first one is
    assert terms[tables - len(b"copy") - 35 : tables - 35] == b"copy"  # after the last term
    wrong = {
        "not a terms file": b"HSH3 not a table",
        "a directory before the terms": terms[:-4] + struct.pack("!i", len(terms)),
        "a term past the tables": (
            terms[:directory] + struct.pack("!q", tables - 1) + terms[directory + 8 :]
        ),
        "tables past the end": (
            terms[:directory] + struct.pack("!q", len(terms) + 9) + terms[directory + 8 :]
        ),
    }
    for name, data in wrong.items():
        with pytest.raises(ValueError, match="not a terms file"):
            update_segment(RamStorage(), "s", 1, (data, b"", b""), [])
        assert data != terms, name
    earlier = (terms, storage.files["MAIN_s.pst"], storage.files["MAIN_s._text_len.col"])
    for places in ([(1, 2), (0, 1)], [(0, 1), (0, 1)]):  # each a document for one
        changes = [(start, stop, [doc], doc[0]) for start, stop in places]
        with pytest.raises(ValueError, match="changes out of order"):
            update_segment(RamStorage(), "s", 2, earlier, changes)
