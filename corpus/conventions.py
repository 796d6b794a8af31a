"""Which conventions find the questions of one file, decided from the file itself.

*Structural* conventions are always read: question ``<Accordion>``s, ``<details>`` whose
summary is not a placeholder, and headings that ask (``titles.heading_asks``, also inside
list items). ``**Q:**``/``**A:**`` pairs are explicit and always read too. The *loose*
conventions, bold-paragraph questions and plain lists of questions, are read only in a
file where no structural convention finds a question: in a file that has structure, a bold
"**Why does this matter?**" is emphasis in prose, not a question. (A list that is all
its topic holds, every item asking outright, is a list of questions in any file:
``prose.py``.)

A heading is a question when it asks, when its own text carries question labels, when
it reads as a question ("Design X") and holds facet accordions, or when it holds a
placeholder accordion ("Reveal Answer") with no question paragraph before it; but not
when it holds question accordions (then it is their topic), nor when it has no text of
its own before sub-headings (a section title phrased as a question). Question
sub-headings of a question are questions of their own; ``Follow-up:`` and ``Going
deeper:`` sub-headings are its follow-ups, other sub-headings part of its answer.

A guide's frontmatter can name the conventions instead (``questions: headings``, or a
list): then only those are read, and every candidate of a named convention is a
question (every heading with text of its own, every bold paragraph, every list item),
whether or not it reads as one. ``questions: none`` declares a guide of notes only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .labels import classify_title, opens_with_question_word, reads_as_question
from .outline import Container, Heading, Item
from .titles import follow_up_title, is_placeholder

NAMES = ("accordions", "details", "headings", "pairs", "bold", "lists", "none")
_NAV_TITLES = frozenset({"table of contents", "contents", "toc", "index"})


@dataclass
class Conventions:
    """The conventions read in one file: chosen in its frontmatter, else decided from it."""

    chosen: frozenset[str] | None = None
    loose: bool = False  # bold paragraphs and question lists (no structural question found)

    def reads(self, name: str) -> bool:
        """True when convention ``name`` finds questions in this file."""
        if self.chosen is not None:
            return name in self.chosen
        return name not in ("bold", "lists") or self.loose

    def forced(self, name: str) -> bool:
        """True when the author named ``name``: every candidate of it is a question."""
        return self.chosen is not None and name in self.chosen

    @classmethod
    def from_meta(cls, value: object, warn: Callable[[str], None]) -> Conventions:
        """The conventions of a frontmatter ``questions:`` value (``None``: decide)."""
        if value is None:
            return cls()
        names = value.split(",") if isinstance(value, str) else value
        if not isinstance(names, list):
            warn(f"frontmatter questions: {value!r} is not a name or a list; ignored")
            return cls()
        chosen = {str(n).strip().lower() for n in names}
        unknown = sorted(chosen - set(NAMES))
        if unknown:
            warn(f"frontmatter questions: unknown {', '.join(unknown)} (known: {', '.join(NAMES)})")
        return cls(chosen=frozenset(chosen & set(NAMES)))


def is_contents(title: str) -> bool:
    """A table of contents by its title: navigation, never the topic of the questions below."""
    return title.lower().strip(" :") in _NAV_TITLES


def container_asks(box: Container, has_label: Callable[[list], bool], pairs: bool) -> bool:
    """Whether an accordion or ``<details>`` block is a question (not a facet)."""
    if not box.title or is_placeholder(box.title) or pairs:
        return False
    if box.name == "details":
        return not is_contents(box.title)
    return (reads_as_question(box.title) or has_label(box.blocks)) and (
        classify_title(box.title) is None
    )


def decide(
    intro: list[Item],
    headings: list[Heading],
    conv: Conventions,
    has_label: Callable[[list], bool],
    asks_paragraph: Callable[[tuple[int, int]], bool],
    holds_pairs: Callable[[Container], bool],
) -> None:
    """Mark question containers and question headings; switch on the loose conventions."""
    for items in [intro, *(h.content for h in headings)]:
        for item in items:
            if isinstance(item, Container):
                kind = "accordions" if item.name == "Accordion" else "details"
                pairs = conv.reads("pairs") and holds_pairs(item)
                item.is_question = conv.reads(kind) and container_asks(item, has_label, pairs)
    _numbered_runs(headings)
    for h in reversed(headings):  # children before their parents
        if not conv.reads("headings") or any(
            isinstance(i, Container) and i.is_question for i in h.content
        ):
            continue  # a heading over question accordions is their topic
        asked = [c for c in h.children if c.kind == "question" and follow_up_title(c.title) is None]
        if asked:  # over question headings: a question only when it asks and says something
            own = any(not isinstance(i, Container) for i in h.content)
            if own and h.asks:
                h.kind = "question"
        elif _asks(h, conv, has_label, asks_paragraph):
            h.kind = "question"
    for h in headings:
        if h.kind == "question" and h.marked:
            _answer_sections(h)
    if conv.chosen is None:
        conv.loose = not any(h.kind == "question" for h in headings) and not any(
            isinstance(i, Container) and i.is_question
            for items in [intro, *(h.content for h in headings)]
            for i in items
        )


def _asks(
    h: Heading,
    conv: Conventions,
    has_label: Callable[[list], bool],
    asks_paragraph: Callable[[tuple[int, int]], bool],
) -> bool:
    blocks = [i for i in h.content if not isinstance(i, Container)]
    boxes = [i for i in h.content if isinstance(i, Container)]
    sections = [c for c in h.children if follow_up_title(c.title) is None]
    if sections and not h.content:
        return False  # a section title phrased as a question
    if conv.forced("headings"):
        return bool(h.content) and not sections
    if h.asks or has_label(blocks):
        return True
    if boxes and reads_as_question(h.title) and not sections:
        return True  # "Design X" with its facets
    for item in h.content:  # a placeholder accordion with no question paragraph before it
        if isinstance(item, Container):
            return is_placeholder(item.title) and not sections
        if asks_paragraph(item):
            return False
    return False


def _answer_sections(h: Heading) -> None:
    """Under a numbered question, headings not numbered are sections of its answer."""
    for child in h.children:
        if not child.marked:
            if follow_up_title(child.title) is None:
                child.kind = "topic"
            _answer_sections(child)


def _numbered_runs(headings: list[Heading]) -> None:
    """Numbered siblings that mostly ask: those that open with a question word ask too.

    "## 2. Explain the workspace" among "## 1. What is Go?" and "## 3. How is ... used?",
    or list-item headings "25. ### What is Hoisting" with no ``?`` at all; but not
    "## 9. What Happens When You Type a URL" among chapters that do not ask.
    """
    runs: dict[int, list[Heading]] = {}
    for h in headings:
        if h.marked:
            runs.setdefault(id(h.parent), []).append(h)
    for run in runs.values():
        worded = [h for h in run if not h.asks and opens_with_question_word(h.title)]
        if 2 * (len(worded) + sum(h.asks for h in run)) > len(run):
            for h in worded:
                h.asks = True
