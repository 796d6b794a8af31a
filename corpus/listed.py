"""Lists of questions: bullet or numbered items that ask, one question an item.

A list is one (``_enough``) when most of its items read as questions, in a file read
loosely; in a structured file, only a list that is all its topic holds can be, when
every item asks outright. Under a heading that names questions ("## Coding questions",
also one above it: "## Interview Questions"), such a list is one when every item asks or
sets an exercise ("Create ...", "Reverse ..."), even a list of one; so is a list right
after a lead-in that names questions ("Here are common questions:"). Under such a
heading, a list whose every item is one link to another page names problems to practise
(``- [Two Sum](https://...)``): each is a question, titled by its link's text, with the
link as its body and no answer (unless a link names questions itself: "[More JavaScript
questions](js.md)" points to a collection). Empty items are skipped; a task box
(``- [ ] What is SQL?``) is not part of the title.

An item's first paragraph is its title; when it opens with a bold question followed by
more text (``* **What is X?** - [Learn more](url)``), the bold part is the title and the
rest its answer (a bold lead-in with a colon, ``**Situation:**``, is no title). Under the
item, a nested list whose items mostly ask outright holds its follow-ups;
any other nested text answers it ("TODO"-like text is no answer), except code right
after a title that ends with a colon ("What does this line do:"), which is the question's
body. A code block written unindented between items ends a list in CommonMark; in a list
of questions it is the body of the item before it, and the list goes on after it
(``_list_run``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .followups import paragraph_of, strip_lead
from .labels import asks_outright, clean_title, names_questions, reads_as_question, sets_task
from .parts import PartReader, Parts
from .reader import Block, is_list
from .titles import heading_asks, no_answer, plain_text

_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")  # a list item's marker
_SEPARATOR = re.compile(r"^\s*[-–—:]+\s*")
_BOLD_LEAD_MD = re.compile(r"^\s*(\*\*|__).+?\1\s*[-–—:]*\s*", re.DOTALL)
_LISTS = ("bullet_list_open", "ordered_list_open")

Listed = tuple[str, int, Parts]  # an item's title, line and parts


@dataclass(frozen=True)
class Reading:
    """Where a list stands: how much it takes for it to be a list of questions."""

    loose: bool  # no structural convention found a question in the file
    sole: bool  # the list (and its code) is all its topic holds
    named: bool  # its heading, or one above it, names questions
    lead_in: bool  # the paragraph before it names questions and ends with a colon


def _asks(title: str) -> bool:
    return heading_asks(title) or reads_as_question(title)


def _enough(titles: list[str], how: Reading, links: list[bool]) -> bool:
    """Whether items with these titles make a list of questions (see the module docstring);
    ``links``: whether each item is one link and nothing else."""
    if not how.loose and not how.sole:
        return False  # in a structured file, a list among notes is notes
    if (how.named or how.lead_in) and all(_asks(t) or sets_task(t) for t in titles):
        return True
    if how.named and all(links) and not any(names_questions(t) for t in titles):
        return True  # problems named by their links ("- [Two Sum](https://...)")
    if len(titles) < 2:
        return False
    if not how.loose:
        return all(asks_outright(t) for t in titles)
    return 3 * sum(_asks(t) for t in titles) >= 2 * len(titles)


def _unpadded(children: list[Token]) -> list[Token]:
    while children and children[0].type == "text" and not children[0].content.strip():
        children.pop(0)
    return children


def _first_close(children: list[Token]) -> Token:
    return next(c for c in children if c.type == "strong_close")


def _after_bold(children: list[Token]) -> list[Token]:
    """The inline children after a paragraph's leading bold span, without a separator."""
    children = _unpadded(children)
    close = children.index(_first_close(children))
    return strip_lead(children[close + 1 :], _SEPARATOR)


class ListReader(PartReader):
    """Reads lists of questions; see the module docstring."""

    def _list_run(self, entries: list, k: int) -> list[list[Block]]:
        """The list at ``entries[k]`` with the code blocks and lists that continue it."""
        if not self._is(entries[k], _LISTS):
            return []
        end = k + 1
        while end < len(entries) and self._is(entries[end], ("fence", *_LISTS)):
            end += 1
        return list(entries[k:end])

    def _is(self, entry: object, types: tuple[str, ...]) -> bool:
        return isinstance(entry, list) and self.tokens[entry[0][0]].type in types

    def _listed(self, run: list[Block], forced: bool, how: Reading) -> list[Listed]:
        """The questions of a list run (see the module docstring), or none."""
        toks = self.tokens
        items: list[tuple[int, list[Block], list[Block]]] = []  # line, blocks, code after
        for block in run:
            if toks[block[0]].type == "fence":
                if not items:
                    return []
                items[-1][2].append(block)
                continue
            level = toks[block[0]].level + 2
            start = block[0]  # items follow each other: each is looked for after the last
            for item_toks, _ in self._list_items(self._tokens([block]), self._md([block])):
                if not item_toks:
                    continue  # an empty item
                if item_toks[0].type != "paragraph_open":
                    return []
                start = next(i for i in range(start, block[1]) if toks[i] is item_toks[0])
                inner = self.child_blocks(start, start + len(item_toks), level)
                line = (item_toks[0].map[0] + 1) if item_toks[0].map else 1
                items.append((line, inner, []))
        heads = [self._head(inner) for _, inner, _ in items]
        titles = [title for title, _ in heads]
        links = [len(inner) == 1 and self._only_link(inner[0]) for _, inner, _ in items]
        if not titles or not (forced or _enough(titles, how, links)):
            return []
        return [
            (title, line, self._parts(title, rest, inner, code, link))
            for (title, rest), (line, inner, code), link in zip(heads, items, links, strict=True)
        ]

    def _head(self, inner: list[Block]) -> tuple[str, list[Block] | None]:
        """An item's title, and its first paragraph when a bold lead leaves text after it."""
        lead = self._bold_lead(self._tokens(inner[:1]))
        title = lead if lead is not None else self.inline_title(inner[0])
        return clean_title(_TASK_BOX.sub("", title)), inner[:1] if lead is not None else None

    def _parts(
        self,
        title: str,
        lead: list[Block] | None,
        inner: list[Block],
        code: list[Block],
        link: bool = False,
    ) -> Parts:
        """An item's parts: the text after its bold lead and what is nested under it answer;
        an item that is one ``link`` keeps it as its body (where the problem is set)."""
        parts = Parts()
        if link:
            parts.body.add(self._tokens(inner[:1]), _MARKER.sub("", self._md(inner[:1]), 1))
        if lead is not None:
            head = self._tokens(lead)
            rest = _after_bold(list(head[1].children or []))
            parts.answer.add(paragraph_of(head, rest), _BOLD_LEAD_MD.sub("", self._md(lead), 1))
        for b in code:
            parts.body.add(self._tokens([b]), self._md([b]))
        for k, b in enumerate(inner[1:]):
            tok, md = self.tokens[b[0]], self._md([b])
            if is_list(tok) and self._mostly_asks(b):
                self._split_parts([[b]], "follow_ups", parts)
            elif k == 0 and tok.type == "fence" and title.endswith(":"):
                parts.body.add(self._tokens([b]), md)
            elif not no_answer(md):
                parts.answer.add(self._tokens([b]), md)
        return parts

    def _only_link(self, block: Block) -> bool:
        """A paragraph that is one link to another page (not to an anchor of this one)."""
        children = [
            c
            for c in self._tokens([block])[1].children or []
            if not (c.type == "text" and not c.content.strip())
        ]
        return (
            len(children) >= 3
            and children[0].type == "link_open"
            and children[-1].type == "link_close"
            and sum(c.type == "link_open" for c in children) == 1
            and not str(children[0].attrGet("href") or "").startswith("#")
        )

    def _bold_lead(self, head: list[Token]) -> str | None:
        """The title of ``**What is X?** - [Learn more](url)``: its bold part."""
        children = _unpadded(list(head[1].children or []))
        if len(children) < 4 or children[0].type != "strong_open":
            return None
        rest = _after_bold(children)
        title = plain_text(children[1 : children.index(_first_close(children))])
        if not rest or not plain_text(rest) or title.endswith(":"):
            return None  # "**Situation:** ..." is a lead-in, not a title
        return title

    def _mostly_asks(self, block: Block) -> bool:
        """A nested list whose items mostly ask outright: follow-ups (else it answers)."""
        items = self._list_items(self._tokens([block]), self._md([block]))
        titles = [plain_text(t[1].children or []) for t, _ in items if len(t) > 1 and t[1].children]
        return 2 * sum(asks_outright(t) for t in titles) >= len(items) > 0
