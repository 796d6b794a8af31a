"""The labels that split a question into its parts, in every variant real guides use.

A label is the bold text that opens a paragraph: ``**Answer:**``, ``**Answer**:``,
``**Red flag answers:**``, ``**Follow-up chain -- probing deeper:**``. Matching is
case-insensitive and ignores the colon's place. Any other bold lead-in (``**War
Story:**``) is not a label: that paragraph stays in the part it is in, or in the answer.
"""

from __future__ import annotations

import re
from functools import lru_cache
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

# Trailing colons, dots, dashes and spaces. The lookbehind tries a run only from its first
# character: tried from each character of a long run ("a::::...::b"), each try reads to the
# run's end, and a label took time quadratic in its length.
TRAILING = r"(?<![\s:.\-–—])[\s:.\-–—]+$"
_TRIM = re.compile(TRAILING)
# Labels and titles repeat ("Answer:" in every question) and each is read several times
# (conventions, then parts): the readings below are memoised.
MEMO_SIZE = 4096


@lru_cache(maxsize=MEMO_SIZE)
def classify(label: str) -> PartKind | None:
    """The part a bold lead-in opens, or ``None`` when it is not a question label."""
    norm = " ".join(_TRIM.sub("", label.strip()).lower().split())
    for kind, pattern in _RULES:
        if pattern.search(norm):
            return kind
    return None


@lru_cache(maxsize=MEMO_SIZE)
def classify_title(title: str) -> PartKind | None:
    """Like ``classify`` for an accordion title, also reading "Reveal: The hot key" by its lead."""
    head, colon, _ = title.partition(":")
    return classify(title) or (classify(head) if colon else None)


# "Q:", "Q7.", "Question 3:", "12. ", "12 . ", "#12 ", and "4.What" (no space before a capital)
QUESTION_PREFIX = re.compile(
    r"^\s*(?:q(?:uestion)?\s*\d*\s*[:.)-]|#?\d+\s?[.)](?:\s|(?=[A-Z\"“‘'`]))|#\d+\s)\s*",
    re.IGNORECASE,
)


@lru_cache(maxsize=MEMO_SIZE)
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
    "distinguish illustrate talk guess".split()
)
# Imperatives that set an exercise ("Reverse a linked list", "Create a function ..."). Many
# are nouns too ("State management", "Reverse proxy"), so they ask only among siblings
# that already mostly ask (a numbered run, a list under a "... Questions" heading).
_TASK_VERBS = frozenset(
    "create make reverse find calculate compute count convert sort merge remove print check "
    "determine identify prove derive solve optimize optimise outline state mention predict "
    "rewrite refactor fix generate construct detect evaluate analyze analyse summarize "
    "summarise contrast classify elaborate demonstrate show propose suggest justify interpret "
    "draw sketch add swap rotate flatten validate traverse".split()
)
_Q_PREFIX = re.compile(r"^\s*q(uestion)?\s*\d+\s*[:.)-]", re.IGNORECASE)
# "Work Sample 2: ...", "Scenario 3: ...": a numbered lead-in before the question proper
_NUMBERED_LEAD = re.compile(r"^[A-Za-z][\w -]{0,30}?\s\d+\s*[:.)]\s*")
_CLAUSE = re.compile(r"\s+(?:—|–|--)\s+")
# "Using your preferred language, write ...", "In SQL, how ...": a short lead-in phrase
_LEAD_PHRASE = re.compile(r"^(?:[^\s,]+\s+){0,4}[^\s,]+,\s+")
_BIDDING_WORDS = frozenset(
    "tell describe explain give name list define compare walk discuss design implement write "
    "estimate talk guess".split()
)
_NAMES_QUESTIONS = re.compile(r"\b(?:questions?|exercises?|quiz(?:zes)?)\b", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’]")  # "What's", "What’s": the word is "what"
_CONDITIONAL = frozenset({"when", "where"})
_AFTER_CONDITIONAL = frozenset(
    "to is are was were do does did should would can could will shall may might must has have "
    "am".split()
)


def reads_as_question(title: str) -> bool:
    """True for "How would you ...", "Q7: ...", "... ?", "In SQL, explain ..." and the like."""
    t = title.strip()
    if not t:
        return False
    if t.endswith("?") or _Q_PREFIX.match(t):
        return True
    rest = _NUMBERED_LEAD.sub("", clean_title(t), count=1)
    clauses = _CLAUSE.split(rest)
    return any(_clause_asks(c) for c in [*clauses, _LEAD_PHRASE.sub("", rest, 1)])


def _clause_asks(clause: str) -> bool:
    """A clause that opens with a question word; "when" and "where" ask only before an
    auxiliary or "to" ("When should you ...", "Where to put ..."): otherwise they open a
    condition ("When using an index, be careful ...")."""
    words = clean_title(clause).lower().split(" ", 2)
    first = words[0].strip(",:")
    word = _APOSTROPHE.split(first, 1)[0]
    if word not in _QUESTION_WORDS:
        return False
    if word not in _CONDITIONAL or word != first:  # "When's ..." is "When is ..."
        return True
    return len(words) > 1 and words[1].strip(",:") in _AFTER_CONDITIONAL


def asks_outright(title: str) -> bool:
    """A question mark, or a bidding verb first ("Tell me about ...", "Describe ...").

    Stricter than ``reads_as_question``: "When the interviewer pushes back, ..." is advice.
    """
    word = clean_title(title).split(" ", 1)[0].lower().strip(",:")
    return "?" in title or word in _BIDDING_WORDS


def opens_with_question_word(title: str) -> bool:
    """True when the first word asks or bids: "What's ...", "How ...", "Explain ..."."""
    return _first_word(title) in _QUESTION_WORDS


def names_questions(title: str) -> bool:
    """A heading that names what it holds as questions: "Coding questions", "Quiz"."""
    return bool(_NAMES_QUESTIONS.search(title))


def sets_task(title: str) -> bool:
    """True when the first word sets an exercise: "Reverse a bitstring.", "Create ..."."""
    return _first_word(title) in _TASK_VERBS


def _first_word(title: str) -> str:
    word = clean_title(title).split(" ", 1)[0].lower().strip(",:")
    return _APOSTROPHE.split(word, 1)[0]
