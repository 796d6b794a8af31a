"""Mixed load on `prepdeck serve --workers 2`: errors, latency per kind, memory growth.

The server runs on 127.0.0.1 over every guide of ../shared/guides (the embedded guide when
that folder is absent) as shipped, with the rate limit off. 64 connections, shared out
between five kinds of request (question detail, list pages, search, random draws and deck
downloads), load it for a fixed time after a short warm-up; each kind rotates over many
distinct URLs and every request says it accepts gzip and brotli, as apps do.

The load is wrk when installed (one wrk per kind, all at once, so each kind has its own
latency figures), else a Python asyncio generator. Both are bounded in time and in
requests (``MAX_REQUESTS`` per kind).

Printed: requests, errors and p50/p99 latency per kind, and the resident memory of each
worker at boot, at the start of the measured load (after the warm-up has filled the
per-worker caches with the rotation's answers: rounds of warm-up until the workers'
memory grows less than 1% in one, at most five, since a round of a few seconds on a busy
machine may leave a worker's caches half full) and at its end.
Targets: no errors at all; memory growth during the load under 10%.

    .venv/bin/python benchmarks/load.py [--seconds N] [--python-load]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from _common import ROOT, SHARED_GUIDES, target

SECONDS = 20
WARMUP_SECONDS = 3  # a round of warm-up
WARMUP_ROUNDS = 5  # at most: until the workers' memory grew less than WARMUP_SETTLED
WARMUP_SETTLED = 1.0  # percent, in one round: their bounded caches are full
WORKERS = 2
CONNECTIONS = {  # kind -> connections; 64 in all
    "question detail": 24,
    "lists": 12,
    "search": 12,
    "random": 8,
    "deck download": 8,
}
MAX_REQUESTS = 2_000_000  # per kind; far above what 20 s on loopback can do
HEADERS = {"Accept-Encoding": "gzip, br"}
START_TIMEOUT = 180  # seconds to build the guides and start the workers
RSS_GROWTH_LIMIT = 10.0  # percent


@dataclass
class Figures:
    """What one kind of request did during a run."""

    requests: int = 0
    errors: int = 0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    notes: list[str] = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=SECONDS, help="length of the load")
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    guides = SHARED_GUIDES if any(SHARED_GUIDES.glob("*.mdx")) else None
    use_wrk = shutil.which("wrk") is not None and not args.python_load
    print(f"guides: {'../shared/guides' if guides else 'the embedded guide (no ../shared/guides)'}")
    print(f"load generator: {_wrk_version() + ', one per kind' if use_wrk else 'python asyncio'}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        server = Server.start(work, guides)
        try:
            paths = mix(server.url)
            sizes = ", ".join(f"{kind} {len(p)}" for kind, p in paths.items())
            print(f"distinct URLs per kind: {sizes}")
            boot = start = server.worker_rss()
            rounds, settled = 0, False
            while not settled and rounds < WARMUP_ROUNDS:
                run(use_wrk, work, server.url, paths, WARMUP_SECONDS)
                rounds += 1
                before, start = start, server.worker_rss()
                settled = (sum(start) - sum(before)) / sum(before) * 100 < WARMUP_SETTLED
            print(
                f"load: {sum(CONNECTIONS.values())} connections for {args.seconds} s "
                f"on `prepdeck serve --workers {WORKERS}`, after a warm-up of {rounds} x "
                f"{WARMUP_SECONDS} s (until the workers' memory grew under "
                f"{WARMUP_SETTLED:g}% in one, at most {WARMUP_ROUNDS})"
            )
            figures = run(use_wrk, work, server.url, paths, args.seconds)
            end = server.worker_rss()
            still = server.ready()
        finally:
            code = server.stop()
    _report(figures, args.seconds)
    for name, rss in (("boot", boot), ("start of the load", start), ("end of the load", end)):
        shown = " + ".join(f"{mb:.0f}" for mb in rss)
        print(f"resident memory of the workers at {name}: {shown} = {sum(rss):.0f} MB")
    growth = (sum(end) - sum(start)) / sum(start) * 100
    warm = (sum(start) - sum(boot)) / sum(boot) * 100
    print(
        f"memory growth: {warm:.0f}% during the warm-up (bounded caches filling), "
        f"{growth:.1f}% during the load"
    )
    print(f"ready after the load: {still}; server exit code after SIGTERM: {code}")
    errors = sum(f.errors for f in figures.values()) + (not still) + (code != 0)
    target("load_errors", errors, 0, "{:.0f}")
    target("load_rss_growth_pct", growth, RSS_GROWTH_LIMIT, "{:.1f}")
    return 0


# -- the server ---------------------------------------------------------------------------


@dataclass
class Server:
    """`prepdeck serve --workers 2` on a free loopback port."""

    proc: subprocess.Popen
    url: str
    log: Path

    @classmethod
    def start(cls, work: Path, guides: Path | None) -> Server:
        env = {**os.environ, "PREPDECK_HOME": str(work / "home"), "PREPDECK_RATE_LIMIT": "off"}
        args = ["--guides", str(guides)] if guides else []
        cmd = [sys.executable, "-m", "prepdeck", "serve", "--port", "0", "--workers", str(WORKERS)]
        log = work / "serve.log"
        with log.open("w") as err:
            proc = subprocess.Popen(
                [*cmd, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True
            )
        assert proc.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        url = None
        while url is None:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit(f"prepdeck serve exited with {proc.wait()}:\n{log.read_text()}")
            if line.startswith("API:"):
                url = line.split()[1].removesuffix("/v1")
        server = cls(proc, url, log)
        while not (server.ready() and len(server.workers()) == WORKERS):
            if time.monotonic() > deadline or proc.poll() is not None:
                server.stop()
                raise SystemExit(f"prepdeck serve did not get ready:\n{log.read_text()}")
            time.sleep(0.2)
        return server

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=10) as r:
                return r.status == 200
        except OSError:
            return False

    def workers(self) -> list[int]:
        """The worker processes (spawned children; not multiprocessing's resource tracker)."""
        pid = self.proc.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        found = []
        for child in children.read_text().split() if children.exists() else []:
            try:
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(int(child))
            except OSError:  # it has just exited
                pass
        return found

    def worker_rss(self) -> list[float]:
        """Resident memory of each worker, MB."""
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)) / 1024)
        return sizes

    def stop(self) -> int | None:
        """SIGTERM; the exit code (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode


# -- what is requested --------------------------------------------------------------------


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return msgspec.json.decode(r.read())


def mix(base: str) -> dict[str, list[str]]:
    """The URLs each kind of request rotates over."""
    guides = [g["slug"] for g in _get_json(f"{base}/v1/guides?limit=100")["items"]]
    questions: list[dict] = []
    page = _get_json(f"{base}/v1/questions?limit=100")
    while True:
        questions += page["items"]
        if not page["next"]:
            break
        page = _get_json(base + page["next"])
    total = len(questions)
    formats = ("", "?format=html", "?format=text")
    words = [re.findall(r"[a-z]{4,}", q["title"].lower())[:2] for q in questions[::7]]
    return {
        "question detail": [f"/v1/questions/{q['id']}{f}" for q in questions for f in formats],
        "lists": [f"/v1/questions?limit=20&offset={o}" for o in range(0, total, 20)]
        + [f"/v1/questions?guide={g}&limit=50" for g in guides]
        + [f"/v1/topics?guide={g}&limit=100" for g in guides]
        + [f"/v1/questions?order=shuffle&seed=quiz-{n}&limit=20" for n in range(20)]
        + ["/v1/guides", "/v1/questions?with_red_flag=true&limit=100"],
        "search": [f"/v1/search?q={'+'.join(w)}" for w in words if w]
        + [
            f"/v1/search?q={'+'.join(w)}&guide={g}"
            for w, g in zip(words, guides, strict=False)
            if w
        ],
        "random": ["/v1/questions/random"] * 10
        + [f"/v1/questions/random?guide={g}" for g in guides]
        + [f"/v1/questions/random?seed=draw-{n}" for n in range(20)],
        "deck download": [f"/v1/guides/{g}/deck.apkg" for g in guides]
        + [f"/v1/guides/{g}/deck.apkg?cards=red-flag,follow-ups" for g in guides],
    }


# -- load ---------------------------------------------------------------------------------


def run(
    use_wrk: bool, work: Path, base: str, paths: dict[str, list[str]], seconds: int
) -> dict[str, Figures]:
    """Every kind at once for ``seconds``; the figures of each."""
    if use_wrk:
        return _wrk_all(work, base, paths, seconds)
    return asyncio.run(_python_all(base, paths, seconds))


def _wrk_all(work: Path, base: str, paths: dict[str, list[str]], seconds: int) -> dict:
    procs = {}
    for n, (kind, urls) in enumerate(paths.items()):
        script = work / f"kind{n}.lua"
        quoted = ",".join(f'"{p}"' for p in urls)
        headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in HEADERS.items())
        # Each connection takes the next URL; the thread stops after MAX_REQUESTS.
        script.write_text(
            f"{headers}paths = {{{quoted}}}\nn = {n * 7}\n"
            "request = function()\n  n = n + 1\n"
            f"  if n > {MAX_REQUESTS} then wrk.thread:stop() end\n"
            '  return wrk.format("GET", paths[(n % #paths) + 1])\nend\n'
        )
        cmd = ["wrk", "-t1", f"-c{CONNECTIONS[kind]}", f"-d{seconds}s", "--timeout", "10s"]
        procs[kind] = subprocess.Popen(
            [*cmd, "--latency", "-s", str(script), base], stdout=subprocess.PIPE, text=True
        )
    return {
        kind: _wrk_figures(proc.communicate(timeout=seconds + 60)[0])
        for kind, proc in procs.items()
    }


def _wrk_figures(out: str) -> Figures:
    done = re.search(r"(\d+) requests in", out)
    figures = Figures(requests=int(done.group(1)) if done else 0)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if non_2xx:
        figures.errors += int(non_2xx.group(1))
        figures.notes.append(non_2xx.group(0))
    if sockets:
        figures.errors += sum(int(g) for g in sockets.groups())
        figures.notes.append(sockets.group(0))
    if not done:
        figures.errors += 1
        figures.notes.append(f"wrk printed no result: {out.strip()[:200]}")
    figures.p50_ms, figures.p99_ms = _wrk_ms(out, "50%"), _wrk_ms(out, "99%")
    return figures


def _wrk_ms(out: str, pct: str) -> float:
    m = re.search(rf"^\s+{re.escape(pct)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if m is None:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return out.split(" [")[0].strip() or "wrk"


async def _python_all(base: str, paths: dict[str, list[str]], seconds: int) -> dict:
    """Keep-alive HTTP/1.1 connections per kind, until the deadline or the request cap."""
    host, port = base.removeprefix("http://").split(":")
    deadline = time.perf_counter() + seconds
    extra = "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
    latencies: dict[str, list[float]] = {kind: [] for kind in paths}
    figures = {kind: Figures() for kind in paths}

    async def connection(kind: str, offset: int) -> None:
        urls, done, fig = paths[kind], latencies[kind], figures[kind]
        reader, writer = await asyncio.open_connection(host, int(port))
        n = offset
        try:
            while time.perf_counter() < deadline and fig.requests < MAX_REQUESTS:
                n += 1
                began = time.perf_counter()
                request = f"GET {urls[n % len(urls)]} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n"
                writer.write(request.encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)\r\ncontent-length: (\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                fig.requests += 1
                if not head.startswith(b"HTTP/1.1 200") or length is None:
                    fig.errors += 1
                    fig.notes.append(head.split(b"\r\n")[0].decode())
                done.append(time.perf_counter() - began)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            fig.errors += 1
            fig.notes.append(repr(exc))
        finally:
            writer.close()

    await asyncio.gather(
        *(connection(kind, i * 13) for kind in paths for i in range(CONNECTIONS[kind]))
    )
    for kind, done in latencies.items():
        done.sort()
        figures[kind].p50_ms, figures[kind].p99_ms = _ms(done, 0.5), _ms(done, 0.99)
    return figures


def _ms(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of sorted latencies in seconds, in milliseconds."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _report(figures: dict[str, Figures], seconds: int) -> None:
    row = "{:16} {:>5} {:>9} {:>8} {:>6} {:>7} {:>7}"
    print(row.format("kind", "conns", "requests", "req/s", "errors", "p50 ms", "p99 ms"))
    for kind, f in figures.items():
        rate = f"{f.requests / seconds:.0f}"
        p50, p99 = f"{f.p50_ms:.2f}", f"{f.p99_ms:.2f}"
        print(row.format(kind, CONNECTIONS[kind], f.requests, rate, f.errors, p50, p99))
        for note in dict.fromkeys(f.notes):  # each distinct problem once
            print(f"    {note}")
    total = sum(f.requests for f in figures.values())
    errors = sum(f.errors for f in figures.values())
    conns = sum(CONNECTIONS.values())
    print(row.format("total", conns, total, f"{total / seconds:.0f}", errors, "", ""))


if __name__ == "__main__":
    sys.exit(main())
