"""No text is lost: every sentence of every guide ends up in a question, a topic or the intro.

The oracle reads the source lines itself (not through the parser): prose, list items,
table rows and container titles outside code fences, with what is structure by design
taken off (heading marks, labels, ``Q:``/``A:`` and ``Follow-up:`` leads, list markers,
tags, link targets, emoji shortcodes). Raw JSX blocks (``<div>``/``<svg>``), frontmatter,
navigation links, placeholder titles ("Show answer") and a page-title ``#`` heading that the
frontmatter's title replaces are not content and are skipped.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import corpus
from corpus import Guide, Rich
from corpus.labels import clean_title
from corpus.titles import is_placeholder

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".md", ".mdx"))

_LEAD = re.compile(
    r"^(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*)+"  # block markers
)
_LABEL = re.compile(r"^\*\*[^*]{1,80}?\*\*:?|^(?:\*\*)?(?:Q|A)\d*\s*[:.)]\s*")
_FOLLOW = re.compile(r"^(?:follow[- ]?ups?|going deeper)\s*[:.)—–-]\s*", re.I)
_TAG = re.compile(r"<[^>]*>")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_ANCHOR_ONLY = re.compile(r"^[^\w]*(?:\d+[^\w]*)?(?:\[[^\]]*\]\(#[^)]*\)[^\w]*)+$")
_EMOJI = re.compile(r":[a-z0-9_+-]{2,40}:")
# a table-of-contents entry: a link to an anchor, and a few words ("- 11 questions.")
_TOC_ENTRY = re.compile(r"^[-*+]\s+(?:<b>)?\[[^\]]*\]\(#[^)]*\)(?:</b>)?(.*)$")
_ATTR_TITLE = re.compile(r"""title=["“”']([^"“”']*)["“”']""")


def _untag(line: str) -> str:
    """Tags and link targets removed outside inline code (``/proc/<pid>/stat`` is text)."""
    pieces = line.split("`")
    return "`".join(
        p if k % 2 else _LINK_TARGET.sub(" ", _TAG.sub(" ", p)) for k, p in enumerate(pieces)
    )


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", html.unescape(text).lower())


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    fence = ""
    raw_block = 0
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # frontmatter: metadata, not text
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        lines = lines[end + 1 :]
    h1 = [i for i, ln in enumerate(lines) if re.match(r"# \S", ln) and not _in_fence(lines, i)]
    if len(h1) == 1 and not any(ln.startswith("##") for ln in lines[: h1[0]]):
        del lines[h1[0]]  # the page title: the guide's title unless the frontmatter has one
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence else stripped[:3]
            continue
        if fence:
            continue
        if raw_block or re.match(r"<(div|svg)\b(?![^>]*align=)", stripped):
            raw_block += stripped.count("<div") + stripped.count("<svg")
            raw_block -= stripped.count("</div") + stripped.count("</svg")
            continue
        titled = _ATTR_TITLE.search(stripped)
        if titled and stripped.startswith("<"):
            if not is_placeholder(titled.group(1)):
                out.append(_squash(_EMOJI.sub("", clean_title(titled.group(1)))))
            continue
        toc = _TOC_ENTRY.match(stripped)
        if _ANCHOR_ONLY.match(stripped.strip("*_| ")) or (toc and len(toc[1].split()) <= 5):
            continue  # navigation
        # titles (headings, bold paragraphs) lose emoji shortcodes; prose keeps them
        heading = stripped.startswith("#") or (
            stripped.startswith("**") and stripped.endswith("**")
        )
        stripped = html.unescape(_untag(stripped))
        stripped = _LEAD.sub("", stripped)
        stripped = clean_title(stripped) if heading else stripped
        stripped = _LABEL.sub("", stripped).strip()
        stripped = _FOLLOW.sub("", stripped)
        if stripped.startswith("{/*") or is_placeholder(_TAG.sub("", stripped).strip("*_ ")):
            continue
        squashed = _squash(_EMOJI.sub("", stripped) if heading else stripped)
        if len(squashed) > 20:
            out.append(squashed)
    return out


def _in_fence(lines: list[str], i: int) -> bool:
    return sum(ln.lstrip().startswith(("```", "~~~")) for ln in lines[:i]) % 2 == 1


def _kept(guide: Guide[Rich]) -> str:
    rich: list[Rich | None] = [guide.intro]
    texts: list[str] = [guide.title, guide.description]
    for t in guide.topics:
        rich.append(t.notes)
        texts.append(t.title)
    for q in guide.questions:
        texts.append(q.title)
        rich.extend([q.body, q.testing, q.answer, *q.red_flags, *q.follow_ups])
        rich.extend([*q.follow_up_answers, *(p.content for p in q.parts)])
    texts.extend(r.text for r in rich if r is not None)
    return _squash(" ".join(texts))


def _check(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    guide = corpus.parse_guide(text, path.name)
    kept = _kept(guide)
    lost = [s for s in _sentences(text) if s not in kept]
    assert not lost, f"{path.name}: {len(lost)} lost, first {lost[:3]}"


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_text_is_kept(path: Path) -> None:
    _check(path)


def test_every_shared_guide_keeps_its_text(shared_guides: Path) -> None:
    guides = sorted(shared_guides.glob("*.mdx"))
    assert guides
    for path in guides:
        _check(path)


def test_the_oracle_sees_a_loss() -> None:
    """The oracle itself: text the parser never saw is reported."""
    assert "neverwrittenanywhereinthisguide" not in _kept(
        corpus.parse_guide("## T\n\nSome text.\n", "t.md")
    )
    assert _sentences("## T\n\nThis sentence is never written anywhere.\n")
