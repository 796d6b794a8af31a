"""Highlights: escaped HTML with ``<mark>``, made from the corpus text in memory.

The index stores no text, so nothing is re-read from disk: a hit's title and the
passage of its answer (or notes) with the most distinct query words are taken from
the Corpus and marked where a word's stem is one of the query's stems
(``wordfind.StemFinder``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from .documents import PASSAGE_FIELDS, SearchDoc
from .results import Highlight
from .wordfind import Span, StemFinder

PASSAGE_CHARS = 220
_LEAD = 40  # characters of context kept before the first marked word
ELLIPSIS = "…"


class Highlighter:
    """Marks the words of one query in titles and passages."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.finder = StemFinder(stems)
        self.stems = self.finder.stems

    def spans(self, text: str) -> list[Span]:
        """``(start, end, stem)`` of every query word in ``text``."""
        return self.finder.spans(text)

    def mark(self, text: str, spans: list[Span], lo: int = 0, hi: int = -1) -> str:
        """``text[lo:hi]`` escaped, with ``spans`` inside it wrapped in ``<mark>``."""
        hi = len(text) if hi < 0 else hi
        out, at = [], lo
        for start, end, _ in spans:
            if start < lo or end > hi:
                continue
            out.append(html.escape(text[at:start], quote=False))
            out.append(f"<mark>{html.escape(text[start:end], quote=False)}</mark>")
            at = end
        out.append(html.escape(text[at:hi], quote=False))
        return " ".join("".join(out).split())

    def highlight(self, doc: SearchDoc) -> Highlight:
        """The marked title and best passage of ``doc``."""
        title = self.mark(doc.title, self.spans(doc.title))
        fallback = ""
        for name in PASSAGE_FIELDS:
            for text in doc.fields.get(name, ()):
                fallback = fallback or text
                spans = self.spans(text)
                if spans:
                    return Highlight(title=title, passage=self._passage(text, spans))
        return Highlight(title=title, passage=self._passage(fallback, []))

    def _passage(self, text: str, spans: list[Span]) -> str:
        """The window of about ``PASSAGE_CHARS`` with the most distinct query words."""
        if not spans:
            lo, hi = 0, min(len(text), PASSAGE_CHARS)
        else:
            best, best_key, j = 0, (-1, -1), 0
            for i, (start, _, _) in enumerate(spans):
                limit = start + PASSAGE_CHARS - _LEAD
                while j < len(spans) and spans[j][1] <= limit:
                    j += 1
                key = (len({s[2] for s in spans[i:j]}), j - i)
                if key > best_key:
                    best, best_key = i, key
                if best_key[0] == len(self.stems):
                    break
            lo = max(0, spans[best][0] - _LEAD)
            hi = min(len(text), lo + PASSAGE_CHARS)
        lo, hi = _word_bounds(text, lo, hi)
        body = self.mark(text, spans, lo, hi)
        return (ELLIPSIS if lo > 0 else "") + body + (ELLIPSIS if hi < len(text) else "")


def _word_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move ``lo`` forward and ``hi`` back so neither cuts a word in two."""
    if lo > 0 and not text[lo - 1].isspace():
        nxt = text.find(" ", lo, lo + 30)
        lo = nxt + 1 if nxt >= 0 else lo
    if hi < len(text) and not text[hi].isspace():
        prev = text.rfind(" ", hi - 30, hi)
        hi = prev if prev > lo else hi
    return lo, hi
