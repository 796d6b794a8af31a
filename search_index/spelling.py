"""The corpus's own words: typo corrections, word completions and wildcard expansion.

The index holds stems ("databas"), but people type words, so corrections are made
against the surface words of the corpus (recorded by the build with their counts)
and then stemmed. Corrections use a deletion index (SymSpell's idea): a word and a
typo of it share a form with one letter deleted, so candidates are a few dictionary
look-ups instead of an edit-distance scan of the whole vocabulary.
"""

from __future__ import annotations

import fnmatch
import re
from bisect import bisect_left

MIN_FUZZY = 4  # shorter words are not corrected (too many neighbours)
MAX_FUZZY_WORD = 40
MAX_EXPANSIONS = 50  # words one prefix, wildcard or correction may stand for
MAX_SCAN = 20_000  # vocabulary entries one wildcard may look at


class Vocabulary:
    """Surface words of the corpus with how often each occurs."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.sorted = sorted(counts)
        self._deletes_made: dict[str, list[str]] | None = None

    @property
    def _deletes(self) -> dict[str, list[str]]:
        """Words by each of their one-letter deletions, made when first needed: the index
        is several times the vocabulary's size, and only a misspelt query reads it."""
        if self._deletes_made is None:
            deletes: dict[str, list[str]] = {}
            for word in self.counts:
                if MIN_FUZZY - 1 <= len(word) <= MAX_FUZZY_WORD:
                    for d in _deletions(word):
                        bucket = deletes.get(d)
                        if bucket is None:
                            deletes[d] = [word]
                        else:
                            bucket.append(word)
            self._deletes_made = deletes
        return self._deletes_made

    def corrections(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Known words within edit distance 2 of ``word``: ``(word, distance)``, best first.

        Best means nearest, then most frequent. ``word`` itself is never offered.
        """
        if not MIN_FUZZY <= len(word) <= MAX_FUZZY_WORD:
            return []
        counts, deletes = self.counts, self._deletes
        found = set(deletes.get(word, ()))  # a letter was left out
        for d in _deletions(word):
            if d in counts:  # a letter too many
                found.add(d)
            found.update(deletes.get(d, ()))  # a wrong or swapped letter
        found.discard(word)
        ranked = []
        for cand in found:
            dist = distance(word, cand)
            if dist <= 2 and (dist == 1 or len(word) >= 6):
                ranked.append((dist, -counts[cand], cand))
        ranked.sort()
        return [(cand, dist) for dist, _, cand in ranked[:limit]]

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """The most frequent words that start with ``prefix`` (longer than it)."""
        return self._most_frequent(prefix, lambda w: w != prefix, limit)

    def expand(self, pattern: str) -> list[str]:
        """Words matching a ``*``/``?`` pattern (the letters before the first one are a prefix).

        At most ``MAX_EXPANSIONS`` words (the most frequent), after looking at no more than
        ``MAX_SCAN`` candidates.
        """
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        match = re.compile(fnmatch.translate(pattern)).match
        return self._most_frequent(literal, match, MAX_EXPANSIONS)

    def _most_frequent(self, prefix: str, keep, limit: int) -> list[str]:
        """The ``limit`` most frequent words starting with ``prefix`` that ``keep`` accepts."""
        words = self.sorted
        start = bisect_left(words, prefix)
        found = []
        for word in words[start : start + MAX_SCAN]:
            if not word.startswith(prefix):
                break
            if keep(word):
                found.append(word)
        found.sort(key=lambda w: -self.counts[w])
        return found[:limit]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
