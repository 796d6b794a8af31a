"""Identifiers are stable: unrelated edits never change them; authors can pin them."""

from __future__ import annotations

import corpus
from corpus.ids import slugify

BASE = """## Caching

<Accordion title="What is a cache?">
**Answer:** A fast store.
</Accordion>

<Accordion title="How do caches fail?" id="cache-failures">
**Answer:** Stampedes.
</Accordion>

## Queues {#queues}

<Accordion title="Why use a queue?">
**Answer:** To decouple.
</Accordion>
"""


def _ids(text: str) -> dict[str, str]:
    guide = corpus.parse_guide(text, "g.md")
    return {q.title: q.id for q in guide.questions} | {t.title: t.id for t in guide.topics}


def test_unrelated_edits_keep_every_id() -> None:
    before = _ids(BASE)
    edited = (
        '## Intro\n\n<Accordion title="What is new?">\n**Answer:** Added first.\n</Accordion>\n\n'
        + BASE.replace("A fast store.", "A fast, small store.").replace(
            "To decouple.", "Decoupling."
        )
    )
    after = _ids(edited)
    assert {k: after[k] for k in before} == before


def test_pinned_ids_survive_rewording() -> None:
    reworded = BASE.replace("How do caches fail?", "In what ways can a cache fail?").replace(
        "## Queues {#queues}", "## Message queues {#queues}"
    )
    ids = _ids(reworded)
    assert ids["In what ways can a cache fail?"] == "g/cache-failures"
    assert ids["Message queues"] == "g/queues"


def test_slugs_are_url_safe_and_readable() -> None:
    assert slugify("How do you handle Database Scaling?") == "how-do-you-handle-database-scaling"
    assert slugify("1. Database Design & Architecture") == "1-database-design-architecture"
    assert slugify("Café — naïve «quotes»") == "cafe-naive-quotes"
    assert slugify("???") == "untitled"
    assert len(slugify("word " * 50)) <= 80
