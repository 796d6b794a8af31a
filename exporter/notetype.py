"""The note types of prepdeck decks: their fields, card templates and stable ids.

Ids are derived from names (never random), so every export carries the same note types
and decks, and Anki updates them in place instead of adding copies.

Anki's importer updates a note type it already has only while its *schema* is the same:
the same field names and the same card template names, in the same order. Anything else
makes it import a second note type ("... +") and skip every note of the old one as
"conflicting" (checked with the official ``anki`` library in tests/exporter/test_upgrade.py).
So the question note type keeps the fields and templates it was first published with;
only its templates' HTML and its CSS change. Card kinds that need other fields are note
types of their own, with new notes.

    prepdeck interview question   one note a question: the question card, and optional
                                  red-flag and follow-up-list cards switched on per note
    prepdeck follow-up            one note a follow-up that has its own answer
    prepdeck named points         one note a list of bold-lead items in an answer
"""

from __future__ import annotations

import hashlib

import genanki

from . import templates
from .style import card_css

MODEL_NAME = "prepdeck interview question"
FOLLOW_UP_MODEL = "prepdeck follow-up"
POINTS_MODEL = "prepdeck named points"

# Field names of the question note type, in note order: never to change (see above).
QUESTION = "Question"
TESTING = "What they test"
ANSWER = "Answer"
RED_FLAGS = "Red flags"
FOLLOW_UPS = "Follow-ups"
EXTRA = "Extra"
TOPIC = "Topic"
GUIDE = "Guide"
SOURCE = "Source"
ID = "ID"
ADD_RED_FLAG = "Add red-flag card"
ADD_FOLLOW_UPS = "Add follow-ups card"
FIELDS = (
    QUESTION,
    TESTING,
    ANSWER,
    RED_FLAGS,
    FOLLOW_UPS,
    EXTRA,
    TOPIC,
    GUIDE,
    SOURCE,
    ID,
    ADD_RED_FLAG,
    ADD_FOLLOW_UPS,
)

FOLLOW_UP = "Follow-up"
FOLLOW_UP_FIELDS = (FOLLOW_UP, ANSWER, QUESTION, TOPIC, GUIDE, SOURCE, ID)

POINTS = "Points"
PROMPT = "Prompt"
LIST = "List"
POINTS_FIELDS = (POINTS, PROMPT, LIST, QUESTION, TOPIC, GUIDE, SOURCE, ID)

# Card kinds beyond the question card, and those a learner gets by default.
CARD_KINDS: tuple[str, ...] = ("follow-ups", "points", "red-flag")
DEFAULT_CARDS: tuple[str, ...] = ("follow-ups", "points")
NO_EXTRA_CARDS = "none"


def stable_id(kind: str, name: str) -> int:
    """A positive 41-bit id for ``name`` (a deck or note type), the same in every export."""
    digest = hashlib.sha256(f"prepdeck:{kind}:{name}".encode()).digest()
    return (1 << 40) | int.from_bytes(digest[:5], "big")


def note_guid(question_id: str, *more: str) -> str:
    """A note's GUID: from the question id alone for the question's own note, so edits to
    its text update it in place; with ``more`` (a kind and a key) for its other notes."""
    return genanki.guid_for("prepdeck", question_id, *more)


def _model(name: str, fields: tuple[str, ...], cards: list[dict[str, str]]) -> genanki.Model:
    return genanki.Model(
        model_id=stable_id("notetype", name),
        name=name,
        fields=[{"name": f} for f in fields],
        templates=cards,
        css=card_css(),
        sort_field_index=0,
    )


def make_models() -> dict[str, genanki.Model]:
    """Fresh genanki Models of the note types by name (genanki mutates models it writes)."""
    return {
        MODEL_NAME: _model(MODEL_NAME, FIELDS, templates.question_cards()),
        FOLLOW_UP_MODEL: _model(FOLLOW_UP_MODEL, FOLLOW_UP_FIELDS, [templates.follow_up_card()]),
        POINTS_MODEL: _model(POINTS_MODEL, POINTS_FIELDS, [templates.points_card()]),
    }
