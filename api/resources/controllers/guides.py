"""``/v1/guides``: the guides, and one guide with its topic tree and counts."""

from __future__ import annotations

from litestar import Controller, Response, get

from ...http.problems import error_responses
from ..catalog import guide_url
from ..pagination import page
from ..params import DEFAULT_PAGE, FormatQ, GuidePath, LimitQ, OffsetQ, ServiceDep
from ..responses import GuideDetail, GuideSummary, Page


class GuideController(Controller):
    path = "/v1/guides"
    tags = ["guides"]

    @get(
        "/",
        operation_id="listGuides",
        summary="List guides",
        responses=error_responses(),
        sync_to_thread=False,
    )
    def list_guides(
        self, service: ServiceDep, limit: LimitQ = DEFAULT_PAGE, offset: OffsetQ = 0
    ) -> Response[Page[GuideSummary]]:
        """Every guide with its title, description and counts, in the order they were built."""
        cat = service.require_catalog()
        guides = list(cat.guides.values())
        return page(guides, cat.guide_summary, "/v1/guides", [], limit, offset)

    @get(
        "/{guide:str}",
        operation_id="getGuide",
        summary="Get a guide",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def get_guide(
        self, service: ServiceDep, guide: GuidePath, format: FormatQ = "markdown"
    ) -> GuideDetail:
        """One guide: its metadata, its introduction (in `format`), how complete its questions
        are, and its topic tree with the number of questions under each topic."""
        found = service.require_catalog().guide(guide)
        return service.require_store().body(guide_url(found.slug), format)  # type: ignore[return-value]
