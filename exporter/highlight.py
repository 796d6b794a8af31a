"""Code highlighting for cards: Pygments spans with classes, coloured by the note type's CSS.

Classes rather than inline styles keep the fields small and let night mode recolour the
code (inline colours would stay dark-on-dark). Nothing is loaded from outside the card:
no fonts, no scripts, so AnkiDroid and AnkiMobile show it offline.
"""

from __future__ import annotations

from functools import lru_cache

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
# Anki desktop and AnkiMobile mark night mode with .nightMode, AnkiDroid with .night_mode.
NIGHT = (".nightMode", ".night_mode")

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=128)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def highlight(code: str, lang: str, attrs: str) -> str:
    """A markdown-it ``highlight`` callback: Pygments spans for ``code`` in ``lang``.

    Returns ``""`` for an unknown or missing language, so the renderer escapes the code
    as plain text (ASCII diagrams, ``mermaid``, console output stay as written).
    """
    lexer = _lexer(lang.strip().lower()) if lang.strip() else None
    if lexer is None:
        return ""
    return pygments.highlight(code, lexer, _FORMATTER)


def _token_rules(style: str, prefixes: list[str]) -> list[str]:
    rules = HtmlFormatter(style=style).get_token_style_defs(prefixes)
    # Lexer "errors" (JSX in a JS block, an unfinished snippet) are not worth a red box.
    return [r.split(" /*", 1)[0] for r in rules if " .err " not in r and " .err," not in r]


def code_css() -> str:
    """Token colours for ``<pre>`` blocks: a light scheme, and a dark one under night mode."""
    light = _token_rules(LIGHT_STYLE, ["pre"])
    dark = _token_rules(DARK_STYLE, [f"{n} pre" for n in NIGHT])
    return "\n".join([*light, *dark]) + "\n"
