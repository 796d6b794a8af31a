"""One representation of rich text: the same Structs, parametrised with ``str``.

API responses and exports use these views, so no second copy of the model exists.
"""

from __future__ import annotations

from msgspec.structs import replace

from .model import Format, Guide, Part, Question, Rich, Topic


def _one(value: Rich | None, fmt: Format) -> str | None:
    return None if value is None else value.as_format(fmt)


def question_view(q: Question[Rich], fmt: Format) -> Question[str]:
    """The question with every rich field in ``fmt``."""
    return replace(  # type: ignore[return-value]
        q,
        body=_one(q.body, fmt),
        testing=_one(q.testing, fmt),
        answer=_one(q.answer, fmt),
        red_flags=[r.as_format(fmt) for r in q.red_flags],
        follow_ups=[r.as_format(fmt) for r in q.follow_ups],
        follow_up_answers=[_one(r, fmt) for r in q.follow_up_answers],
        parts=[replace(p, content=p.content.as_format(fmt)) for p in q.parts],
    )


def topic_view(t: Topic[Rich], fmt: Format) -> Topic[str]:
    """The topic with its notes in ``fmt``."""
    return replace(t, notes=_one(t.notes, fmt))  # type: ignore[return-value]


def guide_view(g: Guide[Rich], fmt: Format) -> Guide[str]:
    """The whole guide with every rich field in ``fmt``."""
    return replace(  # type: ignore[return-value]
        g,
        intro=_one(g.intro, fmt),
        topics=[topic_view(t, fmt) for t in g.topics],
        questions=[question_view(q, fmt) for q in g.questions],
    )


__all__ = ["Part", "guide_view", "question_view", "topic_view"]
