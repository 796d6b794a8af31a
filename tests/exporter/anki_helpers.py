"""Helpers for exporter tests: the fixture guides, and importing packages into Anki.

Packages are checked with the official ``anki`` library, the code Anki desktop runs:
``Collection.import_anki_package`` with Anki's default import options.
"""

from __future__ import annotations

from html.parser import HTMLParser
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


class _Visible(HTMLParser):
    """Text of a rendered card side outside ``<style>`` and outside closed ``<details>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._style = 0
        self._folded = 0  # closed <details> we are inside
        self._open: list[bool] = []  # each <details> we are inside: open?
        self._summary = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self._style += 1
        elif tag == "details":
            is_open = any(name == "open" for name, _ in attrs)
            self._open.append(is_open)
            self._folded += not is_open
        elif tag == "summary":
            self._summary += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style -= 1
        elif tag == "details" and self._open:
            self._folded -= not self._open.pop()
        elif tag == "summary":
            self._summary -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        # a fold's summary is seen; what it folds (details without open) is not
        if not self._style and (not self._folded or self._summary):
            self.parts.append(data)


def visible_text(card_html: str) -> str:
    """What a learner reads on a rendered card side before opening any fold."""
    parser = _Visible()
    parser.feed(card_html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def visible_words(card_html: str) -> int:
    """The number of words of ``visible_text``."""
    return len(visible_text(card_html).split())
