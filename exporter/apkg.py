"""Writing a package: genanki's collection schema and rows in SQLite, zipped into an .apkg.

``genanki.Package`` re-reads and re-writes the JSON of every deck and note type once per
deck, which is quadratic in the number of decks (a guide with a hundred topics spends
most of its time there), and puts every card of a note in one deck at one due position.
Here decks and note types are written once, then each note, and each of its cards in
the deck and at the due position chosen for that card (``Placed``): a question's red-flag
card belongs with its extra cards, days after the question card. The collection is built
in memory and the zip is written beside its final path and renamed over it, so nothing
is left behind and no reader sees half a file.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import sqlite3
import stat
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from .errors import ExportError


@dataclass
class Placed:
    """A note, and the deck and due position of each of its cards, by card ord."""

    note: genanki.Note
    cards: dict[int, tuple[int, int]] = field(default_factory=dict)


def collection_bytes(
    decks: Sequence[genanki.Deck],
    models: Sequence[genanki.Model],
    notes: Sequence[Placed],
    timestamp: float,
    on_note: Callable[[], None] | None = None,
) -> bytes:
    """The SQLite file of an Anki collection holding ``decks`` and ``notes``.

    ``on_note()`` is called after each note is written. genanki makes the cards a
    note's fields call for; each must have its place.
    """
    conn = sqlite3.connect(":memory:")
    try:
        cur = conn.cursor()
        cur.executescript(APKG_SCHEMA)
        cur.executescript(APKG_COL)
        (decks_json,) = cur.execute("SELECT decks FROM col").fetchone()
        all_decks = json.loads(decks_json)
        all_decks.update({str(d.deck_id): d.to_json() for d in decks})
        home = decks[0].deck_id if decks else 1
        all_models = {str(m.model_id): m.to_json(timestamp, home) for m in models}
        cur.execute(
            "UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(all_models))
        )
        ids = itertools.count(int(timestamp * 1000))
        for placed in notes:
            _write_note(cur, placed, timestamp, ids)
            if on_note is not None:
                on_note()
        conn.commit()
        return conn.serialize()
    except (sqlite3.Error, ValueError, TypeError) as exc:
        raise ExportError(f"cannot build the Anki collection: {exc}") from exc
    finally:
        conn.close()


def _write_note(cur: sqlite3.Cursor, placed: Placed, timestamp: float, ids: Iterator[int]):
    note = placed.note
    cards = note.cards
    # genanki writes the note's row, then each card in one deck; the cards are written
    # here instead, each in its place (``cards`` is a cached property of genanki's Note)
    note.__dict__["cards"] = []
    try:
        note.write_to_db(cur, timestamp, 0, ids)
    finally:
        note.__dict__["cards"] = cards
    note_id = cur.lastrowid
    for card in cards:
        if card.ord not in placed.cards:
            raise ValueError(f"card {card.ord} of note {note.guid} has no deck")
        deck_id, due = placed.cards[card.ord]
        card.write_to_db(cur, timestamp, deck_id, note_id, ids, due)


def write_apkg(path: Path, collection: bytes, timestamp: float) -> int:
    """Write the package to ``path`` atomically; its size in bytes.

    The zip entries are dated ``timestamp``, so the same export made twice is the same
    file, byte for byte.
    """
    try:  # a pipe, a device or a link there is not ours to replace (root could replace /dev/null)
        if not stat.S_ISREG(path.lstat().st_mode):
            raise ExportError(f"{path}: not a regular file; not replaced")
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here: {exc.strerror or exc}") from exc
    # A fresh name beside the target, created like any new file (so the umask applies).
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as zf:
                # no media files: everything a card shows is in its fields and CSS
                for name, data in (("collection.anki2", collection), ("media", b"{}")):
                    entry = zipfile.ZipInfo(name, date_time=_zip_date(timestamp))
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    # level 1: most of the size gain of deflate for a fraction of its time
                    zf.writestr(entry, data, compresslevel=1)
            fh.flush()
            os.fsync(fh.fileno())
            size = fh.tell()
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write the package: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return size


def _zip_date(timestamp: float) -> tuple[int, int, int, int, int, int]:
    year, month, day, hour, minute, second = time.gmtime(max(timestamp, 315532800))[:6]
    return (year, month, day, hour, minute, second)  # zip dates start in 1980
