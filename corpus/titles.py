"""What a title says: plain text, and whether it asks, follows up or only holds a place.

Titles come from headings, ``<summary>`` lines, bold paragraphs and ``title=`` attributes.
Each is read as plain text (``plain_text``/``tidy``): entities decoded, inline markup,
anchors (``<a name>``), icons (``<Icon/>``), link markup, a closing reference link
(``What is X? [[src](url)]``), emoji shortcodes and stray ``**`` removed, inline code
kept whole as a Markdown code span (`` `__init__` ``), so a reader can show it as code.

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
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from markdown_it.token import Token

from .labels import MEMO_SIZE, TRAILING, classify_title

_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,40}:(?![\w:])")
_SPACES = re.compile(r"\s+")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# "[src]", "[1]", "(source)": a short reference in brackets, as a link at a title's end
_CITATION = re.compile(r"\[[^\[\]\s]{1,12}(?: [^\[\]\s]{1,12})?\]|\([^()\s]{1,12}\)")
_LONE_STAR = re.compile(r"\s+\*+$")  # "What is X? *": a marker, not text
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
# Leading non-word characters, and trailing ones as labels are trimmed
_TRIM = re.compile(rf"^[\s\W]+|{TRAILING}")
_NO_ANSWER = re.compile(
    r"^\s*(?:todo|tbd|tba|wip|n/?a|-+|\.\.\.|…|"
    r"(?:answer|solution)s?\s*(?:here|goes here|to come|coming soon)?|"
    r"(?:to be|will be)\s+(?:completed|added|written|answered|updated|done)(?:\s+soon)?|"
    r"coming soon)\s*[.!]*\s*$",
    re.IGNORECASE,
)


def plain_text(children: Sequence[Token]) -> str:
    """The plain text of inline tokens: text and code kept, every kind of markup dropped."""
    out: list[str] = []
    link = (0, 0)  # where the last link's text starts and ends in ``out``
    for child in children:
        kind = child.type
        if kind == "link_open":
            link = (len(out), len(out))
        elif kind == "link_close":
            link = (link[0], len(out))
        elif kind == "text":
            out.append(child.content)
        elif kind == "code_inline":  # kept as a code span, as a title="..." attribute has it
            out.append(f"{child.markup}{child.content}{child.markup}")
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "image":
            out.append("")  # badges and icons are not words of a title
        elif kind == "html_inline" and not child.content.startswith("<"):
            out.append(child.content)
    if link[1] > link[0]:
        out = _without_citation(out, *link)
    return tidy("".join(out))


def _without_citation(out: list[str], start: int, end: int) -> list[str]:
    """A title without a bracketed reference link at its end: "What is X? [[src](url)]"."""
    before, inner, after = "".join(out[:start]), "".join(out[start:end]), "".join(out[end:])
    if _CITATION.fullmatch(f"{before[-1:]}{inner}{after}".strip()) or (
        not after.strip() and _CITATION.fullmatch(inner.strip())
    ):
        return [before[:-1] if before.endswith(("[", "(")) else before]
    return out


@lru_cache(maxsize=MEMO_SIZE)  # a title is read several times (see labels.py)
def tidy(text: str) -> str:
    """A title without entities, emoji, stray ``**`` or runs of spaces.

    Emoji shortcodes go wherever they are; pictographs (emoji, stars, arrows) and a lone
    ``*`` only at an end, where they decorate ("What is overfitting? 👶", "↥ back to top").
    """
    text, last, kept = html.unescape(text), 0, []
    for m in _CODE_SPAN.finditer(text):  # `__init__`, `**kwargs`, `a:b:` are code, kept whole
        kept += [_markup_free(text[last : m.start()]), m.group(0)]
        last = m.end()
    text = "".join([*kept, _markup_free(text[last:])])
    text = _LONE_STAR.sub("", _SPACES.sub(" ", text).strip())
    start, end = 0, len(text)
    while start < end and _decoration(text[start]):
        start += 1
    while end > start and _decoration(text[end - 1]):
        end -= 1
    return text[start:end]


def _markup_free(text: str) -> str:
    """Text outside code spans without stray emphasis markers and emoji shortcodes."""
    return _EMOJI.sub("", text.replace("**", "").replace("__", " "))


def _decoration(char: str) -> bool:
    """A pictograph, an emoji modifier or joiner, or a space beside one."""
    if char in " \ufe0f\u200d":
        return True
    return ord(char) > 0x2000 and unicodedata.category(char) in ("So", "Sk")


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


@lru_cache(maxsize=MEMO_SIZE)
def is_placeholder(title: str) -> bool:
    """True for titles that only hold a place for a part ("Answer", "Show Solution")."""
    t = _TRIM.sub("", tidy(title))
    if not t:
        return True
    return classify_title(t) is not None or bool(_PLACEHOLDER.match(t) or _EXPAND.match(t))


def no_answer(markdown: str) -> bool:
    """A placeholder where an answer should be: "TODO", "To be completed.", "Answer here"."""
    return bool(_NO_ANSWER.match(markdown.strip(" *_")))
