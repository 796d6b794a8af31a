"""REST API throughput against a bare Litestar app serving the same bytes, and worker memory.

Two servers run side by side on loopback with the same uvicorn settings (one worker, the
default event loop and HTTP parser, no access log):

- the product, `prepdeck serve` over every guide of ../shared/guides, in its default
  configuration (CORS, compression, ETags on) with the rate limit off;
- a bare Litestar app (one handler per route, no middleware) that returns, for the same
  paths, the bytes the product returned.

The load is wrk when installed (a Lua script rotates over many question paths), else a
bounded Python load generator; both are bounded in time. Each scenario runs in alternating
rounds, product then bare, and the best round of each is compared.

    .venv/bin/python benchmarks/api.py [--python-load]   (the second forces the Python load)
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import msgspec
import uvicorn
from _common import ROOT, SHARED_GUIDES
from litestar import Litestar, Response, get

ROUNDS = 3
SECONDS = 4  # per round and server
CONNECTIONS = 32
QUESTION_PATHS = 200
SEARCH = "/v1/search?q=database+replication&limit=10"
HEAVY = 8  # heavy requests at once while /healthz is polled
HEALTHZ_LIMIT_MS = 250  # a quarter of the liveness probe's 1 s timeout (deploy/)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--bare":
        return _run_bare(Path(sys.argv[2]))
    guides = SHARED_GUIDES if any(SHARED_GUIDES.glob("*.mdx")) else None
    print(f"guides: {'../shared/guides' if guides else 'the embedded guide (no ../shared/guides)'}")
    loader = "wrk" if shutil.which("wrk") and "--python-load" not in sys.argv else "python"
    print(f"load generator: {_wrk_version() if loader == 'wrk' else 'python asyncio'}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {"PREPDECK_HOME": str(work / "home"), "PREPDECK_RATE_LIMIT": "off"}
        args = ["--guides", str(guides)] if guides else []
        product = _start([sys.executable, "-m", "prepdeck", "serve", "--port", "0", *args], env)
        try:
            url = product.url
            ids = _question_paths(url)
            bodies = {p: _get(url + p) for p in ids}
            bodies[SEARCH] = _get(url + SEARCH)
            (work / "bodies.json").write_bytes(
                msgspec.json.encode({k: v.decode() for k, v in bodies.items()})
            )
            bare = _start([sys.executable, __file__, "--bare", str(work / "bodies.json")], {})
            try:
                assert _get(bare.url + ids[0]) == bodies[ids[0]]
                _sizes(url, ids[0])
                results = {}
                for name, paths in (("question detail", ids), ("repeated search", [SEARCH])):
                    results[name] = _compare(loader, work, name, url, bare.url, paths)
                _extra(loader, work, url, ids)
                rss = _rss_mb(product.proc.pid)
                healthz_ms = _healthz_during_heavy(url)
            finally:
                bare.stop()
        finally:
            product.stop()
    print(f"resident memory of the worker after the load: {rss:.0f} MB")
    ok = _at_least("api_question_detail_vs_bare", results["question detail"], 0.8)
    ok &= _at_least("api_repeated_search_vs_bare", results["repeated search"], 0.5)
    ok &= _at_most("api_rss_per_worker_mb", rss, 200, "{:.0f}")
    ok &= _at_most("api_healthz_during_heavy_ms", healthz_ms, HEALTHZ_LIMIT_MS, "{:.0f}")
    return 0


# -- servers ------------------------------------------------------------------------------


class _Server:
    def __init__(self, proc: subprocess.Popen, url: str) -> None:
        self.proc = proc
        self.url = url

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _start(cmd: list[str], env: dict[str, str]) -> _Server:
    """Start a server that prints `API:  http://host:port/v1`; wait until it answers."""
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 180
    url = None
    while url is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"server {cmd[1:4]} exited with {proc.wait()}")
        if line.startswith("API:"):
            url = line.split()[1].removesuffix("/v1")
    if url is None:
        proc.kill()
        raise SystemExit("server did not start in time")
    while time.monotonic() < deadline:
        try:
            _get(url + "/healthz")
            return _Server(proc, url)
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server never answered")


def _run_bare(bodies_file: Path) -> int:
    """The baseline: Litestar, no middleware, the product's bytes for the same paths."""
    bodies = {k: v.encode() for k, v in msgspec.json.decode(bodies_file.read_bytes()).items()}
    search_body = bodies[SEARCH]

    @get("/v1/questions/{guide:str}/{slug:str}", sync_to_thread=False)
    def question(guide: str, slug: str) -> Response[bytes]:
        return Response(bodies[f"/v1/questions/{guide}/{slug}"], media_type="application/json")

    @get("/v1/search", sync_to_thread=False)
    def search() -> Response[bytes]:
        return Response(search_body, media_type="application/json")

    @get("/healthz", sync_to_thread=False)
    def healthz() -> Response[bytes]:
        return Response(b'{"status":"ok"}', media_type="application/json")

    app = Litestar([question, search, healthz], openapi_config=None, logging_config=None)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"API:  http://127.0.0.1:{sock.getsockname()[1]}/v1", flush=True)
    # The same uvicorn settings as `prepdeck serve` with one worker.
    config = uvicorn.Config(app, access_log=False, timeout_graceful_shutdown=30)
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


# -- load ---------------------------------------------------------------------------------


def _compare(
    loader: str, work: Path, name: str, product: str, bare: str, paths: list[str]
) -> float:
    """Throughput of the product over the bare app's, best round of each."""
    best = {"product": (0.0, 0.0, 0.0), "bare": (0.0, 0.0, 0.0)}
    for base in (product, bare):  # warm both
        _load(loader, work, base, paths, 1)
    for _ in range(ROUNDS):
        for server, base in (("product", product), ("bare", bare)):
            got = _load(loader, work, base, paths, SECONDS)
            if got[0] > best[server][0]:
                best[server] = got
    for server in ("product", "bare"):
        rps, p50, p99 = best[server]
        print(f"{name:16} {server:8} {rps:9.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    ratio = best["product"][0] / best["bare"][0]
    print(f"{name:16} product/bare throughput: {ratio:.2f}")
    return ratio


def _load(
    loader: str, work: Path, base: str, paths: list[str], seconds: int, headers: dict | None = None
) -> tuple[float, float, float]:
    """(requests per second, p50 ms, p99 ms) of ``seconds`` of load on ``paths``."""
    if loader == "wrk":
        return _wrk(work, base, paths, seconds, headers or {})
    return asyncio.run(_python_load(base, paths, seconds, headers or {}))


def _wrk(
    work: Path, base: str, paths: list[str], seconds: int, headers: dict
) -> tuple[float, float, float]:
    script = work / "paths.lua"
    quoted = ",".join(f'"{p}"' for p in paths)
    extra = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
    script.write_text(
        f"{extra}paths = {{{quoted}}}\nn = 0\n"
        "request = function()\n  n = n + 1\n"
        '  return wrk.format("GET", paths[(n % #paths) + 1])\nend\n'
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, _wrk_ms(out, "50%"), _wrk_ms(out, "99%")


def _wrk_ms(out: str, pct: str) -> float:
    m = re.search(rf"^\s+{re.escape(pct)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return out.split(" [")[0].strip() or "wrk"


async def _python_load(
    base: str, paths: list[str], seconds: int, headers: dict
) -> tuple[float, float, float]:
    """Keep-alive HTTP/1.1 clients, bounded in time; a fallback when wrk is missing."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())

    async def client(offset: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        n = offset
        while time.perf_counter() < stop:
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(CONNECTIONS // 4)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return len(latencies) / elapsed, pick(0.5), pick(0.99)


# -- details ------------------------------------------------------------------------------


def _get(url: str, headers: dict | None = None) -> bytes:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def _question_paths(base: str) -> list[str]:
    page = msgspec.json.decode(_get(f"{base}/v1/questions?limit=100"))
    paths = [f"/v1/questions/{q['id']}" for q in page["items"]]
    offset = 100
    while page["next"] and len(paths) < QUESTION_PATHS:
        page = msgspec.json.decode(_get(f"{base}/v1/questions?limit=100&offset={offset}"))
        paths += [f"/v1/questions/{q['id']}" for q in page["items"]]
        offset += 100
    return paths[:QUESTION_PATHS]


def _sizes(base: str, question: str) -> None:
    """Body sizes per encoding, to show what compression buys (brotli's share included)."""
    import brotli

    for path in (question, "/v1/bulk.json"):
        plain = _get(base + path)
        gz = len(gzip.compress(plain, 6))
        br = len(brotli.compress(plain, quality=5))
        print(f"size {path[:40]:40} identity {len(plain):>9}  gzip {gz:>8}  br {br:>8}")


def _extra(loader: str, work: Path, base: str, paths: list[str]) -> None:
    """The product answering browsers (Origin, Accept-Encoding): informational."""
    headers = {"Accept-Encoding": "gzip, deflate, br", "Origin": "https://quiz.example"}
    rps, p50, p99 = _load(loader, work, base, paths, SECONDS, headers)
    print(
        f"question detail, browser headers (br + CORS): {rps:.0f} req/s   "
        f"p50 {p50:.2f} ms   p99 {p99:.2f} ms"
    )


def _healthz_during_heavy(base: str) -> float:
    """The slowest `/healthz` while 8 heavy requests no worker has answered yet run at once
    (bulk bodies in every format, compressed): what a liveness probe would see."""
    guides = [g["slug"] for g in msgspec.json.decode(_get(f"{base}/v1/guides"))["items"]]
    heavy = [
        f"/v1/bulk.{kind}?format={fmt}" for kind in ("json", "ndjson") for fmt in ("html", "text")
    ] + [f"/v1/guides/{g}/bulk.json?format=html" for g in guides[:4]]
    headers = {"Accept-Encoding": "gzip, br"}
    threads = [threading.Thread(target=_get, args=(base + path, headers)) for path in heavy[:HEAVY]]
    for t in threads:
        t.start()
    slowest = 0.0
    polls = 0
    while any(t.is_alive() for t in threads):
        start = time.perf_counter()
        _get(base + "/healthz")
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
        polls += 1
        time.sleep(0.01)
    for t in threads:
        t.join()
    print(f"/healthz while {len(threads)} heavy requests ran: slowest of {polls} {slowest:.0f} ms")
    return slowest


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _at_least(name: str, value: float, limit: float) -> bool:
    ok = value >= limit
    print(f"target {name}: {value:.2f} (limit {limit:.2f}) {'ok' if ok else 'MISSED'}")
    return ok


def _at_most(name: str, value: float, limit: float, fmt: str) -> bool:
    ok = value <= limit
    print(
        f"target {name}: {fmt.format(value)} (limit {fmt.format(limit)}) {'ok' if ok else 'MISSED'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
