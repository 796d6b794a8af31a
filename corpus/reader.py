"""Reading a guide's token stream: blocks, units, labels, list items and titles.

``TokenReader`` holds one guide's markdown-it tokens and source lines. A *block* is one
token run at one nesting level (a paragraph, a list, a fence; ``child_blocks`` reads the
blocks inside a list item); a *unit* groups a callout or container, open to close, into
one piece. Markdown of a unit is sliced from the source lines of its blocks (dedented;
callouts become block quotes); HTML and text are rendered from the tokens already parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from .depth import DEEP
from .followups import copy_token
from .fragments import KEEPING
from .labels import classify
from .model import Diagnostic, Rich
from .render import CALLOUTS, MD, render_tokens, written_head
from .titles import plain_text

Block = tuple[int, int]  # [start, end) token indices of one block
MAX_NESTING = MD.options["maxNesting"]  # blocks markdown-it reads inside one another
# "Answer: ..." and "Question: ..." in plain text: labels that need no bold (collections
# write them so)
_PLAIN_LABEL = re.compile(r"^\s*((?:answers?|ans|solution|question)\s*:)\s*", re.IGNORECASE)


@dataclass
class Segment:
    """Tokens and Markdown gathered for one part of a question (or one note)."""

    tokens: list[Token] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)

    def add(self, tokens: list[Token], markdown: str) -> None:
        if tokens:
            self.tokens.extend(tokens)
            if markdown:
                self.markdown.append(markdown)

    def rich(self) -> Rich | None:
        if not self.tokens:
            return None
        rich = render_tokens(self.tokens, "\n\n".join(self.markdown))
        # a paragraph of nothing but markup (an ``<a name>`` anchor) renders as "<p></p>"
        if not (rich.text or rich.html.replace("<p></p>", "").strip()):
            return None
        kept = KEEPING.get()
        if kept is not None:
            kept.keep(rich, list(self.tokens))
        return rich


class TokenReader:
    """One guide's tokens and source lines, and the ways of reading them."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines = text.split("\n")
        self.warnings: list[Diagnostic] = []
        self._labels: dict[int, str | None] = {}
        self.tokens = self._parse(text)

    def _parse(self, text: str) -> list[Token]:
        """The guide's tokens; where blocks nest deeper than markdown-it reads, their text
        is kept as plain paragraphs (``depth``), with a warning."""
        env: dict = {}
        tokens = MD.parse(text, env)
        for line in env.get(DEEP, ()):
            self.warn(
                line + 1,
                f"quotes and lists nested over {MAX_NESTING} levels deep (a list counts two): "
                "the text inside is kept as plain text",
            )
        return tokens

    def warn(self, line: int, message: str) -> None:
        """Record a ``file:line`` warning about the guide."""
        self.warnings.append(Diagnostic(file=self.file, line=line, message=message))

    def _blocks(self) -> list[Block]:
        return self.child_blocks(0, len(self.tokens), 0)

    def child_blocks(self, start: int, end: int, level: int) -> list[Block]:
        """The blocks at nesting ``level`` in tokens[start:end] (a list item's content)."""
        blocks: list[Block] = []
        toks, i = self.tokens, start
        while i < end:
            if toks[i].nesting == 1:
                j = i + 1
                while j < end and not (toks[j].level == level and toks[j].nesting == -1):
                    j += 1
                blocks.append((i, j + 1))
                i = j + 1
            else:
                blocks.append((i, i + 1))
                i += 1
        return blocks

    def inline_title(self, block: Block) -> str:
        """The plain text of a heading's or paragraph's inline content."""
        return plain_text(self.tokens[block[0] + 1].children or [])

    def _units(self, blocks: list[Block], line: int) -> list[list[Block]]:
        """Group blocks so a callout or container, open to close, is one unit."""
        units: list[list[Block]] = []
        i, toks = 0, self.tokens
        closes = self._closes(blocks)
        while i < len(blocks):
            tok = toks[blocks[i][0]]
            if tok.type == "mdx_open":
                j = closes.get(i)
                if j is None:
                    name = tok.meta["name"]
                    self.warn(tok.map[0] + 1 if tok.map else line, f"unclosed <{name}>")
                    j = i
                units.append(blocks[i : j + 1])
                i = j + 1
            else:
                units.append([blocks[i]])
                i += 1
        return units

    def _closes(self, blocks: list[Block]) -> dict[int, int]:
        """Where each callout or container of ``blocks`` closes, by where it opens: a close
        ends the innermost open of its name not closed yet. Read in one pass (looked for from
        each open, every unclosed one was looked for to the end: quadratic in a run of them)."""
        closes: dict[int, int] = {}
        open_at: dict[str, list[int]] = {}  # by name: the opens not closed yet
        for k, (start, _) in enumerate(blocks):
            tok = self.tokens[start]
            if tok.type == "mdx_open":
                open_at.setdefault(tok.meta["name"], []).append(k)
            elif tok.type == "mdx_close" and open_at.get(tok.meta["name"]):
                closes[open_at[tok.meta["name"]].pop()] = k
        return closes

    def _md(self, blocks: list[Block]) -> str:
        """CommonMark for blocks: source lines, dedented; callouts become block quotes."""
        out: list[str] = []
        depth = 0
        for start, _ in blocks:
            tok = self.tokens[start]
            prefix = "> " * depth
            if tok.type == "mdx_open":
                head, quoted = written_head(tok)
                if head:
                    out.append(f"{prefix}**{head}**")
                depth += quoted
                continue
            if tok.type == "mdx_close":
                if tok.meta["name"] in CALLOUTS and depth:
                    depth -= 1
                continue
            if tok.type == "mdx_drop" or not tok.map:
                continue
            text = _dedent("\n".join(self.lines[tok.map[0] : tok.map[1]])).strip("\n")
            if prefix:
                text = "\n".join((prefix + ln).rstrip() for ln in text.split("\n"))
            out.append(text)
        sep = "\n>\n" if depth else "\n\n"
        return sep.join(s for s in out if s)

    def _tokens(self, blocks: list[Block]) -> list[Token]:
        out: list[Token] = []
        for start, end in blocks:
            out.extend(self.tokens[start:end])
        return out

    def _lead_label(self, unit: list[Block]) -> str | None:
        """The label (``**Label:**`` or ``**Label**:``) that opens a paragraph unit, if any."""
        if len(unit) != 1:
            return None
        start, end = unit[0]
        if start in self._labels:
            return self._labels[start]
        self._labels[start] = label = self._read_label(start, end)
        return label

    def _read_label(self, start: int, end: int) -> str | None:
        toks = self.tokens
        if toks[start].type != "paragraph_open" or end - start != 3:
            return None
        children = toks[start + 1].children or []
        k = 0
        while k < len(children) and children[k].type == "text" and not children[k].content.strip():
            k += 1
        if k < len(children) and children[k].type == "text":
            plain = _PLAIN_LABEL.match(children[k].content)
            return plain.group(1) if plain else None
        if k >= len(children) or children[k].type != "strong_open":
            return None
        label_parts: list[str] = []
        for m in range(k + 1, len(children)):
            child = children[m]
            if child.type == "strong_close":
                label = "".join(label_parts)
                if label.rstrip().endswith(":"):
                    return label
                nxt = children[m + 1] if m + 1 < len(children) else None
                if nxt is not None and nxt.type == "text" and nxt.content.lstrip()[:1] == ":":
                    return label + ":"
                return None  # a bold phrase, not a label
            if child.type not in ("text", "code_inline"):
                return None
            label_parts.append(child.content)
        return None

    def _without_label(self, unit: list[Block]) -> list[Token]:
        """The tokens of a labelled paragraph without its label (none if nothing is left)."""
        start = unit[0][0]
        inline = self.tokens[start + 1]
        children = inline.children or []
        m = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
        if m is None or _PLAIN_LABEL.match(inline.content):  # "Answer: ..." in plain text
            m = next(i for i, c in enumerate(children) if c.type == "text" and c.content.strip())
            text = _PLAIN_LABEL.sub("", children[m].content, count=1)
            rest = [copy_token(children[m], content=text), *children[m + 1 :]]
        else:
            rest = children[m + 1 :]
        if rest and rest[0].type == "text":
            stripped = rest[0].content.lstrip()
            stripped = stripped[1:] if stripped.startswith(":") else stripped
            rest = [copy_token(rest[0], content=stripped.lstrip()), *rest[1:]]
        while rest and (
            rest[0].type == "softbreak" or (rest[0].type == "text" and not rest[0].content)
        ):
            rest = rest[1:]
        if not rest:
            return []
        new_inline = copy_token(inline, children=rest, content="")
        return [self.tokens[start], new_inline, self.tokens[start + 2]]

    def _strip_label_md(self, markdown: str) -> str:
        if _PLAIN_LABEL.match(markdown):
            return _PLAIN_LABEL.sub("", markdown, count=1).strip()
        first, _, tail = markdown.partition("\n")
        marker = first.lstrip()[:2]
        close = first.find(marker, first.find(marker) + 2)
        if close == -1:
            return markdown
        rest = first[close + 2 :].lstrip()
        rest = rest[1:].lstrip() if rest.startswith(":") else rest
        return (rest + ("\n" + tail if tail else "")).strip()

    def _list_items(self, toks: list[Token], md: str) -> list[tuple[list[Token], str]]:
        """Each item of a top-level list: its inner tokens and its Markdown."""
        items: list[tuple[list[Token], str]] = []
        base = toks[0].level + 1
        i = 1
        while i < len(toks) - 1:
            tok = toks[i]
            if tok.type == "list_item_open" and tok.level == base:
                j = i + 1
                while not (toks[j].type == "list_item_close" and toks[j].level == base):
                    j += 1
                item_md = ""
                if tok.map:
                    raw = _dedent("\n".join(self.lines[tok.map[0] : tok.map[1]]))
                    marker = (tok.info + tok.markup) if tok.info else tok.markup
                    raw = raw.strip("\n")
                    if raw.startswith(marker):
                        raw = raw[len(marker) :]
                    item_md = _dedent(raw.lstrip(" ")).strip()
                items.append((toks[i + 1 : j], item_md))
                i = j + 1
            else:
                i += 1
        return items

    def _has_label(self, blocks: list[Block]) -> bool:
        """True when any paragraph of ``blocks`` opens with a question label."""
        for start, end in blocks:
            if end - start == 3 and self.tokens[start].type == "paragraph_open":
                found = self._lead_label([(start, end)])
                if found and classify(found):
                    return True
        return False


def is_list(tok: Token) -> bool:
    return tok.type in ("bullet_list_open", "ordered_list_open")


def _dedent(text: str) -> str:
    """``textwrap.dedent``, read line by line (its regexes cost more than the lines do).

    Lines of only spaces and tabs become empty and the indentation all other lines share
    is removed; text with no line that starts with a space or tab is returned as it is.
    """
    if not (text[:1] in (" ", "\t") or "\n " in text or "\n\t" in text):
        return text
    lines = text.split("\n")
    indents = [ln[: len(ln) - len(ln.lstrip(" \t"))] for ln in lines if ln.strip(" \t")]
    margin = min(indents, default="")
    for indent in indents:  # the prefix they share
        while not indent.startswith(margin):
            margin = margin[:-1]
    cut = len(margin)
    return "\n".join(ln[cut:] if ln.strip(" \t") else "" for ln in lines)


def text_tokens(text: str, bold: bool = False) -> list[Token]:
    """A paragraph holding ``text`` (bold for the title of a kept facet)."""
    inline = Token("inline", "", 0, content=text, level=1)
    children = [Token("text", "", 0, content=text)]
    if bold:
        children = [
            Token("strong_open", "strong", 1, markup="**"),
            *children,
            Token("strong_close", "strong", -1, markup="**"),
        ]
    inline.children = children
    return [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
