"""Real indexes on disk, built once per session: the default guide, a small fixture
guide whose every sentence a test relies on, and (when present) ../shared/guides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import corpus
from search_index import ARTIFACT, SearchIndex

FIXTURE = Path(__file__).parent / "fixtures" / "search.md"


def _open(out: Path, paths: list[Path] | None) -> Iterator[SearchIndex]:
    result = corpus.build(paths, out, [ARTIFACT])
    assert result.corpus is not None
    index = SearchIndex.open(result.path, result.corpus)
    yield index
    index.close()


@pytest.fixture(scope="session")
def default_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """The index of the embedded default guide."""
    yield from _open(tmp_path_factory.mktemp("default"), None)


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """The index of tests/search_index/fixtures/search.md."""
    yield from _open(tmp_path_factory.mktemp("fixture"), [FIXTURE])


@pytest.fixture(scope="session")
def shared_index(
    shared_guides: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchIndex]:
    """The index of every guide in ../shared/guides (skipped when absent)."""
    yield from _open(tmp_path_factory.mktemp("shared"), [shared_guides])
