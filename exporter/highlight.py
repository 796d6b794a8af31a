"""Code highlighting for cards: Pygments spans with classes, coloured by the note type's CSS.

Classes rather than inline styles keep the fields small and let night mode recolour the
code (inline colours would stay dark-on-dark). Nothing is loaded from outside the card:
no fonts, no scripts, so AnkiDroid and AnkiMobile show it offline.

``highlight_html`` highlights the code blocks of HTML the corpus renderer already made,
instead of parsing the fragment's Markdown again: a fenced block comes out of the
renderer as ``<pre><code class="language-X">ESCAPED</code></pre>``, and that is exactly
what it would have wrapped around ``highlight(code, X, attrs)``.

Mermaid blocks are diagrams that only JavaScript draws, and no client runs it offline; a
card shows their source, kept as written and labelled as a diagram's source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name

import corpus

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
# Anki desktop and AnkiMobile mark night mode with .nightMode, AnkiDroid with .night_mode.
NIGHT = (".nightMode", ".night_mode")

_FORMATTER = HtmlFormatter(nowrap=True)
_LANG_PREFIX = corpus.MD.options["langPrefix"]
# What markdown-it's fence rule writes for a block with a language. The code inside is
# escaped, so it cannot hold "</code>": the lazy match ends at the block's own end.
_FENCE = re.compile(
    rf'<pre><code class="{re.escape(_LANG_PREFIX)}([^"]*)">(.*?)</code></pre>', re.DOTALL
)
CODE_MARK = f'<pre><code class="{_LANG_PREFIX}'
_SPAN_TAG = re.compile(r"</?span[^>]*>")
_BLOCK_END = "</code></pre>"


@lru_cache(maxsize=1)
def _builtin_aliases() -> frozenset[str]:
    return frozenset(a for _, aliases, _, _ in get_all_lexers(plugins=False) for a in aliases)


@lru_cache(maxsize=128)
def _lexer(lang: str) -> Lexer | None:
    """Pygments' own lexer for ``lang``, or None. Lexers of installed Pygments plugins
    are not used: the same guide makes the same cards wherever it is built (and an
    unknown word, "```the", costs no search of every installed package)."""
    return get_lexer_by_name(lang) if lang in _builtin_aliases() else None


def highlight(code: str, lang: str, attrs: str) -> str:
    """A markdown-it ``highlight`` callback: Pygments spans for ``code`` in ``lang``.

    Returns ``""`` for an unknown or missing language, so the renderer escapes the code
    as plain text (ASCII diagrams, ``mermaid``, console output stay as written).
    """
    lexer = _lexer(lang.strip().lower()) if lang.strip() else None
    if lexer is None:
        return ""
    return pygments.highlight(code, lexer, _FORMATTER)


def has_code(fragment_html: str) -> bool:
    """True when ``fragment_html`` holds a code block with a language (one to highlight)."""
    return CODE_MARK in fragment_html


def highlight_html(fragment_html: str, known: KnownBlocks | None = None) -> str:
    """The corpus HTML of a fragment with each code block highlighted.

    The same HTML as rendering the fragment with ``highlight`` as the renderer's callback:
    each block's code is unescaped, given to Pygments (which escapes it again), and put
    back in place; blocks in an unknown language stay as they are; Mermaid blocks are
    labelled as a diagram's source. A block ``known`` has is taken from it: an edit next
    to a block does not highlight it again.
    """
    if not has_code(fragment_html):
        return fragment_html
    return _FENCE.sub(lambda match: _highlight_block(match, known), fragment_html)


class KnownBlocks:
    """The code blocks of fragments ``highlight_html`` made, found again by their code.

    A block's code is read back from its spans (Pygments writes only ``<span>`` tags and
    the escaped code), and only for blocks of the language and number of lines asked for.
    Pygments reads code with its blank edges trimmed and a final newline, so a block is
    found again only when its code was written so (the others are highlighted again)."""

    def __init__(self, highlighted: Iterable[str]) -> None:
        self._blocks: dict[tuple[str, int], list[tuple[int, str]]] = {}
        for fragment_html in highlighted:
            at = 0
            while (start := fragment_html.find(CODE_MARK, at)) != -1:
                end = fragment_html.find(_BLOCK_END, start)
                if end == -1:
                    break
                at = end + len(_BLOCK_END)
                lang_end = fragment_html.index('">', start)
                lang = fragment_html[start + len(CODE_MARK) : lang_end]
                block = fragment_html[start:at]
                inner = lang_end + 2 - start  # where the spans start in ``block``
                self._blocks.setdefault((lang, block.count("\n")), []).append((inner, block))

    def get(self, lang: str, code: str) -> str | None:
        """The highlighted block of ``code`` in ``lang`` (as its class names it), if any."""
        for inner, block in self._blocks.get((lang, code.count("\n")), ()):
            spans = block[inner : -len(_BLOCK_END)]
            if html.unescape(_SPAN_TAG.sub("", spans)) == code:
                return block
        return None


DIAGRAM_LABEL = "Diagram (Mermaid source)"


def _highlight_block(match: re.Match[str], known: KnownBlocks | None = None) -> str:
    lang, code = match.group(1), match.group(2)
    if lang.strip().lower() == "mermaid":
        return (
            f'<figure class="pd-diagram"><figcaption>{DIAGRAM_LABEL}</figcaption>'
            f"{match.group(0)}</figure>"
        )
    found = None if known is None else known.get(lang, html.unescape(code))
    if found is not None:
        return found
    spans = highlight(html.unescape(code), html.unescape(lang), "")
    if not spans:
        return match.group(0)
    return f'{CODE_MARK}{lang}">{spans}</code></pre>'


def _token_rules(style: str, prefixes: list[str]) -> list[str]:
    rules = HtmlFormatter(style=style).get_token_style_defs(prefixes)
    # Lexer "errors" (JSX in a JS block, an unfinished snippet) are not worth a red box.
    return [r.split(" /*", 1)[0] for r in rules if " .err " not in r and " .err," not in r]


def code_css() -> str:
    """Token colours for ``<pre>`` blocks: a light scheme, and a dark one under night mode."""
    light = _token_rules(LIGHT_STYLE, ["pre"])
    dark = _token_rules(DARK_STYLE, [f"{n} pre" for n in NIGHT])
    return "\n".join([*light, *dark]) + "\n"
