"""``/v1/guides/{guide}/deck.apkg``: an Anki deck of a guide, filtered like `prepdeck export`."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import Parameter
from litestar.response import File

from exporter import CARD_KINDS, DEFAULT_CARDS, NO_EXTRA_CARDS

from ...errors import NotReady
from ...http.heavy import HEAVY, off_loop
from ...http.problems import error_responses
from ..decks import MAX_SELECTORS, deck_file, selection
from ..params import MAX_NAME, GuidePath, ServiceDep, ex

APKG = "application/apkg"
OCTET_STREAM = "application/octet-stream"  # for clients that take no other binary type
_KIND = "(?:" + "|".join(CARD_KINDS) + ")"  # kinds are plain words: no escaping needed
# Kinds separated by commas (spaces allowed around them), or "none"; empty is the default.
CARDS_PATTERN = rf"^ *(?:{_KIND} *(?:, *{_KIND} *)*|{NO_EXTRA_CARDS} *)?$"

TopicsQ = Annotated[
    list[str] | None,
    Parameter(
        max_items=MAX_SELECTORS,
        description="Only these topics (ids, repeat the parameter for several) and their "
        "sub-topics.",
        examples=ex(["mercor/caching-streaming"], "one section"),
    ),
]
TagsQ = Annotated[
    list[str] | None,
    Parameter(
        max_items=MAX_SELECTORS,
        description="Only questions with one of these tags (repeat the parameter for several); "
        "a tag no question of the guide has is a 404.",
        examples=ex(["caching-streaming"], "one tag"),
    ),
]
CardsQ = Annotated[
    str | None,
    Parameter(
        max_length=MAX_NAME,
        pattern=CARDS_PATTERN,
        description="Extra card kinds besides the question card, comma-separated: "
        + ", ".join(f"`{k}`" for k in CARD_KINDS)
        + f"; `{NO_EXTRA_CARDS}` for question cards only. Default (absent or empty): "
        + ",".join(DEFAULT_CARDS)
        + ", what `prepdeck export` makes by default.",
        examples=ex(",".join(CARD_KINDS), "every extra card kind")
        + ex(NO_EXTRA_CARDS, "question cards only"),
    ),
]


class DeckController(Controller):
    path = "/v1/guides"
    tags = ["decks"]

    @get(
        "/{guide:str}/deck.apkg",
        operation_id="downloadDeck",
        summary="Download an Anki deck",
        media_type=APKG,
        responses=error_responses(404),
        opt=HEAVY,  # the first download of a selection runs the exporter
    )
    async def download_deck(
        self,
        request: Request,
        service: ServiceDep,
        guide: GuidePath,
        topic: TopicsQ = None,
        tag: TagsQ = None,
        cards: CardsQ = None,
    ) -> File:
        """The guide's questions as an Anki package (`.apkg`) to import in Anki, AnkiDroid or
        AnkiMobile, filtered like `prepdeck export`. Made on the first request for a selection
        and kept, so later downloads are a file read; notes keep their ids across versions, so
        re-importing updates them instead of adding duplicates. The body is sent as
        `application/apkg` unless the request accepts only `application/octet-stream`."""
        cat = service.require_catalog()
        out = service.output_root
        if out is None:
            raise NotReady("no build folder to keep decks in")
        topics, tags, kinds = selection(cat, guide, topic or [], tag or [], cards)
        store = service.require_store()
        path = await off_loop(deck_file, cat, store, out, guide, topics, tags, kinds)
        return File(
            path=path,
            filename=f"{guide}.apkg",
            media_type=request.accept.best_match([APKG, OCTET_STREAM], default=APKG),
            content_disposition_type="attachment",
            headers={"vary": "Accept"},
        )
