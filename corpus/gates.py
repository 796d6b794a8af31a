"""``gates_plugin``: block rules asked only when a line can start what they read.

markdown-it asks every block rule, in order, at every block start, and a paragraph asks
its terminators at each of its lines. Most rules read one kind of line: a fence starts
with a backtick or tilde, a quote with ``>``, a heading with ``#``; but the stock rules
find that out only after logging their entry and checking indentation. This plugin wraps
each such rule in a gate that answers "no" at once for a line whose first character
(after its indentation) cannot start it, and otherwise asks the rule itself: a gate only
skips calls whose answer is already known to be no, so the tokens are the same.

A gated rule carries its characters as ``starts``: the paragraph rule (``mdx.py``) uses
them to ask only the terminators a line can start.

The same way, the core rule that normalizes line endings and NUL characters rewrites the
text only when it holds a carriage return or a NUL (its regex otherwise rewrites every
line ending with itself).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import NEWLINES_RE

BlockRule = Callable[[StateBlock, int, int, bool], bool]

# The characters a line must start with for each rule (by its name in the ruler) to match.
STARTS = {
    "front_matter": "-",
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",  # ASCII digits only: markdown-it compares character codes
    "reference": "[",
    "mdx_block": "<{",
    "html_before_details": "<",
    "html_block": "<",
    "heading": "#",
}
# A table's second line is its delimiter row (``|---|:--|``); its first can be anything.
_DELIMITER_STARTS = "|-:"


def gates_plugin(md: MarkdownIt) -> None:
    """Gate ``md``'s block rules (see the module docstring); use it after other plugins."""
    ruler = md.block.ruler
    for rule in ruler.__rules__:
        if rule.name in STARTS:
            ruler.at(rule.name, gated(rule.fn, STARTS[rule.name]), {"alt": rule.alt})
        elif rule.name == "table":
            ruler.at(rule.name, _gated_table(rule.fn), {"alt": rule.alt})
    md.core.ruler.at("normalize", _normalize)


def gated(rule: BlockRule, chars: str) -> BlockRule:
    """``rule``, asked only for a line that starts with one of ``chars`` (or is blank)."""

    @wraps(rule)
    def gate(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[start] + state.tShift[start]
        if pos < state.eMarks[start] and state.src[pos] not in chars:
            return False
        return rule(state, start, end, silent)

    gate.starts = chars  # type: ignore[attr-defined]
    return gate


def _gated_table(rule: BlockRule) -> BlockRule:
    """The table rule, asked only when the next line can be a delimiter row."""

    @wraps(rule)
    def gate(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        nxt = start + 1
        if nxt >= end:
            return False
        pos = state.bMarks[nxt] + state.tShift[nxt]
        if pos >= state.eMarks[nxt] or state.src[pos] not in _DELIMITER_STARTS:
            return False
        return rule(state, start, end, silent)

    return gate


def _normalize(state: StateCore) -> None:
    """markdown-it's ``normalize``: CR and CRLF line endings to LF, NUL to U+FFFD."""
    src = state.src
    if "\r" in src:
        src = NEWLINES_RE.sub("\n", src)
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src
