"""Data-driven parser tests: each fixture guide beside its expected structure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpus

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json"))


def _text(rich: corpus.Rich | None) -> str | None:
    return None if rich is None else rich.text


def _summary(guide: corpus.Guide[corpus.Rich]) -> dict:
    return {
        "guide": {
            "slug": guide.slug,
            "title": guide.title,
            "description": guide.description,
            "tags": guide.tags,
            "intro": _text(guide.intro),
        },
        "topics": [
            {
                "id": t.id,
                "title": t.title,
                "level": t.level,
                "parent": t.parent,
                "notes": _text(t.notes),
                "questions": len(t.questions),
            }
            for t in guide.topics
        ],
        "questions": [
            {
                "id": q.id,
                "title": q.title,
                "topic": q.topic.id,
                "line": q.source.line,
                "body": _text(q.body),
                "testing": _text(q.testing),
                "answer": _text(q.answer),
                "red_flags": [r.text for r in q.red_flags],
                "follow_ups": [r.text for r in q.follow_ups],
                "follow_up_answers": [_text(r) for r in q.follow_up_answers],
                "parts": [[p.kind, p.label, p.content.text] for p in q.parts],
                "tags": q.tags,
            }
            for q in guide.questions
        ],
        "warnings": [f"{w.line}: {w.message}" for w in guide.warnings],
    }


@pytest.mark.parametrize("case", CASES)
def test_fixture_structure(case: str) -> None:
    source = next(p for p in FIXTURES.glob(f"{case}.md*") if not p.name.endswith(".json"))
    guide = corpus.parse_guide(source.read_text(encoding="utf-8"), source.name)
    expected = json.loads((FIXTURES / f"{case}.expected.json").read_text(encoding="utf-8"))
    assert _summary(guide) == expected


def test_there_are_fixtures() -> None:
    assert len(CASES) >= 4


def test_a_label_taken_off_leaves_no_space_before_the_text(shared_guides: Path) -> None:
    """``**A:** text`` and ``**Q:** text``: the fragment's HTML opens with the text."""
    files = [*sorted(FIXTURES.glob("*.md*")), *sorted(shared_guides.glob("*.md*"))]
    htmls = [
        rich.html
        for path in files
        for q in corpus.parse_guide(path.read_text(encoding="utf-8"), path.name).questions
        for rich in (q.answer, *q.follow_ups, *q.follow_up_answers)
        if rich is not None
    ]
    assert len(htmls) > 1000
    assert [h for h in htmls if h.startswith((" ", "<p> "))] == []
