"""The one note type of prepdeck decks: its fields, card templates and stable ids.

Ids are derived from names (never random), so every export of the same guide carries the
same note type and decks, and Anki updates them in place instead of adding copies. The
note type never changes with the export options: optional card kinds are switched on per
note by a field (as in Anki's own "Basic (optional reversed card)"), so exports with and
without ``--cards`` stay compatible with each other.
"""

from __future__ import annotations

import hashlib

import genanki

from .style import card_css

MODEL_NAME = "prepdeck interview question"

# Field names, in note order. The question comes first: Anki shows and checks it.
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

# Optional card kinds: kind -> (switch field, the part the card asks for).
CARD_KINDS: tuple[str, ...] = ("red-flag", "follow-ups")
KIND_FIELDS = {"red-flag": (ADD_RED_FLAG, RED_FLAGS), "follow-ups": (ADD_FOLLOW_UPS, FOLLOW_UPS)}


def stable_id(kind: str, name: str) -> int:
    """A positive 41-bit id for ``name`` (a deck or note type), the same in every export."""
    digest = hashlib.sha256(f"prepdeck:{kind}:{name}".encode()).digest()
    return (1 << 40) | int.from_bytes(digest[:5], "big")


def note_guid(question_id: str) -> str:
    """The note's GUID: from the question id alone, so edits to the text update in place."""
    return genanki.guid_for("prepdeck", question_id)


_FRONT = """<div class="pd">
<div class="pd-topic">{{Guide}} › {{Topic}}</div>
<div class="pd-question">{{Question}}</div>
%s</div>"""

_BACK = """{{FrontSide}}
<hr id="answer">
<div class="pd">
%s
<div class="pd-source">{{Source}}</div>
</div>"""

_SECTIONS = {
    TESTING: '<section class="pd-testing"><h3>What they test</h3>{{What they test}}</section>',
    ANSWER: '<section class="pd-answer"><h3>Answer</h3>{{Answer}}</section>',
    RED_FLAGS: '<section class="pd-redflag"><h3>Red flag</h3>{{Red flags}}</section>',
    FOLLOW_UPS: '<section class="pd-followups"><h3>Follow-ups</h3>{{Follow-ups}}</section>',
    EXTRA: '<section class="pd-extra">{{Extra}}</section>',
}


def _when(field: str, body: str) -> str:
    """``body`` only when ``field`` is not empty (Anki makes no card from an empty front)."""
    return f"{{{{#{field}}}}}{body}{{{{/{field}}}}}"


def _back(*fields: str) -> str:
    return _BACK % "\n".join(_when(f, _SECTIONS[f]) for f in fields)


def _optional(name: str, kind: str, prompt: str) -> dict[str, str]:
    """A card that asks for one part; it exists only when its switch and part are filled."""
    switch, part = KIND_FIELDS[kind]
    front = _FRONT % f'<div class="pd-prompt">{prompt}</div>\n'
    return {"name": name, "qfmt": _when(switch, _when(part, front)), "afmt": _back(part)}


TEMPLATES: list[dict[str, str]] = [
    {
        "name": "Question",
        "qfmt": _FRONT % "",
        "afmt": _back(TESTING, ANSWER, RED_FLAGS, FOLLOW_UPS, EXTRA),
    },
    _optional("Red flag", "red-flag", "What answer would be a red flag?"),
    _optional("Follow-ups", "follow-ups", "Which follow-up questions should you expect?"),
]


def make_model() -> genanki.Model:
    """A fresh genanki Model of the note type (genanki mutates models while writing)."""
    return genanki.Model(
        model_id=stable_id("notetype", MODEL_NAME),
        name=MODEL_NAME,
        fields=[{"name": f} for f in FIELDS],
        templates=[dict(t) for t in TEMPLATES],
        css=card_css(),
        sort_field_index=0,
    )
