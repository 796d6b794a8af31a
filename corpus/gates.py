"""``gates_plugin``: markdown-it's rules asked only where they can match.

markdown-it asks every block rule, in order, at every block start, and a paragraph asks
its terminators at each of its lines. Most rules read one kind of line: a fence starts
with a backtick or tilde, a quote with ``>``, a heading with ``#``; but the stock rules
find that out only after logging their entry and checking indentation. This plugin wraps
each such rule in a gate that answers "no" at once for a line whose first character
(after its indentation) cannot start it, and otherwise asks the rule itself: a gate only
skips calls whose answer is already known to be no, so the tokens are the same.

A gated rule carries its characters as ``starts``: the paragraph rule (``mdx.py``) uses
them to ask only the terminators a line can start.

Inline, the text rule runs on to the next character where an inline rule in use can
match (markdown-it's default stops also serve plugins not in use, ``-``, ``:``, ``=``...,
and at each of them every rule was asked in vain), and the inline HTML rule is asked only
at a ``<`` (it looks up the options first). The core rule that normalizes line endings
and NUL characters rewrites the text only when it holds a carriage return or a NUL (its
regex otherwise rewrites every line ending with itself), and the core rule that joins
escapes and entities (``text_special`` tokens) with the text around them reads only the
inline tokens that can hold one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore, text_join
from markdown_it.rules_core.normalize import NEWLINES_RE
from markdown_it.rules_inline import StateInline

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]

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
# The characters each inline rule (by its name in the ruler) can match at.
INLINE_STARTS = {
    "text": "",
    "linkify": ":",
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
# Where the text rule stops besides: "]", where the scan of a link's or image's text ends.
_TEXT_STOPS = "]"
# Inline rules that do work before looking at their character (the others look first).
_GATED_INLINE = ("html_inline",)
# A table's second line is its delimiter row (``|---|:--|``); its first can be anything.
_DELIMITER_STARTS = "|-:"


def gates_plugin(md: MarkdownIt) -> None:
    """Gate ``md``'s rules (see the module docstring); use it last, after other plugins and
    after enabling or disabling rules (the text rule's stops are read from the rules then)."""
    ruler = md.block.ruler
    for rule in ruler.__rules__:
        if rule.name in STARTS:
            ruler.at(rule.name, gated(rule.fn, STARTS[rule.name]), {"alt": rule.alt})
        elif rule.name == "table":
            ruler.at(rule.name, _gated_table(rule.fn), {"alt": rule.alt})
    inline = md.inline.ruler
    for rule in inline.__rules__:
        if rule.name in _GATED_INLINE:
            gate = _gated_inline(rule.fn, INLINE_STARTS[rule.name])
            inline.at(rule.name, gate, {"alt": rule.alt})
    active = inline.get_active_rules()
    if all(name in INLINE_STARTS for name in active):  # a plugin's rule may match anywhere
        stops = sorted({*_TEXT_STOPS, *(c for name in active for c in INLINE_STARTS[name])})
        md.inline.terminator_re = re.compile(f"[{re.escape(''.join(stops))}]")
    md.core.ruler.at("normalize", _normalize)
    md.core.ruler.at("text_join", _text_join)


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


def _gated_inline(rule: InlineRule, chars: str) -> InlineRule:
    """Inline ``rule``, asked only at one of ``chars``."""

    @wraps(rule)
    def gate(state: StateInline, silent: bool) -> bool:
        if state.pos < state.posMax and state.src[state.pos] not in chars:
            return False
        return rule(state, silent)

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


def _text_join(state: StateCore) -> None:
    """markdown-it's ``text_join``, for the inline tokens whose source has a ``\\`` or ``&``.

    ``text_special`` tokens come from escapes and entities; an inline token with neither
    has none to join, nor adjacent text tokens (``fragments_join`` merged those).
    """
    tokens = [
        t for t in state.tokens if t.type == "inline" and ("\\" in t.content or "&" in t.content)
    ]
    if tokens:
        text_join(StateCore(state.src, state.md, state.env, tokens))
