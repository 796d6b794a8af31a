"""The key points of an answer, read from the syntax tree of its Markdown.

Two things come out of an answer's structure; neither loses any of its text, because the
card keeps the whole answer below a fold:

- the **outline** the back of a card leads with: the answer's opening sentences, its own
  labels (``**Release schedule:**``) and headings, and the bold leads of its lists;
- its **named points**: a list whose items all open with a short bold lead (the three
  kinds of XSS, the four ACID properties) becomes a card of its own asking for the leads.

Pieces are rendered to HTML by the corpus renderer (``corpus.MD``), the one that made the
answer's HTML, so they look exactly as they do in the full answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.tree import SyntaxTreeNode

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


def key_points(markdown: str) -> KeyPoints:
    """The outline and named points of an answer written in ``markdown``."""
    blocks = _main_blocks(SyntaxTreeNode(corpus.MD.parse(markdown)).children)
    points = _named_points(blocks)
    if _words(blocks) <= SHORT_ANSWER:
        return KeyPoints(points=points, whole=True)
    return KeyPoints(outline=_outline(blocks), points=points)


def _main_blocks(blocks: Sequence[SyntaxTreeNode]) -> list[SyntaxTreeNode]:
    """The blocks that make the answer's points, without its asides: the insides of MDX
    components and callouts (which the corpus writes as a label and a quote)."""
    out: list[SyntaxTreeNode] = []
    depth = 0
    for i, block in enumerate(blocks):
        if block.type == "mdx_open":
            depth += 1
        elif block.type == "mdx_close":
            depth = max(0, depth - 1)
        elif block.type == "blockquote":
            if out and out[-1] is blocks[i - 1] and _is_label(out[-1]):
                out.pop()  # the callout's title
        elif not depth:
            out.append(block)
    return out


def _outline(blocks: Sequence[SyntaxTreeNode]) -> str:
    lead = next((b for b in blocks if b.type == "paragraph" and not _is_label(b)), None)
    entries: list[str] = []
    label_before = False  # the entry just made is a label that a list may belong to
    for block in blocks:
        if len(entries) == OUTLINE_ENTRIES:
            break
        leads = _leads(block) if block.type in _LISTS else None
        if block.type == "heading":
            entries.append(_inline(block.children[0].children))
        elif block.type == "paragraph" and (label := _label(block)) is not None:
            entries.append(f"<strong>{label}</strong>")
        elif leads and len(leads) >= 2:
            joined = " · ".join(leads)
            if label_before:
                entries[-1] += f": {joined}"
            else:
                entries.append(joined)
        label_before = _is_label(block)
    html = f'<p class="pd-lead">{_opening(lead)}</p>' if lead is not None else ""
    if entries:
        html += '<ul class="pd-outline">' + "".join(f"<li>{e}</li>" for e in entries) + "</ul>"
    return html


def _named_points(blocks: Sequence[SyntaxTreeNode]) -> list[NamedPoints]:
    found = []
    for i, block in enumerate(blocks):
        leads = _leads(block) if block.type in _LISTS else None
        if leads is None or len(leads) < MIN_POINTS:
            continue
        before = blocks[i - 1] if i else None
        intro = (
            _inline(before.children[0].children) if before and before.type == "paragraph" else ""
        )
        html = highlight_html(corpus.MD.renderer.render(block.to_tokens(), corpus.MD.options, {}))
        found.append(NamedPoints(intro=intro, leads=leads, html=html))
    return found


def _leads(block: SyntaxTreeNode) -> list[str] | None:
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


def _bold_lead(paragraph: SyntaxTreeNode) -> SyntaxTreeNode | None:
    """The ``strong`` a paragraph opens with, if it does."""
    kids = [k for k in paragraph.children[0].children if not (k.type == "text" and not k.content)]
    return kids[0] if kids and kids[0].type == "strong" else None


def _is_label(block: SyntaxTreeNode) -> bool:
    return block.type == "paragraph" and _label(block) is not None


def _label(paragraph: SyntaxTreeNode) -> str | None:
    """A paragraph that opens with a bold label ending in a colon: the label's HTML."""
    lead = _bold_lead(paragraph)
    if lead is None:
        return None
    kids = paragraph.children[0].children
    after = kids[kids.index(lead) + 1 :]
    follows = after[0].content.lstrip() if after and after[0].type == "text" else ""
    ends = _text(lead).rstrip().endswith((":", "?")) or follows.startswith(":")
    if not ends and after and not _text(paragraph).rstrip().endswith(":"):
        return None
    return _inline(lead.children).rstrip().rstrip(":")


def _opening(paragraph: SyntaxTreeNode) -> str:
    """The paragraph's first sentences, up to ``LEAD_WORDS`` words (at least one sentence).

    Sentences are cut only in text outside any formatting, so no tag is left open.
    """
    tokens = [t for c in paragraph.children[0].children for t in c.to_tokens()]
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
    return corpus.MD.renderer.renderInline(chosen, corpus.MD.options, {})


def _inline(nodes: Sequence[SyntaxTreeNode]) -> str:
    tokens = [t for n in nodes for t in n.to_tokens()]
    return corpus.MD.renderer.renderInline(tokens, corpus.MD.options, {})


def _text(node: SyntaxTreeNode) -> str:
    tokens = [c for t in node.to_tokens() for c in (t.children or [t])]
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def _words(blocks: Sequence[SyntaxTreeNode]) -> int:
    """Words of the answer's text and code (the raw inline text: close enough to count)."""
    kinds = ("inline", "fence", "code_block")
    return sum(len(t.content.split()) for b in blocks for t in b.to_tokens() if t.type in kinds)
