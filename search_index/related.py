"""More like this: the words that say what one document is about.

A document's query is its most telling words: each word's frequency in the document,
weighted by where it occurs (the title counts as much as ranking weighs it,
``scoring.STREAM_WEIGHTS`` times the field's boost), times its idf. Words found in
no other document, or in more than ``MAX_SHARE`` of them, tell nothing about
neighbours and are left out. The searcher ranks every document by these words, each
scaled by its weight, and leaves the document itself out.
"""

from __future__ import annotations

from collections import Counter

from .analysis import ANALYZER, extras
from .documents import FIELD_STREAMS, SearchDoc
from .scoring import STREAM_WEIGHTS, Postings

MAX_TERMS = 16  # words of a document's query
MAX_SHARE = 0.2  # of all documents: words more common than this are left out
MIN_CHARS = 3


def like_terms(doc: SearchDoc, postings: Postings) -> list[tuple[str, float]]:
    """The ``MAX_TERMS`` most telling stems of ``doc`` with weights (the best is 1)."""
    weighted: Counter = Counter()
    for name, texts in doc.fields.items():
        stream, boost = FIELD_STREAMS[name]
        weight = STREAM_WEIGHTS[stream] * boost
        for text in texts:
            low = text.lower()
            stems = ANALYZER.analyze(low) + [w for w in extras(low) if not w.isalpha()]
            for stem, n in Counter(stems).items():
                weighted[stem] += n * weight
    limit = max(2, MAX_SHARE * postings.count)
    scored = []
    for stem, tf in weighted.items():
        if len(stem) < MIN_CHARS and stem.isalpha():
            continue
        df = postings.doc_frequency(stem)
        if 2 <= df <= limit:
            scored.append((tf * postings.idf(df), stem))
    scored.sort(reverse=True)
    top = scored[:MAX_TERMS]
    return [(stem, score / top[0][0]) for score, stem in top] if top else []
