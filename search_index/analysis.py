"""Text analysis shared by indexing, querying and highlighting.

Words are runs of ``\\w`` characters, lowercased; stop words and one-letter words are
dropped; the rest are reduced to their Porter2 (Snowball English) stem. Whoosh's
default ``porter`` keeps doubled consonants ("splitting" -> "splitt", but "split"),
so it would not find one form of a word from another. The index, the query and the
highlighter must agree exactly, so all three use ``Analyzer`` from here.

Whoosh's own analyzers build a ``Token`` object per word, which is most of the cost
of indexing; here a whole text is split by one C-level ``findall`` and each distinct
word is stemmed once per process (``Analyzer`` caches word -> stem). Accents are
folded when a word is stemmed ("café" and "cafe" share a stem).

Besides its words, a text yields a few *extra terms* that ``\\w+`` cannot see, indexed
beside the words (``extras``) and read from a query the same way:

    micro-frontends, e-commerce   the compound written as one word: "microfrontend"
    http/2                        "http2"
    c++, c#, f#, .net, n+1        the symbol term itself
    ==, ===, !=, !==              the operator
    O(n log n), O(1)              "o(nlogn)", "o(1)": big-O without spaces
"""

from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import STOP_WORDS, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as porter_stem

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


_SYMBOL_ANY_CASE = re.compile(_SYMBOL.pattern, re.IGNORECASE)
_SLASH_VERSION_ANY_CASE = re.compile(_SLASH_VERSION.pattern, re.IGNORECASE)


def compact_symbols(text: str) -> str:
    """``text`` with its symbol terms as the index has them ("O(n log n)" -> "o(nlogn)",
    "HTTP/2" -> "http2"), so that each is one chunk of a query."""
    text = _SYMBOL_ANY_CASE.sub(lambda m: symbol_term(m.group().lower()), text)
    return _SLASH_VERSION_ANY_CASE.sub(lambda m: (m.group(1) + m.group(2)).lower(), text)


def extras(low: str) -> list[str]:
    """The extra terms of the lowercased text ``low`` (compounds, symbols), in order."""
    found = ["".join(m.split("-")) for m in COMPOUND.findall(low)]
    if "/" in low:
        found += [a + b for a, b in _SLASH_VERSION.findall(low)]
    found += [symbol_term(m) for m in _SYMBOL.findall(low)]
    return found


def symbol_term(text: str) -> str:
    """The indexed form of a symbol term: its characters without spaces."""
    return text.replace(" ", "")


def symbols(low: str) -> list[str]:
    """The symbol terms (``c++``, ``n+1``, ``===`` ...) of a lowercased query chunk."""
    return [symbol_term(m) for m in _SYMBOL.findall(low)]


def fold(word: str) -> str:
    """``word`` without accents ("café" -> "cafe"); other scripts are left as they are."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_IDENTIFIER = re.compile(r"[\d_]")


def index_stem(word: str) -> str:
    """The stem of an indexed word: identifiers (``user_id``, ``r6g``) stay as they are."""
    return word if _IDENTIFIER.search(word) else porter_stem(word)


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
