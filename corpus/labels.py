"""The labels that split a question into its parts, in every variant real guides use.

A label is the bold text that opens a paragraph: ``**Answer:**``, ``**Answer**:``,
``**Red flag answers:**``, ``**Follow-up chain -- probing deeper:**``. Matching is
case-insensitive and ignores the colon's place. Any other bold lead-in (``**War
Story:**``) is not a label: that paragraph stays in the part it is in, or in the answer.
"""

from __future__ import annotations

import re
from typing import Literal

PartKind = Literal[
    "body", "testing", "answer", "red_flags", "follow_ups", "weak_candidates", "strong_candidates"
]

_RULES: list[tuple[PartKind, re.Pattern[str]]] = [
    (
        "testing",
        re.compile(
            r"^what (the )?(interviewers?|they|interviewer) (is |are )?(really |actually )?"
            r"(testing|probing|looking for)\b"
        ),
    ),
    ("weak_candidates", re.compile(r"^what weak(er)? candidates? says?$")),
    ("strong_candidates", re.compile(r"^what strong(er)? candidates? says?$")),
    ("red_flags", re.compile(r"^red[- ]?flags?( answers?| responses?)?$")),
    ("follow_ups", re.compile(r"^follow[- ]?ups?\b")),
    ("answer", re.compile(r"^(strong |model |sample |structured )?answers?( framework)?$")),
    ("answer", re.compile(r"^(analysis|reveal|solution)$")),
    ("body", re.compile(r"^(the )?question( statement)?$")),
]

_TRIM = re.compile(r"[\s:.\-–—]+$")


def classify(label: str) -> PartKind | None:
    """The part a bold lead-in opens, or ``None`` when it is not a question label."""
    norm = " ".join(_TRIM.sub("", label.strip()).lower().split())
    for kind, pattern in _RULES:
        if pattern.search(norm):
            return kind
    return None


def classify_title(title: str) -> PartKind | None:
    """Like ``classify`` for an accordion title, also reading "Reveal: The hot key" by its lead."""
    head, colon, _ = title.partition(":")
    return classify(title) or (classify(head) if colon else None)


QUESTION_PREFIX = re.compile(
    r"^\s*(?:(?:q(?:uestion)?\s*\d*\s*[:.)-])|(?:\d+[.)]\s))\s*", re.IGNORECASE
)


def clean_title(title: str) -> str:
    """A question title without its ``Q:``/``Q7:``/``Question 3:`` prefix or ``12.`` numbering."""
    previous = None
    while previous != title:
        previous, title = title, QUESTION_PREFIX.sub("", title, count=1)
    return " ".join(title.split())


_QUESTION_WORDS = frozenset(
    "how what why when which where who whom whose explain design describe compare walk tell "
    "should can could would will is are do does did implement build write debug diagnose "
    "you your given imagine suppose estimate list name define give discuss differentiate "
    "distinguish illustrate".split()
)
_Q_PREFIX = re.compile(r"^\s*q(uestion)?\s*\d+\s*[:.)-]", re.IGNORECASE)
# "Work Sample 2: ...", "Scenario 3: ...": a numbered lead-in before the question proper
_NUMBERED_LEAD = re.compile(r"^[A-Za-z][\w -]{0,30}?\s\d+\s*[:.)]\s*")
_CLAUSE = re.compile(r"\s+(?:—|–|--)\s+")
_BIDDING_WORDS = frozenset(
    "tell describe explain give name list define compare walk discuss design implement write "
    "estimate".split()
)
_APOSTROPHE = re.compile(r"['’]")  # "What's", "What’s": the word is "what"


def reads_as_question(title: str) -> bool:
    """True for "How would you ...", "Q7: ...", "... ?" and the like."""
    t = title.strip()
    if not t:
        return False
    if t.endswith("?") or _Q_PREFIX.match(t):
        return True
    rest = _NUMBERED_LEAD.sub("", clean_title(t), count=1)
    return any(opens_with_question_word(clause) for clause in _CLAUSE.split(rest))


def asks_outright(title: str) -> bool:
    """A question mark, or a bidding verb first ("Tell me about ...", "Describe ...").

    Stricter than ``reads_as_question``: "When the interviewer pushes back, ..." is advice.
    """
    word = clean_title(title).split(" ", 1)[0].lower().strip(",:")
    return "?" in title or word in _BIDDING_WORDS


def opens_with_question_word(title: str) -> bool:
    """True when the first word asks or bids: "What's ...", "How ...", "Explain ..."."""
    word = clean_title(title).split(" ", 1)[0].lower().strip(",:")
    return _APOSTROPHE.split(word, 1)[0] in _QUESTION_WORDS
