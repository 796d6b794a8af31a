"""The note types: ids pinned forever, templates that only use their fields, offline CSS."""

from __future__ import annotations

import re

from exporter.notetype import (
    FIELDS,
    FOLLOW_UP_MODEL,
    MODEL_NAME,
    POINTS_MODEL,
    make_models,
    note_guid,
    stable_id,
)
from exporter.style import CALLOUTS, card_css

# Changing any of these would make Anki treat the next export as a different deck.
PINNED_MODEL_ID = 1868548465328
PINNED_GUID = "g4d)3IS?dW"
# The question note type's schema as first published: Anki imports a note type with
# other field or template names as a second note type and skips the old one's notes.
PUBLISHED_FIELDS = [
    "Question",
    "What they test",
    "Answer",
    "Red flags",
    "Follow-ups",
    "Extra",
    "Topic",
    "Guide",
    "Source",
    "ID",
    "Add red-flag card",
    "Add follow-ups card",
]
PUBLISHED_TEMPLATES = ["Question", "Red flag", "Follow-ups"]


def test_ids_and_schema_never_change() -> None:
    models = make_models()
    assert stable_id("notetype", MODEL_NAME) == PINNED_MODEL_ID
    question = models[MODEL_NAME]
    assert question.model_id == PINNED_MODEL_ID
    assert [f["name"] for f in question.fields] == PUBLISHED_FIELDS == list(FIELDS)
    assert [t["name"] for t in question.templates] == PUBLISHED_TEMPLATES
    assert note_guid("mercor/how-do-you-handle-database-scaling") == PINNED_GUID
    assert stable_id("deck", "A::B") == stable_id("deck", "A::B") != stable_id("deck", "A::C")
    ids = {m.model_id for m in models.values()}
    assert len(ids) == 3 and {m.name for m in models.values()} == {
        MODEL_NAME,
        FOLLOW_UP_MODEL,
        POINTS_MODEL,
    }


def test_templates_use_only_fields_of_their_note_type() -> None:
    for model in make_models().values():
        names = {f["name"] for f in model.fields}
        for template in model.templates:
            for side in ("qfmt", "afmt"):
                used = set(re.findall(r"\{\{[#/^]?([^}]+)\}\}", template[side]))
                assert used - {"FrontSide"} <= names, (model.name, template["name"])


def test_optional_cards_need_their_switch_and_their_part() -> None:
    # genanki's reading of the templates decides which cards a note gets
    model = make_models()[MODEL_NAME]
    req = {ord_: (mode, {FIELDS[i] for i in fields}) for ord_, mode, fields in model._req}
    assert req[1] == ("all", {"Add red-flag card", "Red flags"})
    assert req[2] == ("all", {"Add follow-ups card", "Follow-ups"})


def test_card_labels_are_not_headings() -> None:
    # a guide's own headings inside an answer must never pass for the card's labels
    for model in make_models().values():
        for template in model.templates:
            assert not re.search(r"<h\d", template["qfmt"] + template["afmt"])
    css = card_css()
    assert ".pd-label {" in css and ".pd-content h3" in css


def test_css_is_self_contained_and_has_a_night_mode() -> None:
    css = card_css()
    for selector in (".card.nightMode", ".card.night_mode", ".nightMode pre .k"):
        assert selector in css
    assert "white-space: pre-wrap" in css  # code wraps: nothing hides past the edge
    everything = css + "".join(
        t["qfmt"] + t["afmt"] for m in make_models().values() for t in m.templates
    )
    for outside in ("http", "url(", "@import", "<script", "<link", "<img"):
        assert outside not in everything


def test_each_callout_kind_has_its_colour_by_day_and_by_night() -> None:
    css = card_css()
    days = {day for day, _, _ in CALLOUTS.values()}
    nights = {night for _, night, _ in CALLOUTS.values()}
    signs = {sign for _, _, sign in CALLOUTS.values()}
    assert len(days) == len(nights) == len(signs) == len(CALLOUTS) == 5
    for kind, (day, night, _) in CALLOUTS.items():
        assert f".card .callout-{kind} {{ --pd-callout: {day};" in css
        assert f".card.nightMode .callout-{kind}" in css and f"--pd-callout: {night}; }}" in css
