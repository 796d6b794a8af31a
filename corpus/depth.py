"""``depth_plugin``: text nested too deep for markdown-it is kept, as plain paragraphs.

markdown-it reads blocks inside one another (quotes, lists, list items) up to
``maxNesting`` levels; deeper, it skips every line left in the container that reached it,
and that is all the rest of the guide when the container is a list item (an item's lines
end only where the indentation does). Here the container's own lines (those a nested
read would take: up to the first line indented less than the container) are kept as one
paragraph of their text, markers and all, and reading goes on after them as usual. Each
such place is listed in the parse's ``env`` under ``DEEP`` (its first line, 0-based), for
a warning.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

DEEP = "too_deep"  # env key: the first line of each run of lines kept as plain text


def depth_plugin(md: MarkdownIt) -> None:
    """Keep the text of blocks nested deeper than ``md``'s ``maxNesting``."""
    tokenize = md.block.tokenize
    limit = md.options["maxNesting"]

    def read(state: StateBlock, start: int, end: int) -> None:
        if state.level >= limit:
            _keep_as_text(state, start, end)
        else:
            tokenize(state, start, end)

    md.block.tokenize = read  # type: ignore[method-assign]


def _keep_as_text(state: StateBlock, start: int, end: int) -> None:
    """The lines of the container being read, from ``start``, as one paragraph."""
    line = first = state.skipEmptyLines(start)
    last = None
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        if not state.isEmpty(line):
            last = line
        line += 1
    state.line = line
    if last is None:
        return
    text = state.getLines(first, last + 1, state.blkIndent, False).strip()
    state.push("paragraph_open", "p", 1).map = [first, last + 1]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text, [first, last + 1], []
    state.push("paragraph_close", "p", -1)
    state.env.setdefault(DEEP, []).append(first)
