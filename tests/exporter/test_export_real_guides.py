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
    summary = export_deck(data, out, cards=["red-flag", "follow-ups", "points"])

    log = import_apkg(collection, out)
    assert summary.notes == collection.note_count() == len(log.new)
    ids = {collection.get_note(nid)["ID"] for nid in collection.find_notes("")}
    assert {i for i in ids if "#" not in i} == {q.id for q in questions}
    follow_ups = sum(a is not None for q in questions for a in q.follow_up_answers)
    assert len({i for i in ids if "#follow-up-" in i}) == follow_ups
    assert len(ids) == summary.notes  # no two notes alike
    red_flags = sum(bool(q.red_flags) for q in questions)
    assert summary.cards == summary.notes + red_flags == collection.card_count()
    assert summary.decks == len(deck_names(collection))
    names = deck_names(collection)
    assert {name.split("::")[0] for name in names} == {g.title for g in data.guides}
    # a shallow tree of sections: at most 3 levels, a deck per 4 notes, none a question
    assert max(name.count("::") + 1 for name in names) <= 3
    assert len(names) <= summary.notes / 4
    titles = {q.title.casefold() for q in questions}
    assert not [n for n in names if n.split("::")[-1].split(". ", 1)[-1].casefold() in titles]
