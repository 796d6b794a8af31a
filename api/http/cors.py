"""CORS: which browser origins may read the API, as header lists computed once.

By default any origin may GET (``Access-Control-Allow-Origin: *``, no credentials, so
API keys must be sent explicitly in ``X-API-Key``). ``PREPDECK_CORS_ORIGINS`` narrows it
to a list (the origin is echoed, with ``Vary: Origin``) or turns CORS off.
"""

from __future__ import annotations

Headers = list[tuple[bytes, bytes]]

ALLOW_METHODS = b"GET, HEAD, OPTIONS"
EXPOSE = (
    b"ETag, Content-Disposition, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
    b"RateLimit-Reset, RateLimit-Policy"
)
MAX_AGE = b"86400"


class Cors:
    """The CORS policy of the service."""

    def __init__(self, origins: tuple[str, ...]) -> None:
        self.enabled = bool(origins)
        self.any = origins == ("*",)
        self.allowed = frozenset(o.encode() for o in origins)
        self._any_headers: Headers = [
            (b"access-control-allow-origin", b"*"),
            (b"access-control-expose-headers", EXPOSE),
        ]
        self._vary: Headers = [(b"vary", b"Origin")]

    def allows(self, origin: bytes) -> bool:
        return self.any or origin in self.allowed

    def headers(self, origin: bytes | None) -> Headers:
        """Headers to add to a response for a request from ``origin`` (may be None)."""
        if not self.enabled:
            return []
        if self.any:
            return self._any_headers
        if origin is not None and origin in self.allowed:
            return [
                (b"access-control-allow-origin", origin),
                (b"access-control-expose-headers", EXPOSE),
                *self._vary,
            ]
        return self._vary

    def preflight(
        self, origin: bytes, method: bytes, request_headers: bytes | None
    ) -> Headers | None:
        """Headers of the answer to a preflight request, or None when it is refused."""
        if not self.enabled or not self.allows(origin) or method.upper() not in (b"GET", b"HEAD"):
            return None
        headers: Headers = [
            (b"access-control-allow-origin", b"*" if self.any else origin),
            (b"access-control-allow-methods", ALLOW_METHODS),
            (b"access-control-max-age", MAX_AGE),
        ]
        if request_headers:
            # No credentials are ever allowed, so any request header is harmless to allow.
            headers.append((b"access-control-allow-headers", request_headers))
        if not self.any:
            headers.append(
                (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
            )
        return headers
