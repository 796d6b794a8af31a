"""Files that are one question, and questions listed in the frontmatter.

A page whose frontmatter ``title:`` asks ("Explain event delegation in JavaScript"), with
no question accordion, ``<details>`` or question heading of the top levels (``#``/``##``),
is one question: the title, answered by the whole page (its sections are parts of the
answer, and a deeper heading that asks, "### Why is this efficient?", is one of them).
Collections that keep one question per file write them so.

A frontmatter ``questions:`` that lists entries (``- question: What is a view?``) rather
than naming conventions lists questions: each entry's ``question`` is one, its ``answer``
answers it unless it names another file (``answer: sql-view.md``).
"""

from __future__ import annotations

import re

from .conventions import Conventions
from .labels import reads_as_question
from .outline import Container, Heading, Item
from .titles import heading_asks, tidy

_FILE_NAME = re.compile(r"[\w./-]+\.(?:md|mdx|markdown)", re.IGNORECASE)


def page_question(
    meta: dict[str, object], intro: list[Item], headings: list[Heading], conv: Conventions
) -> Heading | None:
    """The whole page as one question heading (see the module docstring), or ``None``.

    When it is one, every heading becomes part of its section (a sub-topic of the answer).
    """
    title = meta.get("title")
    if conv.chosen is not None or not isinstance(title, str):
        return None
    title = tidy(title)
    if not (heading_asks(title) or reads_as_question(title)):
        return None
    items = [intro, *(h.content for h in headings)]
    if any(isinstance(i, Container) and i.is_question for group in items for i in group):
        return None
    if any(h.kind == "question" and h.level <= 2 for h in headings):
        return None
    page = Heading(title, 1, 1, None, None, content=list(intro), kind="question")
    for h in headings:
        h.kind = "topic"
        if h.parent is None:
            h.parent = page
            page.children.append(h)
    return page


def listed_in_meta(value: object) -> list[tuple[str, str | None]]:
    """The ``(question, answer)`` entries of a frontmatter ``questions:`` list, if it is one."""
    if not isinstance(value, list) or not value:
        return []
    out = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("question"), str):
            return []
        answer = entry.get("answer")
        text = answer.strip() if isinstance(answer, str) else ""
        out.append((tidy(entry["question"]), None if _FILE_NAME.fullmatch(text) else text or None))
    return out
