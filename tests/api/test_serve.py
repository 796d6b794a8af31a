"""`prepdeck serve`: URLs printed, workers, clean SIGTERM, and one-line errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def workers_of(pid: int) -> list[int]:
    """The worker processes of a server (its spawned children; not the resource tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        pytest.skip("/proc children lists are not available")
    found = []
    for child in path.read_text().split():
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:  # it has just exited
            pass
    return found


def run_serve(home: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "prepdeck", "serve", *args],
        cwd=ROOT,
        env={**os.environ, "PREPDECK_HOME": str(home), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prints_urls_and_stops_cleanly_on_sigterm(server):
    assert server.stdout[0].startswith("serving build ")
    api = next(line for line in server.stdout if line.startswith("API:"))
    docs = next(line for line in server.stdout if line.startswith("docs:"))
    assert api.split()[1] == server.url + "/v1"
    assert docs.split()[1] == server.url + "/schema"
    with server.client() as c:
        assert c.get("/schema").status_code == 200


def test_in_flight_request_finishes_on_sigterm(serve, serve_home):
    with serve(serve_home, env={"PREPDECK_RATE_LIMIT": "off"}) as s:
        parts = urlsplit(s.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.sendall(b"GET /v1/bulk.ndjson HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            received = sock.recv(1024)  # the answer has started ...
            assert received.startswith(b"HTTP/1.1 200")
            s.proc.send_signal(signal.SIGTERM)  # ... when the server is told to stop
            while chunk := sock.recv(65536):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )  # fmt: skip
        assert len(body) == length and body.endswith(b"}\n")
        assert s.stop() == 0


def test_workers(serve, serve_home):
    env = {"PREPDECK_RATE_LIMIT": "off"}
    with serve(serve_home, "--workers", "2", env=env) as s:
        workers = workers_of(s.proc.pid)
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = workers_of(s.proc.pid)
        assert len(workers) == 2
        with s.client() as c:
            for _ in range(10):
                r = c.get("/readyz")
                assert r.status_code == 200
        assert s.stop() == 0
        for pid in workers:
            assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


def test_busy_port_is_one_error_line(serve_home):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_serve(serve_home, "--port", str(port))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot listen on 127.0.0.1:{port}")


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--workers", "0"], {}, "error: --workers: expected 1 to 256, got 0"),
        ([], {"PREPDECK_WORKERS": "100000000"}, "error: --workers: expected 1 to 256, got 1000"),
        (["--port", "70000"], {}, "error: --port: expected 0 to 65535"),
        ([], {"PREPDECK_RATE_LIMIT": "lots"}, "error: PREPDECK_RATE_LIMIT: expected"),
        ([], {"PREPDECK_CORS_ORIGINS": "quiz.example"}, "error: PREPDECK_CORS_ORIGINS:"),
    ],
)
def test_bad_settings_are_one_error_line(serve_home, args, env, message):
    done = run_serve(serve_home, *args, env=env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), done.stderr
