"""Fixtures for exporter tests: the tiny fixture guides and fresh Anki collections.

Packages are checked with the official ``anki`` library, the code Anki desktop runs:
``Collection.import_anki_package`` with Anki's default import options.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse

import corpus

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.md"
TINY_V2 = FIXTURES / "tiny_v2.md"


def import_apkg(col: Collection, path: Path) -> ImportResponse.Log:
    """Import ``path`` as a user would (Anki's default options); the import log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def deck_names(col: Collection) -> set[str]:
    """Every deck of the collection but Anki's own "Default"."""
    return {d.name for d in col.decks.all_names_and_ids()} - {"Default"}


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
