"""The index part of an edited guide, made from the previous version's part, is the part
a fresh build makes: the same analyses, the same words for typo correction."""

from __future__ import annotations

import itertools
import re

import pytest

import corpus
from search_index import parts

GUIDE = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
SENTENCE = "Consistent hashing minimizes"


def _part(text: str, previous: bytes | None = None) -> bytes:
    guide = corpus.parse_guide(text, "mercor.md")
    return parts.part(guide, None if previous is None else corpus.Previous(data=previous))


def _question_blocks(text: str) -> list[str]:
    """The question sections (``### ...`` to the next heading of that level or above)."""
    return re.findall(r"^### .*?(?=^#{1,3} |\Z)", text, flags=re.M | re.S)


def _edits() -> dict[str, str]:
    blocks = _question_blocks(GUIDE)
    assert len(blocks) > 3 and SENTENCE in GUIDE
    first, second = next(pair for pair in itertools.pairwise(blocks) if "".join(pair) in GUIDE)
    return {
        "a sentence": GUIDE.replace(SENTENCE, "Rendezvous hashing minimizes", 1),
        "a question gone": GUIDE.replace(second, "", 1),
        "a question twice": GUIDE.replace(first, first + first, 1),
        "two questions swapped": GUIDE.replace(first + second, second + first, 1),
        "new words only": GUIDE.replace(SENTENCE, "Zyxwvut qwertyuiop minimizes", 1),
    }


@pytest.mark.parametrize("name", list(_edits()))
def test_an_edited_guide_gets_the_part_a_fresh_build_makes(name: str) -> None:
    text = _edits()[name]
    assert text != GUIDE
    previous = _part(GUIDE)
    assert _part(text, previous) == _part(text)


def test_an_edit_reads_the_words_of_the_documents_it_changed_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = _part(GUIDE)
    read: list[dict] = []
    real = parts.count_words
    monkeypatch.setattr(parts, "count_words", lambda f, w: (read.append(f), real(f, w))[1])
    made = _part(_edits()["a sentence"], previous)
    assert made == _part(_edits()["a sentence"])
    docs = len(corpus.parse_guide(GUIDE, "mercor.md").questions)
    assert 1 <= len(read) <= 2 < docs  # the sentence's document as it was (and no other)


def test_an_unreadable_previous_part_costs_only_reading_everything_again() -> None:
    text = _edits()["a sentence"]
    assert _part(text, b"not a part") == _part(text)
