"""Filters: guides, topics with their sub-topics, tags, card kinds; errors before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from anki_helpers import TINY, TINY_V2, deck_names, import_apkg

import corpus
import exporter
from exporter import (
    BadBaseUrl,
    EmptySelection,
    ExportError,
    UnknownCardKind,
    UnknownSelection,
    export_deck,
)


def test_public_names() -> None:
    assert set(exporter.__all__) == {
        "ARTIFACT",
        "CARD_KINDS",
        "DEFAULT_CARDS",
        "MODEL_NAME",
        "NO_EXTRA_CARDS",
        "BadBaseUrl",
        "EmptySelection",
        "ExportError",
        "ExportSummary",
        "UnknownCardKind",
        "UnknownSelection",
        "card_kinds",
        "export_deck",
    }
    assert exporter.CARD_KINDS == ("follow-ups", "points", "red-flag")
    assert exporter.DEFAULT_CARDS == ("follow-ups", "points")
    for error in (UnknownSelection, EmptySelection, UnknownCardKind, BadBaseUrl):
        assert issubclass(error, ExportError)


@pytest.mark.parametrize(
    ("filters", "notes", "decks"),
    [
        ({"topics": ["tiny/storage-basics"]}, 3, 2),  # with its sub-topic
        ({"topics": ["replication"]}, 1, 2),  # short form; its section's deck
        ({"topics": ["tiny/caching", "tiny/replication"]}, 2, 3),
        ({"tags": ["ops"]}, 1, 2),
        ({"tags": ["OPS", "caching"]}, 2, 3),
        ({"guides": ["tiny"], "tags": ["testing"]}, 4, 3),
        ({"topics": ["tiny/storage-basics"], "tags": ["ops"]}, 1, 2),
    ],
)
def test_filters_choose_questions(tiny, tmp_path: Path, filters, notes, decks) -> None:
    summary = export_deck(tiny, tmp_path / "x.apkg", **filters)
    assert (summary.notes, summary.decks) == (notes, decks)


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        ({"guides": ["nope"]}, UnknownSelection, 'unknown guide "nope"; guides: tiny'),
        ({"topics": ["nope"]}, UnknownSelection, 'unknown topic "nope" in guide(s) tiny'),
        ({"tags": ["nope"]}, UnknownSelection, 'unknown tag "nope"; no question has it'),
        (
            {"topics": ["tiny/caching"], "tags": ["ops"]},
            EmptySelection,
            "no question matches topic 'tiny/caching', tag 'ops'",
        ),
        (
            {"cards": ["red-flag", "cloze"]},
            UnknownCardKind,
            'unknown card kind "cloze"; choose from follow-ups, points, red-flag, none',
        ),
        (
            {"base_url": "example.org/guides"},
            BadBaseUrl,
            "base URL 'example.org/guides' is not an absolute http(s) URL",
        ),
    ],
)
def test_bad_filters_are_errors_and_write_nothing(
    tiny, tmp_path: Path, filters, error, message
) -> None:
    out = tmp_path / "x.apkg"
    with pytest.raises(error) as info:
        export_deck(tiny, out, **filters)
    assert str(info.value) == message
    assert list(tmp_path.iterdir()) == []


def test_card_kinds_are_forgiving_about_case_and_blanks(tiny, tmp_path: Path) -> None:
    summary = export_deck(tiny, tmp_path / "x.apkg", cards=["", " Red-Flag "])
    assert summary.cards == 4 + 2


def test_card_kinds_default_and_none() -> None:
    assert exporter.card_kinds(None) == exporter.card_kinds(["", " "]) == {"follow-ups", "points"}
    assert exporter.card_kinds(["none"]) == frozenset()
    assert exporter.card_kinds(["RED-FLAG", "points"]) == {"red-flag", "points"}
    with pytest.raises(UnknownCardKind, match='"none" goes with no other card kind'):
        exporter.card_kinds(["none", "points"])


def test_an_export_replaces_the_old_file_whole(tiny, tmp_path: Path) -> None:
    out = tmp_path / "x.apkg"
    out.write_bytes(b"old")
    export_deck(tiny, out)
    with pytest.raises(UnknownSelection):
        export_deck(tiny, out, guides=["nope"])
    assert out.read_bytes()[:2] == b"PK"  # the failed export left the good one alone
    assert [p.name for p in tmp_path.iterdir()] == ["x.apkg"]


def test_several_guides_get_one_deck_tree_each(tmp_path: Path, collection: Collection) -> None:
    # a second guide of the same title: its deck tree gets its slug added
    copy = tmp_path / "guides" / "copy.md"
    copy.parent.mkdir()
    copy.write_text(TINY_V2.read_text().replace("slug: tiny", "slug: tiny-2"))
    both = corpus.load_guides([TINY, copy])
    assert [g.slug for g in both.guides] == ["tiny", "tiny-2"]
    out = tmp_path / "both.apkg"
    summary = export_deck(both, out)
    import_apkg(collection, out)
    roots = {name.split("::")[0] for name in deck_names(collection)}
    assert roots == {"Tiny Test Guide", "Tiny Test Guide (tiny-2)"}
    assert summary.notes == collection.note_count() == 9
    assert summary.decks == 6 == len(deck_names(collection))

    only = export_deck(both, tmp_path / "v2.apkg", guides=["tiny-2"])
    assert only.notes == 5
