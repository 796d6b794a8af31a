"""The deck tree and the order Anki's own scheduler introduces new cards in."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from anki_helpers import deck_names, import_apkg, is_extra, new_card_days, question_of

import corpus
from exporter import export_deck

NEW_PER_DAY = 20  # Anki's default


def _guide(tmp_path: Path, sections: int, per_section: int) -> corpus.Corpus:
    """A guide of ``sections`` sections of ``per_section`` questions, each question with
    a sub-section heading, a list of named points and a red flag."""
    text = ["---\ntitle: Big Guide\nslug: big\n---\n"]
    n = 0
    for s in range(1, sections + 1):
        text.append(f"## Section {s}\n\n### Is this a question heading?\n\n<AccordionGroup>\n")
        for _ in range(per_section):
            n += 1
            text.append(
                f'<Accordion title="What is thing {n}?">\n\n**Answer:** Thing {n} has parts.\n\n'
                f"- **Part a{n}**: one.\n- **Part b{n}**: two.\n- **Part c{n}**: three.\n\n"
                f'**Red flag answer:** "Thing {n} has no parts."\n\n</Accordion>\n'
            )
        text.append("</AccordionGroup>\n")
    path = tmp_path / "big.md"
    path.write_text("\n".join(text))
    return corpus.load_guides([path])


@pytest.mark.parametrize(("sections", "per_section"), [(2, 15), (12, 2)])
def test_deck_tree_is_shallow_and_sorted_like_the_guide(
    tmp_path: Path, collection: Collection, sections: int, per_section: int
) -> None:
    data = _guide(tmp_path, sections, per_section)
    summary = export_deck(data, tmp_path / "big.apkg", cards=["points", "red-flag"])
    import_apkg(collection, tmp_path / "big.apkg")
    # no deck for the sub-sections (a heading that reads as a question among them)
    width = len(str(sections))
    sections_decks = {f"Big Guide::{s:0{width}d}. Section {s}" for s in range(1, sections + 1)}
    assert deck_names(collection) == {"Big Guide", "Big Guide::Extra cards"} | sections_decks
    assert summary.decks == len(sections_decks) + 2
    # Anki lists (and gathers) decks by name: the sections come in the guide's order
    listed = [d.name for d in collection.decks.all_names_and_ids() if "::" in d.name]
    assert listed == [*sorted(sections_decks), "Big Guide::Extra cards"]
    assert [int(name.split("::")[1].split(".")[0]) for name in listed[:-1]] == list(
        range(1, sections + 1)
    )


def test_the_scheduler_starts_with_the_first_section_in_guide_order(tmp_path, collection):
    data = _guide(tmp_path, 2, 15)
    export_deck(data, tmp_path / "big.apkg", cards=["points", "red-flag"])
    import_apkg(collection, tmp_path / "big.apkg")
    days = new_card_days(collection, "Big Guide")
    first = [question_of(c) for c in days[0][:15]]
    assert first == [q.id for q in data.guides[0].questions[:15]]  # section 1, in order
    assert all(collection.decks.name(c.did).endswith("1. Section 1") for c in days[0][:15])
    assert [len(d) for d in days] == [NEW_PER_DAY] * 4 + [10]  # 30 questions, 60 extra cards


def test_no_extra_card_comes_on_its_question_cards_day(tmp_path, collection):
    data = _guide(tmp_path, 2, 15)
    export_deck(data, tmp_path / "big.apkg", cards=["points", "red-flag"])
    import_apkg(collection, tmp_path / "big.apkg")
    days = new_card_days(collection, "Big Guide")
    assert sum(map(len, days)) == 30 * 3
    introduced: dict[str, int] = {}
    for day, cards in enumerate(days):
        for card in cards:
            if not is_extra(card):
                introduced[question_of(card)] = day
    for day, cards in enumerate(days):
        for card in cards:
            if is_extra(card):
                assert introduced[question_of(card)] < day, card.note()["ID"]
        # and a question's two extra cards come on different days too
        extras = [question_of(c) for c in cards if is_extra(c)]
        assert len(extras) == len(set(extras))
