"""Finding the words of given stems in raw text, without tokenizing all of it.

Highlighting, phrases and field prefixes look for a few stems in texts of a few KB.
Porter stems are prefixes of their words give or take the last letter or two
("queri" for "query"), so ``str.find`` of the stem's head (C speed) finds every
candidate, and only candidates are stemmed; a regular-expression scan of every
position would cost more than the whole search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .analysis import ANALYZER, fold

_WORD_TAIL = re.compile(r"\w*")
_NEXT_WORD = re.compile(r"\W*(\w+)")

Span = tuple[int, int, str]  # start, end, stem


def _head(stem: str) -> str:
    return stem[: max(2, len(stem) - 2)]


class StemFinder:
    """The words of ``stems`` in a text."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = frozenset(stems)
        self._heads = sorted({_head(s) for s in self.stems})
        self._pattern: re.Pattern | None = None

    def spans_lower(self, low: str) -> list[Span]:
        """Every word of one of the stems in the lowercased text ``low``, in order."""
        low = fold(low)  # stems are folded ("resum" for "résumé"): find them folded
        stem, stems, tail = ANALYZER.stem, self.stems, _WORD_TAIL.match
        found: dict[int, Span] = {}
        for head in self._heads:
            i = low.find(head)
            while i >= 0:
                if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_"):
                    end = tail(low, i + len(head)).end()
                    s = stem(low[i:end])
                    if s in stems:
                        found[i] = (i, end, s)
                i = low.find(head, i + 1)
        return [found[i] for i in sorted(found)] if len(found) > 1 else list(found.values())

    def spans(self, text: str) -> list[Span]:
        """Like ``spans_lower``, with offsets into ``text`` itself."""
        low = text.lower()
        if len(low) == len(text):
            return self.spans_lower(low)
        # Lowercasing changed the length (a few scripts): offsets need the slow path.
        if self._pattern is None:
            alternatives = "|".join(map(re.escape, self._heads)) or "(?!)"
            self._pattern = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)
        stem, stems = ANALYZER.stem, self.stems
        return [
            (m.start(), m.end(), s)
            for m in self._pattern.finditer(text)
            if (s := stem(m.group().lower())) in stems
        ]

    def count(self, texts: Iterable[str]) -> int:
        """How many words of the stems the texts hold."""
        return sum(len(self.spans_lower(t.lower())) for t in texts)


class PhraseFinder:
    """Occurrences of a phrase: words with these stems, adjacent once stop words are dropped.

    That is exactly what adjacent positions would mean in an index made by the same
    analyzer, and texts of a list field are separate, so no phrase spans two items.
    """

    def __init__(self, stems: tuple[str, ...]) -> None:
        self.first = StemFinder(stems[:1])
        self.rest = stems[1:]

    def count(self, texts: Iterable[str]) -> int:
        """How many times the phrase occurs in the texts."""
        stem, word_at = ANALYZER.stem, _NEXT_WORD.match
        n = 0
        for text in texts:
            low = text.lower()
            for _, pos, _ in self.first.spans_lower(low):
                for want in self.rest:
                    got = ""
                    while not got:
                        m = word_at(low, pos)
                        if m is None:
                            break
                        pos, got = m.end(), stem(m.group(1))
                    if got != want:
                        break
                else:
                    n += 1
        return n
