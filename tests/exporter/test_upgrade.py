"""Importing today's export over a collection that holds a deck of the first note type.

``fixtures/tiny-v0.apkg`` is ``tiny.md`` as the first published exporter wrote it (with
``--cards red-flag,follow-ups``, dated 2023-11-14). Anki's importer must update its notes
in place: the question note type keeps its fields and card names, so it stays one note
type, and no note is skipped as "conflicting".
"""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki_helpers import FIXTURES, TINY, import_apkg

import corpus
from exporter import MODEL_NAME, export_deck
from exporter.notetype import stable_id

OLD = FIXTURES / "tiny-v0.apkg"
OLD_STAMP = 1_700_000_000
KEY = "tiny/how-do-you-choose-a-primary-key"


def _by_id(col: Collection) -> dict[str, int]:
    return {col.get_note(nid)["ID"]: nid for nid in col.find_notes("")}


def test_a_new_export_updates_an_old_one_in_place(tmp_path: Path, collection: Collection):
    import_apkg(collection, OLD)
    before = _by_id(collection)
    assert len(before) == 4 and collection.card_count() == 8

    (cid,) = collection.find_cards(f'"ID:{KEY}" card:Question')
    card = collection.get_card(cid)
    card.start_timer()
    collection.sched.answerCard(card, 3)
    card.load()
    studied = (card.ivl, card.reps, card.due, card.type)
    history = collection.db.list("select id from revlog where cid = ?", cid)

    out = tmp_path / "new.apkg"
    export_deck(corpus.load_guides([TINY]), out, timestamp=OLD_STAMP + 86_400, cards=["red-flag"])
    log = import_apkg(collection, out)

    assert not log.conflicting and not log.new
    assert len(log.updated) == 4
    assert _by_id(collection) == before  # the same notes, not copies
    models = [m for m in collection.models.all_names_and_ids() if m.name.startswith("prepdeck")]
    assert [(m.name, m.id) for m in models] == [(MODEL_NAME, stable_id("notetype", MODEL_NAME))]
    # Anki renders with today's templates: labels that are not headings, folds
    card.load()
    assert 'class="pd-label"' in card.answer() and "<h3>" not in card.answer()
    assert (card.ivl, card.reps, card.due, card.type) == studied
    assert collection.db.list("select id from revlog where cid = ?", cid) == history
    # Anki never deletes on import: the old follow-up list cards stay, now blank, and
    # Tools › Empty Cards finds exactly them (as the README says)
    assert collection.card_count() == 8
    note = collection.get_note(before[KEY])
    assert note["Add follow-ups card"] == "" and note["Add red-flag card"] == "y"
    empty = [cid for n in collection.get_empty_cards().notes for cid in n.card_ids]
    assert {collection.get_card(c).template()["name"] for c in empty} == {"Follow-ups"}
    assert len(empty) == 2


def test_an_old_export_does_not_undo_a_new_one(tmp_path: Path, collection: Collection):
    out = tmp_path / "new.apkg"
    export_deck(corpus.load_guides([TINY]), out, timestamp=OLD_STAMP + 86_400)
    import_apkg(collection, out)
    log = import_apkg(collection, OLD)  # older notes and note type: nothing to update
    assert not log.updated and not log.new and not log.conflicting
    card = collection.get_card(collection.find_cards("card:Question")[0])
    assert 'class="pd-label"' in card.answer()
