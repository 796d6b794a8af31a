"""Card templates: the HTML around the fields of each note type, for a phone first.

A back leads with what a learner grades against and keeps the rest reachable below a
fold, ``<details>``, which every Anki client opens with a tap and no JavaScript. The
card's own labels are ``.pd-label`` elements, never headings, so the headings a guide
writes inside an answer never pass for them (``style.py`` draws the two apart).
"""

from __future__ import annotations

_TOPIC = '<div class="pd-topic">{{Guide}} › {{Topic}}</div>'


def when(field: str, body: str) -> str:
    """``body`` only when ``field`` is not empty (Anki makes no card from an empty front)."""
    return f"{{{{#{field}}}}}{body}{{{{/{field}}}}}"


def _front(*lines: str) -> str:
    return "\n".join(['<div class="pd">', _TOPIC, *lines, "</div>"])


def _back(*lines: str) -> str:
    body = [line for line in lines if line]
    return "\n".join(
        [
            "{{FrontSide}}",
            '<hr id="answer">',
            '<div class="pd">',
            *body,
            '<div class="pd-source">{{Source}}</div>',
            "</div>",
        ]
    )


def _section(field: str, label: str, css: str) -> str:
    return when(
        field,
        f'<section class="{css}"><div class="pd-label">{label}</div>'
        f'<div class="pd-content">{{{{{field}}}}}</div></section>',
    )


def _fold(field: str, summary: str) -> str:
    return when(
        field,
        f'<details class="pd-fold"><summary>{summary}</summary>'
        f'<div class="pd-content">{{{{{field}}}}}</div></details>',
    )


_QUESTION = '<div class="pd-question">{{Question}}</div>'


def _ask(prompt: str) -> str:
    return _front(_QUESTION, f'<div class="pd-prompt">{prompt}</div>')


def question_cards() -> list[dict[str, str]]:
    """The question note type's three cards (names fixed forever: see ``notetype``).

    The question card's back: what they test, the answer (its outline with the whole
    answer folded below, made in ``fields``), the red flag; follow-ups and what candidates
    say are folded. The two optional cards exist only when their switch field is filled.
    """
    red_flag = _section("Red flags", "Red flag", "pd-redflag")
    return [
        {
            "name": "Question",
            "qfmt": _front(_QUESTION),
            "afmt": _back(
                _section("What they test", "What they test", "pd-testing"),
                _section("Answer", "Answer", "pd-answer"),
                red_flag,
                _fold("Follow-ups", "Follow-up questions"),
                _fold("Extra", "What candidates say"),
            ),
        },
        {
            "name": "Red flag",
            "qfmt": when(
                "Add red-flag card", when("Red flags", _ask("What answer would be a red flag?"))
            ),
            "afmt": _back(red_flag),
        },
        {
            "name": "Follow-ups",
            "qfmt": when(
                "Add follow-ups card",
                when("Follow-ups", _ask("Which follow-up questions should you expect?")),
            ),
            "afmt": _back(_section("Follow-ups", "Follow-ups", "pd-followups")),
        },
    ]


def _extra(name: str, context: str, asked: str, *back: str) -> dict[str, str]:
    """A card of another note than the question's: the question as context on the front."""
    front = _front(context, f'<div class="pd-question">{asked}</div>')
    return {"name": name, "qfmt": front, "afmt": _back(*back)}


def follow_up_card() -> dict[str, str]:
    """A follow-up: its question, with the question it follows as context; its answer."""
    return _extra(
        "Follow-up",
        '<div class="pd-context"><span class="pd-label">Follow-up to</span> {{Question}}</div>',
        "{{Follow-up}}",
        _section("Answer", "Answer", "pd-answer"),
    )


def points_card() -> dict[str, str]:
    """Named points: the question and the list's lead-in; the leads, the list folded."""
    return _extra(
        "Named points",
        '<div class="pd-context">{{Question}}</div>',
        "{{Prompt}}",
        _section("Points", "Points", "pd-points"),
        _fold("List", "The points explained"),
    )
