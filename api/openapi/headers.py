"""What the document says of HTTP itself: headers, conditional requests, HEAD, deprecations.

Litestar documents bodies; the edge (``api.http``) adds headers and answers ``304`` and
``HEAD`` itself, so ``describe_http`` adds, in place, for every operation:

- the response headers each status is sent with (``ETag``, ``RateLimit-*``,
  ``Retry-After``, ``Link``, ``Content-Disposition``, ...), as shared components;
- for each cacheable ``GET``: the ``If-None-Match`` request header and its ``304``, so a
  typed client expects the empty answer instead of failing on it;
- a ``HEAD`` operation beside each ``GET``: the same parameters and statuses, no bodies;
- ``deprecated`` on the old names a rename keeps (``/v1`` only grows).
"""

from __future__ import annotations

import copy
from typing import Any

from ..resources.params import DEPRECATED_PARAMS

HEADERS = {
    "ETag": "Validator of this response; send it in `If-None-Match` to get a 304.",
    "Cache-Control": "How long clients and proxies may reuse the response: `public`, or "
    "`private` when the server requires API keys; `no-store` for a fresh random draw.",
    "Vary": "Request headers the response depends on (`Accept-Encoding`; `X-API-Key` when "
    "the server requires API keys; `Origin` with a list of CORS origins).",
    "X-Content-Type-Options": "Always `nosniff`.",
    "RateLimit-Limit": "Requests allowed per window (when rate limiting is on).",
    "RateLimit-Remaining": "Requests left in the current window.",
    "RateLimit-Reset": "Seconds until the window resets.",
    "RateLimit-Policy": "The policy, `requests;w=seconds`, e.g. `600;w=60`.",
    "Retry-After": "Seconds to wait before trying again.",
    "Link": 'RFC 8288 link to the next page, `</v1/questions?...>; rel="next"`; absent on '
    "the last page (the body's `next` holds the same URL).",
    "Content-Disposition": 'Download file name: `attachment; filename="mercor.apkg"`.',
    "WWW-Authenticate": 'How to authenticate: `ApiKey realm="prepdeck", header="X-API-Key"`.',
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The `ETag` of a copy you hold: the answer is then `304` with no body while "
    "it is current.",
    "schema": {"type": "string"},
    "examples": {"etag": {"summary": "an ETag received before", "value": 'W/"5e1f0c2a9d"'}},
}
NOT_MODIFIED = "Not Modified: the copy whose ETag was sent in `If-None-Match` is current; no body."
LIMITS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"]
VALIDATORS = ["ETag", "Cache-Control", "Vary"]
HEALTH = ("/healthz", "/readyz")
LISTS = ("listGuides", "listTopics", "listQuestions")
# Response fields kept under an old name: "Schema.field" -> the name to use instead.
DEPRECATED_FIELDS = {
    "QuestionSummary.red_flags": "red_flag_count",
    "QuestionSummary.follow_ups": "follow_up_count",
    "GuideStats.red_flags": "red_flag_count",
    "GuideStats.follow_ups": "follow_up_count",
}


def describe_http(schema: dict[str, Any]) -> None:
    """Add headers, conditional requests, HEAD and deprecations (see the module docstring)."""
    schema.setdefault("components", {})["headers"] = {
        name: {"description": doc, "schema": {"type": "string"}} for name, doc in HEADERS.items()
    }
    for path, item in schema.get("paths", {}).items():
        get = item.get("get")
        if not isinstance(get, dict) or "operationId" not in get:
            continue
        health = path in HEALTH
        for param in get.get("parameters", []):
            if param["name"] in DEPRECATED_PARAMS:
                param["deprecated"] = True
        for status, response in get.get("responses", {}).items():
            names = _headers(status, get["operationId"], health)
            response["headers"] = {h: {"$ref": f"#/components/headers/{h}"} for h in names}
        if not health:
            get.setdefault("parameters", []).append(dict(IF_NONE_MATCH))
            get["responses"]["304"] = {
                "description": NOT_MODIFIED,
                "headers": {
                    h: {"$ref": f"#/components/headers/{h}"}
                    for h in (*VALIDATORS, "X-Content-Type-Options")
                },
            }
        item["head"] = _head(get)
    for field, instead in DEPRECATED_FIELDS.items():
        name, prop = field.split(".")
        found = schema["components"]["schemas"][name]["properties"][prop]
        found["deprecated"] = True
        found["description"] = f"Deprecated: the same as `{instead}`."


def _headers(status: str, operation: str, health: bool) -> list[str]:
    """The headers a response of ``status`` is sent with."""
    if health:
        return ["Cache-Control", "X-Content-Type-Options"] + (
            ["Retry-After"] if status == "503" else []
        )
    names = ["X-Content-Type-Options", *LIMITS]
    if status == "200":
        names = [*VALIDATORS, *names]
        if operation in LISTS:
            names.append("Link")
        if operation == "downloadDeck":
            names.append("Content-Disposition")
    elif status in ("429", "503"):
        names.append("Retry-After")
    elif status == "401":
        names.append("WWW-Authenticate")
    return names


def _head(get: dict[str, Any]) -> dict[str, Any]:
    """The ``HEAD`` twin of a ``GET`` operation: its headers without the bodies."""
    head = copy.deepcopy({k: v for k, v in get.items() if k != "responses"})
    head["operationId"] = get["operationId"] + "Head"
    head["summary"] = f"{get.get('summary', '')} (headers only)".strip()
    head["description"] = "Like the `GET` of the same path, but answers its headers only."
    head["responses"] = {
        status: {
            "description": "The headers the `GET` would send."
            if status == "200"
            else response["description"],
            "headers": response.get("headers", {}),
        }
        for status, response in get["responses"].items()
    }
    return head
