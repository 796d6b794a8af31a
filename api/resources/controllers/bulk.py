"""Bulk downloads: the whole corpus, or one guide, as one JSON document or as NDJSON.

Megabytes to encode: the handlers are ``heavy`` (``api.http.heavy``), so the encoding
runs off the event loop, one per resource at a time, within each client's cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec
from litestar import Controller, get

import corpus
from corpus import Format, Guide, Rich

from ...http.heavy import HEAVY, off_loop
from ...http.problems import error_responses
from ...service import Service
from ..catalog import Catalog
from ..params import FormatQ, GuidePath, ServiceDep
from ..responses import BulkCorpus

NDJSON = "application/x-ndjson"
_encoder = msgspec.json.Encoder()
_NDJSON_DOC = (
    "One JSON object per line. Each guide opens with a `guide` line, then one `topic` line "
    "per topic, then one `question` line per question; `kind` says which: "
    '`{"kind":"question","question":{...}}`.'
)


def _guides(service: Service, slugs: list[str]) -> Iterator[Guide[Rich]]:
    """The whole guides, read one at a time from the response store."""
    store = service.require_store()
    return (store.guide(slug) for slug in slugs)


def _document(cat: Catalog, guides: Iterable[Guide[Rich]], fmt: Format) -> BulkCorpus:
    # Each guide is read and encoded as soon as its view is made, so only one guide is alive
    # at a time: the whole corpus as views would cost a worker tens of megabytes at peak.
    encoded = [msgspec.Raw(_encoder.encode(corpus.guide_view(g, fmt))) for g in guides]
    return BulkCorpus(
        hash=cat.hash,
        parser_version=cat.parser_version,
        format=fmt,
        guides=encoded,  # type: ignore[arg-type]  # Raw JSON of Guide[str]
    )


def _lines(cat: Catalog, guides: Iterable[Guide[Rich]], fmt: Format) -> bytes:
    return b"".join(_encoder.encode(line) + b"\n" for line in cat.bulk_lines(guides, fmt))


class BulkController(Controller):
    path = "/v1"
    tags = ["bulk"]

    @get(
        "/bulk.json",
        operation_id="bulkJson",
        summary="Download everything as JSON",
        responses=error_responses(),
        opt=HEAVY,
    )
    async def bulk_json(self, service: ServiceDep, format: FormatQ = "markdown") -> BulkCorpus:
        """Every guide, complete (topics, notes, questions), in one document, for an offline
        copy. `hash` changes whenever any guide does."""
        cat = service.require_catalog()
        return await off_loop(_document, cat, _guides(service, list(cat.guides)), format)

    @get(
        "/bulk.ndjson",
        operation_id="bulkNdjson",
        summary="Download everything as NDJSON",
        description="Every guide, as NDJSON. " + _NDJSON_DOC,
        media_type=NDJSON,
        responses=error_responses(),
        opt=HEAVY,
    )
    async def bulk_ndjson(self, service: ServiceDep, format: FormatQ = "markdown") -> bytes:
        cat = service.require_catalog()
        return await off_loop(_lines, cat, _guides(service, list(cat.guides)), format)

    @get(
        "/guides/{guide:str}/bulk.json",
        operation_id="guideBulkJson",
        summary="Download a guide as JSON",
        responses=error_responses(404),
        opt=HEAVY,
    )
    async def guide_bulk_json(
        self, service: ServiceDep, guide: GuidePath, format: FormatQ = "markdown"
    ) -> BulkCorpus:
        """One guide, complete (topics, notes, questions), in the bulk document's shape."""
        cat = service.require_catalog()
        return await off_loop(_document, cat, _guides(service, [cat.guide(guide).slug]), format)

    @get(
        "/guides/{guide:str}/bulk.ndjson",
        operation_id="guideBulkNdjson",
        summary="Download a guide as NDJSON",
        description="One guide, as NDJSON. " + _NDJSON_DOC,
        media_type=NDJSON,
        responses=error_responses(404),
        opt=HEAVY,
    )
    async def guide_bulk_ndjson(
        self, service: ServiceDep, guide: GuidePath, format: FormatQ = "markdown"
    ) -> bytes:
        cat = service.require_catalog()
        return await off_loop(_lines, cat, _guides(service, [cat.guide(guide).slug]), format)
