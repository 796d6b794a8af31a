"""A guide's outline: headings (also inside list items) with their content and containers.

``OutlineReader._walk`` reads the top-level token stream once into ``Heading`` nodes
(``##`` sections, ``###`` sub-topics and deeper, in a tree) whose ``content`` is their
own blocks and ``Container``s (``<Accordion>`` and ``<details>``) in document order,
up to the first sub-heading. A heading written as the first thing of a list item
(``1. ### What is hoisting?``) is a heading like any other: the rest of its item, and
whatever follows the list up to the next heading (answers indented unevenly fall out of
their item), is its content. Headings inside a container are part of the container.
Whether a heading is a topic or a question is decided afterwards (``conventions.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import QUESTION_PREFIX, clean_title
from .parts import PartReader
from .reader import Block, is_list
from .render import KNOWN_COMPONENTS
from .titles import heading_asks, tidy

# "{#id}" pinned at a title's end, read backwards ("}di#{") from the end, where it is:
# searched for from the start, the pattern was tried at each space of a long run, or each
# "{#" of one, and each try read on to the run's end (quadratic in the title's length).
_PINNED_ID_REVERSED = re.compile(r"\s*\}([^}\s]+)#\{\s*")
CONTAINER_NAMES = ("Accordion", "details")


def _unpinned(title: str) -> tuple[str, str | None]:
    """``title`` without the ``{#id}`` pinned at its end, and that id (``None`` if none)."""
    m = _PINNED_ID_REVERSED.match(title[::-1])
    if m is None:
        return title, None
    return title[: len(title) - m.end()], m.group(1)[::-1]


@dataclass
class Container:
    """An ``<Accordion>`` or ``<details>`` block: a title and the blocks inside."""

    name: str
    title: str
    attrs: dict[str, str]
    line: int
    blocks: list[Block] = field(default_factory=list)
    summary_end: int = 0  # details: blocks starting before this line are the summary's text
    is_question: bool = False


Item = Block | Container


@dataclass
class Heading:
    """A heading and what is written under it; ``kind`` is ``topic`` or ``question``."""

    title: str
    level: int
    line: int
    pinned: str | None
    parent: Heading | None
    head: Block | None = None
    content: list[Item] = field(default_factory=list)
    children: list[Heading] = field(default_factory=list)
    id: str = ""
    kind: str = "topic"
    asks: bool = False  # reads as a question (decided on the title as written)
    marked: bool = False  # numbered or ``Q.``-prefixed, or the heading of an ordered item
    boilerplate: bool = False  # a title repeated with nothing of its own (conventions.py)


class OutlineReader(PartReader):
    """Reads a guide's token stream into its outline; see the module docstring."""

    meta: dict[str, object]

    def _walk(self) -> tuple[list[Item], list[Heading]]:
        toks = self.tokens
        h1_count = sum(
            1 for t in toks if t.type == "heading_open" and t.tag == "h1" and t.level == 0
        )
        intro: list[Item] = []
        headings: list[Heading] = []
        stack: list[Heading] = []
        box: Container | None = None
        nested = 0  # <details> opened inside the open container
        seen_heading = False

        def place(item: Item) -> None:
            (stack[-1].content if stack else intro).append(item)

        def open_heading(block: Block, ordered: bool = False) -> None:
            nonlocal seen_heading
            tok = toks[block[0]]
            level = int(tok.tag[1])
            raw = toks[block[0] + 1].content.strip()
            title = self.inline_title(block)
            if level == 1 and h1_count == 1 and not seen_heading:
                self.meta.setdefault("h1", title)
                seen_heading = True
                return
            seen_heading = True
            pinned = _unpinned(raw)[1]
            if pinned is not None:
                title = _unpinned(title)[0]
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1] if stack else None
            line = tok.map[0] + 1 if tok.map else 1
            node = Heading(clean_title(title) or title, level, line, pinned, parent, block)
            node.marked = ordered or bool(QUESTION_PREFIX.match(title))
            node.asks = heading_asks(title)
            if parent:
                parent.children.append(node)
            headings.append(node)
            stack.append(node)

        for block in self._blocks():
            tok = toks[block[0]]
            typ = tok.type
            line = (tok.map[0] + 1) if tok.map else 1
            if typ == "front_matter":
                self._front_matter(tok)
                continue
            if box is None and typ == "heading_open":
                open_heading(block)
                continue
            if box is None and is_list(tok):
                items = self._heading_items(block)
                if items is not None:
                    for head, inner in items:
                        if head is not None:
                            open_heading(head, tok.type == "ordered_list_open")
                        for b in inner:
                            place(b)
                    continue
            if typ in ("mdx_open", "mdx_close"):
                name = tok.meta["name"]
                if name == "details" and box is not None:
                    nested += 1 if typ == "mdx_open" else -1
                    if nested >= 0:
                        box.blocks.append(block)
                        continue
                    nested = 0
                if name in CONTAINER_NAMES:
                    if typ == "mdx_open":
                        if box is not None:
                            self.warn(
                                box.line, f"unclosed <{box.name}>: closed where the next one opens"
                            )
                            place(box)
                        box = self._container(name, tok.meta, line, tok.map)
                        if name == "Accordion" and not box.title:
                            self.warn(line, "<Accordion> has no title; its text is kept as notes")
                    elif box is None:
                        self.warn(line, f"</{name}> without a matching <{name}>; ignored")
                    else:
                        place(box)
                        box, nested = None, 0
                    continue
                if name == "AccordionGroup":
                    if typ == "mdx_close" and box is not None:
                        self.warn(box.line, f"unclosed <{box.name}>: closed at </AccordionGroup>")
                        place(box)
                        box = None
                    continue
                if typ == "mdx_open" and name not in KNOWN_COMPONENTS:
                    self.warn(line, f"unknown component <{name}>: markup dropped, content kept")
            if box is not None:
                box.blocks.append(block)
            else:
                place(block)
        if box is not None:
            self.warn(box.line, f"unclosed <{box.name}>: closed at the end of the file")
            place(box)
        return intro, headings

    @staticmethod
    def _container(name: str, meta: dict, line: int, where: list[int] | None) -> Container:
        attrs = meta["attrs"]
        title = tidy(attrs.get("title", ""))
        box = Container(name, title, attrs, line)
        if name == "details" and where:
            box.summary_end = where[1]
        return box

    def _heading_items(self, block: Block) -> list[tuple[Block | None, list[Block]]] | None:
        """A list whose items open with a heading: each item's heading and other blocks."""
        toks = self.tokens
        start, end = block
        level = toks[start].level + 1
        items: list[tuple[Block | None, list[Block]]] = []
        found = False
        i = start + 1
        while i < end - 1:
            if toks[i].type == "list_item_open" and toks[i].level == level:
                j = i + 1
                while not (toks[j].type == "list_item_close" and toks[j].level == level):
                    j += 1
                inner = self.child_blocks(i + 1, j, level + 1)
                if inner and toks[inner[0][0]].type == "heading_open":
                    found = True
                    items.append((inner[0], inner[1:]))
                else:
                    items.append((None, inner))
                i = j + 1
            else:
                i += 1
        return items if found else None
