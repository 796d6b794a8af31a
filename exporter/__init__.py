"""Anki decks from the corpus: one note type, a deck tree per guide, a .apkg package.

Public names::

    export_deck(corpus, out_file, *, guides, topics, tags, cards, progress, build_dir)
                                     -> ExportSummary
    ARTIFACT                         the ``anki`` artifact: code highlighted once per build
    CARD_KINDS                       optional card kinds: "red-flag", "follow-ups"
    ExportError                      base of every error
    ├── UnknownSelection             unknown guide, topic or tag (bad input: a 4xx)
    │   └── EmptySelection           valid filters that select no question
    └── UnknownCardKind              a card kind not in CARD_KINDS (bad input: a 4xx)
"""

from .artifact import ARTIFACT
from .errors import EmptySelection, ExportError, UnknownCardKind, UnknownSelection
from .notetype import CARD_KINDS, MODEL_NAME
from .package import ExportSummary, card_kinds, export_deck

__all__ = [
    "ARTIFACT",
    "CARD_KINDS",
    "MODEL_NAME",
    "EmptySelection",
    "ExportError",
    "ExportSummary",
    "UnknownCardKind",
    "UnknownSelection",
    "card_kinds",
    "export_deck",
]
