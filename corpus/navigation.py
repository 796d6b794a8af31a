"""``navigation_plugin``: links that move around a page are not content.

Collections on GitHub open with badges and a table of contents and end every answer with
a "back to top" link. Read as text they would become topic notes, or the tail of every
answer. This core rule, run after inline parsing, replaces each such block with one
``mdx_drop`` token (never rendered or indexed, as the MDX rule does for raw markup):

- a paragraph made only of links to anchors of the page (``[⬆ Back to Top](#toc)``) and
  images (badges), with nothing but symbols and spaces around them, unless it is the
  text of a list entry (then the whole list is navigation or none of it is);
- a list or table whose every entry is such links, numbers or symbols (a table of
  contents), with at least one link to an anchor; a list entry that opens with a link to
  an anchor may add a few words ("[Linux](#linux) - 80 questions").

A link to another page or site is content (a reference) and is kept.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_NOTE_WORDS = 5  # words a table-of-contents entry may add after its link ("- 11 questions.")
_STARTS = frozenset(("paragraph_open", "bullet_list_open", "ordered_list_open", "table_open"))
_CONTAINERS = {
    "bullet_list_open": "bullet_list_close",
    "ordered_list_open": "ordered_list_close",
    "table_open": "table_close",
}


def navigation_plugin(md: MarkdownIt) -> None:
    """Add the navigation rule to ``md`` (see the module docstring)."""
    md.core.ruler.after("inline", "navigation", _navigation)


def _navigation(state: StateCore) -> None:
    if "](#" not in state.src and "[![" not in state.src:
        return  # no anchor link and no badge: nothing to look at (most guides)
    tokens = state.tokens
    drops: list[tuple[int, int]] = []  # [start, end] of each block to drop
    n = len(tokens)
    skip = -1  # inside a block already dropped
    for i in [k for k, t in enumerate(tokens) if t.type in _STARTS]:  # where a drop may start
        if i <= skip:
            continue
        kind = tokens[i].type
        if kind == "paragraph_open":
            if (
                i + 2 < n
                and "](" in tokens[i + 1].content  # the cheap test first: most paragraphs
                and (i == 0 or tokens[i - 1].type != "list_item_open")  # an entry: see lists
                and _nav_inline(tokens[i + 1]) == "link"
            ):
                drops.append((i, i + 2))
                skip = i + 2
            continue
        close = _CONTAINERS.get(kind)
        if close is not None:
            j = _nav_end(tokens, i, close, kind != "table_open")
            if j:
                drops.append((i, j))
                skip = j
    if drops:
        out: list[Token] = []
        last = 0
        for start, end in drops:
            out.extend(tokens[last:start])
            out.append(_drop(tokens[start]))
            last = end + 1
        out.extend(tokens[last:])
        state.tokens = out


def _nav_end(tokens: list[Token], i: int, close: str, entries: bool) -> int:
    """The index of the list's or table's close when it is navigation, else 0.

    Navigation: every inline is navigation and one links to an anchor. ``entries`` (a
    list): an entry may annotate its link in a few words ("- 11 questions"). One pass
    that stops at the first inline that is content (the first, in most lists).
    """
    level = tokens[i].level
    linked = head = False
    for k in range(i + 1, len(tokens)):
        tok = tokens[k]
        kind = tok.type
        if kind == close and tok.level == level:
            return k if linked else 0
        if kind in ("thead_open", "thead_close"):
            head = kind == "thead_open"  # column names are not entries
        if kind != "inline" or head:
            continue
        if "](" not in tok.content and _has_words(tok.content):
            return 0  # words and no link: content (the cheap test, most entries)
        found = _nav_inline(tok)
        if found is None and entries and tokens[k - 2].type == "list_item_open":
            found = _annotated(tok)
        if found is None:
            return 0
        linked = linked or found == "link"
    return 0


def _nav_inline(inline: Token) -> str | None:
    """``"link"`` for anchor links (and images), ``"plain"`` for symbols only, else ``None``."""
    children = inline.children or []
    found = "plain"
    depth = 0  # inside a link to an anchor: its text is the link's, not content
    for child in children:
        kind = child.type
        if kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if not href.startswith("#") and depth == 0 and not _wraps_image(children, child):
                return None
            depth += 1
            found = "link"
        elif kind == "link_close":
            depth -= 1
        elif kind == "image" and depth == 0:
            return None  # a picture on its own is content (a diagram); badges are links
        elif (kind == "text" and depth == 0 and _has_words(child.content)) or (
            kind == "code_inline" and depth == 0
        ):
            return None
    return found


def _annotated(inline: Token) -> str | None:
    """``"link"`` for an entry that opens with an anchor link and adds a few words."""
    children = [c for c in inline.children or [] if c.type != "html_inline"]
    if not children or children[0].type != "link_open":
        return None
    if not str(children[0].attrs.get("href", "")).startswith("#"):
        return None
    close = next(k for k, c in enumerate(children) if c.type == "link_close")
    rest = "".join(c.content for c in children[close + 1 :])
    return "link" if len(rest.split()) <= _NOTE_WORDS else None


def _wraps_image(children: list[Token], link: Token) -> bool:
    """A link around nothing but an image: a badge pointing at its service."""
    k = children.index(link) + 1
    return (
        k + 1 < len(children)
        and children[k].type == "image"
        and (children[k + 1].type == "link_close")
    )


def _has_words(text: str) -> bool:
    """Letters or digits beyond numbering ("1.", "12)") around navigation links."""
    if _LETTER.search(text):
        return True
    return _DIGIT.search(text) is not None and not text.strip().rstrip(".):").isdigit()


def _drop(tok: Token) -> Token:
    token = Token("mdx_drop", "", 0, map=tok.map, level=tok.level)
    token.block = True
    return token
