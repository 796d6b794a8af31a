"""The resources under /v1, through an in-process client of the whole service."""

from __future__ import annotations

import json

import msgspec
import pytest

import corpus

QID = "mercor/how-do-you-handle-database-scaling"
# The question shape of ARCHITECTURE.md; `parts` is the corpus model's extra labelled parts.
QUESTION_KEYS = {
    "id", "guide", "topic", "title", "testing", "answer", "red_flags", "follow_ups", "tags",
    "source", "parts", "body", "follow_up_answers",
}  # fmt: skip


def walk(client, url: str) -> list[dict]:
    """Every item of a list, following `next` links."""
    items: list[dict] = []
    while url:
        body = client.get(url).json()
        assert set(body) == {"items", "total", "limit", "offset", "next"}
        items += body["items"]
        url = body["next"]
    return items


def test_guides_list_and_detail(client, data):
    body = client.get("/v1/guides").json()
    assert body["total"] == len(data.guides) == 1
    assert body["next"] is None
    (summary,) = body["items"]
    assert summary["slug"] == "mercor"
    assert summary["question_count"] == 17 and summary["topic_count"] == 16
    detail = client.get(summary["url"]).json()
    assert detail["stats"]["questions"] == 17
    tree = detail["topics"]
    assert all(node["level"] == 2 for node in tree)
    assert sum(node["total_question_count"] for node in tree) == 17
    nested = [c for node in tree for c in node["children"]]
    assert nested and all(c["url"].startswith("/v1/topics/mercor/") for c in nested)


def test_topics_list_filter_and_detail(client, data):
    topics = walk(client, "/v1/topics?limit=5")
    assert [t["id"] for t in topics] == [t.id for t in data.guides[0].topics]
    assert walk(client, "/v1/topics?guide=mercor&limit=100") == topics
    detail = client.get("/v1/topics/mercor/caching-streaming?format=html").json()
    assert detail["topic"]["id"] == "mercor/caching-streaming"
    assert detail["breadcrumbs"] == []
    sub = client.get("/v1/topics/mercor/real-time-communication?format=html").json()
    assert sub["breadcrumbs"] == [
        {"id": "mercor/caching-streaming", "title": "Caching & Streaming"}
    ]
    assert sub["topic"]["notes"] is None  # this sub-topic is only questions
    noted = client.get("/v1/topics/mercor/caching-patterns?format=html").json()
    assert noted["topic"]["notes"].startswith("<p>")  # concept notes, as HTML
    # A section lists the questions of its sub-topics too.
    assert {q["id"] for q in sub["questions"]} <= {q["id"] for q in detail["questions"]}
    assert detail["questions"]


def test_question_has_the_documented_shape(client, data):
    body = client.get(f"/v1/questions/{QID}").json()
    assert set(body) == QUESTION_KEYS
    q = next(q for q in data.guides[0].questions if q.id == QID)
    assert body == msgspec.to_builtins(corpus.question_view(q, "markdown"))
    assert body["topic"] == {
        "id": "mercor/core-design-principles",
        "title": "Core Design Principles",
    }
    assert body["source"] == {"file": "mercor.md", "line": q.source.line}


@pytest.mark.parametrize("fmt", corpus.FORMATS)
def test_every_format(client, data, fmt):
    q = next(q for q in data.guides[0].questions if q.id == QID)
    body = client.get(f"/v1/questions/{QID}?format={fmt}").json()
    assert body["answer"] == q.answer.as_format(fmt)
    assert body["red_flags"] == [r.as_format(fmt) for r in q.red_flags]
    guide = client.get(f"/v1/guides/mercor?format={fmt}").json()
    assert guide["intro"] == data.guides[0].intro.as_format(fmt)


def test_questions_pages_cover_the_list_once(client, data):
    items = walk(client, "/v1/questions?limit=4")
    assert [q["id"] for q in items] == [q.id for q in data.guides[0].questions]
    first = client.get("/v1/questions?limit=4&format=text").json()
    assert first["total"] == 17 and first["limit"] == 4 and first["offset"] == 0
    assert first["next"] == "/v1/questions?format=text&limit=4&offset=4"
    assert client.get("/v1/questions?offset=100").json()["items"] == []


def test_question_filters(client, data):
    questions = data.guides[0].questions
    section = "mercor/caching-streaming"
    inside = {t.id for t in data.guides[0].topics if t.id == section or t.parent == section}
    got = walk(client, f"/v1/questions?topic={section}")
    assert {q["id"] for q in got} == {q.id for q in questions if q.topic.id in inside}
    assert got
    tagged = walk(client, "/v1/questions?tag=real-time-communication")
    assert tagged and all("real-time-communication" in q["tags"] for q in tagged)
    flagged = walk(client, "/v1/questions?has_red_flags=true&guide=mercor")
    assert len(flagged) == sum(bool(q.red_flags) for q in questions)
    none = client.get("/v1/questions?has_red_flags=false").json()
    assert none["total"] == len(questions) - len(flagged)
    assert client.get("/v1/questions?tag=no-such-tag").status_code == 404  # as a topic would


def test_seeded_shuffle_is_a_reproducible_permutation(client, data):
    order = [q["id"] for q in walk(client, "/v1/questions?order=shuffle&seed=quiz-1&limit=3")]
    assert sorted(order) == sorted(q.id for q in data.guides[0].questions)
    assert order != [q.id for q in data.guides[0].questions]
    again = [q["id"] for q in walk(client, "/v1/questions?order=shuffle&seed=quiz-1&limit=5")]
    assert again == order  # the page size does not change the order
    other = [q["id"] for q in walk(client, "/v1/questions?order=shuffle&seed=quiz-2&limit=17")]
    assert other != order


def test_shuffle_without_seed_puts_one_in_next(client):
    r = client.get("/v1/questions?order=shuffle&limit=5")
    assert r.headers["cache-control"] == "no-store"
    assert "seed=" in r.json()["next"]


def test_random_question(client):
    seeded = client.get("/v1/questions/random?seed=abc&format=text")
    assert seeded.status_code == 200 and "no-store" not in seeded.headers["cache-control"]
    assert client.get("/v1/questions/random?seed=abc&format=text").json() == seeded.json()
    drawn = client.get("/v1/questions/random?topic=mercor/caching-streaming")
    assert drawn.headers["cache-control"] == "no-store"
    assert drawn.json()["topic"]["id"].startswith("mercor/")
    assert client.get("/v1/questions/random?tag=no-such-tag").status_code == 404


def test_bulk_json_and_ndjson(client, data):
    doc = client.get("/v1/bulk.json?format=html").json()
    assert doc["hash"] == data.hash and doc["format"] == "html"
    assert len(doc["guides"][0]["questions"]) == 17
    assert client.get("/v1/guides/mercor/bulk.json?format=html").json() == doc
    r = client.get("/v1/bulk.ndjson")
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    kinds = [line["kind"] for line in lines]
    assert kinds == ["guide"] + ["topic"] * 16 + ["question"] * 17
    assert lines[-1]["question"]["id"] == data.guides[0].questions[-1].id
    assert client.get("/v1/guides/mercor/bulk.ndjson").text == r.text


def test_search_passthrough(client):
    body = client.get("/v1/search?q=database+scaling&limit=3").json()
    assert {"hits", "total", "facets", "suggestion"} <= set(body)
    assert body["hits"] and len(body["hits"]) <= 3
    hit = body["hits"][0]
    assert {"id", "kind", "title", "score", "highlights"} <= set(hit)
    filtered = client.get("/v1/search?q=database&guide=mercor&topic=mercor/caching-streaming")
    assert filtered.status_code == 200
    assert client.get("/v1/search?q=databse").json()["suggestion"]


def test_health_and_readiness(client, data):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.headers["cache-control"] == "no-store"
    body = ready.json()
    assert body["status"] == "ready"
    assert body["hash"] == body["index_hash"] == data.hash
    assert (body["guides"], body["topics"], body["questions"]) == (1, 16, 17)
