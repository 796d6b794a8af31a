"""``/v1``: the entry point, listing every resource, so a client needs no other URL."""

from __future__ import annotations

from litestar import Controller, get

from ...http.problems import PROBLEMS_PATH, error_responses
from ...service import VERSION
from ..catalog import API_PREFIX
from ..responses import ApiIndex, ResourceLink

RESOURCES = [
    ("guides", "/guides", "The guides, each with its topic tree and counts."),
    ("topics", "/topics", "Topics with their concept notes; filter by guide."),
    ("questions", "/questions", "Questions: filters, pages, a seeded shuffle."),
    ("random_question", "/questions/random", "One question drawn at random."),
    ("search", "/search?q={q}", "Full-text search with highlights and facets."),
    ("bulk_json", "/bulk.json", "Everything in one JSON document."),
    ("bulk_ndjson", "/bulk.ndjson", "Everything as NDJSON lines."),
    ("deck", "/guides/{guide}/deck.apkg", "An Anki deck of a guide."),
]
INDEX = ApiIndex(
    version=VERSION,
    resources=[ResourceLink(name=n, url=API_PREFIX + u, description=d) for n, u, d in RESOURCES],
    docs="/schema",
    openapi="/schema/openapi.json",
    problems=PROBLEMS_PATH,
)


class IndexController(Controller):
    path = API_PREFIX
    tags = ["index"]

    @get(
        "/",
        operation_id="getIndex",
        summary="List the resources",
        responses=error_responses(),
        sync_to_thread=False,
    )
    def index(self) -> ApiIndex:
        """The API's entry point: every resource with its URL, and where the docs are."""
        return INDEX
