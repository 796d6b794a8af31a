"""The one mapping from errors to HTTP: ``application/problem+json`` bodies (RFC 9457).

Every error response of the API is built here: the Litestar exception handler
(``handle_exception``) for errors raised while routing or in a handler, and
``problem`` for the ones the ASGI edge answers itself (401, 403, 414, 429).

Each kind of error has a stable ``code`` and a ``type`` URI, ``/problems/{code}``, where
the API describes it (``KINDS``); clients branch on ``code``, people follow ``type``.

    litestar ValidationException        422  a parameter is malformed or out of range
    api BadParameter, exporter          422  a parameter's value is unusable
      UnknownCardKind
    api NotFound, exporter              404  the path or a filter names something that does
      UnknownSelection (EmptySelection),     not exist (a filter's problem names it)
      litestar NotFoundException
    search_index QueryError             400  the search query cannot be parsed
    api NotReady, search_index          503  corpus or index missing (with Retry-After)
      IndexUnavailable, corpus CorpusError
    other litestar HTTPException        its own status (405 keeps its Allow header)
    anything else                       500  logged, with a detail that leaks nothing
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Annotated, Any, Literal, NamedTuple, get_args

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi import ResponseSpec
from msgspec import Meta

import corpus
from exporter.errors import ExportError, UnknownCardKind, UnknownSelection
from search_index import IndexUnavailable, QueryError, SearchError

from ..errors import BadParameter, NotFound, NotReady

MEDIA_TYPE = "application/problem+json"
RETRY_NOT_READY = 30  # seconds a client should wait before retrying a 503
log = logging.getLogger("prepdeck.api")


ProblemCode = Literal[
    "invalid_query",
    "api_key_required",
    "origin_not_allowed",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "uri_too_long",
    "invalid_parameter",
    "rate_limited",
    "too_many_downloads",
    "server_error",
    "not_ready",
    "http_error",
]


class Kind(NamedTuple):
    """A kind of problem: its HTTP status and what it means."""

    status: int
    description: str


KINDS: dict[str, Kind] = {
    "invalid_query": Kind(400, "The search query cannot be searched: it has nothing to "
                          "search for, or too many words; `detail` says which."),
    "api_key_required": Kind(401, "This server is configured with API keys and the request "
                             "sent none, or one it does not know, in `X-API-Key`."),
    "origin_not_allowed": Kind(403, "A browser preflight from an origin that "
                               "`PREPDECK_CORS_ORIGINS` does not allow."),
    "not_found": Kind(404, "The path, or a filter (`invalid_params` names it), names a guide, "
                      "topic, question or tag that does not exist."),
    "method_not_allowed": Kind(405, "The API is read-only: every resource answers `GET`, "
                               "`HEAD` and `OPTIONS` (see `Allow`)."),
    "not_acceptable": Kind(406, "No representation the request's `Accept` allows."),
    "uri_too_long": Kind(414, "The request target (path and query string) is over 8 KB."),
    "invalid_parameter": Kind(422, "A parameter is malformed, out of range, not one the "
                              "operation takes, or repeated; `invalid_params` names each."),
    "rate_limited": Kind(429, "Too many requests from this client in the window; wait "
                         "`Retry-After` seconds (see the `RateLimit-*` headers)."),
    "too_many_downloads": Kind(429, "This client already has the most bulk or deck downloads "
                               "in progress that one client may; retry after `Retry-After`."),
    "server_error": Kind(500, "The server failed; the failure is logged. Not your request."),
    "not_ready": Kind(503, "The corpus or the search index is not loaded; see `/readyz` and "
                      "retry after `Retry-After`."),
    "http_error": Kind(0, "Another HTTP error; `status` and `title` say which."),
}  # fmt: skip
assert set(KINDS) == set(get_args(ProblemCode))
_BY_STATUS = {k.status: code for code, k in KINDS.items() if k.status}
_BY_STATUS[429] = "rate_limited"
PROBLEMS_PATH = "/problems"


def code_of(status: int) -> str:
    """The usual code of an error ``status``."""
    return _BY_STATUS.get(status, "http_error")


class ProblemType(corpus.Base):
    """A kind of error the API answers, as `type` and `code` of a problem name it."""

    code: Annotated[ProblemCode, Meta(description="The stable code of this kind of error.")]
    type: Annotated[str, Meta(description="Its URI, as problems give it.")]
    status: Annotated[
        int | None, Meta(description="The HTTP status it comes with; null when it varies.")
    ]
    title: Annotated[str, Meta(description="A short title.", examples=["Not found"])]
    description: Annotated[str, Meta(description="What it means and what to do about it.")]


def problem_type(code: str) -> ProblemType:
    """The description of the kind of problem ``code`` (a key of ``KINDS``)."""
    kind = KINDS[code]
    return ProblemType(
        code=code,  # type: ignore[arg-type]  # one of KINDS
        type=f"{PROBLEMS_PATH}/{code}",
        status=kind.status or None,
        title=code.replace("_", " ").capitalize(),
        description=kind.description,
    )


class InvalidParam(corpus.Base):
    """One invalid request parameter."""

    name: Annotated[str, Meta(description="The parameter's name.", examples=["limit"])]
    source: Annotated[
        Literal["query", "path", "header"], Meta(description="Where the parameter was.")
    ]
    reason: Annotated[str, Meta(description="What is wrong with it.")]


class Problem(corpus.Base, omit_defaults=True):
    """An error, as RFC 9457 (`application/problem+json`) describes it."""

    type: Annotated[
        str,
        Meta(
            description="What kind of error: a URI, relative to the server, where the API "
            "describes it (`/problems/{code}`).",
            examples=["/problems/not_found"],
        ),
    ]
    code: Annotated[
        ProblemCode,
        Meta(description="The kind of error, stable: branch on it (`type` ends with it)."),
    ]
    title: Annotated[str, Meta(description="The HTTP status phrase.", examples=["Not Found"])]
    status: Annotated[int, Meta(description="The HTTP status code.", examples=[404])]
    detail: Annotated[str, Meta(description="What went wrong in this request, and how to fix it.")]
    instance: Annotated[str, Meta(description="The path of the request that failed.")]
    invalid_params: Annotated[
        list[InvalidParam],
        Meta(description="Each invalid parameter (422, 400, and 404 for a filter naming nothing)."),
    ] = []


_encoder = msgspec.json.Encoder()


def problem(
    status: int,
    detail: str,
    instance: str,
    invalid: list[InvalidParam] | None = None,
    code: str | None = None,
) -> bytes:
    """The encoded problem document for ``status`` (of kind ``code``, else the usual one)."""
    code = code or code_of(status)
    return _encoder.encode(
        Problem(
            type=f"{PROBLEMS_PATH}/{code}",
            code=code,  # type: ignore[arg-type]  # one of KINDS
            title=HTTPStatus(status).phrase,
            status=status,
            detail=detail,
            instance=instance,
            invalid_params=invalid or [],
        )
    )


_MISSING = re.compile(r"Missing required (\w+) parameter '([^']+)'")
# What an enumerated parameter accepts, for a detail that says how to fix the request.
_CHOICES = {"format": "markdown, html or text", "order": "guide or shuffle"}


def _explain(name: str, message: str) -> str:
    if message.startswith("Invalid enum value") and name in _CHOICES:
        return f"{message}; expected {_CHOICES[name]}"
    return message


def _source(source: Any) -> Any:
    value = str(getattr(source, "value", source or "query"))
    return value if value in ("query", "path", "header") else "query"


def classify(exc: Exception, path: str) -> tuple[int, str, list[InvalidParam], dict[str, str]]:
    """``(status, detail, invalid params, extra headers)`` for an exception."""
    if isinstance(exc, ValidationException):
        invalid = [
            InvalidParam(
                name=str(e.get("key", "?")),
                source=_source(e.get("source")),
                reason=_explain(str(e.get("key")), str(e["message"])),
            )
            for e in (exc.extra if isinstance(exc.extra, list) else [])
            if isinstance(e, dict) and "message" in e
        ]
        missing = _MISSING.match(str(exc.detail))
        if missing and not invalid:
            source, name = missing.groups()
            invalid = [
                InvalidParam(name=name, source=_source(source), reason="required, but missing")
            ]
        detail = "; ".join(f"{p.name}: {p.reason}" for p in invalid) or str(exc.detail)
        return 422, f"invalid parameter: {detail}", invalid, {}
    if isinstance(exc, BadParameter):
        return (
            422,
            str(exc),
            [InvalidParam(name=exc.parameter, source="query", reason=str(exc))],
            {},
        )
    if isinstance(exc, UnknownCardKind):
        return 422, str(exc), [InvalidParam(name="cards", source="query", reason=str(exc))], {}
    if isinstance(exc, UnknownSelection):  # and EmptySelection: nothing to make a deck of
        return 404, str(exc), [], {}
    if isinstance(exc, QueryError):
        return 400, str(exc), [InvalidParam(name="q", source="query", reason=str(exc))], {}
    if isinstance(exc, NotFound):
        named = [InvalidParam(name=exc.parameter, source="query", reason=str(exc))]
        return 404, str(exc), named if exc.parameter else [], {}
    if isinstance(exc, NotReady | IndexUnavailable | corpus.CorpusError):
        return 503, f"service not ready: {exc}", [], {"retry-after": str(RETRY_NOT_READY)}
    if isinstance(exc, NotFoundException):
        return 404, f"nothing at {path}; every resource is under /v1 (list at /schema)", [], {}
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        if exc.status_code == 405:
            allow = headers.get("allow", "GET")
            return 405, f"this API is read-only: {path} answers {allow}", [], headers
        detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else ""
        return exc.status_code, detail or HTTPStatus(exc.status_code).description, [], headers
    if isinstance(exc, ExportError | SearchError):
        log.error("%s on %s: %s", type(exc).__name__, path, exc)
        return 500, "the server failed to answer; the failure is logged", [], {}
    log.error("unexpected error on %s", path, exc_info=exc)
    return 500, "the server failed to answer; the failure is logged", [], {}


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Litestar exception handler for every exception: a problem document."""
    status, detail, invalid, headers = classify(exc, request.url.path)
    return Response(
        problem(status, detail, request.url.path, invalid),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers={**headers, "cache-control": "no-store"},
    )


ERROR_DOCS = {
    400: "The search query cannot be searched.",
    401: "No valid `X-API-Key` (only when the server is configured with API keys).",
    404: "A guide, topic, question or tag named in the path or in a filter does not exist.",
    414: "The request target (path and query string) is over 8 KB; send fewer parameters.",
    422: "A parameter is malformed, out of range, or names something that does not exist.",
    429: "Too many requests from this client; see `Retry-After` and the `RateLimit-*` headers.",
    503: "The corpus or the search index is not loaded; see `/readyz`.",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problems an operation can answer (401, 414, 422, 429, 503
    always: the edge answers 414 for any request target over 8 KB, whatever its schema)."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=ERROR_DOCS[status],
            media_type=MEDIA_TYPE,
            generate_examples=False,
        )
        for status in sorted({401, 414, 422, 429, 503, *statuses})
    }
