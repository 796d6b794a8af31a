"""What a query's words may also mean: synonyms and the other spellings of compounds.

``spans`` walks the query's clauses and marks the spans that have alternatives:

    k8s, load balancer      a glossary or synonyms.yaml rule (longest match first)
    micro-frontends         the compound as one word ("microfrontend"), if the corpus
                            has it; a partial last word completed ("kube-prox")
    micro frontend          two words that the corpus also writes as one
                            ("microfrontend", "useeffect", "max_connections")
    microfrontend           one unknown word that is two known ones ("micro frontend")

Only words typed plainly are expanded: a quoted phrase, a ``field:`` prefix, a
wildcard or an exclusion means exactly what it says. The searcher scores a span as the
best of its own words and its alternatives (``searcher``), so an expansion can add
documents and never takes any away.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import ANALYZER
from .query import Clause
from .spelling import Vocabulary
from .synonyms import Expansion, Synonyms

MIN_PART = 4  # letters of each word a compound is split into


@dataclass(frozen=True, slots=True)
class Span:
    """Clauses ``start:end`` of the query and what they may also mean; ``rule`` when a
    synonym rule says so (its words are meant as typed, not typos)."""

    start: int
    end: int
    alternatives: tuple[Expansion, ...]
    rule: bool = False


def _plain(c: Clause) -> bool:
    return c.kind == "term" and not c.quoted and c.field is None and not c.negated


def spans(clauses: tuple[Clause, ...], synonyms: Synonyms, vocabulary: Vocabulary) -> list[Span]:
    """The spans of ``clauses`` (the query's positive clauses) that have alternatives."""
    out: list[Span] = []
    i, n = 0, len(clauses)
    while i < n:
        c = clauses[i]
        if _plain(c):
            run = i + 1
            while run < n and run - i < synonyms.longest and _plain(clauses[run]):
                run += 1
            found = _rule(clauses, i, run, synonyms)
            if found is not None:
                out.append(found)
                i = found.end
                continue
            if run > i + 1 and (
                joined := _joined(clauses[i].words + clauses[i + 1].words, vocabulary)
            ):
                out.append(Span(i, i + 2, (joined,)))
                i += 2
                continue
            split = None if c.filler else _split(c.words[0], vocabulary)
            if split is not None:
                out.append(Span(i, i + 1, (split,)))
        elif c.kind == "phrase" and not c.quoted and c.field is None and not c.negated:
            # one chunk of several words: "micro-frontends", "node.js", "ci/cd"
            found = synonyms.get(c.stems)
            joined = _joined(c.words, vocabulary, complete=True)
            completed = _completed(c.words, vocabulary)
            alternatives = tuple(found) + tuple(a for a in (joined, completed) if a)
            if alternatives:
                out.append(Span(i, i + 1, alternatives, rule=bool(found)))
        i += 1
    return out


def _rule(clauses: tuple[Clause, ...], start: int, stop: int, synonyms: Synonyms) -> Span | None:
    """The longest synonym rule matching clauses from ``start`` (before ``stop``)."""
    for end in range(stop, start, -1):
        found = synonyms.get(tuple(c.stems[0] for c in clauses[start:end]))
        if found:
            return Span(start, end, tuple(found), rule=True)
    return None


def _joined(
    words: tuple[str, ...], vocabulary: Vocabulary, complete: bool = False
) -> Expansion | None:
    """The words written as one, when the corpus has that word (or, with ``complete``,
    a word that starts with it: "kube-prox" is typed on the way to "kube-proxy")."""
    if len(words) < 2 or not all(w.isalpha() for w in words):
        return None
    for glue in ("", "_"):
        word = glue.join(words)
        if word not in vocabulary.counts and complete:
            word = next(iter(vocabulary.completions(word, 1)), word)
        if word in vocabulary.counts:
            stem = ANALYZER.stem(word)
            return Expansion((stem,), word) if stem else None
    return None


def _completed(words: tuple[str, ...], vocabulary: Vocabulary) -> Expansion | None:
    """The words with the last one completed, when the corpus does not have it as typed
    ("kube-prox" -> "kube proxy")."""
    last = words[-1]
    if last in vocabulary.counts or len(last) < 3 or not last.isalpha():
        return None
    completion = next(iter(vocabulary.completions(last, 1)), None)
    if completion is None:
        return None
    stems = tuple(ANALYZER.stem(w) for w in (*words[:-1], completion))
    return Expansion(stems, " ".join((*words[:-1], completion))) if all(stems) else None


def _split(word: str, vocabulary: Vocabulary) -> Expansion | None:
    """Two words of the corpus that ``word`` (itself unknown) is made of."""
    counts = vocabulary.counts
    if word in counts or not word.isalpha() or len(word) < 2 * MIN_PART:
        return None
    best = None
    for k in range(MIN_PART, len(word) - MIN_PART + 1):
        a, b = word[:k], word[k:]
        if a in counts and b in counts:
            score = min(counts[a], counts[b])
            if best is None or score > best[0]:
                best = (score, a, b)
    if best is None:
        return None
    stems = tuple(ANALYZER.stem(w) for w in best[1:])
    return Expansion(stems, f"{best[1]} {best[2]}") if all(stems) else None
