"""The key points of an answer, read from the syntax tree of its Markdown.

Two things come out of an answer's structure; neither loses any of its text, because the
card keeps the whole answer below a fold:

- the **outline** the back of a card leads with: the answer's opening sentences, its own
  labels (``**Release schedule:**``) and headings, and the bold leads of its lists;
- its **named points**: a list whose items all open with a short bold lead (the three
  kinds of XSS, the four ACID properties) becomes a card of its own asking for the leads.

Pieces are rendered to HTML by the corpus renderer (``corpus.MD``), the one that made the
answer's HTML, so they look exactly as they do in the full answer.

A build reads the tree from the tokens the corpus parser made of the answer
(``corpus.Fragments``), in the structure of its Markdown: the answer is not parsed again.
Without them (an export with no build's card table) its Markdown is parsed; a test holds
the key points of both equal for every answer of the fixture and shared guides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

import corpus

from .highlight import highlight_html

# Thresholds, chosen on half of the real guides (see benchmarks/cards.py).
SHORT_ANSWER = 70  # words: an answer this short is shown whole, without an outline
LEAD_WORDS = 35  # words of the opening sentences an outline starts with
OUTLINE_ENTRIES = 6  # labels, headings and lists of leads, at the most
LEAD_MAX_WORDS = 8  # a bold lead longer than this is a sentence, not a name
MIN_POINTS = 3  # items a list needs to be named points (two are a comparison)

_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9\"“(*`])")
_LISTS = ("bullet_list", "ordered_list")


class NamedPoints(corpus.Base):
    """A list of bold-lead items: its lead-in (HTML, may be empty), leads, and the whole
    list (HTML, its code highlighted)."""

    intro: str
    leads: list[str]
    html: str


class KeyPoints(corpus.Base):
    """An answer's outline (HTML; empty when it has nothing to outline, such as an answer
    that is all code), its named points, and whether it is short enough to show whole."""

    outline: str = ""
    points: list[NamedPoints] = []
    whole: bool = False


def key_points(markdown: str, tokens: Sequence[Token] | None = None) -> KeyPoints:
    """The outline and named points of an answer written in ``markdown``; ``tokens``, its
    block tokens as the corpus parser read them (``corpus.Fragments``), spare parsing it.

    An answer whose formatting nests too deeply for its syntax tree (thousands of bold
    spans one inside another) has none: the card shows it whole if short, else below the
    fold as always.
    """
    try:
        return _key_points(markdown, tokens)
    except RecursionError:
        return KeyPoints(whole=len(markdown.split()) <= SHORT_ANSWER)


def _key_points(markdown: str, tokens: Sequence[Token] | None) -> KeyPoints:
    reader = _Reader(markdown, tokens)
    blocks = _main_blocks(reader)
    points = _named_points(blocks, reader)
    if _words(blocks) <= SHORT_ANSWER:
        return KeyPoints(points=points, whole=True)
    return KeyPoints(outline=_outline(blocks, reader), points=points)


class _Reader:
    """An answer's blocks (the syntax tree of its parsed tokens); what is read of a block,
    read once."""

    def __init__(self, markdown: str, parsed: Sequence[Token] | None = None) -> None:
        tokens = list(parsed) if parsed is not None else corpus.MD.parse(markdown, {})
        self._labels: dict[int, str | None] = {}  # by id of a block (the tree keeps it)
        self._leads: dict[int, list[str] | None] = {}
        self.blocks = _tree(tokens)

    def label(self, block: Node) -> str | None:
        """``_label`` of a paragraph (None for any other block), read once per block."""
        if id(block) not in self._labels:
            self._labels[id(block)] = _label(block) if block.type == "paragraph" else None
        return self._labels[id(block)]

    def leads(self, block: Node) -> list[str] | None:
        """``_leads`` of a list (None for any other block), read once per block."""
        if id(block) not in self._leads:
            self._leads[id(block)] = _leads(block) if block.type in _LISTS else None
        return self._leads[id(block)]


class Node:
    """A node of an answer's syntax tree: one token (``token``; an inline token's children
    are its ``children``) or an open/close pair (``opening``, ``closing``) and the nodes
    between them. markdown-it's ``SyntaxTreeNode`` reads the same, but each node also
    points at its parent: every tree is a reference cycle, which only the garbage
    collector frees, and a build reads thousands of them."""

    __slots__ = ("children", "closing", "opening", "token", "type")

    def __init__(self, type_: str, token: Token | None = None, opening: Token | None = None):
        self.type = type_
        self.token = token
        self.opening = opening
        self.closing: Token | None = None
        self.children: list[Node] = []

    @property
    def content(self) -> str:
        return self.token.content if self.token is not None else ""

    def to_tokens(self) -> list[Token]:
        """The node's tokens (a token node's children are its token's)."""
        if self.token is not None:
            return [self.token]
        assert self.opening is not None and self.closing is not None
        inner = [t for child in self.children for t in child.to_tokens()]
        return [self.opening, *inner, self.closing]


def _tree(tokens: Sequence[Token]) -> list[Node]:
    """The nodes of ``tokens`` (as ``SyntaxTreeNode(tokens).children`` has them)."""
    top: list[Node] = []
    open_nodes: list[Node] = []
    siblings = top
    for token in tokens:
        if token.nesting == 1:
            node = Node(token.type.removesuffix("_open"), opening=token)
            siblings.append(node)
            open_nodes.append(node)
            siblings = node.children
        elif token.nesting == -1:
            if not open_nodes:
                raise ValueError("Invalid token nesting")
            open_nodes.pop().closing = token
            siblings = open_nodes[-1].children if open_nodes else top
        else:
            node = Node(token.type, token=token)
            if token.children:
                node.children = _tree(token.children)
            siblings.append(node)
    if open_nodes:
        raise ValueError(f"unclosed tokens starting {open_nodes[0].opening}")
    return top


def _main_blocks(reader: _Reader) -> list[Node]:
    """The blocks that make the answer's points, without its asides: the insides of MDX
    components and callouts (which the corpus writes as a label and a quote)."""
    blocks = reader.blocks
    out: list[Node] = []
    depth = 0
    for i, block in enumerate(blocks):
        if block.type == "mdx_open":
            depth += 1
        elif block.type == "mdx_close":
            depth = max(0, depth - 1)
        elif block.type == "blockquote":
            if out and out[-1] is blocks[i - 1] and reader.label(out[-1]) is not None:
                out.pop()  # the callout's title
        elif not depth:
            out.append(block)
    return out


def _outline(blocks: Sequence[Node], reader: _Reader) -> str:
    lead = next((b for b in blocks if b.type == "paragraph" and reader.label(b) is None), None)
    entries: list[str] = []
    label_before = False  # the entry just made is a label that a list may belong to
    for block in blocks:
        if len(entries) == OUTLINE_ENTRIES:
            break
        leads, label = reader.leads(block), reader.label(block)
        if block.type == "heading":
            entries.append(_inline(block.children[0].children))
        elif label is not None:
            entries.append(f"<strong>{label}</strong>")
        elif leads and len(leads) >= 2:
            joined = " · ".join(leads)
            if label_before:
                entries[-1] += f": {joined}"
            else:
                entries.append(joined)
        label_before = label is not None
    html = ""
    if lead is not None:
        html = f'<p class="pd-lead">{_opening(lead.children[0].token.children or [])}</p>'
    if entries:
        html += '<ul class="pd-outline">' + "".join(f"<li>{e}</li>" for e in entries) + "</ul>"
    return html


def _named_points(blocks: Sequence[Node], reader: _Reader) -> list[NamedPoints]:
    found = []
    for i, block in enumerate(blocks):
        leads = reader.leads(block)
        if leads is None or len(leads) < MIN_POINTS:
            continue
        before = blocks[i - 1] if i else None
        intro = ""
        if before is not None and before.type == "paragraph":
            intro = _render_inline(before.children[0].token.children or [])
        tokens = block.to_tokens()
        html = highlight_html(corpus.MD.renderer.render(tokens, corpus.MD.options, {}))
        found.append(NamedPoints(intro=intro, leads=leads, html=html))
    return found


def _leads(block: Node) -> list[str] | None:
    """The HTML of each item's bold lead, or ``None`` unless every item opens with one."""
    leads = []
    for item in block.children:
        first = item.children[0] if item.children else None
        if first is None or first.type != "paragraph":
            return None
        lead = _bold_lead(first)
        if lead is None or len(_text(lead).split()) > LEAD_MAX_WORDS:
            return None
        leads.append(_inline(lead.children).rstrip(":").rstrip())
    return leads


def _bold_lead(paragraph: Node) -> Node | None:
    """The ``strong`` a paragraph opens with, if it does."""
    kids = [k for k in paragraph.children[0].children if not (k.type == "text" and not k.content)]
    return kids[0] if kids and kids[0].type == "strong" else None


def _label(paragraph: Node) -> str | None:
    """A paragraph that opens with a bold label ending in a colon: the label's HTML."""
    lead = _bold_lead(paragraph)
    if lead is None:
        return None
    kids = [k for k in paragraph.children[0].children if not (k.type == "text" and not k.content)]
    after = kids[kids.index(lead) + 1 :]
    follows = after[0].content.lstrip() if after and after[0].type == "text" else ""
    ends = _text(lead).rstrip().endswith((":", "?")) or follows.startswith(":")
    if not ends and after and not _text(paragraph).rstrip().endswith(":"):
        return None
    return _inline(lead.children).rstrip().rstrip(":")


def _opening(tokens: list[Token]) -> str:
    """The first sentences of a paragraph's inline ``tokens``, up to ``LEAD_WORDS`` words
    (at least one sentence).

    Sentences are cut only in text outside any formatting, so no tag is left open.
    """
    cuts: list[tuple[int, int, int]] = []  # (words before the cut, token index, its chars)
    words, depth = 0, 0
    for i, tok in enumerate(tokens):
        depth += tok.nesting
        if tok.type == "text" and not depth:
            for end in _SENTENCE_END.finditer(tok.content):
                cuts.append((words + len(tok.content[: end.end()].split()), i, end.end()))
        words += len(tok.content.split())
    chosen = tokens
    if words > LEAD_WORDS and cuts:
        fitting = [c for c in cuts if c[0] <= LEAD_WORDS]
        _, i, chars = fitting[-1] if fitting else cuts[0]
        chosen = [*tokens[:i], tokens[i].copy(content=tokens[i].content[:chars])]
    return _render_inline(chosen)


def _inline(nodes: Sequence[Node]) -> str:
    return _render_inline([t for n in nodes for t in n.to_tokens()])


def _render_inline(tokens: Sequence[Token]) -> str:
    return corpus.MD.renderer.renderInline(tokens, corpus.MD.options, {})


def _text(node: Node) -> str:
    tokens = [c for t in node.to_tokens() for c in (t.children or [t])]
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def _words(blocks: Sequence[Node]) -> int:
    """Words of the answer's text and code, as a reader sees them."""
    words, todo = 0, list(blocks)
    while todo:
        node = todo.pop()
        if node.type == "inline" and node.token is not None:
            words += len(corpus.inline_text(node.token.children or []).split())
        elif node.type in ("fence", "code_block"):
            words += len(node.content.split())
        else:
            todo.extend(node.children)
    return words
