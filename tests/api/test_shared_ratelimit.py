"""Rate-limit counters in a real Redis server, shared by every worker of every replica.

The Redis server is started on a free loopback port for this module; without a
``redis-server`` binary (or when it cannot start) these tests are skipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from api.config import RateLimit, Settings


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of its own on a free loopback port (skipped when not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not _answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"redis-server did not start (exit {proc.poll()})")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _answers(port: int) -> bool:
    """Whether a Redis server answers PING on ``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_replicas_share_one_count(built, app_client, redis_url):
    settings = Settings(build=built.path, rate_limit=RateLimit(3, 60), redis_url=redis_url)
    with app_client(settings) as a, app_client(settings) as b:
        assert a.get("/v1/guides").headers["ratelimit-remaining"] == "2"
        assert b.get("/v1/guides").headers["ratelimit-remaining"] == "1"
        assert a.get("/v1/topics").headers["ratelimit-remaining"] == "0"
        refused = b.get("/v1/guides")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.headers["content-type"] == "application/problem+json"


def test_unreachable_redis_falls_back_to_local_counts(built, app_client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = Settings(
        build=built.path,
        rate_limit=RateLimit(2, 60),
        redis_url=f"redis://127.0.0.1:{closed_port}/0",
    )
    with app_client(settings) as c:
        assert [c.get("/v1/guides").status_code for _ in range(3)] == [200, 200, 429]


def test_workers_of_two_servers_share_one_count(serve, tmp_path, redis_url):
    """Two `prepdeck serve` replicas, one with two workers: three processes, one limit."""
    env = {"PREPDECK_RATE_LIMIT": "5/minute", "PREPDECK_REDIS_URL": redis_url}
    with serve(tmp_path, "--workers", "2", env=env) as a, serve(tmp_path, env=env) as b:
        statuses = []
        for n in range(12):  # a new connection each time: any worker of either replica
            with (a, b)[n % 2].client() as c:
                statuses.append(c.get("/v1/guides").status_code)
        assert statuses == [200] * 5 + [429] * 7  # counted per worker, all 12 would pass
        assert a.stop() == 0 and b.stop() == 0
