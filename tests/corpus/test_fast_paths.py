"""The parser's fast paths give what the stock markdown-it code gives.

Block-rule gates (corpus/gates.py, and the setext heading rule's in corpus/mdx.py) skip
only calls whose answer is no; the renderer's shortcuts write the HTML its generic methods
write.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block.lheading import lheading
from markdown_it.rules_core import normalize, text_join

from corpus.gates import INLINE_STARTS
from corpus.reader import _dedent
from corpus.render import MD, _make_md, _Renderer

FIXTURES = Path(__file__).parent / "fixtures"
GUIDES = Path(__file__).resolve().parents[2].parent / "shared" / "guides"
EDGE_CASES = [
    "---\ntitle: T\n---\n\n# Title\n",
    "Text\n---\n\nText\n===\n",
    "a | b\n--|--\n1 | 2\n\n| a |\n|:-|\n\nnot | table\n- | x\n",
    "para\n- item\n1. one\n2) two\n١. not a list\n+ plus\n* star\n",
    "para\n> quote\n# heading\n#tag\n```\ncode\n```\n~~~\ntilde\n~~~\n",
    "para\n<div>\nraw\n</div>\n<Tip>\nbody\n</Tip>\n{/* comment */}\n",
    "[ref]: https://example.org\n\n[ref]\n\n***\n___\n- - -\n",
    "<details>\n<summary>Q?</summary>\n\nA.\n\n</details>\n",
    "    indented\n      - item\n        1. nested\n",
    "last line without a newline\n- x",
    "CRLF\r\nline\rendings\r\n\r\n- and a NUL \0\n",
    "\\*not em\\* &amp; &copy; *a* \\<b> <i>x</i> ![al\\*t &lt;](u) a<b\n",
    "[a]b] [a `]` b](u) [[x]](y) ![i]](j) [l][ref] <https://a.b> x:y http://c.d a-b_c_ 2+2=4\n"
    "~~s~~ {x} $m$ ^s^ ==h== @u #t %p [x\n[ref]: /r\n",
]


def _ungated():
    md = _make_md()
    for ruler in (md.block.ruler, md.inline.ruler):
        for rule in ruler.__rules__:
            if hasattr(rule.fn, "__wrapped__"):
                ruler.at(rule.name, rule.fn.__wrapped__, {"alt": rule.alt})
    md.block.ruler.at("lheading", lheading)
    md.core.ruler.at("normalize", normalize)
    md.core.ruler.at("text_join", text_join)
    md.inline.terminator_re = MarkdownIt().inline.terminator_re
    return md


def _texts() -> list[tuple[str, str]]:
    files = sorted([*FIXTURES.glob("*.md"), *FIXTURES.glob("*.mdx"), *GUIDES.glob("*.mdx")])
    return [(f"edge-{i}", text) for i, text in enumerate(EDGE_CASES)] + [
        (p.name, p.read_text(encoding="utf-8")) for p in files
    ]


def test_the_rules_are_gated() -> None:
    md = _make_md()
    assert all(hasattr(r, "__wrapped__") for r in md.block.ruler.getRules("paragraph"))
    # every inline rule in use is known, so the text rule stops only where one can match
    assert set(md.inline.ruler.get_active_rules()) <= INLINE_STARTS.keys()
    assert md.inline.terminator_re != MarkdownIt().inline.terminator_re


@pytest.mark.parametrize("name,text", _texts(), ids=[name for name, _ in _texts()])
def test_gated_rules_give_the_same_tokens(name: str, text: str) -> None:
    gated, plain = _make_md(), _ungated()
    assert [t.as_dict() for t in gated.parse(text)] == [t.as_dict() for t in plain.parse(text)]


# Lines that start, end, interrupt or underline blocks, nested in quotes and lists
_LINES = [
    *("", "  ", "a", "b c", "# h", "---", "===", "  ---", "- x", "  - y", "1. z", "| a |", "|-|"),
    *("> q", ">", "> ---", "> > ===", ">- x", "<div>", "<3", "<!-- c -->", "<!--", "-->"),
    *("<pre>x</pre>", "<details>", "</details>", "<summary>Q?</summary>", "{/* c */}", "{/* c"),
    *("*/}", "<Tip>", "</Tip>", "  <details>"),
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=14))
def test_gated_rules_give_the_same_tokens_on_any_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert [t.as_dict() for t in _GATED.parse(text)] == [t.as_dict() for t in _PLAIN.parse(text)]


_GATED, _PLAIN = _make_md(), _ungated()


class _Stock(_Renderer):
    """The renderer with markdown-it's own loop and token rendering."""

    render = RendererHTML.render
    renderToken = RendererHTML.renderToken


@pytest.mark.parametrize("name,text", _texts(), ids=[name for name, _ in _texts()])
def test_renderer_shortcuts_give_the_same_html(name: str, text: str) -> None:
    tokens = MD.parse(text)
    stock = _Stock()
    stock.rules.update(MD.renderer.rules)
    assert MD.renderer.render(tokens, MD.options, {}) == stock.render(tokens, MD.options, {})


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0bab", max_size=40))
def test_dedent_is_textwrap_dedent(text: str) -> None:
    assert _dedent(text) == textwrap.dedent(text)
