"""Pages of a list, and the ``next`` link that carries every parameter of the request.

The link is in the body (``next``) and, for clients that follow links generically, in an
RFC 8288 ``Link: <...>; rel="next"`` header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from litestar import Response

from .responses import Page

T = TypeVar("T")
Params = Sequence[tuple[str, str | int | bool | None]]


def query_string(params: Params) -> str:
    """``a=1&b=true`` from ``params``, leaving out those that are None."""
    return urlencode(
        [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in params if v is not None]
    )


def page(
    items: Sequence[Any],
    view: Callable[[Any], T],
    path: str,
    params: Params,
    limit: int,
    offset: int,
    headers: dict[str, str] | None = None,
) -> Response[Page[T]]:
    """``view`` of items ``offset`` to ``offset + limit`` of ``items``, and the next page's link.

    ``params`` are the request's other parameters (filters, order, format); the ``next``
    link repeats them, so following it walks the same list. ``headers`` are other
    response headers.
    """
    end = offset + limit
    nxt = None
    if end < len(items):
        nxt = f"{path}?{query_string([*params, ('limit', limit), ('offset', end)])}"
    body = Page(
        items=[view(i) for i in items[offset:end]],
        total=len(items),
        limit=limit,
        offset=offset,
        next=nxt,
    )
    headers = dict(headers or {})
    if nxt is not None:
        headers["link"] = f'<{nxt}>; rel="next"'
    return Response(body, headers=headers)
