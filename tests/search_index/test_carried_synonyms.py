"""A build carries the synonyms.yaml beside its guides: served elsewhere without them,
its searches still apply it; changing it makes a new build that re-indexes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpus
import search_index
from search_index import SearchIndex

FIXTURE = Path(__file__).parent / "fixtures" / "terms"


def _guides(tmp_path: Path, rules: str | None) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE / "terms.md", folder / "terms.md")
    if rules is not None:
        (folder / "synonyms.yaml").write_text(rules, encoding="utf-8")
    return folder


def _expanded(build: Path, q: str) -> list[str]:
    index = SearchIndex.open(build)
    try:
        return [label for hit in index.search(q).hits for label in hit.expanded]
    finally:
        index.close()


def test_a_build_served_without_its_guides_applies_their_synonyms(tmp_path: Path):
    guides = _guides(tmp_path, "- sprocket => load balancer\n")
    built = corpus.build([guides], tmp_path / "out", [search_index.ARTIFACT])
    assert (built.path / "index" / "synonyms.yaml").is_file()
    baked = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "out", baked)
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(guides)
    served = corpus.existing_build(baked, [search_index.ARTIFACT])
    assert "load balancer" in _expanded(served.path, "sprocket")


def test_changed_synonyms_make_a_new_build_that_reindexes_nothing(tmp_path: Path):
    guides = _guides(tmp_path, "- sprocket => load balancer\n")
    out = tmp_path / "out"
    first = corpus.build([guides], out, [search_index.ARTIFACT])
    segments = {p.name: p.read_bytes() for p in (first.path / "index").glob("MAIN_*")}
    (guides / "synonyms.yaml").write_text("- sprocket => round robin\n", encoding="utf-8")
    second = corpus.build([guides], out, [search_index.ARTIFACT])
    assert second.hash != first.hash and not second.up_to_date
    assert {p.name: p.read_bytes() for p in (second.path / "index").glob("MAIN_*")} == segments
    assert set(_expanded(second.path, "sprocket")) == {"round robin"}
    without = corpus.build([_guides(tmp_path / "b", None)], out, [search_index.ARTIFACT])
    assert not (without.path / "index" / "synonyms.yaml").exists()
    assert "load balancer" not in _expanded(without.path, "sprocket")


def test_a_bad_synonyms_file_fails_the_build_naming_the_rule(tmp_path: Path):
    guides = _guides(tmp_path, "- sprocket\n")
    with pytest.raises(corpus.CorpusError, match=r"synonyms.yaml: rule 1 \('sprocket'\)"):
        corpus.build([guides], tmp_path / "out", [search_index.ARTIFACT])
