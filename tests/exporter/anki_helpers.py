"""Helpers for exporter tests: the fixture guides, and importing packages into Anki.

Packages are checked with the official ``anki`` library, the code Anki desktop runs:
``Collection.import_anki_package`` with Anki's default import options.
"""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse

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
