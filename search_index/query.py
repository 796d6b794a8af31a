"""The query language: words, "quoted phrases", field prefixes, wildcards, -exclusions.

    databse shardng               words (typos are forgiven later, by the searcher)
    "event loop"                  a phrase: these words, adjacent, in this order
    title:goroutine               a word only in one field (title, answer, testing,
    answer:"read replica"         red_flags, follow_ups, notes, topic, guide, tags, parts)
    shard*  repl?ca               a prefix or a wildcard (at least 2 letters first)
    -kafka                        documents with this word are left out

Symbol terms (``c++``, ``c#``, ``.net``, ``n+1``, ``==``, ``===``, ``O(n log n)``) are
terms of their own (``analysis.extras``). Words of how people ask (``what``, ``vs``,
``difference between`` ...; ``QUERY_STOP``) are dropped from words but kept in quoted
phrases. Anything else (parentheses, unbalanced quotes, URLs) is read leniently as
words. Parsing never raises anything but ``QueryError``, and only when nothing
searchable is left; input length, word count and wildcards are capped here so that
no query can ask for unbounded work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .analysis import ANALYZER, COMPOUND, WORD, compact_symbols, symbols
from .documents import FIELDS
from .errors import QueryError, echo

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32
MAX_WILDCARDS = 3  # wildcard characters in one word
MIN_WILDCARD_PREFIX = 2  # letters before the first * or ?

ClauseKind = Literal["term", "phrase", "prefix", "wildcard"]

FIELD_ALIASES = {name.replace("_", ""): name for name in FIELDS} | {
    "tag": "tags",
    "question": "title",
    "redflag": "red_flags",
    "redflags": "red_flags",
    "followup": "follow_ups",
    "followups": "follow_ups",
    "note": "notes",
}
# Words of how people ask, dropped from a query's words (not from quoted phrases);
# the index keeps them, so "difference between" still finds its phrase. Words that are
# also terms of the field stay searchable ("get" of GET vs POST, "select", "make").
QUERY_STOP = frozenset(
    {"vs", "versus", "difference", "differences", "between", "explain", "describe", "tell"}
    | {"example", "examples", "give", "mean", "meaning", "means", "happens", "happen"}
    | {"work", "works", "working", "use", "used", "using", "way", "ways", "best", "good"}
    | {"where", "whats", "can", "cannot", "don", "doesn", "isn", "compare", "comparison"}
    | {"need", "want", "know", "got", "thing", "things", "really", "actually"}
    | {"like", "something", "anything", "more", "much", "very", "still", "even", "please"}
    | {"some", "any", "let", "lets", "etc", "okay", "ok", "im", "youre", "ive", "dont"}
)
_FILLER_STEMS = frozenset(filter(None, map(ANALYZER.stem, QUERY_STOP)))
_FIELD_PREFIX = re.compile(r"([A-Za-z][A-Za-z_-]*):")
_CHUNK = re.compile(r'[^\s"]+')
_WILDCARD = re.compile(r"[*?]")


@dataclass(frozen=True, slots=True)
class Clause:
    """One searchable unit of a query.

    ``words`` holds the indexed words as typed (lowercased) and ``stems`` their stems
    (one for a term, several for a phrase); for a prefix or wildcard ``pattern`` is
    the lowercased pattern. ``text`` is the clause as the user typed it. A ``filler``
    is a word of ``QUERY_STOP``: it counts only as part of a synonym ("work from home").
    """

    kind: ClauseKind
    text: str
    words: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    pattern: str = ""
    field: str | None = None
    negated: bool = False
    quoted: bool = False
    filler: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The clauses of a query, and whether words were dropped as stop words."""

    clauses: tuple[Clause, ...]
    stop_words_only: bool = False

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)


def clean(q: str) -> str:
    """``q`` without control characters, with runs of white space collapsed."""
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}")
    chars = (" " if unicodedata.category(ch)[0] == "C" else ch for ch in q)
    return " ".join("".join(chars).split())


def parse(q: str) -> ParsedQuery:
    """Parse a cleaned query string into clauses (see the module docstring)."""
    text = clean(q)
    if not text:
        raise QueryError("query is empty; type some words to search for")
    text = compact_symbols(text)  # "O(n log n)", "n + 1": one chunk each
    clauses: list[Clause] = []
    problems: list[str] = []
    stop_words = False
    i, n = 0, len(text)
    while i < n:
        if text[i] == " ":
            i += 1
            continue
        start = i
        negated = text[i] == "-" and i + 1 < n and text[i + 1] not in " -"
        i += negated
        field = None
        m = _FIELD_PREFIX.match(text, i)
        if m:
            name = m.group(1).lower().replace("_", "").replace("-", "")
            if name in FIELD_ALIASES:
                field = FIELD_ALIASES[name]
            else:  # "nothing:shard", "https://..." are words, not a field and a phrase
                made = _words_clause(m.group(1), None, negated, m.group(0))
                if made is not None:
                    clauses.append(made)
            i = m.end()
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            body, i = text[i + 1 : end], end + 1
            made = _words_clause(body, field, negated, text[start:i], quoted=True)
        else:
            m = _CHUNK.match(text, i)
            body = m.group() if m else ""
            i = m.end() if m else i + 1
            if _WILDCARD.search(body):
                made = _wildcard_clause(body, field, negated, problems)
            else:
                made = _words_clause(body, field, negated, text[start:i])
        if made is None:
            if body.strip() and WORD.search(body):
                stop_words = True
            elif field is not None and not body.strip():
                problems.append(f"{field}: needs a word after it, as in {field}:cache")
            continue
        clauses.append(made)
    if len(clauses) > MAX_CLAUSES:
        raise QueryError(f"query has {len(clauses)} words and phrases; the limit is {MAX_CLAUSES}")
    if any(not c.negated for c in clauses):
        return ParsedQuery(tuple(clauses))
    if clauses:
        raise QueryError("query only excludes words; add a word to search for")
    if problems:
        raise QueryError(problems[0])
    if stop_words:  # "the of and": a sensible, empty result rather than an error
        return ParsedQuery((), stop_words_only=True)
    raise QueryError("query has no words to search for")


def _words_clause(
    body: str, field: str | None, negated: bool, typed: str, quoted: bool = False
) -> Clause | None:
    """A term for one word, a phrase for several (``node.js`` is the phrase "node js")."""
    low = body.lower()
    if not quoted:
        found = symbols(low)
        if len(found) == 1:  # "c++" is one term, not the word "c"
            return Clause(
                kind="term",
                text=typed,
                words=(found[0],),
                stems=(found[0],),
                field=field,
                negated=negated,
            )
        if COMPOUND.fullmatch(low) and not all(map(ANALYZER.stem, low.split("-"))):
            low = low.replace("-", "")  # "b-tree" is "btree", "fan-in" "fanin", as indexed
    words = tuple(w for w in ANALYZER.words(low) if ANALYZER.stem(w))
    if not words:
        return None
    stems = tuple(ANALYZER.stem(w) for w in words)
    filler = not quoted and len(stems) == 1 and stems[0] in _FILLER_STEMS
    kind: ClauseKind = "term" if len(stems) == 1 else "phrase"
    return Clause(
        kind=kind,
        text=typed,
        words=words,
        stems=stems,
        field=field,
        negated=negated,
        quoted=quoted,
        filler=filler,
    )


def _wildcard_clause(body: str, field: str | None, negated: bool, problems: list[str]):
    pattern = "".join(ch for ch in body.lower() if ch in "*?" or WORD.match(ch))
    first = _WILDCARD.search(pattern)
    literal = pattern[: first.start()] if first else pattern
    if len(literal) < MIN_WILDCARD_PREFIX:
        problems.append(
            f"{echo(body)}: a wildcard needs at least {MIN_WILDCARD_PREFIX} letters before"
            " * or ?, as in shard*"
        )
        return None
    if len(_WILDCARD.findall(pattern)) > MAX_WILDCARDS:
        problems.append(f"{echo(body)}: at most {MAX_WILDCARDS} wildcards in one word")
        return None
    rest = pattern[len(literal) :]
    kind: ClauseKind = "prefix" if rest == "*" else "wildcard"
    return Clause(kind=kind, text=body, pattern=pattern, field=field, negated=negated)
