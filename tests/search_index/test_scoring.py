"""The fast paths against their plain equivalents, on real index data and texts."""

from __future__ import annotations

from search_index import SearchIndex
from search_index.analysis import ANALYZER
from search_index.wordfind import PhraseFinder, StemFinder
from search_index.writer import FIELD, STREAM_VALUE


def _public_drain(m) -> tuple[list[int], list[float]]:
    ids, values = [], []
    while m.is_active():
        ids.append(m.id())
        values.extend(STREAM_VALUE.unpack(m.value()))
        assert abs(m.weight() - sum(STREAM_VALUE.unpack(m.value()))) < 1e-5
        m.next()
    return ids, values


def test_list_reads_equal_the_public_matcher_api(default_index: SearchIndex):
    lists = default_index._postings.lists
    reader = lists.reader
    terms = list(reader.lexicon(FIELD))
    assert len(terms) > 500
    for term in terms:
        ids, values = lists.read(term.decode())
        assert (ids, list(values)) == _public_drain(reader.postings(FIELD, term))


def test_stem_finder_counts_what_the_analyzer_indexes(default_index: SearchIndex):
    for doc in default_index._docs:
        for text in doc.fields.get("answer", []) + doc.fields["title"]:
            stems = ANALYZER.analyze(text)
            for stem in set(stems[::7]):
                assert StemFinder([stem]).count([text]) == stems.count(stem), (doc.id, stem)


def _phrase_reference(text: str, phrase: tuple[str, ...]) -> int:
    stems = ANALYZER.analyze(text)
    n = len(phrase)
    return sum(tuple(stems[i : i + n]) == phrase for i in range(len(stems) - n + 1))


def test_phrase_finder_matches_adjacent_analyzed_words(default_index: SearchIndex):
    for doc in default_index._docs[:10]:
        for text in doc.fields.get("answer", []):
            stems = ANALYZER.analyze(text)
            for i in range(0, len(stems) - 2, 11):
                phrase = tuple(stems[i : i + 2 + i % 2])
                assert PhraseFinder(phrase).count([text]) == _phrase_reference(text, phrase)
