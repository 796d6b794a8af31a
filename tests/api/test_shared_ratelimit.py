"""Rate-limit counters in a real Redis server, shared by every worker of every replica.

The Redis server is started on a free loopback port for this module; without a
``redis-server`` binary (or when it cannot start) these tests are skipped.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from api.config import RateLimit, Settings
from api.http.ratelimit import SharedRateLimiter


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


class HungRedis:
    """A socket that accepts connections, reads what it is sent and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"
        self.connections = 0
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(conn)  # kept open, never read or answered

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def hung_redis() -> Iterator[HungRedis]:
    fake = HungRedis()
    yield fake
    fake.close()


def test_hung_redis_opens_the_circuit(serve, tmp_path, hung_redis):
    """Only the first request waits on a hung Redis (for the short timeout); the worker
    then counts on its own without touching Redis, and says so once."""
    env = {"PREPDECK_RATE_LIMIT": "5/minute", "PREPDECK_REDIS_URL": hung_redis.url}
    with serve(tmp_path, env=env) as s, s.client() as c:
        statuses = [c.get("/v1/guides").status_code for _ in range(30)]
        assert statuses == [200] * 5 + [429] * 25  # counted in the worker all the same
        assert hung_redis.connections == 1  # 29 requests never tried Redis
        assert s.stop() == 0
    assert s.log.read_text().count("Redis unavailable") == 1


def test_circuit_probes_in_the_background_after_the_backoff(hung_redis):
    async def scenario() -> list[int]:
        limiter = SharedRateLimiter(RateLimit(100, 60), hung_redis.url, backoff=0.2)
        seen = []
        try:
            for _ in range(3):
                await limiter.hit("client")
            seen.append(hung_redis.connections)  # one: the first request's
            await asyncio.sleep(0.3)
            await limiter.hit("client")  # starts a probe, answered from local counts
            assert limiter.probe is not None
            while limiter.probe is not None:  # the probe times out: open for another back-off
                await asyncio.sleep(0.01)
            seen.append(hung_redis.connections)
            assert limiter.open_until is not None
        finally:
            await limiter.close()
        return seen

    assert asyncio.run(scenario()) == [1, 2]


def test_circuit_closes_when_redis_answers(redis_url):
    async def scenario() -> tuple[str, str]:
        limiter = SharedRateLimiter(RateLimit(100, 60), redis_url, backoff=0.1)
        limiter.open_until = time.monotonic()  # as after an outage whose back-off is over
        try:
            local = dict((await limiter.hit("c"))[1])[b"ratelimit-remaining"]
            while limiter.probe is not None:
                await asyncio.sleep(0.01)
            assert limiter.open_until is None
            shared = dict((await limiter.hit("c"))[1])[b"ratelimit-remaining"]
        finally:
            await limiter.close()
        return local.decode(), shared.decode()

    local, shared = asyncio.run(scenario())
    assert local == "99"  # the local count while the probe ran
    assert shared == "99"  # the first count in Redis (locally it would be the second, 98)
