"""Key points read from an answer's structure: the outline a card's back leads with, and
the named points that get cards of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_helpers import STUDY, TINY

import corpus
from exporter import artifact, keypoints
from exporter.keypoints import LEAD_WORDS, SHORT_ANSWER, key_points

CORPUS_FIXTURES = Path(__file__).parents[1] / "corpus" / "fixtures"

FILLER = "Filler words pad this answer out so that it counts as long. " * 12  # > SHORT_ANSWER
LIST = "- **Alpha**: first.\n- **Beta**: second.\n- **Gamma**: third.\n"
OPENING = " ".join(FILLER.split()[:24])  # two 12-word sentences fit in LEAD_WORDS, not three


def test_a_short_answer_is_shown_whole() -> None:
    points = key_points("Slowing producers down when consumers lag.")
    assert points.whole and points.outline == "" and points.points == []
    assert len(FILLER.split()) > SHORT_ANSWER


@pytest.mark.parametrize(
    ("markdown", "outline"),
    [
        pytest.param(
            f"One short sentence. Another one.\n\n{FILLER}",
            '<p class="pd-lead">One short sentence. Another one.</p>',
            id="opening-sentences",
        ),
        pytest.param(
            "First sentence is here. " + "Second sentence runs on and on. " * 8 + "\n\n" + FILLER,
            '<p class="pd-lead">First sentence is here. Second sentence runs on and on. '
            "Second sentence runs on and on. Second sentence runs on and on. Second sentence "
            "runs on and on. Second sentence runs on and on.</p>",
            id="cut-at-a-sentence-within-the-budget",
        ),
        pytest.param(
            f"Lead **bold. Not a cut.** Then more words here. And more.\n\n{FILLER}",
            '<p class="pd-lead">Lead <strong>bold. Not a cut.</strong> Then more words here. '
            "And more.</p>",
            id="never-cut-inside-formatting",
        ),
        pytest.param(
            f"{FILLER}\n\n**The parts:**\n\n{LIST}\n**Why it matters:** because.\n\n### Heading\n",
            f'<p class="pd-lead">{OPENING}</p><ul class="pd-outline">'
            "<li><strong>The parts</strong>: Alpha · Beta · Gamma</li>"
            "<li><strong>Why it matters</strong></li><li>Heading</li></ul>",
            id="labels-lists-headings",
        ),
        pytest.param(
            f"{FILLER}\n\n**Tip:**\n\n> **Not a point:** an aside.\n\n<Note>\n\n**Nor this:**\n\n"
            f"{LIST}\n</Note>\n",
            f'<p class="pd-lead">{OPENING}</p>',
            id="callouts-and-components-are-asides",
        ),
        pytest.param("```python\n" + "x = 1\n" * 80 + "```\n", "", id="all-code"),
    ],
)
def test_the_outline(markdown: str, outline: str) -> None:
    points = key_points(markdown)
    assert not points.whole
    assert points.outline == outline


def test_the_cases_above_fit_the_budget() -> None:
    # two filler sentences (24 words) fit and three (36) do not; 4 + 5 * 6 words fit
    assert 34 <= LEAD_WORDS < 36


@pytest.mark.parametrize(
    ("markdown", "intro", "leads"),
    [
        ("**The parts:**\n\n" + LIST, "<strong>The parts:</strong>", ["Alpha", "Beta", "Gamma"]),
        (LIST, "", ["Alpha", "Beta", "Gamma"]),
        (
            "1. **`one`** first\n2. **two** second\n3. **three** third\n",
            "",
            ["<code>one</code>", "two", "three"],
        ),
    ],
    ids=["with-intro", "bare", "ordered-with-code"],
)
def test_named_points(markdown: str, intro: str, leads: list[str]) -> None:
    (points,) = key_points(markdown).points
    assert (points.intro, points.leads) == (intro, leads)
    assert points.html.startswith(("<ul>", "<ol>")) and "first" in points.html


@pytest.mark.parametrize(
    "markdown",
    [
        "- **Alpha**: one.\n- **Beta**: two.\n",  # two items compare, they do not enumerate
        LIST + "- and a plain item\n",  # every item must open with a bold name
        LIST.replace("Alpha", "A whole sentence in bold that is far too long"),
        f"<Tip>\n\n{LIST}\n</Tip>\n",  # inside a callout
    ],
    ids=["two-items", "a-plain-item", "a-long-lead", "in-a-callout"],
)
def test_not_named_points(markdown: str) -> None:
    assert key_points(markdown).points == []


def test_reading_blocks_first_gives_what_a_whole_parse_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Inline Markdown is parsed on demand; the key points of every answer of the fixture
    guides are the same as when each answer is parsed whole."""
    guides = corpus.load_guides([CORPUS_FIXTURES, TINY, STUDY]).guides
    answers = [a.markdown for g in guides for q in g.questions for a in artifact.answers(q)]
    answers += [
        f"**Label:** {FILLER}\n\n{LIST}",
        f"## Heading \\# one\n\n{FILLER}\n\n1. **A** x\n",
        "- **A \\* B &amp; C**: x\n- **D** y\n- **E** z\n",  # escapes: text joined
        f"{FILLER}\n\n{LIST}\n[Back to top](#top)\n",  # parsed whole either way
    ]
    lazy = [key_points(a) for a in answers]
    monkeypatch.setattr(keypoints, "parse_whole", lambda markdown: True)
    assert [key_points(a) for a in answers] == lazy
    assert len(answers) > 50 and any(p.points for p in lazy) and any(p.outline for p in lazy)


@pytest.mark.parametrize("words", [3, SHORT_ANSWER + 30])
def test_formatting_nested_too_deeply_to_walk_has_no_key_points(words: int) -> None:
    """Thousands of bold spans one inside another: the answer has no outline (a card shows
    it whole if short, else below the fold), and the build goes on."""
    markdown = "*" * 6000 + "x" + "*" * 6000 + " word" * words
    assert key_points(markdown) == keypoints.KeyPoints(whole=words <= SHORT_ANSWER)


def test_formatting_nested_hundreds_deep_is_read_like_any_other() -> None:
    markdown = "*" * 500 + "x" + "*" * 500 + " word" * (SHORT_ANSWER + 30)
    outline = key_points(markdown).outline
    assert outline.startswith('<p class="pd-lead">' + "<strong>" * 250 + "x" + "</strong>" * 250)
