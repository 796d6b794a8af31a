"""The note type: ids pinned forever, templates that only use its fields, offline CSS."""

from __future__ import annotations

import re

from exporter.notetype import FIELDS, MODEL_NAME, TEMPLATES, make_model, note_guid, stable_id
from exporter.style import card_css

# Changing any of these would make Anki treat the next export as a different deck.
PINNED_MODEL_ID = 1868548465328
PINNED_GUID = "g4d)3IS?dW"


def test_ids_never_change() -> None:
    assert stable_id("notetype", MODEL_NAME) == PINNED_MODEL_ID
    assert make_model().model_id == PINNED_MODEL_ID
    assert note_guid("mercor/how-do-you-handle-database-scaling") == PINNED_GUID
    assert stable_id("deck", "A::B") == stable_id("deck", "A::B") != stable_id("deck", "A::C")


def test_templates_use_only_fields_of_the_note_type() -> None:
    used = set()
    for template in TEMPLATES:
        for side in ("qfmt", "afmt"):
            used |= set(re.findall(r"\{\{[#/^]?([^}]+)\}\}", template[side]))
    assert used - {"FrontSide"} <= set(FIELDS)


def test_optional_cards_need_their_switch_and_their_part() -> None:
    # genanki's reading of the templates decides which cards a note gets
    req = {ord_: (mode, {FIELDS[i] for i in fields}) for ord_, mode, fields in make_model()._req}
    assert req[1] == ("all", {"Add red-flag card", "Red flags"})
    assert req[2] == ("all", {"Add follow-ups card", "Follow-ups"})


def test_css_is_self_contained_and_has_a_night_mode() -> None:
    css = card_css()
    for selector in (".card.nightMode", ".card.night_mode", ".nightMode pre .k"):
        assert selector in css
    assert "overflow-x: auto" in css
    everything = css + "".join(t["qfmt"] + t["afmt"] for t in TEMPLATES)
    for outside in ("http", "url(", "@import", "<script", "<link", "<img"):
        assert outside not in everything
