"""Reading ahead from a block rule without reading the same text again at every line.

markdown-it asks the block rules at every block start and a paragraph's terminators at
every line of it. A rule that reads ahead from there (to the ``*/}`` that closes a JSX
comment, to the next line that can underline a heading) reads the same lines again for
each line before them: time quadratic in a guide's length. ``line_of`` finds the line
of an offset by bisection, and ``search`` remembers, for the parse, where a pattern
matched next: asked again from an offset between the two, the answer is the same match.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from markdown_it.rules_block import StateBlock

_MEMO = "lookahead"  # the key of the remembered searches in the parse's ``env``


def line_of(state: StateBlock, start: int, offset: int) -> int:
    """The index of the line that holds ``offset``, searching from line ``start``
    (``state.lineMax - 1`` at most: the rule's last line)."""
    return bisect_left(state.eMarks, offset, start, max(start, state.lineMax - 1))


def search(state: StateBlock, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
    """``pattern.search(state.src, pos)``, remembered for the rest of the parse.

    No match starts between the offset a search started from and the match it found, so
    a search from anywhere in between finds the same one (``^`` and lookbehinds read the
    text before ``pos`` either way); after no match, there is none further on either.
    """
    memo = state.env.setdefault(_MEMO, {})
    last = memo.get(pattern)
    if last is not None:
        src, since, found = last
        if src is state.src and since <= pos and (found is None or pos <= found.start()):
            return found
    found = pattern.search(state.src, pos)
    memo[pattern] = (state.src, pos, found)
    return found
