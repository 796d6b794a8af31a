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


# "**Q:**", "**Q3:**", "Q:", "**Q: ...?**" open a question; "**A:**", "A:" answer it.
_Q_LEAD = re.compile(r"^(\s*(?:[*_]{1,2})?)\s*Q\d*\s*[:.)]\s*([*_]{1,2}(?=\s|$))?\s*")
_A_LEAD = re.compile(r"^(\s*(?:[*_]{1,2})?)\s*A\d*\s*[:.)]\s*([*_]{1,2}(?=\s|$))?\s*")
_Q_TEXT = re.compile(r"^\s*Q\d*\s*[:.)]\s*")
_A_TEXT = re.compile(r"^\s*A\d*\s*[:.)]\s*")


def is_q_lead(inline: Token) -> bool:
    """A paragraph that opens with a ``Q:`` label (bold or not)."""
    return bool(_Q_LEAD.match(inline.content)) and bool(_Q_TEXT.match(_lead_text(inline)))


def is_a_lead(inline: Token) -> bool:
    """A paragraph that opens with an ``A:`` label (bold or not)."""
    return bool(_A_LEAD.match(inline.content)) and bool(_A_TEXT.match(_lead_text(inline)))


def _lead_text(inline: Token) -> str:
    for child in inline.children or []:
        if child.type == "text" and child.content.strip():
            return child.content
    return ""


def split_pair(
    toks: list[Token], md: str
) -> tuple[tuple[list[Token], str], tuple[list[Token], str]]:
    """A ``Q:``/``A:`` paragraph as (question, answer) tokens and Markdown, labels removed.

    The answer is empty when the paragraph holds no ``A:`` line (it follows below).
    """
    inline = toks[1]
    children = list(inline.children or [])
    cut = next(
        (
            k
            for k, c in enumerate(children)
            if c.type in ("softbreak", "hardbreak") and _A_TEXT.match(_text_after(children, k))
        ),
        None,
    )
    q_children = children if cut is None else children[:cut]
    a_children = [] if cut is None else children[cut + 1 :]
    lines = md.split("\n")
    a_line = next((i for i, ln in enumerate(lines) if i and _A_LEAD.match(ln)), None)
    q_md = "\n".join(lines if a_line is None else lines[:a_line])
    a_md = "" if a_line is None else "\n".join(lines[a_line:])
    question = (
        paragraph_of(toks, strip_lead(q_children, _Q_TEXT)),
        _Q_LEAD.sub(_keep_emphasis, q_md, count=1),
    )
    answer_children = strip_lead(a_children, _A_TEXT)
    answer = (
        paragraph_of(toks, answer_children) if answer_children else [],
        _A_LEAD.sub(_keep_emphasis, a_md, count=1),
    )
    return question, answer


def without_a_label(markdown: str) -> str:
    """An ``**A:** ...`` paragraph's Markdown without its label."""
    return _A_LEAD.sub(_keep_emphasis, markdown, count=1).strip()


def _keep_emphasis(m: re.Match[str]) -> str:
    """``**Q:** text`` loses the bold label; ``**Q: text**`` keeps its bold for the text."""
    return "" if m.group(2) else m.group(1).strip()


def strip_lead(children: list[Token], lead: re.Pattern[str]) -> list[Token]:
    """Inline children without the ``Q:``/``A:`` label (and the bold around it, if alone)."""
    out = list(children)
    for k, child in enumerate(out):
        if child.type != "text" or not child.content.strip():
            continue
        rest = lead.sub("", child.content, count=1).lstrip()
        out[k] = copy_token(child, content=rest)
        if not rest and k and out[k - 1].type in ("strong_open", "em_open"):
            close = k + 1
            if close < len(out) and out[close].type in ("strong_close", "em_close"):
                del out[k - 1 : close + 1]  # "**Q:**" was a bold label on its own
        break
    while out and (
        out[0].type in ("softbreak", "hardbreak")
        or (out[0].type == "text" and not out[0].content.strip())
    ):
        out.pop(0)
    if out and out[0].type == "text" and out[0].content[:1].isspace():  # "**A:** text"
        out[0] = copy_token(out[0], content=out[0].content.lstrip())
    return out


def _text_after(children: list[Token], k: int) -> str:
    for child in children[k + 1 :]:
        if child.type == "text":
            if child.content:
                return child.content
        elif child.type not in ("strong_open", "em_open"):
            return ""
    return ""


def paragraph_of(toks: list[Token], children: list[Token]) -> list[Token]:
    """The paragraph ``toks`` (open, inline, close) holding ``children`` instead."""
    if not children:
        return []
    return [toks[0], copy_token(toks[1], children=children, content=""), toks[2]]
