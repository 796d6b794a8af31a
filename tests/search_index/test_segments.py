"""The index is written guide by guide (one segment each); its statistics are those of
the whole collection, and a worker opens it without reading the corpus."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

import corpus
import search_index
from search_index import SearchIndex
from search_index.segment import BLOCK, write_segment
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
