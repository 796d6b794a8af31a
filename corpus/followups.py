"""How follow-ups are written: quoted questions, with or without a note after them.

A follow-up is kept without its surrounding quotes, in every representation: the tokens
(for HTML and text) lose the quote characters, and the Markdown loses them by the same
rule. A quote closes the question when nothing, or a note such as ``(Tests ...)`` or
``-- ...``, follows it.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}
_MD_QUOTED = re.compile(r'^([*_]*)["“](.*?)["”]([*_]*)(?=\s*(?:$|[(:—–-]))', re.S)
# After the closing quote of a quoted follow-up: nothing, or a note like "(Tests ...)" / "-- ..."
_AFTER_QUOTE = re.compile(r"\s*(?:$|[(:—–-])")


def unquote_markdown(markdown: str) -> str:
    """A follow-up's Markdown without the quotes around the question."""
    return _MD_QUOTED.sub(r"\1\2\3", markdown, count=1)


def opens_question(inline: Token) -> bool:
    """A follow-up paragraph that asks (rather than answers the one before it)."""
    children = inline.children or []
    text = "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()
    whole_bold = (
        len(children) >= 2
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
    )
    return whole_bold or text.endswith("?") or text.startswith(("Q:", "Q.", '"', "“", "'"))


def unquote(toks: list[Token]) -> list[Token]:
    """Tokens of a follow-up without the quotes around the question."""
    for idx, tok in enumerate(toks):
        if tok.type != "inline" or not tok.children:
            continue
        children = list(tok.children)
        texts = [k for k, c in enumerate(children) if c.type == "text" and c.content]
        if not texts:
            return toks
        k0 = texts[0]
        closing = _QUOTES.get(children[k0].content[0])
        if closing is None:
            return toks
        children[k0] = copy_token(children[k0], content=children[k0].content[1:])
        for k in texts:
            text = children[k].content
            pos = _closing_quote(text, closing)
            if pos != -1:
                children[k] = copy_token(children[k], content=text[:pos] + text[pos + 1 :])
                out = list(toks)
                out[idx] = copy_token(tok, children=children)
                return out
        return toks
    return toks


def _closing_quote(text: str, closing: str) -> int:
    """Where the quote that closes a quoted question is: at the end, or before a note."""
    pos = text.find(closing)
    while pos != -1:
        if _AFTER_QUOTE.match(text, pos + 1):
            return pos
        pos = text.find(closing, pos + 1)
    return -1


def copy_token(
    tok: Token, *, content: str | None = None, children: list[Token] | None = None
) -> Token:
    """``tok`` with new content or children (direct construction: ``Token.copy`` is slow)."""
    return Token(
        tok.type, tok.tag, tok.nesting, tok.attrs, tok.map, tok.level,
        tok.children if children is None else children,
        tok.content if content is None else content,
        tok.markup, tok.info, tok.meta, tok.block, tok.hidden,
    )  # fmt: skip
