"""HTML ``<details>``/``<summary>`` blocks as container tokens (part of ``mdx_plugin``).

GitHub collections fold answers into ``<details>``: the summary is either the question or
a placeholder ("Answer", "Show solution") for the question above it. CommonMark reads the
tags as HTML blocks that end at the first blank line, so the answer's Markdown would be
read apart from its tags and a summary split over lines would leak as raw text. Here a
``<details>`` line becomes an ``mdx_open`` token named ``details`` whose ``title`` is the
summary's plain text, and ``</details>`` (also after closing inline tags, as in
``</b></details>``) becomes its ``mdx_close``; everything between is ordinary Markdown.

A summary whose text goes on past a blank line keeps its first paragraph as the title;
the rest is Markdown of the block (the question's own text). The tag lines may carry
``<br>``, ``<b>``, ``<p>`` and the like: markup, never text.
"""

from __future__ import annotations

import re

from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import html_block

from .lookahead import line_of
from .titles import plain_text

_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)
_SUMMARY_OPEN = re.compile(r"<summary\b[^>]*>", re.IGNORECASE)
_SUMMARY_CLOSE = re.compile(r"</summary\s*>", re.IGNORECASE)
_CLOSE = re.compile(r"(?:</?(?:b|i|p|em|strong|br|span|div)\s*/?>\s*)*</details\s*>", re.I)
# A line of nothing but formatting or wrapper tags (<p>, </b>, <br/>, <div align="center">)
_TAG_LINE = re.compile(
    r"(?:\s*</?(?:b|i|p|em|strong|br|span|div|center|sup|sub|small|u)\b[^>]*?/?>)+\s*$", re.I
)
_WRAPPER_OPEN = re.compile(r"<(div|p|center)\b[^>]*>$", re.I)
_ONLY_TAGS = re.compile(r"^(?:\s*</?[a-zA-Z][a-zA-Z0-9]*\b[^>]*/?>)*\s*$")
_BLANK = re.compile(r"\n[ \t]*\n")
_MAX_SUMMARY_LINES = 40


def details_block(state: StateBlock, start: int, pos: int, silent: bool) -> bool | None:
    """Read a ``<details>`` opening or closing line at ``pos``; ``None`` when it is neither."""
    src = state.src
    line_end = state.eMarks[start]
    if _CLOSE.match(src, pos, line_end):
        if silent:
            return True
        _push(state, "mdx_close", start, start + 1, "")
        state.line = start + 1
        return True
    m = _OPEN.match(src, pos, line_end)
    if m is None:
        if not _TAG_LINE.match(src, pos, line_end) or not _is_wrapper(state, start, pos):
            return None
        if not silent:  # markup only: dropped, so no HTML block swallows the next lines
            token = state.push("mdx_drop", "", 0)
            token.map, token.block = [start, start + 1], True
            state.line = start + 1
        return True
    if silent:
        return True
    after = m.end()
    title, body_lines, last, s_close = "", None, start, None
    s_open = _SUMMARY_OPEN.search(src, after, _limit(state, start))
    if s_open is not None and _ONLY_TAGS.match(src[after : s_open.start()]):
        s_close = _SUMMARY_CLOSE.search(src, s_open.end(), _limit(state, start))
        if s_close is not None:
            last = line_of(state, start, s_close.start())
            title, body_lines = _summary(state, s_open.end(), s_close.start(), start, last)
    token = _push(state, "mdx_open", start, last + 1, title)
    tail = src[s_close.end() : state.eMarks[last]] if s_close is not None else ""
    if tail.strip() and not _ONLY_TAGS.match(tail):  # "</summary> The answer starts here"
        state.push("paragraph_open", "p", 1).map = [last, last + 1]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = tail.strip(), [last, last + 1], []
        state.push("paragraph_close", "p", -1)
    if body_lines is not None:
        first, stop = body_lines
        state.md.block.tokenize(state, first, stop)
    state.line = last + 1
    return token is not None


def _summary(
    state: StateBlock, begin: int, stop: int, start: int, last: int
) -> tuple[str, tuple[int, int] | None]:
    """The summary's title, and the lines of its further paragraphs (if any) to parse."""
    raw = state.src[begin:stop]
    gap = _BLANK.search(raw)
    head = raw if gap is None else raw[: gap.start()]
    title = plain_text(state.md.parseInline(head.strip())[0].children or [])
    if gap is None:
        return title, None
    # The further text is parsed when </summary> stands on a line of its own (as it does
    # when the summary holds a list); otherwise it stays part of the title's lines.
    if state.src[state.bMarks[last] + state.tShift[last] : stop].strip():
        return title, None
    return title, (line_of(state, start, begin + gap.end()), last)


def _is_wrapper(state: StateBlock, start: int, pos: int) -> bool:
    """A tag line to drop: closing or formatting tags, or a wrapper whose body is Markdown.

    ``<div align="center">`` followed by a blank line wraps Markdown (kept); a ``<div>``
    whose raw body runs on without one is markup, dropped whole by the MDX rule.
    """
    line = state.src[pos : state.eMarks[start]].strip()
    m = _WRAPPER_OPEN.match(line)
    if m is None or "</" in line:
        return True
    nxt = start + 1
    return nxt >= state.lineMax or state.isEmpty(nxt)


def _push(state: StateBlock, kind: str, start: int, end: int, title: str):
    token = state.push(kind, "", 0)
    token.meta = {"name": "details", "attrs": {"title": title} if title else {}}
    token.map = [start, end]
    token.block = True
    return token


def _limit(state: StateBlock, start: int) -> int:
    return state.eMarks[min(state.lineMax - 1, start + _MAX_SUMMARY_LINES)]


def html_before_details(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML block (``<ul><li>...``) that ends where a ``<details>`` line begins.

    CommonMark ends such a block only at a blank line, so an answer written as HTML right
    before ``</details>`` would swallow the closing tag and every question after it.

    The block is read as ``html_block`` reads it, then cut at a ``<details>`` line in it
    (before any blank line): only its own lines are read twice. Asked whether a line ends
    a paragraph, quote or list (``silent``), it answers as html_block does, reading
    nothing ahead: html_block is asked there too, and a list ends at a line that starts
    with ``<`` either way. (Reading ahead to the next blank line from every line that
    starts with ``<``, a paragraph of such lines or a run of one-line HTML comments took
    time quadratic in its length.)
    """
    if silent:
        return html_block(state, start, end, True)
    count = len(state.tokens)
    if not html_block(state, start, end, False):
        return False
    line = start + 1
    while line < state.line and not state.isEmpty(line):
        at = state.bMarks[line] + state.tShift[line]
        if _OPEN.match(state.src, at, state.eMarks[line]) or _CLOSE.match(
            state.src, at, state.eMarks[line]
        ):
            del state.tokens[count:]
            return html_block(state, start, line, False)
        line += 1
    return True
