"""The cards a learner studies, as Anki renders them: short backs, fronts that ask, folds
that keep everything, and a note of its own for each follow-up and list of named points."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from anki_helpers import STUDY, import_apkg, visible_text, visible_words
from msgspec.structs import replace

import corpus
from exporter import export_deck
from exporter.notetype import FOLLOW_UP_MODEL, POINTS_MODEL

EXAMPLE = Path(__file__).parents[2] / "docs" / "card-example.md"
QUEUE = "study/when-do-you-reach-for-a-queue"
FOLLOW_UPS = ("How do you make a consumer idempotent?", "What is a dead-letter queue?")


@pytest.fixture(scope="module")
def study() -> corpus.Corpus:
    return corpus.load_guides([STUDY])


def _edit(data: corpus.Corpus, qid: str, **changes) -> corpus.Corpus:
    """``data`` with one question's fields replaced (what the corpus parser will fill)."""
    guides = [
        replace(g, questions=[replace(q, **changes) if q.id == qid else q for q in g.questions])
        for g in data.guides
    ]
    return replace(data, guides=guides)


def _rich(markdown: str) -> corpus.Rich:
    return corpus.render_markdown(markdown)


def _cards(col: Collection, search: str = "") -> dict[str, object]:
    """Rendered cards by "ID@template"."""
    out = {}
    for cid in col.find_cards(search):
        card = col.get_card(cid)
        out[f"{card.note()['ID']}@{card.template()['name']}"] = card
    return out


def _import(col: Collection, data: corpus.Corpus, out: Path, **options) -> dict[str, object]:
    export_deck(data, out, timestamp=1_700_000_000, **options)
    import_apkg(col, out)
    return _cards(col)


def test_a_long_answer_leads_with_its_outline_and_folds_the_rest(study, tmp_path, collection):
    card = _import(collection, study, tmp_path / "s.apkg")[f"{QUEUE}@Question"]
    back = card.answer()
    seen = visible_text(back)
    # what they test, the opening sentences, the labels and the named leads, then the fold
    assert "Whether you separate the pace of producers" in seen
    assert "A queue decouples producers from consumers." in seen
    assert "The three delivery guarantees: At most once · At least once · Exactly once" in seen
    assert "Full answer" in seen and "Follow-up questions" in seen
    assert "That is all there is to it." not in seen  # the end of the answer is folded...
    assert "That is all there is to it." in back  # ...but on the card
    assert "A queue makes everything faster." in seen  # the red flag stays short and open
    words = len(study.guides[0].questions[0].answer.text.split())
    assert visible_words(back) < words / 2
    assert "<script" not in back.split("</style>", 1)[1]  # a fold needs no JavaScript


def test_a_short_answer_is_shown_whole(study, tmp_path, collection):
    card = _import(collection, study, tmp_path / "s.apkg")["study/what-is-back-pressure@Question"]
    assert "Slowing producers down" in visible_text(card.answer())
    assert "Full answer" not in card.answer()


def test_fronts_ask_with_code_and_body(study, tmp_path, collection):
    body = _rich("```python\nqueue.put(job)\n```\n\n- a) a list\n- b) a deque\n")
    data = _edit(study, QUEUE, body=body)
    card = _import(collection, data, tmp_path / "s.apkg")[f"{QUEUE}@Question"]
    front = card.question()
    assert "When do you reach for a <code>queue</code>?" in front  # not `queue`
    assert '<span class="n">queue</span>' in front  # the body, highlighted, on the front
    assert "b) a deque" in visible_text(front)
    assert "decouples" not in front


def test_named_points_get_a_card_that_asks_for_them(study, tmp_path, collection):
    cards = _import(collection, study, tmp_path / "s.apkg")
    (points,) = [c for key, c in cards.items() if key.startswith(f"{QUEUE}#points-")]
    assert points.note_type()["name"] == POINTS_MODEL
    front = visible_text(points.question())
    assert "When do you reach for a queue?" in front
    assert "The three delivery guarantees: Name all 3." in front
    back = visible_text(points.answer())
    assert "At most once At least once Exactly once" in back
    assert "a message may be lost" not in back  # the explanations are folded
    assert "a message may be lost" in points.answer()


def test_each_answered_follow_up_gets_a_card(study, tmp_path, collection):
    answers = [None, _rich("A queue of the messages that failed too often, kept for a human.")]
    cards = _import(collection, _edit(study, QUEUE, follow_up_answers=answers), tmp_path / "s")
    (card,) = [c for key, c in cards.items() if "#follow-up-" in key]
    assert card.note_type()["name"] == FOLLOW_UP_MODEL
    front = visible_text(card.question())
    assert "Follow-up to When do you reach for a queue?" in front
    assert FOLLOW_UPS[1] in front and "failed too often" not in front
    assert "failed too often" in visible_text(card.answer())
    # the question card keeps every follow-up and that answer, folded
    question = cards[f"{QUEUE}@Question"].answer()
    assert FOLLOW_UPS[0] in question and "failed too often" in question


def test_follow_up_notes_belong_to_their_text_not_their_place(study, tmp_path, collection):
    def export(follow_ups: list[str], name: str) -> dict[str, str]:
        texts = [_rich(f'"{f}"') for f in follow_ups]
        answers = [_rich(f"About: {f}") for f in follow_ups]
        data = _edit(study, QUEUE, follow_ups=texts, follow_up_answers=answers)
        _import(collection, data, tmp_path / name)
        notes = [collection.get_note(n) for n in collection.find_notes("note:prepdeck*follow-up")]
        return {n["Follow-up"]: n.guid for n in notes}

    first = export(list(FOLLOW_UPS), "a.apkg")
    second = export(["Why not a database table?", *FOLLOW_UPS], "b.apkg")
    assert len(first) == 2 and len(second) == 3
    assert all(second[text] == guid for text, guid in first.items())  # nothing moved


def test_extra_kinds_follow_the_cards_option(study, tmp_path):
    answers = [_rich("Make handling twice the same as once."), None]
    data = _edit(study, QUEUE, follow_up_answers=answers)

    def cards(*kinds: str) -> int:
        return export_deck(data, tmp_path / "k.apkg", cards=list(kinds)).cards

    question_cards = 3
    assert cards("none") == question_cards
    assert cards() == cards("follow-ups", "points") == question_cards + 1 + 1
    assert cards("red-flag") == question_cards + 2
    assert cards("follow-ups", "points", "red-flag") == question_cards + 4


def test_relative_links_are_absolute_with_a_base_url_else_text(study, tmp_path, collection):
    base = "https://example.org/handbook/"
    card = _import(collection, study, tmp_path / "s.apkg", base_url=base)[f"{QUEUE}@Question"]
    answer = card.answer()
    assert '<a href="https://example.org/guides/retries">retries guide</a>' in answer
    assert "#choosing-a-guarantee" not in answer and "the section below" in answer

    plain = Collection(str(tmp_path / "plain.anki2"))
    try:
        answer = _import(plain, study, tmp_path / "p.apkg")[f"{QUEUE}@Question"].answer()
    finally:
        plain.close()
    assert "retries guide" in answer and "<a href" not in answer


def test_a_guide_s_frontmatter_base_url_makes_its_links_absolute(study, tmp_path, collection):
    guides = [replace(g, base_url="https://example.org/handbook/") for g in study.guides]
    card = _import(collection, replace(study, guides=guides), tmp_path / "f.apkg")
    answer = card[f"{QUEUE}@Question"].answer()
    assert '<a href="https://example.org/guides/retries">retries guide</a>' in answer


def test_the_readme_pictures_guide_has_the_cards_they_show(tmp_path, collection):
    # docs/make_card_images.py pictures a question card and a follow-up card of it
    cards = _import(collection, corpus.load_guides([EXAMPLE]), tmp_path / "example.apkg")
    assert {key.split("@")[1] for key in cards} == {"Question", "Follow-up", "Named points"}
