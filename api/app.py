"""The application factory: a Litestar app over one build, behind the ASGI edge.

``create_app(settings)`` loads the build (``api.service``), puts its response store (the
detail responses made at build time) behind the response cache, builds the Litestar app
with every controller and the one exception handler (``api.http.problems``), finishes its
OpenAPI document
(``api.openapi.document``) and wraps it in the edge (``api.http.edge``). ``from_env`` is
the same from ``PREPDECK_*`` variables: it is what each ``prepdeck serve`` worker runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging

from litestar import Litestar
from litestar.di import Provide
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from .config import Settings
from .http.caching import ResponseCache
from .http.edge import Edge
from .http.heavy import heavy_paths
from .http.problems import handle_exception
from .openapi.document import openapi_config
from .resources.controllers import CONTROLLERS
from .resources.params import known_parameters
from .service import Service

log = logging.getLogger("prepdeck.api")
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers
M_ARENA_MAX = -8
MMAP_THRESHOLD = 256 * 1024
ARENAS = 2  # the main thread's and one shared by the heavy-work threads (api.http.heavy)


def release_large_frees() -> None:
    """Have glibc give large freed blocks back to the system at once.

    glibc raises its mmap threshold after the first large block is freed; from then on,
    big transient buffers (a bulk download being encoded and compressed) come from the
    heap and stay in the worker's resident memory after they are freed. A fixed threshold
    keeps them in their own mappings, returned on free. And each thread that allocates
    would get an arena of its own, each keeping freed memory of its own: the heavy-work
    threads share one. Elsewhere this does nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_ARENA_MAX, ARENAS)


def create_litestar(service: Service) -> Litestar:
    """The Litestar app of ``service``, without the edge."""
    app = Litestar(
        route_handlers=CONTROLLERS,
        dependencies={"service": Provide(lambda: service, use_cache=True, sync_to_thread=False)},
        exception_handlers={Exception: handle_exception},
        guards=[known_parameters],
        on_shutdown=[service.close],
        openapi_config=openapi_config(),
        debug=False,
        logging_config=None,
    )
    return app


def create_app(
    settings: Settings | None = None, *, store: bool = True
) -> Edge | ProxyHeadersMiddleware:
    """The whole service as one ASGI app; ``store=False`` leaves the response store out
    (every answer is then a handler's).

    Behind ``PREPDECK_TRUSTED_PROXIES``, uvicorn's proxy-headers middleware takes the
    client's address (for the rate limit) from ``X-Forwarded-For``, but only on
    connections from those proxies; without it the header is never believed."""
    settings = settings or Settings.from_env()
    release_large_frees()
    service = Service.load(settings)
    cache = ResponseCache()
    app = create_litestar(service)
    heavy = heavy_paths(
        route.path for route in app.routes for h in route.route_handlers if h.opt.get("heavy")
    )
    edge = Edge(app, settings, cache, service.catalog.hash if service.catalog else "", heavy)
    app.on_shutdown.append(edge.close)
    if store:  # labelled as the edge labels what it keeps (private with API keys, Vary)
        labels = edge.store
        cache.ready = lambda key: service.ready_entry(key, labels.cache_control, labels.headers)
    for problem in (service.corpus_problem, service.index_problem, service.store_problem):
        if problem:
            log.warning("not ready: %s", problem)
    if settings.trusted_proxies:
        return ProxyHeadersMiddleware(edge, list(settings.trusted_proxies))  # type: ignore[arg-type]
    return edge


def from_env() -> Edge | ProxyHeadersMiddleware:
    """The app for ``uvicorn --factory api.app:from_env``, configured by ``PREPDECK_*``."""
    return create_app(Settings.from_env())
