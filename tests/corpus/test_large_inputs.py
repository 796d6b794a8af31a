"""Long runs of one thing parse to what a few of them parse to, in time linear in their length.

Each input once took time quadratic in its size (a fuzzer found them): at these sizes,
seconds to minutes each, where now the whole file takes a second or two. The tests assert
what the input parses to, never how long it took: a return of the old cost shows as a
test that runs for seconds.
"""

from __future__ import annotations

import pytest

import corpus


def _parse(text: str) -> corpus.Guide[corpus.Rich]:
    return corpus.parse_guide(text, "large.mdx")


def _text(rich: corpus.Rich | None) -> str:
    assert rich is not None
    return rich.text


def test_a_bold_lead_in_with_a_long_run_of_colons_is_no_label() -> None:
    n = 60_000
    guide = _parse("## T\n\n**a" + ":" * n + "b:** x\n")
    assert [t.title for t in guide.topics] == ["T"]
    assert guide.questions == []
    assert _text(guide.topics[0].notes) == "a" + ":" * n + "b: x"


def test_an_accordion_title_with_a_long_run_of_colons_is_no_placeholder() -> None:
    n = 40_000
    guide = _parse('<Accordion title="a' + ":" * n + 'b">\nx\n</Accordion>\n')
    assert _text(guide.intro) == "a" + ":" * n + "b\n\nx"


@pytest.mark.parametrize(
    "heading,title,topic_id",
    [
        ("## a" + " " * 100_000 + "b", "a b", "large/a-b"),
        ("## a" + " " * 100_000 + "b {#pinned}", "a b", "large/pinned"),
        ("## T " + "{#" * 30_000 + "}x", "T " + "{#" * 30_000 + "}x", "large/t-x"),
    ],
    ids=["spaces", "spaces-then-pinned-id", "braces"],
)
def test_a_heading_with_a_long_run_of_spaces_or_braces(
    heading: str, title: str, topic_id: str
) -> None:
    [topic] = _parse(heading + "\n").topics
    assert (topic.title, topic.id) == (title, topic_id)


def test_jsx_comment_openers_without_a_close_of_their_own_are_text() -> None:
    n = 10_000
    guide = _parse("{/* x\n\n" * n + "*/} y\n")
    assert _text(guide.intro) == "\n\n".join(["{/* x"] * n + ["*/} y"])


def test_a_paragraph_of_lines_that_start_with_a_less_than_sign() -> None:
    n = 8_000
    guide = _parse("a\n" + "<3\n" * n)
    assert _text(guide.intro) == "a" + " <3" * n


def test_a_list_of_thousands_of_questions() -> None:
    n = 8_000
    guide = _parse("## Questions\n\n" + "".join(f"- What is {k}?\n" for k in range(n)))
    assert [q.title for q in guide.questions] == [f"What is {k}?" for k in range(n)]
    assert guide.questions[-1].source.line == n + 2


@pytest.mark.parametrize(
    "title,slug", [("A", "a"), ("？", "topic")], ids=["letter", "no-letter-at-all"]
)
def test_thousands_of_headings_with_one_title_get_numbered_ids(title: str, slug: str) -> None:
    n = 10_000
    guide = _parse(f"## {title}\n" * n)
    assert [t.id for t in guide.topics] == [f"large/{slug}"] + [
        f"large/{slug}-{k}" for k in range(2, n + 1)
    ]


def test_thousands_of_one_question_in_one_topic_get_numbered_ids() -> None:
    n = 16_000
    guide = _parse("## Basics questions\n" + "- What is X?\n" * n)
    base = "large/what-is-x-basics-questions-empty"
    assert [q.id for q in guide.questions] == [base] + [f"{base}-{k}" for k in range(2, n + 1)]
    repeats = [w for w in guide.warnings if w.message.startswith("duplicate question")]
    assert [w.line for w in repeats] == list(range(3, n + 2))


def test_paragraphs_between_headings_without_blank_lines() -> None:
    n = 6_000
    guide = _parse("".join(f"a\n# b{k}\n" for k in range(n)))
    assert [t.title for t in guide.topics] == [f"b{k}" for k in range(n)]
    assert _text(guide.topics[0].notes) == "a"
    assert _text(guide.intro) == "a"


def test_unclosed_callouts_are_each_reported() -> None:
    n = 10_000
    guide = _parse("<Tip>\n\n" * n)
    unclosed = [(w.line, w.message) for w in guide.warnings if w.message.startswith("unclosed")]
    assert unclosed == [(2 * k + 1, "unclosed <Tip>") for k in range(n)]


@pytest.mark.parametrize(
    ("block", "n"), [("<!-- c\n\n", 20_000), ("<details ", 40_000)], ids=["comments", "one-line"]
)
def test_many_unclosed_tags_in_html_are_kept_as_text(block: str, n: int) -> None:
    """Tags are stripped from raw HTML as it is rendered; a "<" without its ">" is text. A
    tag holds no "<", so thousands of them are read once, not each to the end."""
    guide = _parse("## What is x?\n\n" + block * n + "\n\nend\n")
    (question,) = guide.questions
    assert question.answer is not None
    assert question.answer.text.count(block.split()[0]) == n
