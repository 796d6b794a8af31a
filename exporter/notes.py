"""The notes of one question: its question note, and the notes of its extra card kinds.

Every note's GUID is derived from the question's id and, for the extra kinds, from the
text the note asks about (a follow-up's question, a list's leads), never from positions:
inserting a follow-up or a list moves no content from one note to another, and an edit
to what a note shows updates it in place. (Rewording what it asks makes a new note, as
rewording a question's title does.)
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Collection
from dataclasses import dataclass, field

import genanki

import corpus

from .fields import FragmentHtml, note_tags, title_html
from .keypoints import NamedPoints
from .notetype import (
    ADD_RED_FLAG,
    ANSWER,
    EXTRA,
    FIELDS,
    FOLLOW_UP,
    FOLLOW_UP_FIELDS,
    FOLLOW_UP_MODEL,
    FOLLOW_UPS,
    GUIDE,
    ID,
    LIST,
    MODEL_NAME,
    POINTS,
    POINTS_FIELDS,
    POINTS_MODEL,
    PROMPT,
    QUESTION,
    RED_FLAGS,
    SOURCE,
    TESTING,
    TOPIC,
    note_guid,
)

RED_FLAG_CARD = 1  # the ord of the question note's red-flag card


@dataclass
class QuestionNotes:
    """A question's note, and its extra cards as (note, card ord), in the order to learn."""

    question: genanki.Note
    extras: list[tuple[genanki.Note, int]] = field(default_factory=list)


def question_notes(
    guide: corpus.Guide[corpus.Rich],
    question: corpus.Question[corpus.Rich],
    chain: list[corpus.Topic[corpus.Rich]],
    kinds: Collection[str],
    rich: FragmentHtml,
    models: dict[str, genanki.Model],
) -> QuestionNotes:
    """The notes of ``question`` for the card ``kinds`` asked for."""
    q = question
    title = title_html(q.title)
    shared = {
        TOPIC: " › ".join(html.escape(t.title) for t in chain),
        GUIDE: html.escape(guide.title),
        SOURCE: html.escape(f"{q.source.file}:{q.source.line}"),
    }
    tags = note_tags(q, chain)

    def note(model: str, names: tuple[str, ...], values: dict[str, str], *key: str):
        values = {**shared, **values}
        return genanki.Note(
            model=models[model],
            fields=[values.get(name, "") for name in names],
            tags=tags,
            guid=note_guid(q.id, *key),
        )

    body = f'<div class="pd-body">{rich(q.body)}</div>' if q.body is not None else ""
    red_flags = rich.items(q.red_flags, "ul")
    main = note(
        MODEL_NAME,
        FIELDS,
        {
            QUESTION: title + body,
            TESTING: rich(q.testing),
            ANSWER: rich.answer(q.answer),
            RED_FLAGS: red_flags,
            FOLLOW_UPS: _follow_ups(q, rich),
            EXTRA: "".join(f"<h4>{html.escape(p.label)}</h4>{rich(p.content)}" for p in q.parts),
            ID: html.escape(q.id),
            # the switch of the red-flag card (the follow-up list card is no kind any more)
            ADD_RED_FLAG: "y" if "red-flag" in kinds and red_flags else "",
        },
    )
    notes = QuestionNotes(main)
    if "follow-ups" in kinds:
        for follow_up, answer in zip(q.follow_ups, q.follow_up_answers, strict=False):
            if answer is None:
                continue  # nothing to grade against: it stays in the question card's list
            key = _key(follow_up.text)
            values = {
                FOLLOW_UP: rich(follow_up),
                ANSWER: rich.answer(answer),
                QUESTION: title,
                ID: html.escape(f"{q.id}#follow-up-{key[:8]}"),
            }
            notes.extras.append(
                (note(FOLLOW_UP_MODEL, FOLLOW_UP_FIELDS, values, "follow-up", key), 0)
            )
    if "points" in kinds and q.answer is not None:
        for points in rich.key_points(q.answer).points:
            key = _key(" | ".join(points.leads))
            values = _points_fields(points, rich) | {
                QUESTION: title,
                ID: html.escape(f"{q.id}#points-{key[:8]}"),
            }
            notes.extras.append((note(POINTS_MODEL, POINTS_FIELDS, values, "points", key), 0))
    if main.fields[FIELDS.index(ADD_RED_FLAG)]:
        notes.extras.append((main, RED_FLAG_CARD))
    return notes


def _points_fields(points: NamedPoints, rich: FragmentHtml) -> dict[str, str]:
    intro = f'<div class="pd-intro">{rich.links(points.intro)}</div>' if points.intro else ""
    leads = "".join(f"<li>{rich.links(lead)}</li>" for lead in points.leads)
    return {
        POINTS: f'<ol class="pd-leads">{leads}</ol>',
        PROMPT: f'{intro}<div class="pd-ask">Name all {len(points.leads)}.</div>',
        LIST: rich.links(points.html),
    }


def _follow_ups(q: corpus.Question[corpus.Rich], rich: FragmentHtml) -> str:
    """The follow-ups, each with its answer where the guide gives one: the whole of them
    stays on the question card, whichever extra cards are made."""
    if not any(a is not None for a in q.follow_up_answers):
        return rich.items(q.follow_ups, "ol")
    answers = [*q.follow_up_answers, *[None] * len(q.follow_ups)]
    items = "".join(
        f"<li>{rich(f)}" + (f'<div class="pd-reply">{rich(a)}</div>' if a else "") + "</li>"
        for f, a in zip(q.follow_ups, answers, strict=False)
    )
    return f'<ol class="pd-list">{items}</ol>'


def _key(text: str) -> str:
    """A digest of what a note asks about, blind to case and spacing."""
    normal = " ".join(text.split()).casefold()
    return hashlib.blake2b(normal.encode(), digest_size=8).hexdigest()
