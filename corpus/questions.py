"""Found questions as ``Question`` Structs, with ids that follow each question's own context.

Identity: a question's id is its title's slug when no other question of the guide has
the same slug (so unique titles keep the ids they always had). Every question whose
title repeats is told apart by its own context: its topic's slug, then, among repeats in
one topic, the first words of its body or answer; an ordinal (``-2``) only for exact
ties. So inserting, removing or moving one question never changes another's id, and no
question's content can land on another's Anki note. When a title that was unique gains
a twin, both get contextual ids: the old note is retired (a new one is made), never
given the other question's content. ``id="..."`` on an accordion pins an id.

A title that only numbers its question ("Question 1", "Exercise 12") takes the first
sentence of the question's body ("Question: Write a program that ...") before ids are
given, so lists, search hits and ids say what is asked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from .ids import SlugAllocator, is_slug, slugify
from .model import Part, Question, Rich, Source, TopicRef

if TYPE_CHECKING:
    from .outline import Heading
    from .prose import Found

# "Question 1", "Exercise 12:", "Problem #3": a title that numbers, and names nothing
_NUMBER_ONLY = re.compile(
    r"^(?:q|question|exercise|problem|task|challenge|puzzle)\s*#?\d+\s*[.:)]?$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s|\n")
_TITLE_MAX = 200
_BASE = 48  # characters of the title's slug kept before a context suffix
_WORDS = 6  # words of the body or answer that tell repeats in one topic apart

Warn = Callable[[int, str], None]


def retitle(q: Found) -> None:
    """A title that only numbers ("### Question 1") takes its body's first sentence."""
    if not _NUMBER_ONLY.match(q.title):
        return
    body = q.parts.body.rich()
    first = _SENTENCE_END.split(body.text.strip(), 1)[0].strip() if body else ""
    if first:
        q.title = first if len(first) <= _TITLE_MAX else first[: _TITLE_MAX - 1] + "…"


def question_ids(guide: str, found: list[tuple[Heading, Found]], warn: Warn) -> list[str]:
    """One id per found question, in order (see the module docstring)."""
    ids = SlugAllocator()
    out = [""] * len(found)
    for i, (_, q) in enumerate(found):
        pinned = q.attrs.get("id")
        if pinned and is_slug(pinned):
            if pinned in ids:
                warn(q.line, f'question id "{pinned}" is already taken')
            out[i] = ids.take(pinned)
        elif pinned:
            warn(q.line, f'question id "{pinned}" is not a valid slug; derived from the title')
    groups: dict[str, list[int]] = {}
    for i, (_, q) in enumerate(found):
        if not out[i]:
            groups.setdefault(slugify(q.title, "question"), []).append(i)
    for slug, members in groups.items():
        if len(members) == 1:
            out[members[0]] = ids.take(slug)
    for slug, members in groups.items():
        if len(members) > 1:
            keys = _contexts([found[i] for i in members])
            seen: dict[str, int] = {}
            for i, key in zip(members, keys, strict=True):
                if key in seen:
                    first = found[seen[key]][1]
                    warn(
                        found[i][1].line,
                        f'duplicate question "{first.title}" (as at line {first.line})',
                    )
                else:
                    seen[key] = i
                base = slug[:_BASE].rsplit("-", 1)[0] if len(slug) > _BASE else slug
                out[i] = ids.take(f"{base}-{key}")
    return [f"{guide}/{s}" for s in out]


def _contexts(members: list[tuple[Heading, Found]]) -> list[str]:
    """The topic slug of each repeat, with the start of its text where topics repeat too."""
    topics = [h.id.split("/", 1)[-1] for h, _ in members]
    repeats = Counter(topics)  # (topics.count per member: quadratic in a title's repeats)
    out = []
    for (_, q), topic in zip(members, topics, strict=True):
        if repeats[topic] == 1:
            out.append(topic)
            continue
        words = " ".join(_start(q).split()[:_WORDS])
        out.append(f"{topic}-{slugify(words, 'empty')}"[:80].strip("-"))
    return out


def _start(q: Found) -> str:
    for segment in (q.parts.body, q.parts.answer, q.parts.testing):
        rich = segment.rich()
        if rich is not None:
            return rich.text[:300]
    return ""


def build_question(
    qid: str, guide: str, topic: Heading, q: Found, tags: list[str], file: str, warn: Warn
) -> Question[Rich] | None:
    """The ``Question`` of one found question (``None`` when nothing is left of it)."""
    parts = q.parts
    answer = parts.answer.rich()
    testing = parts.testing.rich()
    red_flags = [r for r in (s.rich() for s in parts.red_flags) if r]
    follow_ups: list[Rich] = []
    answers: list[Rich | None] = []
    for asked, said in zip(parts.follow_ups, parts.follow_up_answers, strict=True):
        text = asked.rich()
        if text is not None:
            follow_ups.append(text)
            answers.append(said.rich())
        elif said.tokens:  # an answer under a label with no question: keep it in the answer
            parts.answer.add(said.tokens, "\n\n".join(said.markdown))
            answer = parts.answer.rich()
    named = [
        Part(kind=k, label=label, content=r)
        for k, label, s in parts.named
        if (r := s.rich()) is not None
    ]
    body = parts.body.rich()
    if not q.title:
        warn(q.line, "question with no title; skipped")
        return None
    if q.convention == "accordions" and answer is None:
        if not (testing or red_flags or follow_ups or named or body):
            warn(q.line, f'question "{q.title}" is empty')
        elif not any(k == "strong_candidates" for k, _, _ in parts.named):
            warn(q.line, f'question "{q.title}" has no answer')
    return Question(
        id=qid,
        guide=guide,
        topic=TopicRef(id=topic.id, title=topic.title),
        title=q.title,
        body=body,
        testing=testing,
        answer=answer,
        red_flags=red_flags,
        follow_ups=follow_ups,
        follow_up_answers=answers,
        parts=named,
        tags=tags,
        source=Source(file=file, line=q.line),
    )
