"""Request parameters shared by the handlers: types, bounds, descriptions and examples.

Declared once here, so every operation describes a parameter the same way in the OpenAPI
document and Litestar rejects a bad value (422) before a handler runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Literal

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.openapi.spec import Example
from litestar.params import (
    CookieParameter,
    HeaderParameter,
    Parameter,
    PathParameter,
    QueryParameter,
)

from corpus import Format
from search_index import MAX_CLAUSES, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS

from ..service import Service

# What each handler is given: the loaded build of this worker (see ``api.app``).
ServiceDep = NamedDependency[Service]

MAX_PAGE = 100
DEFAULT_PAGE = 20
MAX_LIST_OFFSET = 1_000_000_000  # beyond any list; keeps the number encodable
MAX_NAME = 200  # guide slugs, topic ids and tags are far shorter


def ex(value: object, summary: str) -> list[Example]:
    """One OpenAPI example."""
    return [Example(summary=summary, value=value)]


FormatQ = Annotated[
    Format,
    Parameter(
        description="Representation of rich-text fields: `markdown` (as written), `html` "
        "(safe to embed: no scripts, no raw HTML from the guide) or `text` (plain).",
        examples=ex("html", "rich text as HTML"),
    ),
]
LimitQ = Annotated[
    int,
    Parameter(
        ge=1,
        le=MAX_PAGE,
        description=f"Items per page, 1 to {MAX_PAGE}.",
        examples=ex(20, "twenty per page"),
    ),
]
OffsetQ = Annotated[
    int,
    Parameter(
        ge=0,
        le=MAX_LIST_OFFSET,
        description="How many items of the list to skip; follow `next` instead of computing it.",
        examples=ex(20, "the second page of twenty"),
    ),
]
GuideQ = Annotated[
    str | None,
    Parameter(
        max_length=MAX_NAME,
        description="Only this guide (its slug); an unknown guide is a 404.",
        examples=ex("mercor", "one guide"),
    ),
]
TopicQ = Annotated[
    str | None,
    Parameter(
        max_length=MAX_NAME,
        description="Only this topic and its sub-topics (a topic id, `{guide}/{topic}`); "
        "an unknown topic is a 404.",
        examples=ex("mercor/caching-streaming", "a section with its sub-topics"),
    ),
]
TagQ = Annotated[
    str | None,
    Parameter(
        max_length=MAX_NAME,
        description="Only questions with this tag; a tag no question has is a 404.",
        examples=ex("caching-streaming", "one tag"),
    ),
]
WithRedFlagQ = Annotated[
    bool | None,
    Parameter(
        description="`true`: only questions listing a red flag; `false`: only those without "
        "(a guide's `stats.with_red_flag` counts the first).",
        examples=ex(True, "questions with red flags"),
    ),
]
RedFlagsQ = Annotated[
    bool | None,
    Parameter(
        description="Deprecated: the old name of `with_red_flag`, still honoured when "
        "`with_red_flag` is not given.",
        examples=ex(True, "questions with red flags"),
    ),
]
RED_FLAG_PARAMS = ("with_red_flag", "has_red_flags")
# Parameters kept under an old name, and the name to use instead (the OpenAPI document
# marks them deprecated).
DEPRECATED_PARAMS = {"has_red_flags": "with_red_flag"}


def red_flag_filter(with_red_flag: bool | None, has_red_flags: bool | None) -> bool | None:
    """The red-flag filter from its name, else from its deprecated alias."""
    return has_red_flags if with_red_flag is None else with_red_flag


# Handler arguments Litestar fills from elsewhere than the query string.
_NOT_QUERY = frozenset({"request", "scope", "state", "headers", "cookies", "query", "body", "data"})
# By route (the handler's function, its path parameters): Litestar gives each request's
# guards a copy of the handler, so a cache keyed by the handler (or its id, which counts
# the copy's) would keep one entry, and one copy, per request.
_declared: dict[tuple[Callable, frozenset[str]], tuple[frozenset[str], frozenset[str]]] = {}


def _query_parameters(handler: BaseRouteHandler, path_params: Iterable[str]):
    """``(every query parameter, those that may repeat)`` of ``handler``, worked out once
    per route."""
    key = (handler.fn, frozenset(path_params))
    found = _declared.get(key)
    if found is None:
        skip = _NOT_QUERY | set(handler.resolve_dependencies()) | set(path_params)
        names, lists = set(), set()
        for name, field in handler.parsed_fn_signature.parameters.items():
            kwarg = field.kwarg_definition
            if (
                name in skip
                or isinstance(kwarg, PathParameter | HeaderParameter | CookieParameter)
                or getattr(kwarg, "header", None)
                or getattr(kwarg, "cookie", None)
            ):
                continue
            # The name in the URL: QueryParameter(name=...) or Parameter(query=...).
            alias = (
                kwarg.name
                if isinstance(kwarg, QueryParameter) and kwarg.name
                else getattr(kwarg, "query", None) or name
            )
            names.add(alias)
            if field.is_non_string_sequence:
                lists.add(alias)
        found = _declared[key] = (frozenset(names), frozenset(lists))
    return found


def known_parameters(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Guard of every route: each query parameter is one the operation declares, and one
    that takes a single value comes once. Anything else is a 422 naming it, so a cache
    key is made only of parameters the handler validated (``api.http.caching``)."""
    if handler.opt.get("any_query"):  # health checks: probes may add what they like
        return
    names, lists = _query_parameters(handler, connection.path_params)
    invalid = []
    for name in dict.fromkeys(connection.query_params.keys()):
        if name not in names:
            takes = ", ".join(sorted(names)) or "no parameters"
            invalid.append({"key": name, "message": f"unknown parameter; this takes {takes}"})
        elif name not in lists and len(connection.query_params.getall(name)) > 1:
            invalid.append({"key": name, "message": "given more than once; it takes one value"})
    if invalid:
        for item in invalid:
            item["source"] = "query"
        raise ValidationException(
            "; ".join(f"{i['key']}: {i['message']}" for i in invalid), extra=invalid
        )


def strict_red_flags(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: ``with_red_flag`` (or its old name) is `true` or `false`, as the schema says.

    msgspec's lax parsing of query strings would also read `1`, `0` and `null` (as no
    filter at all).
    """
    for name in RED_FLAG_PARAMS:
        values = connection.query_params.getall(name, [])
        if any(v not in ("true", "false") for v in values):
            reason = f"expected true or false; got {', '.join(map(repr, values))}"
            raise ValidationException(
                reason, extra=[{"message": reason, "key": name, "source": "query"}]
            )


OrderQ = Annotated[
    Literal["guide", "shuffle"],
    Parameter(
        description="`guide`: in guide order. `shuffle`: a pseudo-random order fixed by `seed`, "
        "so pages never repeat or skip a question and every server gives the same order.",
        examples=ex("shuffle", "a quiz in random order"),
    ),
]
SeedQ = Annotated[
    str | None,
    Parameter(
        min_length=1,
        max_length=64,
        description="Seed of the random order or draw; the same seed gives the same result. "
        "Without one the server picks it (and the answer is not cacheable).",
        examples=ex("quiz-42", "a reproducible order"),
    ),
]
SearchQ = Annotated[
    str,
    Parameter(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description='Search words. `"quoted phrases"`, `title:word` and prefixes (`shard*`) work; '
        "typos are forgiven and a suggestion is returned. A query (format `search-query`) needs "
        f"a word to search for, not only `-excluded` ones, and at most {MAX_CLAUSES} words and "
        "phrases; else the answer is a 400 saying why.",
        examples=ex("database sharding", "two words"),
        # A grammar JSON Schema cannot express; the format names it (and lets a fuzzer be
        # taught to write queries: tests/api/fuzz_hooks.py).
        schema_extra={"format": "search-query"},
    ),
]
SearchLimitQ = Annotated[
    int,
    Parameter(
        ge=1,
        le=MAX_LIMIT,
        description=f"Hits per page, 1 to {MAX_LIMIT}.",
        examples=ex(10, "ten hits"),
    ),
]
SearchOffsetQ = Annotated[
    int,
    Parameter(
        ge=0,
        le=MAX_OFFSET,
        description=f"How many hits to skip, 0 to {MAX_OFFSET}.",
        examples=ex(10, "the second page of ten"),
    ),
]
RelatedGuideQ = Annotated[  # named "guide" in the URL; the path has a {guide} too
    str | None,
    QueryParameter(
        name="guide",
        max_length=MAX_NAME,
        description="Only questions of this guide (its slug); an unknown guide is a 404.",
        examples=ex("mercor", "one guide"),
    ),
]
GuidePath = Annotated[
    str,
    Parameter(description="The guide's slug.", examples=ex("mercor", "the default guide")),
]
TopicPath = Annotated[
    str,
    Parameter(
        description="The topic's slug within its guide (the part of its id after `/`).",
        examples=ex("core-design-principles", "a sub-topic"),
    ),
]
QuestionPath = Annotated[
    str,
    Parameter(
        description="The question's slug within its guide (the part of its id after `/`).",
        examples=ex("how-do-you-handle-database-scaling", "a question"),
    ),
]
