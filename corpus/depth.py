"""``depth_plugin``: text nested too deep for markdown-it is kept, as plain paragraphs.

markdown-it reads blocks inside one another (quotes, lists, list items) up to
``maxNesting`` levels; deeper, it skips every line left in the container that reached it,
and that is all the rest of the guide when the container is a list item (an item's lines
end only where the indentation does). Here the container's own lines (those a nested
read would take: all of a quote's, a list item's up to where its indentation ends) are
kept as one paragraph of their text, markers and all, and reading goes on after them. Each
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
    first = state.skipEmptyLines(start)
    # A quote's lines (and any other container's but a list item's) were measured by the
    # rule that opened it, lazy lines included: all of them are its own, as markdown-it's
    # own skip has it (and reading on inside it would make every deeper quote after this
    # one measure the rest again). A list item ends where its indentation does.
    stop = _item_end(state, first, end) if state.parentType == "list" else end
    lines = [n for n in range(first, stop) if not state.isEmpty(n)]
    state.line = stop
    if not lines:
        return
    last = lines[-1] + 1
    text = state.getLines(first, last, state.blkIndent, False).strip()
    state.push("paragraph_open", "p", 1).map = [first, last]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text, [first, last], []
    state.push("paragraph_close", "p", -1)
    state.env.setdefault(DEEP, []).append(first)


def _item_end(state: StateBlock, line: int, end: int) -> int:
    """Where a list item's lines end, from ``line``: at the first line indented less than
    the item after a blank line, or that ends a paragraph (a lazy line continues one, as
    markdown-it's paragraph rule has it)."""
    terminators = state.md.block.ruler.getRules("paragraph")
    in_paragraph = False
    while line < end:
        if state.isEmpty(line):
            in_paragraph = False
        elif 0 <= state.sCount[line] < state.blkIndent:
            if not in_paragraph or _ends_paragraph(state, line, end, terminators):
                break
        else:
            in_paragraph = True
        line += 1
    return line


def _ends_paragraph(state: StateBlock, line: int, end: int, terminators: list) -> bool:
    kept = state.parentType
    state.parentType = "paragraph"  # what the rules that may end one are told
    try:
        return any(rule(state, line, end, True) for rule in terminators)
    finally:
        state.parentType = kept
