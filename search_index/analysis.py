"""Text analysis shared by indexing, querying and highlighting.

Words are runs of ``\\w`` characters, lowercased; stop words and one-letter words are
dropped; the rest are reduced to their Porter2 (Snowball English) stem, by Snowball's
C stemmer (PyStemmer). Whoosh's default ``porter`` keeps doubled consonants
("splitting" -> "splitt", but "split"), so it would not find one form of a word from
another. The index, the query and the
highlighter must agree exactly, so all three use ``Analyzer`` from here.

Whoosh's own analyzers build a ``Token`` object per word, which is most of the cost
of indexing; here a whole text is split by one C-level ``findall`` and each distinct
word is stemmed once per process (``Analyzer`` caches word -> stem). Accents are
folded when a word is stemmed ("café" and "cafe" share a stem).

Besides its words, a text yields a few *extra terms* that ``\\w+`` cannot see, indexed
beside the words (``extras``) and read from a query the same way:

    b-tree, fan-in, on-call       a compound with a part that is not a word of its own
                                  (one letter, a stop word), written as one: "btree"
    http/2                        "http2"
    c++, c#, f#, .net, n+1        the symbol term itself
    ==, ===, !=, !==              the operator
    O(n log n), O(1)              "o(nlogn)", "o(1)": big-O without spaces
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer
from whoosh.analysis import STOP_WORDS, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

WORD = re.compile(r"\w+")
WORD_PATTERN = WORD.pattern

# Extra terms (see the module docstring), matched in lowercased text.
COMPOUND = re.compile(r"(?<![\w-])[^\W\d_]{1,20}(?:-[^\W\d_]{1,20}){1,3}(?![\w-])")
_SLASH_VERSION = re.compile(r"\b([a-z]{2,10})/(\d)\b")  # http/2, tls/1 (as in TLS/1.3)
_SYMBOL = re.compile(
    r"(?<![\w+#.])(?:c\+\+|[a-z]#|\.net)(?![\w+#])"  # c++, c#, f#, .net
    r"|\bn ?\+ ?1\b"  # the N+1 query problem
    r"|(?<![=!<>])(?:!==?|===?)(?![=])"  # == === != !==
    r"|\bo\((?:[a-z0-9^*+ ]|log){1,16}\)"  # O(1), O(n log n), O(n^2)
)

# Whoosh's list plus the question words people type ("how do I ...") that carry no
# meaning in a corpus made of questions.
STOP = frozenset(
    STOP_WORDS
    | {"do", "does", "did", "how", "what", "which", "who", "why", "i", "me", "my", "its"}
    | {"was", "were", "been", "has", "had", "than", "then", "there", "these", "those"}
    | {"into", "about", "would", "should", "could", "also", "just", "but", "so", "am"}
)
MIN_WORD = 2
# The word -> stem cache is bounded so that arbitrary query input cannot grow it forever.
MAX_CACHE = 400_000


class Analyzer:
    """Splits text into words and stems, caching the stem of every word it has seen."""

    def __init__(self) -> None:
        # word -> stem, or "" for a word that is not indexed (stop word, too short)
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The stem of one lowercased word, or ``""`` when the word is not indexed."""
        cached = self._stems.get(word)
        if cached is None:
            if len(self._stems) >= MAX_CACHE:
                self._stems.clear()
            cached = self._stems[word] = _stem(word)
        return cached

    def clear(self) -> None:
        """Forget every cached stem (benchmarks time a build from a cold cache)."""
        self._stems.clear()

    def words(self, text: str) -> list[str]:
        """Every word of ``text``, lowercased, stop words included."""
        return WORD.findall(text.lower())

    def stems(self, words: list[str]) -> list[str]:
        """The stems of ``words``, without the words that are not indexed."""
        found = list(map(self._stems.get, words))
        if None in found:  # some words not seen before (or the cache was just cleared)
            stem = self.stem
            found = [s if s is not None else stem(w) for w, s in zip(words, found, strict=True)]
        return [s for s in found if s]

    def analyze(self, text: str) -> list[str]:
        """The stems of ``text`` in order (the positions of a phrase are indexes here)."""
        return self.stems(self.words(text))


_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")  # Latin letters, some accented
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SYMBOL_ANY_CASE = re.compile(_SYMBOL.pattern, re.IGNORECASE)
_SLASH_VERSION_ANY_CASE = re.compile(_SLASH_VERSION.pattern, re.IGNORECASE)


def compact_symbols(text: str) -> str:
    """``text`` with its symbol terms as the index has them ("O(n log n)" -> "o(nlogn)",
    "HTTP/2" -> "http2"), so that each is one chunk of a query."""
    text = _SYMBOL_ANY_CASE.sub(lambda m: symbol_term(m.group().lower()), text)
    return _SLASH_VERSION_ANY_CASE.sub(lambda m: (m.group(1) + m.group(2)).lower(), text)


def extras(low: str) -> list[str]:
    """The extra terms of the lowercased text ``low`` (compounds, symbols), in order.

    Other compounds ("micro-frontends") are found by their words; a query finds them
    written as one word by splitting it (``expansion``). Indexing every compound as one
    word too would cost a third of the build for the few queries that need it."""
    found = [c.replace("-", "") for c in compounds(low) if _hidden_part(c)] if "-" in low else []
    if "/" in low:
        found += slash_versions(low)
    return found + symbols(low)


_SLASH_DIGIT = re.compile(r"/\d")


def slash_versions(low: str) -> list[str]:
    """What ``_SLASH_VERSION.findall`` finds, joined ("http/2" -> "http2"), scanning from
    each slash before a digit (``test_analysis`` checks)."""
    found = []
    for m in _SLASH_DIGIT.finditer(low):
        slash, end = m.start(), m.end()
        if not slash or not "a" <= low[slash - 1] <= "z":
            continue
        start = slash
        while start and "a" <= low[start - 1] <= "z" and slash - start < 11:
            start -= 1
        if not 2 <= slash - start <= 10 or (start and _word_char(low[start - 1])):
            continue
        if end < len(low) and _word_char(low[end]):
            continue
        found.append(low[start:slash] + low[slash + 1])
    return found


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_HYPHEN = re.compile(r"-(?=[^\W\d_])")  # a hyphen before a letter
_PART = re.compile(r"[^\W\d_]{1,20}")
_MAX_PARTS = 4


def compounds(low: str) -> list[str]:
    """What ``COMPOUND.findall`` finds, as written ("micro-frontend"); ``test_analysis``
    checks. Scanning from each hyphen is ten times
    faster than the pattern, which is tried at every letter of a text."""
    found = []
    done = -1  # end of the last compound looked at
    for m in _HYPHEN.finditer(low):
        hyphen = m.start()
        if hyphen <= done or not hyphen or not _is_letter(low[hyphen - 1]):
            continue
        start = hyphen - 1
        while start and _is_letter(low[start - 1]):
            start -= 1
        parts = [low[start:hyphen]]
        at = hyphen
        while at < len(low) and low[at] == "-" and len(parts) <= _MAX_PARTS:
            part = _PART.match(low, at + 1)
            if part is None:
                break
            parts.append(part.group())
            at = part.end()
        done = at
        glued = (start and _glued(low[start - 1])) or (at < len(low) and _glued(low[at]))
        if not glued and 2 <= len(parts) <= _MAX_PARTS and len(parts[0]) <= 20:
            found.append(low[start:at])
    return found


def _hidden_part(compound: str) -> bool:
    """Whether a part of ``compound`` is not indexed on its own ("b" of "b-tree")."""
    return any(len(p) < MIN_WORD or p in STOP for p in compound.split("-"))


def _is_letter(ch: str) -> bool:
    return ch.isalpha() and ch != "_"


def _glued(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


# ``_SYMBOL``'s alternatives one by one, each tried only when its character is in the
# text: the lookbehinds of the one pattern defeat the regex engine's scan for a first
# character, which made it cost more than splitting the text into words.
_EQUALS = re.compile(r"=+")
_OPERATORS = frozenset({"==", "===", "!=", "!=="})
_CPP = re.compile(r"c\+\+")
_SHARP = re.compile(r"[a-z]#")
_NET = re.compile(r"\.net\b")
_PLUS_1 = re.compile(r"\+ ?1\b")  # the "+ 1" of "n + 1": the n is checked by hand
_BIG_O = re.compile(r"\bo\((?:[a-z0-9^*+ ]|log){1,16}\)")
_GLUED = frozenset("+#.") | frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _alone(low: str, start: int, end: int) -> bool:
    """No word character, ``+``, ``#`` or ``.`` glued to ``low[start:end]``."""
    before = low[start - 1] if start else " "
    after = low[end] if end < len(low) else " "
    return not (before in _GLUED or before.isalnum()) and not (
        (after in _GLUED and after != ".") or after.isalnum()
    )


def symbols(low: str) -> list[str]:
    """The symbol terms (``c++``, ``n+1``, ``===`` ...) of the lowercased text ``low``:
    what ``_SYMBOL.findall`` finds (``test_analysis`` checks), faster."""
    found: list[str] = []
    if "=" in low:
        for m in _EQUALS.finditer(low):
            start = m.start()
            before = low[start - 1] if start else " "
            if before == "!":
                op = "!" + m.group()
                before = low[start - 2] if start > 1 else " "
            else:
                op = m.group()
            if op in _OPERATORS and before not in "=!<>":
                found.append(op)
    if "+" in low:
        if "++" in low:
            found += [m.group() for m in _CPP.finditer(low) if _alone(low, *m.span())]
        for m in _PLUS_1.finditer(low):
            n = m.start() - 1 - (m.start() > 0 and low[m.start() - 1] == " ")
            if n >= 0 and low[n] == "n" and (n == 0 or not _word_char(low[n - 1])):
                found.append("n+1")
    if "#" in low:
        found += [m.group() for m in _SHARP.finditer(low) if _alone(low, *m.span())]
    if ".net" in low:
        found += [m.group() for m in _NET.finditer(low) if _alone(low, *m.span())]
    if "o(" in low:
        found += [symbol_term(m.group()) for m in _BIG_O.finditer(low)]
    return found


def symbol_term(text: str) -> str:
    """The indexed form of a symbol term: its characters without spaces."""
    return text.replace(" ", "")


def fold(text: str) -> str:
    """``text`` without the accents of Latin letters ("café" -> "cafe"), the same length
    (canonical decomposition, combining marks dropped), so offsets into it hold; a text
    whose length this would change is returned as it is."""
    if text.isascii() or not _ACCENTED.search(text):
        return text
    folded = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    return folded if len(folded) == len(text) else text


_IDENTIFIER = re.compile(r"[\d_]")
# Snowball's own English (Porter2) stemmer, in C: Whoosh's Python port is ten times
# slower and strays from it ("adding" -> "ad", "internal" -> "intern").
_PORTER2 = Stemmer.Stemmer("english").stemWord


def index_stem(word: str) -> str:
    """The stem of an indexed word: identifiers (``user_id``, ``r6g``) stay as they are."""
    return word if _IDENTIFIER.search(word) else _PORTER2(word)


def _stem(word: str) -> str:
    if not word.isascii():
        word = fold(word)
    return "" if (len(word) < MIN_WORD or word in STOP) else index_stem(word)


ANALYZER = Analyzer()


def whoosh_analyzer():
    """The same analysis as a Whoosh analyzer, recorded in the index schema.

    The index is written from pre-analyzed terms, but the schema keeps an equivalent
    analyzer so that Whoosh's own tools (``QueryParser``, the ``whoosh`` command) read
    the index correctly.
    """
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP, minsize=MIN_WORD)
        | StemFilter(stemfn=index_stem)
    )
