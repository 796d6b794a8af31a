"""An exported package, imported by the official anki library: counts, decks, tags, fields."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from anki.collection import Collection
from anki_helpers import deck_names, import_apkg

import corpus
from exporter import MODEL_NAME, ExportSummary, export_deck

DECKS = {
    "Tiny Test Guide",
    "Tiny Test Guide::1. Storage Basics",
    "Tiny Test Guide::2. Caching",
    "Tiny Test Guide::Extra cards",
}


def _questions(data: corpus.Corpus) -> dict[str, corpus.Question[corpus.Rich]]:
    return {q.id: q for g in data.guides for q in g.questions}


def _notes(col: Collection) -> dict[str, object]:
    """Imported notes by their ID field."""
    return {col.get_note(nid)["ID"]: col.get_note(nid) for nid in col.find_notes("")}


@pytest.fixture
def exported(tiny: corpus.Corpus, tmp_path: Path) -> tuple[ExportSummary, Path]:
    out = tmp_path / "tiny.apkg"
    return export_deck(tiny, out, cards=["red-flag", "follow-ups", "points"]), out


def test_counts_and_decks_match_the_corpus(exported, collection: Collection) -> None:
    summary, out = exported
    log = import_apkg(collection, out)
    assert len(log.new) == summary.notes == 4
    # a question card each, a red-flag card for the 2 notes with one (tiny has no answered
    # follow-ups and no named points)
    assert summary.cards == 6 == collection.card_count()
    assert collection.note_count() == 4
    assert deck_names(collection) == DECKS
    assert summary.decks == len(DECKS)
    assert summary.size == out.stat().st_size
    assert summary.path == str(out)


def test_cards_sit_in_their_section_deck(exported, collection: Collection) -> None:
    import_apkg(collection, exported[1])
    where = {
        "Tiny Test Guide::1. Storage Basics": {
            ("Question", "How do you choose a primary key?"),
            ("Question", "What is a covering index?"),
            ("Question", "Why does replication lag happen?"),  # its sub-section makes no deck
        },
        "Tiny Test Guide::2. Caching": {("Question", "When would you not use a cache?")},
        "Tiny Test Guide::Extra cards": {
            ("Red flag", "How do you choose a primary key?"),
            ("Red flag", "When would you not use a cache?"),
        },
    }
    for deck, cards in where.items():
        found = {
            (c.template()["name"], c.note()["Question"])
            for c in map(collection.get_card, collection.find_cards(f'"deck:{deck}"'))
        }
        assert found == cards


def test_tags_are_all_under_prepdeck(exported, collection: Collection) -> None:
    import_apkg(collection, exported[1])
    notes = _notes(collection)
    assert set(notes["tiny/how-do-you-choose-a-primary-key"].tags) == {
        "prepdeck::tiny",
        "prepdeck::tiny::storage-basics",
        "prepdeck::has::testing",
        "prepdeck::has::red-flag",
        "prepdeck::has::follow-ups",
        "prepdeck::has::code",
        "prepdeck::tag::testing",
    }
    assert set(notes["tiny/why-does-replication-lag-happen"].tags) == {
        "prepdeck::tiny",
        "prepdeck::tiny::storage-basics::replication",
        "prepdeck::has::follow-ups",
        "prepdeck::tag::ops",
        "prepdeck::tag::testing",
    }
    # Anki's own search: a parent tag finds the sub-topic's notes too
    assert len(collection.find_notes("tag:prepdeck::tiny::storage-basics")) == 3
    assert len(collection.find_notes("tag:prepdeck::has::red-flag")) == 2
    assert set(collection.tags.all()) == {t for n in notes.values() for t in n.tags}
    assert all(t.startswith("prepdeck::") for t in collection.tags.all())


def test_fields_hold_the_corpus_html(tiny: corpus.Corpus, exported, collection) -> None:
    import_apkg(collection, exported[1])
    notes = _notes(collection)
    questions = _questions(tiny)
    assert set(notes) == set(questions)
    for qid, q in questions.items():
        note = notes[qid]
        assert note["Question"] == html.escape(q.title)  # no body, no code in these titles
        assert note["Guide"] == "Tiny Test Guide"
        assert note["Source"] == f"{q.source.file}:{q.source.line}"
        if q.testing is not None:
            assert note["What they test"] == q.testing.html
        if len(q.red_flags) == 1:
            assert note["Red flags"] == q.red_flags[0].html
        for follow_up in q.follow_ups:
            assert follow_up.html in note["Follow-ups"]
    covering = notes["tiny/what-is-a-covering-index"]  # a short answer: shown whole
    assert covering["Answer"] == questions["tiny/what-is-a-covering-index"].answer.html
    assert notes["tiny/why-does-replication-lag-happen"]["Topic"] == "Storage Basics › Replication"


def test_code_is_highlighted_and_nothing_raw_gets_through(exported, collection) -> None:
    import_apkg(collection, exported[1])
    notes = _notes(collection)
    answer = notes["tiny/how-do-you-choose-a-primary-key"]["Answer"]
    assert '<span class="k">def</span>' in answer  # Pygments classes, coloured by the CSS
    assert "<table>" in answer
    for note in notes.values():
        for value in note.values():
            lowered = value.lower()
            assert "<script" not in lowered
            assert "onclick" not in lowered
            assert "<div" not in lowered


def test_cards_render_in_anki(exported, collection: Collection) -> None:
    import_apkg(collection, exported[1])
    by_template: dict[str, list] = {}
    for cid in collection.find_cards(""):
        card = collection.get_card(cid)
        by_template.setdefault(card.template()["name"], []).append(card)
    assert {k: len(v) for k, v in by_template.items()} == {"Question": 4, "Red flag": 2}
    for card in by_template["Question"]:
        note = card.note()
        assert note["Question"] in card.question()
        assert note["Topic"] and note["Topic"] in card.question()
        assert note["Answer"] in card.answer()
        assert "Answer" not in card.question().split("</style>", 1)[1]
    for card in by_template["Red flag"]:
        assert "red flag" in card.question()
        assert card.note()["Red flags"] in card.answer()


def test_no_extra_cards_is_one_card_per_question(tiny, tmp_path, collection) -> None:
    out = tmp_path / "plain.apkg"
    summary = export_deck(tiny, out, cards=["none"])
    import_apkg(collection, out)
    assert summary.cards == summary.notes == collection.card_count() == 4
    assert summary.decks == 3  # no extra-cards deck


def test_the_same_export_twice_is_the_same_file(tiny, tmp_path: Path) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_deck(tiny, first, timestamp=1_700_000_000, cards=["red-flag"])
    export_deck(tiny, second, timestamp=1_700_000_000, cards=["red-flag"])
    assert first.read_bytes() == second.read_bytes()


def test_ids_are_stable_so_a_second_import_adds_nothing(tiny, tmp_path, collection) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_deck(tiny, first, timestamp=1_700_000_000)
    export_deck(tiny, second, timestamp=1_700_000_100)
    import_apkg(collection, first)
    log = import_apkg(collection, second)
    assert not log.new
    assert collection.note_count() == 4
    assert deck_names(collection) == DECKS - {"Tiny Test Guide::Extra cards"}
    assert [m.name for m in collection.models.all_names_and_ids()].count(MODEL_NAME) == 1


def test_deck_names_are_safe_for_anki(tmp_path: Path, collection: Collection) -> None:
    # titles that differ only in case are one deck in Anki; "::" would invent a level
    guide = tmp_path / "guides" / "odd.md"
    guide.parent.mkdir()
    guide.write_text(
        "---\ntitle: Odd  Titles\n---\n\n"
        + "".join(
            f'## {topic}\n\n<AccordionGroup>\n\n<Accordion title="{q}">\n\n'
            "**Answer:** Yes.\n\n</Accordion>\n\n</AccordionGroup>\n\n"
            for topic, q in [
                ("Caching", "Why cache?"),
                ("caching", "Why not cache?"),
                ("C++::Templates", "What is SFINAE?"),
            ]
        )
    )
    out = tmp_path / "odd.apkg"
    summary = export_deck(corpus.load_guides([guide]), out)
    import_apkg(collection, out)
    assert deck_names(collection) == {
        "Odd Titles",
        "Odd Titles::1. Caching",  # "caching" is a section of its own, numbered apart
        "Odd Titles::2. caching",
        "Odd Titles::3. C++:Templates",
    }
    assert summary.decks == 4
    assert summary.notes == collection.card_count() == 3
