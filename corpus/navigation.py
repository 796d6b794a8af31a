"""``navigation_plugin``: links that move around a page are not content.

Collections on GitHub open with badges and a table of contents and end every answer with
a "back to top" link. Read as text they would become topic notes, or the tail of every
answer. This core rule, run after inline parsing, replaces each such block with one
``mdx_drop`` token (never rendered or indexed, as the MDX rule does for raw markup):

- a paragraph made only of links to anchors of the page (``[⬆ Back to Top](#toc)``) and
  images (badges), with nothing but symbols and spaces around them;
- a list or table whose every entry is such links, numbers or symbols (a table of
  contents), with at least one link to an anchor.

A link to another page or site is content (a reference) and is kept.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if (
            kind == "paragraph_open"
            and i + 2 < n
            and "](" in tokens[i + 1].content  # the cheap test first: most paragraphs
            and _nav_inline(tokens[i + 1]) == "link"
        ):
            drops.append((i, i + 2))
            i += 3
            continue
        close = _CONTAINERS.get(kind)
        if close is not None and _first_links_anchor(tokens, i):
            j = _matching(tokens, i, close)
            if _nav_block(tokens, i, j):
                drops.append((i, j))
                i = j + 1
                continue
        i += 1
    if drops:
        out: list[Token] = []
        last = 0
        for start, end in drops:
            out.extend(tokens[last:start])
            out.append(_drop(tokens[start]))
            last = end + 1
        out.extend(tokens[last:])
        state.tokens = out


def _first_links_anchor(tokens: list[Token], i: int) -> bool:
    """Whether the first entries of a list or table link to an anchor (the cheap test)."""
    return any(tok.type == "inline" and "](#" in tok.content for tok in tokens[i + 1 : i + 40])


def _matching(tokens: list[Token], i: int, close: str) -> int:
    level = tokens[i].level
    j = i + 1
    while not (tokens[j].type == close and tokens[j].level == level):
        j += 1
    return j


def _nav_block(tokens: list[Token], i: int, j: int) -> bool:
    """True when every inline of tokens[i..j] is navigation and one links to an anchor."""
    linked = False
    head = False
    for k in range(i + 1, j):
        kind = tokens[k].type
        if kind in ("thead_open", "thead_close"):
            head = kind == "thead_open"  # column names are not entries
        if kind != "inline" or head:
            continue
        found = _nav_inline(tokens[k])
        if found is None:
            return False
        linked = linked or found == "link"
    return linked


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
    return any(c.isalnum() for c in text) and not text.strip().rstrip(".):").isdigit()


def _drop(tok: Token) -> Token:
    token = Token("mdx_drop", "", 0, map=tok.map, level=tok.level)
    token.block = True
    return token
