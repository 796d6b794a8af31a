"""``export_deck``: chosen questions to genanki notes in a deck tree, written as one .apkg.

Decks are ``Guide title::Topic title::Sub-topic title``; every deck of the tree is in the
package, parents included, each with an id derived from its name. The file is written
beside its final place and renamed over it, so a reader never sees half a package.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import genanki

import corpus

from .apkg import collection_bytes, write_apkg
from .artifact import load_table
from .errors import UnknownCardKind
from .fields import FragmentHtml, TopicChains, note_fields, note_tags
from .notetype import CARD_KINDS, make_model, note_guid, stable_id
from .selection import select

Progress = Callable[[int, int], None]


class ExportSummary(corpus.Base):
    """What an export wrote: counts, the package size in bytes and its path."""

    notes: int
    cards: int
    decks: int
    size: int
    path: str


def card_kinds(kinds: Sequence[str]) -> frozenset[str]:
    """The optional card kinds asked for; ``UnknownCardKind`` for anything else."""
    wanted = frozenset(k.strip().lower() for k in kinds if k.strip())
    for kind in sorted(wanted - set(CARD_KINDS)):
        raise UnknownCardKind(f'unknown card kind "{kind}"; choose from {", ".join(CARD_KINDS)}')
    return wanted


def export_deck(
    data: corpus.Corpus,
    out_file: Path,
    *,
    guides: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    cards: Sequence[str] = (),
    progress: Progress | None = None,
    timestamp: float | None = None,
    build_dir: Path | None = None,
) -> ExportSummary:
    """Write the questions the filters choose to ``out_file`` as an Anki package.

    The selection and card kinds are checked first (``UnknownSelection``,
    ``UnknownCardKind``); nothing is written then. ``progress(done, total)`` is called
    as each note is made and as each deck's notes are written (``total`` is twice the
    number of notes). ``timestamp`` (default: now) is the notes' modification time: Anki
    updates a note on import only when the package's copy is newer. The same export with
    the same timestamp gives the same file, byte for byte.

    ``build_dir``, the folder of the build ``data`` was loaded from, lends its code
    table (the ``anki`` artifact): code is then not highlighted again. Without it, or for
    anything it lacks, code is highlighted here; the package is the same either way.
    """
    kinds = card_kinds(cards)
    chosen = select(data, guides, topics, tags)
    stamp = time.time() if timestamp is None else timestamp
    model = make_model()
    rich = FragmentHtml(load_table(build_dir))
    decks = _DeckTree()
    total = 2 * sum(len(s.questions) for s in chosen)  # each note is made, then written
    notes: list[genanki.Note] = []
    for sel in chosen:
        root = decks.root(sel.guide)
        chains = TopicChains(sel.guide)
        for q in sel.questions:
            chain = chains(q.topic.id)
            note = genanki.Note(
                model=model,
                fields=note_fields(sel.guide, q, chain, kinds, rich),
                tags=note_tags(q, chain),
                guid=note_guid(q.id),
                due=len(notes) + 1,  # new cards come in guide order
            )
            notes.append(note)
            decks.deck([root, *(t.title for t in chain)]).add_note(note)
            if progress is not None:
                progress(len(notes), total)
    written = len(notes)

    def on_deck(count: int) -> None:
        nonlocal written
        written += count
        if progress is not None:
            progress(written, total)

    collection = collection_bytes(decks.all(), [model], stamp, on_deck)
    path = Path(out_file)
    size = write_apkg(path, collection, stamp)
    return ExportSummary(
        notes=len(notes),
        cards=sum(len(n.cards) for n in notes),
        decks=len(decks),
        size=size,
        path=str(path),
    )


class _DeckTree:
    """genanki decks by full name; asking for a deck makes its parents too."""

    def __init__(self) -> None:
        self._decks: dict[str, genanki.Deck] = {}
        self._roots: set[str] = set()

    def __len__(self) -> int:
        return len(self._decks)

    def root(self, guide: corpus.Guide[corpus.Rich]) -> str:
        """The top deck's name for ``guide``; two guides of one title get their slugs added."""
        name = _part(guide.title) or guide.slug
        if name.casefold() in self._roots:
            name = f"{name} ({guide.slug})"
        self._roots.add(name.casefold())
        self.deck([name]).description = _description(guide)
        return name

    def deck(self, parts: Sequence[str]) -> genanki.Deck:
        names = [_part(p) or "Untitled" for p in parts]
        deck = None
        for depth in range(1, len(names) + 1):
            full = "::".join(names[:depth])
            # Anki's deck names ignore case: "Caching" and "caching" are one deck there.
            deck = self._decks.get(full.casefold())
            if deck is None:
                deck = genanki.Deck(stable_id("deck", full.casefold()), full)
                self._decks[full.casefold()] = deck
        assert deck is not None
        return deck

    def all(self) -> list[genanki.Deck]:
        return list(self._decks.values())


def _part(title: str) -> str:
    # "::" separates deck levels in Anki; inside one title it would invent a level.
    return " ".join(title.replace("::", ":").split())


def _description(guide: corpus.Guide[corpus.Rich]) -> str:
    about = f"<p>{html.escape(guide.description)}</p>" if guide.description else ""
    return f"{about}<p>From {html.escape(guide.file)}, exported by prepdeck.</p>"
