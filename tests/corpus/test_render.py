"""The one renderer: safe HTML that loses no code, list, table or emphasis."""

from __future__ import annotations

import pytest

from corpus import render_markdown

UNSAFE = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", 'href="javascript:'),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
    ("[vb](vbscript:msgbox)", 'href="vbscript:'),
    ("[proto](//evil.example/x)", 'href="//'),
    ('<a href="https://x" onclick="steal()">x</a>', "onclick"),
    ('<iframe src="https://evil"></iframe>', "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('text <span style="color:red" onmouseover="x()">hover</span>', "onmouseover"),
    ("![img](javascript:alert(1))", 'src="javascript:'),
    ("<Custom onLoad={hack()}>x</Custom>", "onload"),
]


@pytest.mark.parametrize(("source", "forbidden"), UNSAFE)
def test_unsafe_markup_never_passes_through(source: str, forbidden: str) -> None:
    html = render_markdown(source).html.lower()
    assert forbidden not in html.replace("&lt;", "").replace("&quot;", "")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[site](https://example.com)", '<a href="https://example.com">site</a>'),
        ("[mail](mailto:a@b.c)", '<a href="mailto:a@b.c">mail</a>'),
        ("[rel](/docs/page)", '<a href="/docs/page">rel</a>'),
        ("see [anchor](#part)", 'see <a href="#part">anchor</a>'),
        (
            "H<sub>2</sub>O and <kbd>Ctrl</kbd><br/>next",
            "H<sub>2</sub>O and <kbd>Ctrl</kbd><br>next",
        ),
    ],
)
def test_safe_links_and_inline_tags_are_kept(source: str, expected: str) -> None:
    assert expected in render_markdown(source).html


def test_nothing_of_substance_is_lost() -> None:
    source = (
        "Some **bold**, *em*, ~~gone~~ and `code`.\n\n"
        "- one\n- two\n  1. nested\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "```python\nif a < b:\n    print('<tag>')\n```\n"
    )
    rich = render_markdown(source)
    for fragment in (
        "<strong>bold</strong>",
        "<em>em</em>",
        "~~gone~~",
        "<code>code</code>",
        "<li>one</li>",
        "<ol>",
        "<table>",
        "<td>2</td>",
        "<code class=\"language-python\">if a &lt; b:\n    print('&lt;tag&gt;')",
    ):
        assert fragment in rich.html
    for fragment in ("bold", "- one", "  1. nested", "a | b", "1 | 2", "print('<tag>')"):
        assert fragment in rich.text


def test_text_has_no_markup() -> None:
    rich = render_markdown("**Bold** [link](https://x.y) and <b>tag</b> <Tip>jsx</Tip>")
    assert rich.text == "Bold link and tag jsx"


def test_highlight_hook_is_used_for_fenced_code() -> None:
    rich = render_markdown(
        "```sql\nSELECT 1\n```", highlight=lambda code, lang, attrs: f"[{lang}]{code}"
    )
    assert "[sql]SELECT 1" in rich.html


def test_lists_in_indented_component_bodies_keep_their_items() -> None:
    source = "<Note>\n    **Look for**:\n    1. One\n    2. Two\n        - nested\n</Note>\n"
    html = render_markdown(source).html
    assert "<li>One</li>\n<li>Two\n<ul>\n<li>nested</li>" in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a <b>b", "<p>a <b>b</b></p>"),
        ("x </b></i> y", "<p>x  y</p>"),
        ("<i>one\n\ntwo</i>", "<p><i>one</i></p>\n<p>two</p>"),
        ("<b><i>both</b> after", "<p><b><i>both</i></b> after</p>"),
    ],
)
def test_inline_tags_from_a_guide_are_kept_balanced(source: str, expected: str) -> None:
    assert render_markdown(source).html.strip() == expected
