"""The one renderer: Markdown/MDX tokens to safe HTML and to plain text.

``MD`` is the single markdown-it configuration every package uses. ``render_tokens``
turns a slice of its tokens into HTML and text (the parser uses it on the tokens it has
already read, so nothing is parsed twice); ``render_markdown`` parses a Markdown string
first (for exports that want, say, syntax highlighting via ``highlight``).

Safety: raw HTML and JSX never pass through as markup. Known inline tags (``<br>``,
``<sub>``, ``<kbd>``, ...) become their bare equivalent without attributes, other tags
are dropped or shown as text, and links keep only http(s), mailto and relative targets.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.front_matter import front_matter_plugin

from .depth import depth_plugin
from .gates import gates_plugin
from .mdx import mdx_plugin
from .model import Rich
from .navigation import navigation_plugin

Highlighter = Callable[[str, str, str], str]

CALLOUTS = {"Tip": "Tip", "Note": "Note", "Warning": "Warning", "Info": "Info", "Check": "Check"}
# Components whose markup is dropped but whose content (and title) is kept.
CONTAINERS = frozenset(
    {
        "AccordionGroup",
        "Accordion",
        "details",
        "Steps",
        "Step",
        "Tabs",
        "Tab",
        "CodeGroup",
        "Card",
        "CardGroup",
        "Frame",
        "Expandable",
        "Columns",
        "Column",
        "Update",
        "ParamField",
        "ResponseField",
        "Tooltip",
    }
)
KNOWN_COMPONENTS = CONTAINERS | CALLOUTS.keys()

_SAFE_INLINE = frozenset(
    {
        "br",
        "sub",
        "sup",
        "kbd",
        "b",
        "i",
        "em",
        "strong",
        "code",
        "mark",
        "s",
        "del",
        "ins",
        "small",
        "u",
    }
)
_DROP_INLINE = frozenset({"span", "a", "font", "div", "p", "img", "center", "abbr"})
_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>$", re.S)
# A tag holds no "<": text with many "<" and no ">" is read once, not again from each "<"
_ANY_TAG = re.compile(r"<[^<>]*>")
_SAFE_SCHEME = re.compile(r"^(https?:|mailto:|[^:]*$)", re.I)
_BLANKS = re.compile(r"\n{3,}")


def _validate_link(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return False
    return bool(_SAFE_SCHEME.match(url.split("/", 1)[0] if "/" in url else url))


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with a fast path for tokens without attributes.

    Most tokens (paragraphs, list items, emphasis) carry no attributes; rendering them
    without the generic attribute machinery halves the renderer's time, and the tags of a
    tight list's paragraphs (hidden) or of emphasis are written without a method call.
    Output is identical (a test renders the fixtures and real guides both ways).
    """

    def render(self, tokens: Sequence[Token], options, env) -> str:
        rules = self.rules
        out = []
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    out.append(self.renderInline(token.children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            elif not token.hidden:  # renderToken gives nothing for a hidden token
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def renderInline(self, tokens: Sequence[Token], options, env) -> str:
        rules = self.rules
        out = []
        open_tags: list[str] = []  # raw inline tags of the guide, closed by the end of the run
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "text":  # most inline tokens: skip the rule call
                out.append(escapeHtml(token.content))
            elif kind == "html_inline":
                out.append(_safe_inline(token.content, open_tags))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            elif token.nesting and not (token.attrs or token.hidden or token.block):
                out.append(f"</{token.tag}>" if token.nesting < 0 else f"<{token.tag}>")  # <em>
            else:
                out.append(self.renderToken(tokens, i, options, env))
        out.extend(f"</{name}>" for name in reversed(open_tags))
        return "".join(out)

    def renderToken(self, tokens: Sequence[Token], idx: int, options, env) -> str:
        token = tokens[idx]
        if token.attrs:
            return super().renderToken(tokens, idx, options, env)
        if token.hidden:
            return ""
        nesting = token.nesting
        head = "</" if nesting == -1 else "<"
        tail = " />" if nesting == 0 and options["xhtmlOut"] else ">"
        if not token.block:
            return head + token.tag + tail
        result = "\n" if nesting != -1 and idx and tokens[idx - 1].hidden else ""
        need_lf = True
        if nesting == 1 and idx + 1 < len(tokens):
            nxt = tokens[idx + 1]
            if nxt.type == "inline" or nxt.hidden or (nxt.nesting == -1 and nxt.tag == token.tag):
                need_lf = False
        return result + head + token.tag + tail + ("\n" if need_lf else "")


def _make_md() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True}, renderer_cls=_Renderer)
        .enable("table")
        .disable("code")  # MDX has no indented code: indentation is only layout
        .use(front_matter_plugin)
        .use(mdx_plugin)
        .use(navigation_plugin)
        .use(depth_plugin)
        .use(gates_plugin)  # last: it gates the rules the others left
    )
    md.validateLink = _validate_link
    rules = md.add_render_rule
    rules("mdx_open", _html_mdx_open)
    rules("mdx_close", _html_mdx_close)
    rules("mdx_drop", lambda *a: "")
    rules("front_matter", lambda *a: "")
    rules("html_block", _html_block)
    return md


def written_head(token: Token) -> tuple[str, bool]:
    """What a component's opening ``token`` is written as in a fragment's Markdown: the
    text of its bold line (empty: none), and whether its content is quoted (a callout's,
    an aside: ``**Tip:**`` and a block quote; a container's title is a bold line and its
    content stays as it is)."""
    name, title = token.meta["name"], token.meta["attrs"].get("title", "")
    return (f"{title or CALLOUTS[name]}:", True) if name in CALLOUTS else (title, False)


def _html_mdx_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    name = tokens[idx].meta["name"]
    title = tokens[idx].meta["attrs"].get("title", "")
    if name in CALLOUTS:
        head = _html.escape(title or CALLOUTS[name])
        kind = name.lower()
        return f'<aside class="callout callout-{kind}"><p class="callout-title">{head}</p>\n'
    return f"<p><strong>{_html.escape(title)}</strong></p>\n" if title else ""


def _html_mdx_close(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "</aside>\n" if tokens[idx].meta["name"] in CALLOUTS else ""


def _html_block(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    text = _ANY_TAG.sub(" ", tokens[idx].content).strip()
    return f"<p>{_html.escape(' '.join(text.split()))}</p>\n" if text else ""


def _safe_inline(raw: str, open_tags: list[str]) -> str:
    """HTML for one raw inline tag of a guide, balanced against ``open_tags``.

    Known formatting tags become bare tags (attributes dropped) and are kept balanced so
    a fragment never leaves formatting open in the page that embeds it; other tags and
    JSX are dropped, and anything that is not a tag is shown as text.
    """
    m = _TAG.match(raw)
    if m is None:
        return "" if raw.startswith("<!--") else _html.escape(raw)
    closing, name = m.group(1), m.group(2).lower()
    if name == "br":
        return "<br>"
    if name in _SAFE_INLINE:
        if not closing:
            open_tags.append(name)
            return f"<{name}>"
        if name not in open_tags:
            return ""  # a stray closing tag
        out = []
        while open_tags:
            top = open_tags.pop()
            out.append(f"</{top}>")
            if top == name:
                break
        return "".join(out)
    if name in _DROP_INLINE or m.group(2)[0].isupper():
        return ""
    return _html.escape(raw)


MD = _make_md()


def render_html(tokens: Sequence[Token], highlight: Highlighter | None = None) -> str:
    """Safe HTML for block ``tokens`` of ``MD``."""
    options = MD.options
    if highlight is not None:
        options = OptionsDict({**options, "highlight": highlight})
    return MD.renderer.render(tokens, options, {})


# The block tokens besides ``inline`` that add to plain text (see ``render_text``).
_TEXT_BLOCKS = frozenset(
    {
        "paragraph_close",
        "heading_close",
        "bullet_list_open",
        "ordered_list_open",
        "bullet_list_close",
        "ordered_list_close",
        "list_item_open",
        "list_item_close",
        "fence",
        "code_block",
        "tr_open",
        "tr_close",
        "table_close",
        "html_block",
        "mdx_open",
    }
)


def render_text(tokens: Sequence[Token]) -> str:
    """Plain text for block ``tokens``: no markup, blocks separated by blank lines."""
    out: list[str] = []
    lists: list[list[int]] = []  # [ordered, next number] per open list
    row: list[str] | None = None
    for tok in tokens:
        t = tok.type
        if t == "inline":
            text = inline_text(tok.children or [])
            if row is not None:
                row.append(text)
            else:
                out.append(text)
        elif t not in _TEXT_BLOCKS:  # paragraph and heading opens, cells: nothing to add
            continue
        elif t in ("paragraph_close", "heading_close"):
            out.append("\n" if tok.hidden else "\n\n")
        elif t in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1)) if t == "ordered_list_open" else 0
            lists.append([t == "ordered_list_open", start])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            out.append("\n")
        elif t == "list_item_open":
            spec = lists[-1]
            indent = "  " * (len(lists) - 1)
            if spec[0]:
                out.append(f"{indent}{spec[1]}. ")
                spec[1] += 1
            else:
                out.append(f"{indent}- ")
        elif t == "list_item_close":
            if out and not out[-1].endswith("\n"):
                out.append("\n")
        elif t in ("fence", "code_block"):
            out.append(tok.content.rstrip("\n") + "\n\n")
        elif t == "tr_open":
            row = []
        elif t == "tr_close":
            out.append(" | ".join(row or []) + "\n")
            row = None
        elif t == "table_close":
            out.append("\n")
        elif t == "html_block":
            text = " ".join(_ANY_TAG.sub(" ", tok.content).split())
            if text:
                out.append(text + "\n\n")
        elif t == "mdx_open":
            name, title = tok.meta["name"], tok.meta["attrs"].get("title", "")
            if name in CALLOUTS:
                out.append(f"{title or CALLOUTS[name]}: ")
            elif title:
                out.append(title + "\n\n")
    text = "".join(out)
    if "\n\n\n" in text:  # a substring test is far quicker than the regex's scan
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def inline_text(children: Sequence[Token]) -> str:
    """The plain text of inline ``children``, as the text format writes it."""
    parts: list[str] = []
    for child in children:
        t = child.type
        if t in ("text", "code_inline"):
            parts.append(child.content)
        elif t == "softbreak":
            parts.append(" ")
        elif t == "hardbreak":
            parts.append("\n")
        elif t == "image":
            parts.append(child.content)
        elif t == "html_inline":
            m = _TAG.match(child.content)
            if m is None and not child.content.startswith("<!--"):
                parts.append(child.content)
            elif m is not None and m.group(2).lower() == "br":
                parts.append("\n")
    return "".join(parts)


def render_tokens(tokens: Sequence[Token], markdown: str) -> Rich:
    """``Rich`` for already-parsed block ``tokens`` whose Markdown is ``markdown``."""
    return Rich(markdown=markdown, html=render_html(tokens), text=render_text(tokens))


def render_markdown(markdown: str, highlight: Highlighter | None = None) -> Rich:
    """Parse and render a Markdown string (optionally highlighting fenced code)."""
    tokens = MD.parse(markdown)
    return Rich(markdown=markdown, html=render_html(tokens, highlight), text=render_text(tokens))
