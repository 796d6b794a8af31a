"""Importing a newer export of a changed guide: updated in place, history kept, no copies."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki_helpers import deck_names, import_apkg

import corpus
from exporter import export_deck

T0 = 1_700_000_000  # the first export; the second is "a day later"
COVERING = "tiny/what-is-a-covering-index"


def _note_ids(col: Collection) -> dict[str, int]:
    ids: dict[str, int] = {}
    for nid in col.find_notes(""):
        key = col.get_note(nid)["ID"]
        assert key not in ids, f"duplicate note {key}"
        ids[key] = nid
    return ids


def _publish(data: corpus.Corpus, col: Collection, out: Path, stamp: float, **options):
    """Export ``data`` as made at ``stamp`` and import it into ``col``; the import log."""
    export_deck(data, out, timestamp=stamp, **options)
    return import_apkg(col, out)


def test_newer_export_updates_adds_and_keeps_history(
    tiny: corpus.Corpus, tiny_v2: corpus.Corpus, tmp_path: Path, collection: Collection
) -> None:
    _publish(tiny, collection, tmp_path / "v1.apkg", T0)
    before = _note_ids(collection)

    # study the card of a note that the next version changes
    (cid,) = collection.find_cards(f'"ID:{COVERING}"')
    card = collection.get_card(cid)
    card.start_timer()
    collection.sched.answerCard(card, 4)  # Easy: it graduates with an interval
    card.load()
    ivl, reps = card.ivl, card.reps
    assert ivl > 0 and reps == 1
    revlog = collection.db.list("select id from revlog where cid = ?", cid)
    assert len(revlog) == 1

    log = _publish(tiny_v2, collection, tmp_path / "v2.apkg", T0 + 86_400, cards=["red-flag"])

    after = _note_ids(collection)

    def after_id(logged_note) -> str:
        return collection.get_note(logged_note.id.nid)["ID"]

    assert set(after) == set(before) | {"tiny/how-do-you-invalidate-a-cache"}
    assert all(after[k] == before[k] for k in before)  # the same notes, not copies
    logged = {kind: {after_id(n) for n in getattr(log, kind)} for kind in ("new", "updated")}
    assert logged["new"] == {"tiny/how-do-you-invalidate-a-cache"}
    assert {COVERING, "tiny/why-does-replication-lag-happen"} <= logged["updated"]
    new_answer = next(q for q in tiny_v2.guides[0].questions if q.id == COVERING).answer
    assert collection.get_note(after[COVERING])["Answer"] == new_answer.html
    assert "index-only scan" in collection.get_card(cid).answer()

    card.load()  # the studied card is still there, with its schedule and history
    assert (card.ivl, card.reps) == (ivl, reps)
    assert collection.db.list("select id from revlog where cid = ?", cid) == revlog

    # red-flag cards for the notes that have a red flag now, the new note's card, no others
    assert collection.card_count() == 4 + 1 + 3
    assert deck_names(collection) >= {"Tiny Test Guide::2. Caching", "Tiny Test Guide::Extra cards"}


def test_an_edit_made_in_anki_survives_an_older_export(
    tiny: corpus.Corpus, tiny_v2: corpus.Corpus, tmp_path: Path, collection: Collection
) -> None:
    _publish(tiny, collection, tmp_path / "v1.apkg", T0)
    note = collection.get_note(_note_ids(collection)[COVERING])
    note["Answer"] = "my own words"
    collection.update_note(note)  # edited now, after both exports were made
    _publish(tiny_v2, collection, tmp_path / "v2.apkg", T0 + 86_400)
    assert collection.get_note(note.id)["Answer"] == "my own words"


def test_a_switch_field_turns_an_optional_card_on_in_anki(
    tiny: corpus.Corpus, tmp_path: Path, collection: Collection
) -> None:
    _publish(tiny, collection, tmp_path / "tiny.apkg", T0)
    note = collection.get_note(_note_ids(collection)["tiny/how-do-you-choose-a-primary-key"])
    assert len(note.cards()) == 1
    note["Add red-flag card"] = "y"
    collection.update_note(note)
    assert [c.template()["name"] for c in note.cards()] == ["Question", "Red flag"]


def _twins(tmp_path: Path, sections: list[tuple[str, list[str]]]) -> corpus.Corpus:
    """A guide of sections whose questions all ask "What is the output?" (answers given)."""
    text = ["---\ntitle: Twins\nslug: twins\n---\n"]
    for section, answers in sections:
        text.append(f"## {section}\n\n<AccordionGroup>\n")
        for answer in answers:
            text.append(
                f'<Accordion title="What is the output?">\n\n**Answer:** It prints {answer}.\n\n'
                f"**Follow-up Q&A:**\n- **Q:** Why {answer}?\n  **A:** Because of {answer}.\n\n"
                "</Accordion>\n"
            )
        text.append("</AccordionGroup>\n")
    path = tmp_path / f"twins-{len(text)}.md"
    path.write_text("\n".join(text))
    return corpus.load_guides([path])


def test_a_repeated_title_inserted_moves_no_content(tmp_path: Path, collection: Collection):
    old = _twins(tmp_path, [("Closures", ["one"]), ("Promises", ["two"])])
    _publish(old, collection, tmp_path / "v1.apkg", T0)

    def content() -> dict[int, str]:
        """What each note says (its answer, or its follow-up's answer)."""
        return {n: collection.get_note(n)["Answer"] for n in collection.find_notes("")}

    before = content()
    assert len(before) == 4  # two questions, each with an answered follow-up
    new = _twins(
        tmp_path,
        [("Closures", ["zero", "one"]), ("Generators", ["three"]), ("Promises", ["two"])],
    )
    old_ids = {q.id for q in old.guides[0].questions}
    log = _publish(new, collection, tmp_path / "v2.apkg", T0 + 86_400)
    after = content()
    assert all(after[nid] == text for nid, text in before.items())  # nothing moved
    assert not log.conflicting
    # new notes only for questions with new ids: the inserted twins, and the question
    # whose title gained a twin in its own topic (the corpus retires its old id)
    renamed = [q for q in new.guides[0].questions if q.id not in old_ids]
    assert len(renamed) == 3 and len(log.new) == 2 * len(renamed)
    kept = next(q for q in new.guides[0].questions if q.id in old_ids)
    assert "two" in kept.answer.text  # the Promises question kept its id, so its note
