"""Blocks nested deeper than markdown-it reads lose nothing: their text is kept, plain,
with a warning, and the guide goes on after them as usual."""

from __future__ import annotations

import pytest

import corpus
from corpus.reader import MAX_NESTING

WARNING = "nested over 20 levels deep (a list counts two): the text inside is kept as plain text"
DEEP_LIST = "".join("  " * n + f"- item {n}\n" for n in range(14))  # 28 levels


def _guide(body: str) -> corpus.Guide[corpus.Rich]:
    return corpus.parse_guide(f"## What is a?\n\n{body}\n## What is b?\n\nB.\n", "deep.md")


@pytest.mark.parametrize(
    "body",
    [
        ">" * MAX_NESTING + " deep words\n",
        ">" * (MAX_NESTING + 5) + " deep words\n> > lazy after\n",
        "> - " * 9 + "deep words\n",
        "1. " + "- " * 25 + "deep words\n",
        DEEP_LIST + "    " * 10 + "deep words, indented\n",
    ],
    ids=["quotes at the limit", "quotes past it", "quotes in lists", "items", "a list"],
)
def test_text_nested_too_deep_is_kept_with_a_warning(body: str) -> None:
    guide = _guide(body)
    assert [q.title for q in guide.questions] == ["What is a?", "What is b?"]
    answer = guide.questions[0].answer
    assert answer is not None and "deep words" in answer.text and "deep words" in answer.html
    assert guide.questions[1].answer is not None and guide.questions[1].answer.text == "B."
    assert [w.message.split("and lists ")[-1] for w in guide.warnings] == [WARNING]
    assert guide.warnings[0].line > 2


def test_a_deep_list_keeps_every_item_and_what_follows_it() -> None:
    guide = _guide(DEEP_LIST + "\nAfter the list.\n")
    text = guide.questions[0].answer.text  # type: ignore[union-attr]
    assert all(f"item {n}" in text for n in range(14))
    assert text.rstrip().endswith("After the list.")
    assert guide.warnings[0].line == 3 + MAX_NESTING // 2 - 1  # item 9, the tenth list in


def test_text_just_within_the_limit_is_read_as_markdown() -> None:
    guide = _guide(">" * (MAX_NESTING - 1) + " **deep** words\n")
    assert guide.warnings == []
    assert "<strong>deep</strong>" in guide.questions[0].answer.html  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    ["> " * (MAX_NESTING + 1) + "deep\nlazy\n", DEEP_LIST + "deep\nlazy\n"],
    ids=["a quote", "a list"],
)
def test_a_lazy_line_goes_on_with_the_deep_text_as_it_would_above(body: str) -> None:
    answer = _guide(body).questions[0].answer
    assert answer is not None and answer.text.endswith("deep lazy")


def test_deep_quotes_one_after_another_in_one_quote_are_read_in_linear_time() -> None:
    """Each deep passage once made every quote around it measure the rest of the quote
    again: a thousand of them (50 KB) took twenty seconds. Now well under one."""
    body = "".join("> " * (MAX_NESTING + 1) + f"a{i}\n> b{i}\n" for i in range(1000))
    text = _guide(body).questions[0].answer.text  # type: ignore[union-attr]
    assert all(f"a{i}" in text and f"b{i}" in text for i in range(1000))
