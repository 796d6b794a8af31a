"""``export_deck``: chosen questions to genanki notes in a deck tree, written as one .apkg.

Each question gives its question note and the notes of the extra card kinds asked for
(``notes``); the question card goes to its section's deck in guide order, the extra
cards to the guide's extra-cards deck (``decks``), learnt in rounds: every question's
first extra card, then every question's second, and so on, so a question's extra cards
come on different days. The file is written beside its final place and renamed over it,
so a reader never sees half a package.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import zip_longest
from pathlib import Path

import genanki

import corpus

from .apkg import Placed, collection_bytes, write_apkg
from .artifact import load_table
from .decks import DeckTree
from .errors import UnknownCardKind
from .fields import FragmentHtml, TopicChains
from .links import check_base_url
from .notes import question_notes
from .notetype import CARD_KINDS, DEFAULT_CARDS, NO_EXTRA_CARDS, make_models
from .selection import Selected, select

Progress = Callable[[int, int], None]


class ExportSummary(corpus.Base):
    """What an export wrote: counts, the package size in bytes and its path."""

    notes: int
    cards: int
    decks: int
    size: int
    path: str


def card_kinds(kinds: Sequence[str] | None) -> frozenset[str]:
    """The extra card kinds asked for: ``DEFAULT_CARDS`` for none given, nothing for
    ``"none"``; ``UnknownCardKind`` for anything else."""
    wanted = frozenset(k.strip().lower() for k in kinds or () if k.strip())
    if not wanted:
        return frozenset(DEFAULT_CARDS)
    if NO_EXTRA_CARDS in wanted:
        if len(wanted) > 1:
            raise UnknownCardKind(f'"{NO_EXTRA_CARDS}" goes with no other card kind')
        return frozenset()
    for kind in sorted(wanted - set(CARD_KINDS)):
        choices = ", ".join([*CARD_KINDS, NO_EXTRA_CARDS])
        raise UnknownCardKind(f'unknown card kind "{kind}"; choose from {choices}')
    return wanted


def export_deck(
    data: corpus.Corpus,
    out_file: Path,
    *,
    guides: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    cards: Sequence[str] | None = None,
    base_url: str | None = None,
    progress: Progress | None = None,
    timestamp: float | None = None,
    build_dir: Path | None = None,
) -> ExportSummary:
    """Write the questions the filters choose to ``out_file`` as an Anki package.

    ``cards`` are the extra card kinds (``CARD_KINDS``; none given: ``DEFAULT_CARDS``;
    ``["none"]``: question cards only). ``base_url`` makes the guides' relative links
    absolute (without it they become plain text). The selection and options are checked
    first (``UnknownSelection``, ``UnknownCardKind``, ``BadBaseUrl``); nothing is written
    then. ``progress(done, total)`` is called as each question's notes are made and as
    the notes are written (``total`` is twice the number of questions). ``timestamp``
    (default: now) is the notes' modification time: Anki updates a note on import only
    when the package's copy is newer. The same export with the same timestamp gives the
    same file, byte for byte.

    ``build_dir``, the folder of the build ``data`` was loaded from, lends the card tables
    of the guides exported (the ``anki`` artifact): code is then not highlighted again nor
    answers read again.
    Without it, or for anything it lacks, that is done here; the package is the same
    either way.
    """
    kinds = card_kinds(cards)
    chosen = select(data, guides, topics, tags)
    given = check_base_url(base_url)
    stamp = time.time() if timestamp is None else timestamp
    models = make_models()
    decks = DeckTree()
    total = 2 * sum(len(s.questions) for s in chosen)  # each question is made, then written
    placed: list[Placed] = []
    due = itertools.count(1)
    made = 0

    def on_question() -> None:
        nonlocal made
        made += 1
        if progress is not None:
            progress(made, total)

    for sel in chosen:
        table = load_table(build_dir, sel.guide.slug)
        rich = FragmentHtml(table, given or sel.guide.base_url)  # --base-url, else the guide's
        placed += _place_guide(sel, decks, kinds, rich, models, due, on_question)

    written = 0

    def on_note() -> None:
        nonlocal written
        written += 1
        if progress is not None:
            progress(made + written * made // len(placed), total)

    collection = collection_bytes(decks.all(), list(models.values()), placed, stamp, on_note)
    path = Path(out_file)
    size = write_apkg(path, collection, stamp)
    return ExportSummary(
        notes=len(placed),
        cards=sum(len(p.cards) for p in placed),
        decks=len(decks),
        size=size,
        path=str(path),
    )


def _place_guide(
    sel: Selected,
    decks: DeckTree,
    kinds: frozenset[str],
    rich: FragmentHtml,
    models: dict[str, genanki.Model],
    due: Iterator[int],
    on_question: Callable[[], None],
) -> list[Placed]:
    """The notes of one guide's chosen questions, each card in its deck at its position:
    question cards in guide order in their section's deck, then the extra cards in rounds
    in the guide's extra-cards deck."""
    chains = TopicChains(sel.guide)
    guide_decks = decks.guide(sel.guide, chains)
    placed: list[Placed] = []
    per_question: list[list[tuple[Placed, int]]] = []
    for q in sel.questions:
        chain = chains(q.topic.id)
        notes = question_notes(sel.guide, q, chain, kinds, rich, models)
        main = Placed(notes.question, {0: (guide_decks.section(chain[0]).deck_id, next(due))})
        placed.append(main)
        extras = []
        for note, ord_ in notes.extras:
            if note is not notes.question:
                placed.append(Placed(note))
            extras.append((main if note is notes.question else placed[-1], ord_))
        per_question.append(extras)
        on_question()
    for here, ord_ in (x for r in zip_longest(*per_question) for x in r if x is not None):
        here.cards[ord_] = (guide_decks.extras.deck_id, next(due))
    return placed
