"""``/healthz`` and ``/readyz``: for load balancers and orchestrators; never need an API key."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader

from ...http.problems import error_responses
from ..params import ServiceDep
from ..responses import Health, Readiness

NO_STORE = CacheControlHeader(no_store=True)


class HealthController(Controller):
    path = "/"
    tags = ["health"]
    cache_control = NO_STORE
    opt = {"any_query": True}  # never cached, so nothing in a query string can cost memory

    @get("/healthz", operation_id="healthz", summary="Liveness", sync_to_thread=False)
    def healthz(self) -> Health:
        """Answers `ok` while the process runs; it checks nothing else, so it is always fast."""
        return Health(status="ok")

    @get(
        "/readyz",
        operation_id="readyz",
        summary="Readiness",
        responses={503: error_responses()[503]},
        sync_to_thread=False,
    )
    def readyz(self, service: ServiceDep) -> Readiness:
        """200 with the build's hash, counts and version when the corpus and the search index
        are loaded and consistent; 503 with the reason when not (missing, corrupt, or of
        different builds)."""
        return service.readiness()
