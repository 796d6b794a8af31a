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


# Answers whose tokens and Markdown differ most: callouts (a quote in the Markdown),
# containers (a bold title), labels taken off ("**A:** text").
COMPONENTS = f"""## Components

### What do components look like in an answer?

**Answer:** {FILLER}

<Tip title="Remember">
{LIST}
</Tip>

<Steps>
<Step title="First step">
{FILLER}
</Step>
<Step title="Second step">
{LIST}
</Step>
</Steps>

<Note>
Nothing here is a main point.
</Note>

**Follow-up:**

**Q:** And a follow-up?

**A:** {FILLER}
"""


def _answers_with_tokens(texts: list[tuple[str, str]]) -> list[tuple[str, list | None]]:
    out = []
    for name, text in texts:
        parsed = corpus.Fragments()
        guide = corpus.parse_guide(text, name, None, parsed)
        out += [
            (a.markdown, parsed.tokens(a)) for q in guide.questions for a in artifact.answers(q)
        ]
    return out


def test_the_parser_s_tokens_read_as_the_answer_s_markdown(shared_guides: Path) -> None:
    """A build reads key points from the tokens the corpus parser made of each answer; an
    export without a build's card table parses the answer's Markdown. Both give the same
    key points for every answer of the fixture and shared guides."""
    files = [
        p
        for folder in (CORPUS_FIXTURES, TINY.parent, STUDY.parent, shared_guides)
        for p in sorted(folder.rglob("*.md*"))
    ]
    texts = [(p.name, p.read_text(encoding="utf-8-sig")) for p in files]
    answers = _answers_with_tokens([*texts, ("components.mdx", COMPONENTS)])
    assert all(tokens is not None for _, tokens in answers)
    from_tokens = [key_points(markdown, tokens) for markdown, tokens in answers]
    assert from_tokens == [key_points(markdown) for markdown, _ in answers]
    assert len(answers) > 1000
    assert sum(bool(p.points) for p in from_tokens) > 50
    assert sum(bool(p.outline) for p in from_tokens) > 500


def test_containers_and_callouts_read_as_their_markdown() -> None:
    (markdown, tokens), (followup, followup_tokens) = _answers_with_tokens(
        [("components.mdx", COMPONENTS)]
    )
    points = key_points(markdown, tokens)
    assert "<li><strong>First step</strong></li>" in points.outline  # a container's title
    assert "Remember" not in points.outline  # a callout is an aside
    assert [p.leads for p in points.points] == [["Alpha", "Beta", "Gamma"]]  # the step's
    assert key_points(followup, followup_tokens).outline.startswith('<p class="pd-lead">Filler')


def test_a_build_reads_answers_from_the_parser_s_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = []

    def recorded(markdown: str, tokens=None):
        given.append(tokens is not None)
        return key_points(markdown, tokens)

    monkeypatch.setattr(artifact, "key_points", recorded)
    guide = tmp_path / "components.mdx"
    guide.write_text(COMPONENTS, encoding="utf-8")
    corpus.build([guide], tmp_path / "out", [artifact.ARTIFACT], processes=1)
    assert given == [True, True]


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
