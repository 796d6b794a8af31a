"""Fixtures for exporter tests: the tiny fixture guides and fresh Anki collections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from anki_helpers import TINY, TINY_V2

import corpus


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    """A fresh, empty Anki collection."""
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


@pytest.fixture(scope="session")
def tiny() -> corpus.Corpus:
    return corpus.load_guides([TINY])


@pytest.fixture(scope="session")
def tiny_v2() -> corpus.Corpus:
    return corpus.load_guides([TINY_V2])
