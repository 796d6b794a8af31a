"""What a title says: plain text, and whether it asks, follows up or only holds a place.

Titles come from headings, ``<summary>`` lines, bold paragraphs and ``title=`` attributes.
Each is read as plain text (``plain_text``/``tidy``): entities decoded, inline markup,
anchors (``<a name>``), icons (``<Icon/>``), link markup, emoji shortcodes and stray ``**``
removed, inline code kept as its text.

A heading *asks* (``heading_asks``) when it ends with ``?`` or opens with ``Q.``/``Q3:``/
``Question 3:``; a section number such as ``4.1`` marks a chapter, not a question. A
*placeholder* title ("Answer", "Reveal Answer", "Show Solution", "Strong Candidate
Answer", "Weak vs. Strong Answer", "Key points") names a part of the question above it,
never a question of its own. ``Follow-up: ...`` and ``Going deeper: ...`` titles are
follow-ups of the question they sit under.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it.token import Token

from .labels import classify_title

_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,40}:(?![\w:])")
_SPACES = re.compile(r"\s+")
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s")  # "4.1 ", "17.3.1 "
_Q_PREFIX = re.compile(r"^\s*(?:q|question)\s*\d*\s*[:.)-]", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"^\s*(?:follow[- ]?ups?(?: questions?)?|going deeper|deeper|probe)\s*\d*\s*[:.)—–-]\s*",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:(?:click|tap)\s+(?:here\s+)?(?:to\s+)?(?:see|show|view|reveal|expand|open)?\s*"
    r"|(?:show|reveal|see|view|toggle|check|display|hide)\s+)?"
    r"(?:the\s+|an?\s+|my\s+)?"
    r"(?:(?:sample|model|suggested|possible|expected|correct|strong|weak)\s+)?"
    r"(?:candidate\s+)?"
    r"(?:answers?|solutions?|explanations?|hints?|output|results?|code|example|details|more"
    r"|key\s+(?:points|takeaways)|weak\s+(?:vs\.?|versus|and|/)\s+strong(?:\s+answers?)?)"
    r"(?:\s+(?:here|below))?$",
    re.IGNORECASE,
)
_EXPAND = re.compile(
    r"^(?:(?:click|tap)\s+(?:here\s+)?(?:to\s+)?)?(?:expand|open|show more|see more)$", re.I
)
_TRIM = re.compile(r"^[\s\W]+|[\s:.\-–—]+$")


def plain_text(children: Sequence[Token]) -> str:
    """The plain text of inline tokens: text and code kept, every kind of markup dropped."""
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "image":
            out.append("")  # badges and icons are not words of a title
        elif kind == "html_inline" and not child.content.startswith("<"):
            out.append(child.content)
    return tidy("".join(out))


def tidy(text: str) -> str:
    """A title without entities, emoji shortcodes, stray ``**`` or runs of spaces."""
    text = html.unescape(text).replace("**", "").replace("__", " ")
    text = _EMOJI.sub("", text)
    return _SPACES.sub(" ", text).strip()


def heading_asks(title: str) -> bool:
    """True when a heading reads as a question: ``...?`` or a ``Q.``/``Question 3:`` lead."""
    if _SECTION_NUMBER.match(title):
        return False
    t = title.rstrip(" *_)]").rstrip()
    return t.endswith("?") or bool(_Q_PREFIX.match(title))


def follow_up_title(title: str) -> str | None:
    """The question of a ``Follow-up: ...`` / ``Going deeper: ...`` title, else ``None``."""
    m = _FOLLOW_UP.match(title)
    if m is None:
        return None
    rest = title[m.end() :].strip()
    return rest or None


def answers(title: str) -> bool:
    """A placeholder for the answer itself ("Answer", "Show Solution"), not another part."""
    return is_placeholder(title) and classify_title(_TRIM.sub("", tidy(title))) in (None, "answer")


def is_placeholder(title: str) -> bool:
    """True for titles that only hold a place for a part ("Answer", "Show Solution")."""
    t = _TRIM.sub("", tidy(title))
    if not t:
        return True
    return classify_title(t) is not None or bool(_PLACEHOLDER.match(t) or _EXPAND.match(t))
