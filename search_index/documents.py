"""The searchable documents of a Corpus: every question, and every topic with notes.

The order of ``documents(corpus)`` is the Whoosh document number, so the index stores
no fields at all: a hit's number leads straight back to the corpus in memory (the
index marker records the ids, and opening checks that they still line up).
"""

from __future__ import annotations

from dataclasses import dataclass

import corpus

from .results import HitKind

# Searchable fields grouped in three streams, each length-normalised on its own by
# BM25F (a title is a few words, an answer pages): the title; the labels a document is
# filed under (tags, topic titles, guide title); the body, everything else. Within a
# stream, a field's words count with its boost; the streams' weights are applied at
# query time (scoring.STREAM_WEIGHTS).
STREAMS: dict[str, dict[str, float]] = {
    "title": {"title": 1.0},
    "labels": {"tags": 1.0, "topic": 1.0, "guide": 0.3},
    "body": {
        "body": 1.2,
        "testing": 1.0,
        "answer": 1.0,
        "notes": 1.0,
        "red_flags": 0.7,
        "follow_ups": 0.6,
        "follow_up_answers": 0.5,
        "parts": 0.5,
    },
}
STREAM_NAMES = tuple(STREAMS)
# field -> (its stream's number, its boost within the stream)
FIELD_STREAMS: dict[str, tuple[int, float]] = {
    name: (n, boost) for n, fields in enumerate(STREAMS.values()) for name, boost in fields.items()
}
FIELDS = tuple(FIELD_STREAMS)
# Where a highlight passage is taken from, best first.
PASSAGE_FIELDS = (
    "answer",
    "notes",
    "body",
    "testing",
    "red_flags",
    "follow_ups",
    "follow_up_answers",
    "parts",
)


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One searchable document and what a hit on it reports.

    ``facet_topic`` is the topic it counts under (its own id for a topic hit);
    ``scopes`` every topic whose filter includes it (that topic and its ancestors).
    """

    id: str
    kind: HitKind
    guide: str
    topic: corpus.TopicRef | None
    facet_topic: str | None
    scopes: tuple[str, ...]
    tags: tuple[str, ...]
    title: str
    fields: dict[str, list[str]]


def _text(rich: corpus.Rich | None) -> list[str]:
    return [] if rich is None else [rich.text]


def documents(data: corpus.Corpus) -> list[SearchDoc]:
    """Every searchable document of ``data``, in index order."""
    docs: list[SearchDoc] = []
    for guide in data.guides:
        topics = {t.id: t for t in guide.topics}

        def lineage(topic_id: str | None, topics=topics) -> list[corpus.Topic]:
            chain = []
            while topic_id is not None and topic_id in topics and len(chain) < 64:
                chain.append(topics[topic_id])
                topic_id = topics[topic_id].parent
            return chain

        for q in guide.questions:
            chain = lineage(q.topic.id)
            docs.append(
                SearchDoc(
                    id=q.id,
                    kind="question",
                    guide=guide.slug,
                    topic=q.topic,
                    facet_topic=q.topic.id,
                    scopes=tuple(t.id for t in chain) or (q.topic.id,),
                    tags=tuple(q.tags),
                    title=q.title,
                    fields={
                        "title": [q.title],
                        "tags": [" ".join(q.tags)] if q.tags else [],
                        "topic": [t.title for t in chain] or [q.topic.title],
                        "body": _text(q.body),
                        "testing": _text(q.testing),
                        "answer": _text(q.answer),
                        "red_flags": [r.text for r in q.red_flags],
                        "follow_ups": [r.text for r in q.follow_ups],
                        "follow_up_answers": [r.text for r in q.follow_up_answers if r],
                        "parts": [p.content.text for p in q.parts],
                        "guide": [guide.title],
                    },
                )
            )
        for t in guide.topics:
            if t.notes is None:
                continue
            chain = lineage(t.id)
            parent = chain[1] if len(chain) > 1 else None
            docs.append(
                SearchDoc(
                    id=t.id,
                    kind="topic",
                    guide=guide.slug,
                    topic=corpus.TopicRef(id=parent.id, title=parent.title) if parent else None,
                    facet_topic=t.id,
                    scopes=tuple(x.id for x in chain),
                    tags=(),
                    title=t.title,
                    fields={
                        "title": [t.title],
                        "topic": [x.title for x in chain[1:]],
                        "notes": [t.notes.text],
                        "guide": [guide.title],
                    },
                )
            )
    return docs
