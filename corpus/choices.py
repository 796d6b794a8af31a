"""Multiple choice written as task-list checkboxes: options in the body, the checked one answers.

Quiz collections write a question's options as ``- [ ] ...`` items and tick the right
one(s) with ``- [x] ...``. In a question's own text, a run of such lists (with the code
or text that an option carries between them, and code right after the last one) is its
options: they join the question's **body** without their boxes, so the body never gives
the answer away. The ticked options, each with what it carries, start the **answer**;
what follows the options (an explanation, a reference) goes on answering. Options with
no tick are a question with no answer given.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .followups import copy_token
from .parts import PartReader, Parts
from .reader import Block

_BOX = re.compile(r"^\[([ xX])\]\s+")
_MD_BOX = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[[ xX]\]\s+", re.MULTILINE)


class ChoiceReader(PartReader):
    """Reads checkbox options out of a question's units (see the module docstring)."""

    def _choices(self, units: list[list[Block]], parts: Parts) -> list[list[Block]]:
        """Options and ticked answers into ``parts``; the units left to read as usual."""
        lists = [k for k, unit in enumerate(units) if self._boxes(unit) is not None]
        if not lists:
            return units
        end = lists[-1] + 1
        while end < len(units) and self.tokens[units[end][0][0]].type in ("fence", "table_open"):
            end += 1  # code or a table right after the last option belongs to it
        for unit in units[: lists[0]]:
            parts.body.add(self._tokens(unit), self._md(unit))
        ticked = False  # the last option seen was ticked: what it carries answers too
        for k in range(lists[0], end):
            unit = units[k]
            toks, md = self._tokens(unit), self._md(unit)
            boxes = self._boxes(unit)
            if boxes is None:
                parts.body.add(toks, md)
                if ticked:
                    parts.answer.add(toks, md)
                continue
            parts.body.add(_unboxed(toks), _MD_BOX.sub(r"\1", md))
            for (item_toks, item_md), mark in zip(self._list_items(toks, md), boxes, strict=True):
                ticked = mark
                if mark:
                    parts.answer.add(_unboxed(item_toks, 1), _BOX.sub("", item_md, count=1))
        return units[end:]

    def _boxes(self, unit: list[Block]) -> list[bool] | None:
        """For a list of checkbox items, whether each is ticked; else ``None``."""
        if len(unit) != 1 or self.tokens[unit[0][0]].type != "bullet_list_open":
            return None
        start, end = unit[0]
        toks = self.tokens
        level = toks[start].level + 1
        marks: list[bool] = []
        for i in range(start + 1, end):
            if toks[i].type == "list_item_open" and toks[i].level == level:
                inline = toks[i + 2] if toks[i + 1].type == "paragraph_open" else None
                m = _BOX.match(inline.content) if inline is not None else None
                if m is None:
                    return None
                marks.append(m.group(1) != " ")
        return marks or None


def _unboxed(toks: list[Token], item: int = 0) -> list[Token]:
    """Tokens with the ``[ ]``/``[x]`` box taken off each item's text (copies, never edits).

    ``item=1``: ``toks`` are one item's content, its text the inline at index 1.
    """
    out: list[Token] = []
    for k, tok in enumerate(toks):
        if tok.type == "inline" and (
            k == item if item else k >= 2 and toks[k - 2].type == "list_item_open"
        ):
            children = list(tok.children or [])
            if children and children[0].type == "text":
                children[0] = copy_token(children[0], content=_BOX.sub("", children[0].content))
            tok = copy_token(tok, children=children, content=_BOX.sub("", tok.content))
        elif item and tok.hidden and tok.level == toks[0].level and tok.type.startswith("para"):
            tok = copy_token(tok)  # a tight item's text, shown as a paragraph of its own
            tok.hidden = False
        out.append(tok)
    return out
