"""Anki decks from the corpus: note types, a deck tree per guide, a .apkg package.

Public names::

    export_deck(corpus, out_file, *, guides, topics, tags, cards, base_url, progress,
                timestamp, build_dir)    -> ExportSummary
    ARTIFACT                         the ``anki`` artifact: code highlighted and answers'
                                     key points read once per build
    CARD_KINDS                       extra card kinds: "follow-ups", "points", "red-flag"
    DEFAULT_CARDS                    the kinds made when none are asked for
    ExportError                      base of every error
    ├── UnknownSelection             unknown guide, topic or tag (bad input: a 4xx)
    │   └── EmptySelection           valid filters that select no question
    ├── UnknownCardKind              a card kind not in CARD_KINDS (bad input: a 4xx)
    └── BadBaseUrl                   a base URL that is not absolute http(s) (bad input)
"""

import importlib
from typing import TYPE_CHECKING, Any

from .artifact import ARTIFACT
from .errors import BadBaseUrl, EmptySelection, ExportError, UnknownCardKind, UnknownSelection

if TYPE_CHECKING:
    from .notetype import CARD_KINDS, DEFAULT_CARDS, MODEL_NAME, NO_EXTRA_CARDS
    from .package import ExportSummary, card_kinds, export_deck

# Imported when first used: a build needs ``ARTIFACT`` alone, and the deck writer (genanki,
# and what it imports) would add a fifth to the start-up of ``prepdeck build``.
_LATER = {
    "CARD_KINDS": "notetype",
    "DEFAULT_CARDS": "notetype",
    "MODEL_NAME": "notetype",
    "NO_EXTRA_CARDS": "notetype",
    "ExportSummary": "package",
    "card_kinds": "package",
    "export_deck": "package",
}


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LATER[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ARTIFACT",
    "CARD_KINDS",
    "DEFAULT_CARDS",
    "MODEL_NAME",
    "NO_EXTRA_CARDS",
    "BadBaseUrl",
    "EmptySelection",
    "ExportError",
    "ExportSummary",
    "UnknownCardKind",
    "UnknownSelection",
    "card_kinds",
    "export_deck",
]
