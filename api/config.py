"""Settings of the API service, read from ``PREPDECK_*`` environment variables.

Every variable is listed in ``ENV_VARS`` with its default and meaning; the README's
Configuration table is checked against it by a test, so a setting cannot go undocumented.
A bad value is a ``ConfigError`` whose message names the variable and what was expected.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

# name -> (default, meaning); the README table documents the same names.
ENV_VARS: dict[str, tuple[str, str]] = {
    "PREPDECK_BUILD": (
        "the current build of PREPDECK_HOME",
        "build folder the API serves; `prepdeck serve` sets it for its workers",
    ),
    "PREPDECK_CORS_ORIGINS": (
        "*",
        "origins allowed to call the API from a browser: `*`, a comma-separated list, or `off`",
    ),
    "PREPDECK_RATE_LIMIT": (
        "600/minute",
        "requests per client and worker: `N/second`, `N/minute`, `N/hour`, `N/day`, or `off`",
    ),
    "PREPDECK_API_KEYS": (
        "(none)",
        "comma-separated API keys; when set, every request but the health checks and the "
        "docs needs one in `X-API-Key`",
    ),
    "PREPDECK_REDIS_URL": (
        "(none)",
        "Redis holding the rate-limit counters of every worker and replica, e.g. "
        "`redis://redis:6379/0`; without it each worker counts on its own",
    ),
    "PREPDECK_TRUSTED_PROXIES": (
        "(none)",
        "addresses or networks of the proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` "
        "are believed, e.g. `10.0.0.0/8,127.0.0.1`, or `*` when nothing else can reach the "
        "server; without it these headers are ignored",
    ),
    "PREPDECK_MAX_AGE": ("300", "seconds clients and proxies may cache a response"),
    "PREPDECK_ACCESS_LOG": ("off", "`on` logs every request (one line each) to stderr"),
}

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*([a-z]+?)s?\s*$")
_OFF = frozenset({"off", "none", "no", "false", "0"})
_ON = frozenset({"on", "yes", "true", "1"})


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``requests`` per ``window`` seconds per client."""

    requests: int
    window: int

    def __str__(self) -> str:
        period = next(k for k, v in _PERIODS.items() if v == self.window)
        return f"{self.requests}/{period}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the API service can be configured with."""

    build: Path | None = None
    cors_origins: tuple[str, ...] = ("*",)
    rate_limit: RateLimit | None = RateLimit(600, 60)
    api_keys: tuple[str, ...] = ()
    redis_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    max_age: int = 300
    access_log: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``env`` (default: ``os.environ``); unset variables keep their default."""
        env = os.environ if env is None else env
        default = cls()

        def get(name: str) -> str | None:
            value = env.get(name)
            return None if value is None or not value.strip() else value.strip()

        build = get("PREPDECK_BUILD")
        cors = get("PREPDECK_CORS_ORIGINS")
        rate = get("PREPDECK_RATE_LIMIT")
        keys = get("PREPDECK_API_KEYS")
        redis_url = get("PREPDECK_REDIS_URL")
        proxies = get("PREPDECK_TRUSTED_PROXIES")
        max_age = get("PREPDECK_MAX_AGE")
        log = get("PREPDECK_ACCESS_LOG")
        return cls(
            build=Path(build) if build else None,
            cors_origins=parse_origins(cors) if cors else default.cors_origins,
            rate_limit=parse_rate_limit(rate) if rate else default.rate_limit,
            api_keys=tuple(k.strip() for k in keys.split(",") if k.strip()) if keys else (),
            redis_url=_parse_redis_url(redis_url) if redis_url else None,
            trusted_proxies=parse_proxies(proxies) if proxies else (),
            max_age=_parse_seconds("PREPDECK_MAX_AGE", max_age) if max_age else default.max_age,
            access_log=_parse_switch("PREPDECK_ACCESS_LOG", log) if log else default.access_log,
        )


def parse_rate_limit(value: str) -> RateLimit | None:
    """``"120/minute"`` -> ``RateLimit(120, 60)``; ``"off"`` -> ``None``."""
    if value.strip().lower() in _OFF:
        return None
    m = _RATE.match(value.lower())
    if m is None or m.group(2) not in _PERIODS or int(m.group(1)) < 1:
        raise ConfigError(
            f"PREPDECK_RATE_LIMIT: expected N/second, N/minute, N/hour, N/day or off, got {value!r}"
        )
    return RateLimit(int(m.group(1)), _PERIODS[m.group(2)])


def parse_origins(value: str) -> tuple[str, ...]:
    """``"*"``, ``"off"`` (no CORS at all) or a comma-separated list of ``scheme://host[:port]``."""
    if value.strip().lower() in _OFF:
        return ()
    origins = tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not re.match(r"^https?://[^/\s]+$", origin):
            raise ConfigError(
                f"PREPDECK_CORS_ORIGINS: {origin!r} is not an origin like https://example.com"
            )
    return ("*",) if "*" in origins else origins


def parse_proxies(value: str) -> tuple[str, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` -> a tuple of addresses and networks; ``"*"`` trusts any."""
    proxies = tuple(p.strip() for p in value.split(",") if p.strip())
    for proxy in proxies:
        if proxy == "*":
            continue
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(
                f"PREPDECK_TRUSTED_PROXIES: {proxy!r} is not an address or a network like "
                "10.0.0.0/8"
            ) from None
    return ("*",) if "*" in proxies else proxies


def _parse_redis_url(value: str) -> str:
    if not re.match(r"^(rediss?|unix)://\S+$", value):
        raise ConfigError(
            "PREPDECK_REDIS_URL: expected redis://host:port/db (or rediss://, unix://), "
            f"got {value!r}"
        )
    return value


def _parse_seconds(name: str, value: str) -> int:
    if not value.isdigit() or int(value) > 31_536_000:
        raise ConfigError(f"{name}: expected a number of seconds (0 to 31536000), got {value!r}")
    return int(value)


def _parse_switch(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered not in _ON | _OFF:
        raise ConfigError(f"{name}: expected on or off, got {value!r}")
    return lowered in _ON
