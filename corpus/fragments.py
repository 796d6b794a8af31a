"""The tokens each rich fragment of a guide was rendered from, kept while it is parsed.

``parse_guide(..., fragments=Fragments())`` fills one. A part that reads a fragment's
structure (the exporter's key points) takes the parser's tokens instead of parsing the
fragment's Markdown again: over half of a guide's text is answers, and reading them twice
was a fifth of a build's work. ``Fragments.tokens`` gives them in the structure of the
fragment's Markdown (``render.written_head``: a callout is its bold label and a quote, a
titled container its bold title), as ``TokenReader._md`` writes it, so read either way, a
fragment reads the same (a test holds the key points of both equal on every guide we
have).
"""

from __future__ import annotations

from contextvars import ContextVar

from markdown_it.token import Token

from .model import Rich
from .render import CALLOUTS, written_head


class Fragments:
    """The tokens of each ``Rich`` one parse made, by the fragment itself."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Rich, list[Token]]] = {}

    def keep(self, rich: Rich, tokens: list[Token]) -> None:
        self._by_id[id(rich)] = (rich, tokens)  # the fragment is held: its id stays its own

    def tokens(self, rich: Rich) -> list[Token] | None:
        """The block tokens ``rich`` was rendered from (their inline content parsed), or
        None for a fragment this parse did not make."""
        found = self._by_id.get(id(rich))
        return as_written(found[1]) if found is not None and found[0] is rich else None


def as_written(tokens: list[Token]) -> list[Token]:
    """``tokens`` in the block structure their Markdown has: each top-level callout a
    paragraph of its bold label and a block quote, each titled container (``Steps``,
    ``Accordion``...) a paragraph of its bold title, other component tokens nothing."""
    if not any(t.type.startswith("mdx_") for t in tokens):
        return tokens
    out: list[Token] = []
    depth = quoted = 0  # blocks open; callouts open
    for tok in tokens:
        if depth or not tok.type.startswith("mdx_"):
            depth += tok.nesting
            if quoted:
                tok = tok.copy(level=tok.level + quoted)
            out.append(tok)
            continue
        if tok.type == "mdx_open":
            head, quotes = written_head(tok)
            if head:
                out += _bold(head, quoted)
            if quotes:
                out.append(Token("blockquote_open", "blockquote", 1, level=quoted, markup=">"))
                quoted += 1
        elif tok.type == "mdx_close" and tok.meta["name"] in CALLOUTS and quoted:
            quoted -= 1
            out.append(Token("blockquote_close", "blockquote", -1, level=quoted, markup=">"))
    while quoted:  # a callout left open (the parser warned of it)
        quoted -= 1
        out.append(Token("blockquote_close", "blockquote", -1, level=quoted, markup=">"))
    return out


def _bold(text: str, level: int) -> list[Token]:
    """A paragraph of ``text`` in bold, as markdown-it reads ``**text**``."""
    children = [
        Token("strong_open", "strong", 1, markup="**"),
        Token("text", "", 0, content=text),
        Token("strong_close", "strong", -1, markup="**"),
    ]
    inline = Token("inline", "", 0, level=level + 1, content=f"**{text}**", children=children)
    return [
        Token("paragraph_open", "p", 1, level=level),
        inline,
        Token("paragraph_close", "p", -1, level=level),
    ]


KEEPING: ContextVar[Fragments | None] = ContextVar("KEEPING", default=None)
