"""The OpenAPI 3.1 document: Litestar generates it from the handlers; this module adds the rest.

Litestar derives paths, parameters and schemas from the handlers and Structs. ``finish``
then (once, on a copy, before the document is first served) gives components readable
names (``Question``, not ``Question_str_``), describes every field (from ``Meta``
descriptions where the Struct has them, else from ``FIELD_DOCS``), adds each operation's
example response (``api.openapi.examples``), the caching and rate-limit response headers, and
the optional API key.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import msgspec
from litestar import Litestar, Request, Router
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Tag

import corpus
import search_index

from ..errors import NotFound
from ..http import problems
from ..resources import responses
from ..service import VERSION
from .clients import shape_for_clients
from .docs import SwaggerPage, swagger_asset
from .examples import RESPONSES
from .headers import describe_http

DESCRIPTION = """\
Interview-preparation guides as a read-only REST API: guides, topics with their concept
notes, questions with their answers, red flags and follow-ups, full-text search, bulk
downloads and Anki decks.

`GET /v1` lists the resources. Rich text comes as `?format=markdown` (default), `html`
or `text`. Lists are pages: `{"items", "total", "limit", "offset", "next"}`; follow
`next` (also sent as `Link: <...>; rel="next"`). Every response has an `ETag` (send it
back in `If-None-Match` for a `304`) and `Cache-Control`; every `GET` has a `HEAD`. A
parameter an operation does not take is a `422`. Errors are `application/problem+json`
(RFC 9457) with a stable `code` and a `type` URI, `/problems/{code}`, that says what
they mean.
"""

TAGS = [
    Tag(name="index", description="The entry point: every resource and its URL."),
    Tag(name="guides", description="Guides: one per source file, with a tree of topics."),
    Tag(name="topics", description="Topics: the sections of a guide, with concept notes."),
    Tag(name="questions", description="Questions: lists, filters, shuffles and random draws."),
    Tag(name="search", description="Full-text search over questions and topics."),
    Tag(name="bulk", description="The whole corpus or a guide in one download."),
    Tag(name="decks", description="Anki decks (.apkg) of a guide."),
    Tag(name="health", description="Liveness and readiness, for load balancers."),
    Tag(name="problems", description="What each kind of error (a problem's `type`) means."),
]

# Fields of Structs from other packages that carry no description of their own.
FIELD_DOCS: dict[str, str] = {
    "Question.id": "Stable id, `{guide}/{slug}`; never changes when other parts of the guide do.",
    "Question.guide": "Slug of the question's guide.",
    "Question.topic": "The topic the question is written under.",
    "Question.title": "The question itself.",
    "Question.source": "Where the question is written.",
    "Question.testing": "What the interviewer is testing; null when the guide does not say.",
    "Question.answer": "A model answer; null when the guide gives none.",
    "Question.red_flags": "Answers or habits that count against a candidate.",
    "Question.body": (
        "What the question says beyond its title (code, the options of a multiple-choice "
        "question, a scenario); null when the title is the whole question."
    ),
    "Question.follow_ups": "Follow-up questions an interviewer may ask next.",
    "Question.follow_up_answers": (
        "Aligned with `follow_ups`: the answer the guide gives to each follow-up, or null."
    ),
    "Question.parts": "Other labelled parts of the question (what weak or strong candidates say).",
    "Question.tags": "Tags: the question's topic slugs and the guide's tags.",
    "Topic.id": "Stable id, `{guide}/{slug}`.",
    "Topic.guide": "Slug of the topic's guide.",
    "Topic.title": "The topic's heading.",
    "Topic.level": "Heading level in the guide (2 for a section, 3 for a sub-topic, ...).",
    "Topic.source": "Where the topic's heading is.",
    "Topic.parent": "Id of the enclosing topic; null for a section.",
    "Topic.children": "Ids of its direct sub-topics, in order.",
    "Topic.questions": "Ids of the questions written directly under it, in order.",
    "Topic.notes": "Concept notes written under the heading; null when there are none.",
    "Guide.slug": "The guide's identifier, from its file name.",
    "Guide.title": "The guide's title.",
    "Guide.file": "Source file name, relative to its guides folder.",
    "Guide.description": "One-paragraph description; may be empty.",
    "Guide.base_url": (
        "Where the guide is published (its front matter's `base_url`): its relative links "
        "resolve against it; null when not given."
    ),
    "Guide.intro": "Text before the first topic; null when there is none.",
    "Guide.tags": "Tags from the guide's front matter.",
    "Guide.topics": "Every topic, flattened in guide order (see `parent` and `children`).",
    "Guide.questions": "Every question, in guide order.",
    "Guide.warnings": "Problems found in the guide while parsing it.",
    "Part.kind": "`weak_candidates` or `strong_candidates`.",
    "Part.label": "The label as the guide's author wrote it.",
    "Part.content": "The part's text.",
    "Source.file": "Guide file name, relative to its guides folder.",
    "Source.line": "Line number, from 1.",
    "TopicRef.id": "The topic's id.",
    "TopicRef.title": "The topic's heading.",
    "Diagnostic.file": "Guide file name.",
    "Diagnostic.line": "Line number, from 1.",
    "Diagnostic.message": "What is wrong.",
    "Highlight.title": "The title, HTML-escaped, matching words in `<mark>`...`</mark>`.",
    "Highlight.passage": "The best matching passage, HTML-escaped, matches in `<mark>`.",
    "Hit.id": "Id of the question or topic.",
    "Hit.kind": "`question` or `topic`.",
    "Hit.guide": "Slug of its guide.",
    "Hit.topic": "For a question, its topic; for a topic, its parent (null for a section).",
    "Hit.title": "The question or the topic's heading.",
    "Hit.score": "Relevance; higher is better, comparable within one result only.",
    "Hit.highlights": "Where the query matched.",
    "Hit.expanded": "Synonyms and other spellings of the query's words that this hit matched "
    "(`kubernetes` for `k8s`), for an app to show why it was found.",
    "FacetCount.value": "A guide slug or a topic id.",
    "FacetCount.count": "How many matches have it.",
    "FacetCount.title": "The guide's title or the topic's heading, for display.",
    "SearchResult.query": "The query as searched.",
    "SearchResult.hits": "This page of matches, best first.",
    "SearchResult.total": "Matches in all.",
    "SearchResult.limit": "The page size asked for.",
    "SearchResult.offset": "Index of this page's first hit.",
    "SearchResult.facets": "Counts of all matches by `guide` and by `topic`.",
    "SearchResult.suggestion": 'A corrected query when this one looks mistyped ("did you mean").',
}

# Readable component names: Question_str_ -> Question, Page[Question[str]] -> QuestionPage.
_GENERIC = re.compile(r"^(\w+)\[str\]$")
_PAGE = re.compile(r"^Page\[(\w+)(?:\[str\])?\]$")
_MODELS = {
    cls.__name__: cls
    for module in (corpus, search_index, problems, responses)  # the API's own win a name
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, msgspec.Struct)
}


class _Finished:
    """The finished copy of Litestar's document, made on first use and kept."""

    def __init__(self) -> None:
        self.document: dict[str, Any] | None = None

    def __call__(self, generated: dict[str, Any]) -> dict[str, Any]:
        if self.document is None:
            document = copy.deepcopy(generated)
            finish(document)
            self.document = document
        return self.document


class _JsonPlugin(JsonRenderPlugin):
    def __init__(self, finished: _Finished) -> None:
        super().__init__()
        self.finished = finished

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, self.finished(openapi_schema))


DOCS_PATH = "/schema"


def _no_catch_all(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Guard of the docs router: Litestar's catch-all for unknown docs paths answers an
    HTML page; raising here makes it a problem document like every other error
    (``api.http.problems``)."""
    if "/{path:str}" in handler.paths:
        raise NotFound(
            f"nothing at {connection.url.path}; the docs page is {DOCS_PATH} and the "
            f"OpenAPI document {DOCS_PATH}/openapi.json"
        )


def openapi_config() -> OpenAPIConfig:
    """Litestar's OpenAPI settings: docs page at ``/schema``, JSON at ``/schema/openapi.json``."""
    finished = _Finished()
    return OpenAPIConfig(
        title="prepdeck",
        version=VERSION,
        description=DESCRIPTION,
        tags=TAGS,
        openapi_router=Router(
            DOCS_PATH,
            route_handlers=[swagger_asset],
            include_in_schema=False,
            guards=[_no_catch_all],
        ),
        render_plugins=[SwaggerPage(DOCS_PATH), _JsonPlugin(finished)],
        use_handler_docstrings=True,
    )


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The finished OpenAPI document of ``app``, as served at ``/schema/openapi.json``."""
    document = app.openapi_schema.to_schema()
    finish(document)
    return document


def finish(schema: dict[str, Any]) -> None:
    """Complete a generated document in place (names, descriptions, examples, headers),
    then shape it for client generators (``api.openapi.clients``)."""
    components = schema.setdefault("components", {})
    _rename(schema, components.get("schemas", {}))
    for name, comp in components.get("schemas", {}).items():
        _describe(name, comp)
    components["securitySchemes"] = {
        "ApiKey": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "Needed only when the server is configured with API keys.",
        }
    }
    for item in schema.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            bad = op.get("responses", {}).get("400")
            if bad is not None and "application/problem+json" not in bad.get("content", {}):
                # Litestar documents its own validation error; ours is a 422 problem.
                del op["responses"]["400"]
            ok = op.get("responses", {}).get("200")
            if ok is None:
                continue
            example = RESPONSES.get(op["operationId"])
            for media in ok.get("content", {}).values():
                if example is not None:
                    media["example"] = msgspec.to_builtins(example)
    describe_http(schema)
    shape_for_clients(schema)


def _rename(schema: dict[str, Any], schemas: dict[str, Any]) -> None:
    renames: dict[str, str] = {}
    for key, comp in list(schemas.items()):
        title = comp.get("title", key)
        m = _PAGE.match(title)
        new = f"{m.group(1)}Page" if m else (_GENERIC.sub(r"\1", title))
        if new != key:
            renames[key] = new
            comp["title"] = new
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
    if renames:
        refs = {
            f"#/components/schemas/{o}": f"#/components/schemas/{n}" for o, n in renames.items()
        }
        _rewrite_refs(schema, refs)


def _rewrite_refs(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            node["$ref"] = refs[ref]
        for value in node.values():
            _rewrite_refs(value, refs)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, refs)


def _describe(name: str, comp: dict[str, Any]) -> None:
    model = _MODELS.get(name.removesuffix("Page") if name.endswith("Page") else name)
    if "description" not in comp:
        if name.endswith("Page"):
            comp["description"] = f"One page of a list of {name.removesuffix('Page')} items."
        elif model is not None and model.__doc__:
            comp["description"] = " ".join(model.__doc__.split("\n\n")[0].split())
    for field, prop in comp.get("properties", {}).items():
        if "description" not in prop and f"{name}.{field}" in FIELD_DOCS:
            prop["description"] = FIELD_DOCS[f"{name}.{field}"]
    if model is not None and not model.__struct_config__.omit_defaults and "properties" in comp:
        # msgspec sends every field, defaults included: a client never sees one missing.
        comp["required"] = sorted(comp["properties"])
