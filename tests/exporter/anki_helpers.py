"""Helpers for exporter tests: the fixture guides, and importing packages into Anki.

Packages are checked with the official ``anki`` library, the code Anki desktop runs:
``Collection.import_anki_package`` with Anki's default import options.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse

if TYPE_CHECKING:  # importing anki.cards before anki.collection is a circular import
    from anki.cards import Card

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.md"
TINY_V2 = FIXTURES / "tiny_v2.md"
STUDY = FIXTURES / "study.md"


def import_apkg(col: Collection, path: Path) -> ImportResponse.Log:
    """Import ``path`` as a user would (Anki's default options); the import log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def deck_names(col: Collection) -> set[str]:
    """Every deck of the collection but Anki's own "Default"."""
    return {d.name for d in col.decks.all_names_and_ids()} - {"Default"}


_BLOCKS = frozenset(
    "p div li br section details summary h1 h2 h3 h4 h5 h6 tr td th ul ol pre hr table "
    "figure figcaption aside blockquote style".split()
)


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
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style -= 1
        elif tag == "details" and self._open:
            self._folded -= not self._open.pop()
        elif tag == "summary":
            self._summary -= 1
        if tag in _BLOCKS:
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


def new_card_days(col: Collection, deck: str) -> list[list[Card]]:
    """The new cards of ``deck`` day by day, as Anki's scheduler introduces them with the
    deck's options (the defaults: 20 a day, gathered deck by deck). Each day's batch is
    suspended to reach the next one, so the collection's cards end up suspended."""
    col.decks.select(col.decks.id_for_name(deck))
    days = []
    while queued := col.sched.get_queued_cards(fetch_limit=1000).cards:
        days.append([col.get_card(q.card.id) for q in queued])
        col.sched.suspend_cards([card.id for card in days[-1]])
    return days


def question_of(card: Card) -> str:
    """The id of the question a card belongs to: its note's ID up to "#"."""
    return card.note()["ID"].split("#", 1)[0]


def is_extra(card: Card) -> bool:
    """A card beyond the question card: a follow-up, named points, a red flag."""
    return card.ord > 0 or "#" in card.note()["ID"]


def chromium() -> str | None:
    """Debian's headless browser, to lay cards out as a phone would (``None`` if absent)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def lay_out(body: str, css: str, workdir: Path, width: int = 390, script: str = "") -> object:
    """Lay ``body`` out in headless Chromium as a phone ``width`` CSS px wide would; what
    ``script`` (a JS expression run in that page) makes of it, as JSON.

    Chromium's windows are at least 500 px wide, so the page goes in a frame of ``width``:
    a frame is a viewport of its own, where the CSS's phone-width rules apply."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    inner = (
        '<!doctype html><html><head><meta charset="utf-8"><style>html, body { margin: 0; }\n'
        f"{css}</style></head><body>{body}</body></html>"
    )
    page = workdir / "layout.html"
    page.write_text(
        f'<!doctype html><html><body><iframe id="phone" width="{width}" height="900" '
        'scrolling="no" '
        f'srcdoc="{html.escape(inner)}"></iframe><script>'
        "window.addEventListener('load', () => {"
        "  const phone = document.getElementById('phone').contentWindow;"
        f"  const found = phone.eval({json.dumps(script)});"
        "  document.body.innerHTML = '<pre id=out>' + "
        "JSON.stringify(found).replace(/</g, '\\u003c') + '</pre>';"
        "});</script></body></html>",
        encoding="utf-8",
    )
    out = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={workdir / 'chromium-profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    return json.loads(html.unescape(out.split('<pre id="out">', 1)[1].split("</pre>", 1)[0]))
