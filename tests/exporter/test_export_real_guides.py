"""Every real-world guide in one package, imported by Anki: nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki_helpers import deck_names, import_apkg

import corpus
from exporter import export_deck


def test_all_guides_import_whole(shared_guides: Path, tmp_path: Path, collection: Collection):
    data = corpus.load_guides([shared_guides])
    questions = [q for g in data.guides for q in g.questions]
    out = tmp_path / "all.apkg"
    summary = export_deck(data, out, cards=["red-flag", "follow-ups"])

    log = import_apkg(collection, out)
    assert summary.notes == len(questions) == collection.note_count() == len(log.new)
    extra = sum(bool(q.red_flags) + bool(q.follow_ups) for q in questions)
    assert summary.cards == len(questions) + extra == collection.card_count()
    assert summary.decks == len(deck_names(collection))
    assert {name.split("::")[0] for name in deck_names(collection)} == {
        g.title for g in data.guides
    }
    ids = {collection.get_note(nid)["ID"] for nid in collection.find_notes("")}
    assert ids == {q.id for q in questions}
