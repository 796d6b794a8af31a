"""The index as a build artifact: written with the build, verified when opened, and
reported (never served) when missing, damaged, stale or replaced."""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest

import corpus
from search_index import ARTIFACT, IndexUnavailable, SearchIndex
from search_index.writer import MARKER, marker_decoder

FIXTURE = Path(__file__).parent / "fixtures" / "search.md"


@pytest.fixture
def built(tmp_path: Path) -> corpus.BuildResult:
    """A fresh build of the fixture guide (each test may damage it)."""
    return corpus.build([FIXTURE], tmp_path, [ARTIFACT])


def test_build_writes_the_index_beside_the_corpus_keyed_by_its_hash(built):
    folder = built.path / "index"
    marker = marker_decoder.decode((folder / MARKER).read_bytes())
    assert ARTIFACT.name == "index"
    assert marker.hash == built.hash == built.corpus.hash
    assert len(marker.ids) == len(marker.lengths) > 0
    assert set(marker.files) and all(len(d) == 64 for d in marker.files.values())
    manifest = corpus.read_manifest(built.path.parent.parent, built.hash)
    assert manifest.artifacts["index"] == ARTIFACT.version


def test_an_up_to_date_build_is_reopened_not_rebuilt(built, tmp_path: Path):
    before = {p.name: p.stat().st_mtime_ns for p in (built.path / "index").iterdir()}
    again = corpus.build([FIXTURE], tmp_path, [ARTIFACT])
    assert again.up_to_date and again.corpus is None
    data = corpus.load_corpus(tmp_path, again.hash)
    index = SearchIndex.open(again.path, data)
    try:
        assert index.hash == built.hash
        assert index.search("b-tree").total > 0
    finally:
        index.close()
    after = {p.name: p.stat().st_mtime_ns for p in (again.path / "index").iterdir()}
    assert after == before


def test_an_index_built_for_other_guides_is_stale(built):
    other = corpus.load_guides()  # the default guide: another hash
    with pytest.raises(IndexUnavailable, match="stale"):
        SearchIndex.open(built.path, other)


def test_a_missing_index_is_reported_with_its_folder(built):
    shutil.rmtree(built.path / "index")
    with pytest.raises(IndexUnavailable, match=r"index.*no search index here"):
        SearchIndex.open(built.path, built.corpus)


def test_an_unfinished_index_without_its_marker_is_not_served(built):
    (built.path / "index" / MARKER).unlink()
    with pytest.raises(IndexUnavailable, match="not finished"):
        SearchIndex.open(built.path, built.corpus)


def test_a_damaged_marker_is_reported(built):
    (built.path / "index" / MARKER).write_bytes(b"{not json")
    with pytest.raises(IndexUnavailable, match="damaged index marker"):
        SearchIndex.open(built.path, built.corpus)


@pytest.mark.parametrize("suffix", [".pst", ".trm", ".toc"])
def test_a_damaged_whoosh_file_is_detected_when_opening(built, suffix: str):
    target = next(p for p in (built.path / "index").iterdir() if p.name.endswith(suffix))
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(IndexUnavailable, match="missing or damaged"):
        SearchIndex.open(built.path, built.corpus)


def test_an_index_of_another_version_is_not_read(built):
    path = built.path / "index" / MARKER
    marker = msgspec.structs.replace(marker_decoder.decode(path.read_bytes()), version="0")
    path.write_bytes(msgspec.json.encode(marker))
    with pytest.raises(IndexUnavailable, match="format 0"):
        SearchIndex.open(built.path, built.corpus)


def test_check_passes_until_the_index_is_removed(built):
    index = SearchIndex.open(built.path, built.corpus)
    try:
        index.check()
        shutil.rmtree(built.path)
        with pytest.raises(IndexUnavailable, match="gone"):
            index.check()
    finally:
        index.close()


def test_check_notices_a_replaced_file(built):
    index = SearchIndex.open(built.path, built.corpus)
    try:
        pst = next(p for p in (built.path / "index").iterdir() if p.suffix == ".pst")
        data = pst.read_bytes()
        pst.unlink()
        pst.write_bytes(data + b"\0")
        with pytest.raises(IndexUnavailable, match="changed on disk"):
            index.check()
    finally:
        index.close()


def test_a_guide_with_nothing_searchable_gives_an_empty_index(tmp_path: Path):
    guide = tmp_path / "empty.md"
    guide.write_text('---\ntitle: "Empty"\n---\n\nJust an introduction.\n')
    result = corpus.build([guide], tmp_path / "out", [ARTIFACT])
    index = SearchIndex.open(result.path, result.corpus)
    try:
        found = index.search("introduction")
        assert (found.total, found.hits) == (0, [])
        assert found.facets == {"guide": [], "topic": []}
    finally:
        index.close()
