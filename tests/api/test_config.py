"""Settings from PREPDECK_* variables, and the README documenting every setting and flag."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import prepdeck
from api.config import ENV_VARS, RateLimit, Settings
from api.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "corpus", "search_index", "exporter")


def configuration_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Configuration\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_defaults():
    s = Settings.from_env({})
    assert s.cors_origins == ("*",)
    assert s.rate_limit == RateLimit(600, 60)
    assert s.api_keys == () and s.redis_url is None and s.build is None
    assert s.max_age == 300 and s.access_log is False


def test_values():
    s = Settings.from_env(
        {
            "PREPDECK_BUILD": "/srv/builds/abc",
            "PREPDECK_CORS_ORIGINS": "https://a.example, https://b.example:8443/",
            "PREPDECK_RATE_LIMIT": "120/minute",
            "PREPDECK_API_KEYS": " k1 ,k2,, ",
            "PREPDECK_REDIS_URL": "redis://cache:6379/2",
            "PREPDECK_MAX_AGE": "60",
            "PREPDECK_ACCESS_LOG": "on",
        }
    )
    assert s.build == Path("/srv/builds/abc")
    assert s.cors_origins == ("https://a.example", "https://b.example:8443")
    assert s.rate_limit == RateLimit(120, 60) and str(s.rate_limit) == "120/minute"
    assert s.api_keys == ("k1", "k2")
    assert s.redis_url == "redis://cache:6379/2"
    assert (s.max_age, s.access_log) == (60, True)
    assert Settings.from_env({"PREPDECK_RATE_LIMIT": "off"}).rate_limit is None
    assert Settings.from_env({"PREPDECK_RATE_LIMIT": "5 / seconds"}).rate_limit == RateLimit(5, 1)
    assert Settings.from_env({"PREPDECK_CORS_ORIGINS": "off"}).cors_origins == ()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PREPDECK_RATE_LIMIT", "fast"),
        ("PREPDECK_RATE_LIMIT", "0/minute"),
        ("PREPDECK_RATE_LIMIT", "10/fortnight"),
        ("PREPDECK_CORS_ORIGINS", "example.com"),
        ("PREPDECK_REDIS_URL", "localhost:6379"),
        ("PREPDECK_MAX_AGE", "-1"),
        ("PREPDECK_ACCESS_LOG", "sometimes"),
    ],
)
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(ConfigError, match=f"^{name}: "):
        Settings.from_env({name: value})


def test_every_variable_is_documented():
    used = set(ENV_VARS)
    for source in [
        ROOT / "prepdeck.py",
        *(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")),
    ]:
        used |= set(re.findall(r"PREPDECK_[A-Z_]+", source.read_text(encoding="utf-8")))
    section = configuration_section()
    missing = sorted(name for name in used if f"`{name}`" not in section)
    assert not missing, f"README ## Configuration does not document {missing}"


def test_every_flag_is_documented():
    section = configuration_section()
    parser = prepdeck.make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for command, subparser in sub.choices.items():
        for action in subparser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help" and f"`{flag}" not in section:
                    missing.append(f"{command} {flag}")
    assert not missing, f"README ## Configuration does not document {missing}"


def test_rate_limit_row_says_it_counts_per_worker_without_redis():
    row = next(
        line
        for line in configuration_section().splitlines()
        if line.startswith("| `PREPDECK_RATE_LIMIT`")
    )
    # Without a shared Redis, each of N workers admits the full limit: N times it in all.
    assert "per client and worker" in row and "`PREPDECK_REDIS_URL`" in row
    assert "--workers N" in row and "N times" in row
