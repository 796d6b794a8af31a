"""Fixtures of the API tests: one real build, an in-process client, and real servers."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

import corpus
import prepdeck
from api.app import create_app
from api.config import Settings
from api.http.edge import Edge

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for `prepdeck serve` to build and answer


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> corpus.BuildResult:
    """The embedded guide, built as `prepdeck build` does (index, code, response store)."""
    out = tmp_path_factory.mktemp("api-build")
    return corpus.build(None, out, prepdeck._artifacts())


@pytest.fixture(scope="session")
def data(built: corpus.BuildResult) -> corpus.Corpus:
    return corpus.load_corpus(built.path.parent.parent, built.hash)


@pytest.fixture(scope="session")
def app(built: corpus.BuildResult) -> Edge:
    """The whole service (edge included) over the embedded guide, rate limit off."""
    return create_app(Settings(build=built.path, rate_limit=None))


@pytest.fixture(scope="session")
def client(app: Edge) -> Iterator[TestClient]:
    """An in-process client of ``app``."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def app_client():
    """``app_client(settings)``: a client of a fresh app (use it as a context manager)."""

    def make(settings: Settings) -> TestClient:
        return TestClient(create_app(settings))

    return make


@dataclass
class Server:
    """A `prepdeck serve` process on 127.0.0.1 and what it printed."""

    url: str
    proc: subprocess.Popen
    stdout: list[str]
    log: Path

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)

    def stop(self) -> int:
        """SIGTERM, and the exit code once it has stopped."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


@contextmanager
def serving(
    home: Path, *args: str, env: dict[str, str] | None = None, root: Path = ROOT
) -> Iterator[Server]:
    """Run `prepdeck serve --port 0 ARGS` with PREPDECK_HOME=home until the block ends
    (the code of ``root``: a copy of the repository stands for another release)."""
    log = home / f"serve-{time.monotonic_ns()}.log"
    environ = {**os.environ, "PREPDECK_HOME": str(home), **(env or {})}
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prepdeck", "serve", "--port", "0", *args],
            cwd=root,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=err,
        )
    server = None
    try:
        lines = _read_until(proc, "docs:")
        url = next(line.split()[1] for line in lines if line.startswith("API:"))
        server = Server(url.removesuffix("/v1"), proc, lines, log)
        _wait_ready(server)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _read_until(proc: subprocess.Popen, marker: str) -> list[str]:
    """Lines printed by ``proc`` up to the one starting with ``marker``."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = b""
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=0.5):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buffer += chunk
            lines = buffer.decode().splitlines()
            if any(line.startswith(marker) for line in lines):
                return lines
    raise AssertionError(f"serve did not start (exit {proc.poll()}); printed {buffer!r}")


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    with server.client() as c:
        while time.monotonic() < deadline:
            try:
                if c.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if server.proc.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError(f"server never became healthy:\n{server.log.read_text()}")


@pytest.fixture(scope="session")
def serve():
    """``serve(home, *args, env=...)``: the ``serving`` context manager."""
    return serving


@pytest.fixture(scope="module")
def serve_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PREPDECK_HOME shared by the servers of one test module (built once)."""
    return tmp_path_factory.mktemp("serve-home")


@pytest.fixture(scope="module")
def server(serve_home: Path) -> Iterator[Server]:
    """`prepdeck serve` with the default configuration but no rate limit."""
    with serving(serve_home, env={"PREPDECK_RATE_LIMIT": "off"}) as s:
        yield s
