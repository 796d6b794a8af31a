"""``mdx_plugin``: Mintlify MDX components as markdown-it block tokens.

MDX guides wrap Markdown in JSX components (``<Accordion title="...">``, ``<Tip>``,
``<Steps>``), comments (``{/* ... */}``) and raw JSX blocks (``<div><svg>...``).
CommonMark would read these as HTML blocks that swallow the Markdown after them, so
this plugin adds a block rule, run before ``html_block``, that emits:

- ``mdx_open`` / ``mdx_close`` for a component's opening and closing tag lines, with
  ``meta = {"name": ..., "attrs": {...}}`` (a self-closing tag gives both);
- ``mdx_drop`` for a JSX comment or a raw ``<div>``/``<svg>``/``<img>``-like block,
  which carries no text for readers and is never rendered or indexed.

The Markdown between an open and a close tag stays ordinary block tokens, so the
component tokens are flat siblings and structure is read by matching them. Fenced code
is consumed by the ``fence`` rule first, so JSX-looking text in code stays code.
Like MDX itself, the plugin is meant to run with indented code blocks disabled.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.lheading import lheading
from markdown_it.rules_block.list import list_block

from .details import details_block, html_before_details
from .lookahead import line_of, search

# Lower-case JSX blocks that hold markup, not prose: dropped whole.
DROP_TAGS = frozenset(
    {
        "div",
        "svg",
        "img",
        "picture",
        "figure",
        "iframe",
        "video",
        "audio",
        "script",
        "style",
        "canvas",
        "object",
        "embed",
        "br",
        "hr",
    }
)
_MAX_TAG_LINES = 30
_COMMENT_CLOSE = re.compile(re.escape("*/}"))
# A line that may underline a setext heading (``---``, ``===``, also after a quote's ``>``)
# or a blank line, which ends the paragraph first
_UNDERLINE_OR_BLANK = re.compile(r"^(?:[ \t]*$|[ \t>]*(?P<underline>[=-]))", re.MULTILINE)


def mdx_plugin(md: MarkdownIt) -> None:
    """Add the MDX component rule to ``md`` (see the module docstring)."""
    md.block.ruler.before(
        "html_block",
        "mdx_block",
        _mdx_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.block.ruler.before(
        "html_block",
        "html_before_details",
        html_before_details,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.block.ruler.at("paragraph", _paragraph)
    md.block.ruler.at("list", _list, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("lheading", _lheading)


# Per chain of paragraph terminators (the ruler keeps one list per chain until its rules
# change): the chain, the rules to ask for a line by its first character, and those to ask
# for any other line.
_ASK: dict[int, tuple[list, dict[str, list], list]] = {}


def _terminators(state: StateBlock) -> tuple[dict[str, list], list]:
    """The paragraph's terminators by the first character they can match (``starts`` of
    gated rules, ``gates.py``); rules without ``starts`` are asked for every line."""
    chain = state.md.block.ruler.getRules("paragraph")
    ask = _ASK.get(id(chain))
    if ask is None or ask[0] is not chain:
        rules = [(r, getattr(r, "starts", "")) for r in chain]
        chars = {c for _, starts in rules for c in starts}
        by_char = {c: [r for r, s in rules if not s or c in s] for c in chars}
        ask = _ASK[id(chain)] = (chain, by_char, [r for r, s in rules if not s])
    return ask[1], ask[2]


def _paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's paragraph rule without its indented-continuation shortcut.

    CommonMark treats a line indented 4+ spaces after a paragraph line as a lazy
    continuation before asking whether anything ends the paragraph. MDX has no indented
    code and indents component bodies freely, so an indented ``</Tip>`` must end the
    paragraph like an unindented one.
    """
    next_line = start + 1
    by_char, always = _terminators(state)
    end = state.lineMax
    src, b_marks, t_shift = state.src, state.bMarks, state.tShift
    old_parent = state.parentType
    state.parentType = "paragraph"
    while next_line < end:
        if state.isEmpty(next_line):
            break
        if state.sCount[next_line] < 0:
            next_line += 1
            continue
        # Most lines of a paragraph start with a letter: only rules that can start
        # there (the table rule, unknown plugins' rules) need asking.
        rules = by_char.get(src[b_marks[next_line] + t_shift[next_line]], always)
        for rule in rules:
            if rule(state, next_line, end, True):
                break
        else:
            next_line += 1
            continue
        break
    content = state.getLines(start, next_line, state.blkIndent, False).strip()
    state.line = next_line
    state.push("paragraph_open", "p", 1).map = [start, state.line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start, state.line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    state.parentType = old_parent
    return True


def _list(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's list rule, for lists indented 4+ columns (component bodies in MDX).

    The list rule assumes a marker is at most 3 columns past the block indent (more would
    be indented code) and reads a less-indented next marker as paragraph continuation. In
    MDX the whole body of a component may be indented, so the list is read with the block
    indent moved to its marker, as if the body were not indented.
    """
    if state.sCount[start] - state.blkIndent < 4:
        return list_block(state, start, end, silent)
    old = state.blkIndent
    state.blkIndent = state.sCount[start]
    try:
        return list_block(state, start, end, silent)
    finally:
        state.blkIndent = old


def _lheading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's setext heading rule, asked only when an underline can follow.

    The stock rule reads ahead through the whole paragraph at every paragraph start; a
    setext underline is a line of ``=`` or ``-``, so when no line before the next blank
    one starts with either, the answer is no without asking. That line is looked for in
    the source (where a quote's lines still start with ``>``), once for all the
    paragraphs before it (``lookahead.search``): looked for line by line from each
    paragraph, a guide of short paragraphs between headings and no blank line took time
    quadratic in its length.
    """
    found = search(state, _UNDERLINE_OR_BLANK, state.eMarks[start] + 1)
    if found is None or found.group("underline") is None:
        return False
    if line_of(state, start, found.start()) >= end:
        return False
    return lheading(state, start, end, silent)


def _rest_is_blank(state: StateBlock, offset: int, line: int) -> bool:
    return not state.src[offset : state.eMarks[line]].strip()


def _mdx_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    if pos >= state.eMarks[start]:
        return False
    src = state.src
    ch = src[pos]
    if ch == "{" and src.startswith("{/*", pos):
        found = search(state, _COMMENT_CLOSE, pos)  # found once for every opener before it
        if found is None:
            return False
        close = found.start()
        last = line_of(state, start, close)
        if not _rest_is_blank(state, close + 3, last):
            return False
        return silent or _push_drop(state, start, last)
    if ch != "<":
        return False
    if not src[pos + 1 : pos + 2].isupper():  # HTML, not a component: <details>, tag lines
        found = details_block(state, start, pos, silent)
        if found is not None:
            return found
    limit = state.eMarks[min(end - 1, start + _MAX_TAG_LINES)]
    tag = lex_tag(src, pos, limit)
    if tag is None:
        return False
    name, attrs, closing, self_closing, tag_end = tag
    if name[0].islower():
        if closing or name not in DROP_TAGS:
            return False
        stop = tag_end if self_closing else _raw_block_end(src, pos, name)
        if stop < 0:
            return False
        last = line_of(state, start, stop - 1)
        return silent or _push_drop(state, start, last)
    if silent:
        return True
    last = line_of(state, start, tag_end - 1)
    meta = {"name": name, "attrs": attrs}
    token = state.push("mdx_close" if closing else "mdx_open", "", 0)
    token.meta = meta
    token.map = [start, last + 1]
    token.block = True
    rest = src[tag_end : state.eMarks[last]].strip()
    if self_closing:
        token = state.push("mdx_close", "", 0)
        token.meta = meta
        token.map = [start, last + 1]
    elif rest and not closing:
        _push_inline_rest(state, rest, name, start, last)
    state.line = last + 1
    return True


def _push_inline_rest(state: StateBlock, rest: str, name: str, start: int, last: int) -> None:
    """``<Tip>Short text</Tip>`` on one line: the text becomes a paragraph."""
    closing_tag = f"</{name}>"
    closes = rest.endswith(closing_tag)
    if closes:
        rest = rest[: -len(closing_tag)].rstrip()
    if rest:
        state.push("paragraph_open", "p", 1).map = [start, last + 1]
        inline = state.push("inline", "", 0)
        inline.content = rest
        inline.map = [start, last + 1]
        inline.children = []
        state.push("paragraph_close", "p", -1)
    if closes:
        token = state.push("mdx_close", "", 0)
        token.meta = {"name": name, "attrs": {}}
        token.map = [start, last + 1]


def _push_drop(state: StateBlock, start: int, last: int) -> bool:
    token = state.push("mdx_drop", "", 0)
    token.map = [start, last + 1]
    token.block = True
    state.line = last + 1
    return True


def _raw_block_end(src: str, pos: int, name: str) -> int:
    """Offset just past the tag that closes the raw ``<name>`` block opened at ``pos``."""
    depth, i = 0, pos
    open_mark, close_mark = f"<{name}", f"</{name}>"
    while True:
        nxt_open = src.find(open_mark, i)
        nxt_close = src.find(close_mark, i)
        if nxt_close == -1:
            return -1
        if nxt_open != -1 and nxt_open < nxt_close:
            after = src[nxt_open + len(open_mark) : nxt_open + len(open_mark) + 1]
            if after in (" ", ">", "\n", "/", "\t"):
                gt = src.find(">", nxt_open)
                if gt != -1 and src[gt - 1] != "/":
                    depth += 1
            i = nxt_open + len(open_mark)
            continue
        depth -= 1
        i = nxt_close + len(close_mark)
        if depth <= 0:
            return i


def lex_tag(src: str, pos: int, limit: int) -> tuple[str, dict[str, str], bool, bool, int] | None:
    """Lex one JSX tag starting at ``src[pos] == "<"``.

    Returns ``(name, attrs, closing, self_closing, end)`` where ``end`` is the offset
    just past ``>``, or ``None`` when the text is not a tag. Attribute values are the
    string literal (``title="..."`` or ``'...'``) or the raw text of ``{...}``; a bare
    attribute is ``"true"``.
    """
    i = pos + 1
    closing = i < limit and src[i] == "/"
    if closing:
        i += 1
    start = i
    while i < limit and (src[i].isalnum() or src[i] in "._-"):
        i += 1
    name = src[start:i]
    if not name or not name[0].isalpha():
        return None
    attrs: dict[str, str] = {}
    while i < limit:
        while i < limit and src[i] in " \t\n":
            i += 1
        if i >= limit:
            return None
        ch = src[i]
        if ch == ">":
            return name, attrs, closing, False, i + 1
        if ch == "/" and src.startswith("/>", i):
            return name, attrs, closing, True, i + 2
        key_start = i
        while i < limit and (src[i].isalnum() or src[i] in "-_:."):
            i += 1
        key = src[key_start:i]
        if not key:
            return None
        if i < limit and src[i] == "=":
            i += 1
            value, i = _lex_value(src, i, limit)
            if value is None:
                return None
            attrs[key] = value
        else:
            attrs[key] = "true"
    return None


def _lex_value(src: str, i: int, limit: int) -> tuple[str | None, int]:
    if i >= limit:
        return None, i
    quote = src[i]
    if quote in "\"'":
        end = src.find(quote, i + 1, limit)
        return (None, i) if end == -1 else (src[i + 1 : end], end + 1)
    if quote in "“”":  # curly quotes from a word processor: title=”...” or “...”
        end = min(
            (e for e in (src.find("”", i + 1, limit), src.find("“", i + 1, limit)) if e != -1),
            default=-1,
        )
        return (None, i) if end == -1 else (src[i + 1 : end], end + 1)
    if quote == "{":
        depth, j = 0, i
        while j < limit:
            c = src[j]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return src[i + 1 : j].strip(), j + 1
            j += 1
        return None, i
    return None, i
