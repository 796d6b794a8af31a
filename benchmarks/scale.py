"""Scale benchmark: what a build and a worker cost at 1x, 3x and 10x the real guides.

The guides of ../shared/guides are copied into a temporary folder N times (copy k of
``x.mdx``, k >= 2, is its own guide ``x--k.mdx``). At each size, in alternating rounds:

- **tokenize**: single-process raw markdown-it (``commonmark`` + tables) of the same
  files, the baseline every build time is divided by;
- **full build**: ``corpus.build`` with every artifact into an empty folder, timed inside a
  fresh process after its imports (what ``prepdeck build`` does after start-up); at 1x the
  whole ``prepdeck build`` process is timed too (interpreter start and imports included),
  with its modules' bytecode cached as an installed prepdeck has it (``pip install``
  compiles it; a process that had to compile prepdeck's own modules from source first,
  as under ``PYTHONDONTWRITEBYTECODE=1``, spends about 0.08 s more);
- **edit rebuild**: one sentence of one guide edited, then the same build again into the
  same folder (so its caches and previous build are there, as on a real machine).

Then, once per size: seconds from starting ``prepdeck serve --workers 1`` (build already
made) to ``/readyz`` 200; the worker's resident memory after the requests below;
question-detail latency over HTTP (one keep-alive connection, a random sample of
questions in every format, p50/p99); cold search latency in-process against SQLite FTS5
over the same documents (the queries and FTS5 baseline of ``benchmarks/search.py``).
Detail latency at 3x and 10x is compared with 1x by running both servers at once and
letting them take turns (``paired_detail``): measured minutes apart, the machine's drift
outweighed the difference.

The full build's CPU time (its process and its pool's) over tokenization's is printed
too: the work done, which a busy machine does not change.

Targets at every size: full build <= 3.0x tokenization (also as a whole process at 1x);
edit rebuild <= 0.15x the full build; ready <= 3 s; RSS per worker <= 150 MB; detail p50
no worse than at 1x (10% allowed for noise); cold search p50 <= 1.5x FTS5.

    .venv/bin/python benchmarks/scale.py [--sizes 1,3,10] [--rounds N]

(``--rounds``: rounds at every size; by default 7 at 1x, where a round takes seconds and a
shared machine's bursts weigh most, and 3 at 3x and 10x.)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from _common import ROOT, guide_files, target
from markdown_it import MarkdownIt

SIZES = (1, 3, 10)
# alternating tokenize / full build / edit rebuild rounds per size: more where a round takes
# seconds (a shared machine's bursts move a median of three by 10% there)
ROUNDS = {1: 7}
DEFAULT_ROUNDS = 3
DETAIL_REQUESTS = 600
PAIRED_ROUNDS = 6  # turns each server takes in a paired detail comparison
PAIRED_BATCH = 300  # requests per turn
READY_TIMEOUT = 900  # seconds; the baseline took minutes at 10x
HEADERS = {"Accept-Encoding": "gzip, br"}


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child-build":
        return _child_build(Path(sys.argv[2]), Path(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 1,3,10")
    parser.add_argument(
        "--rounds", type=int, help=f"build rounds per size (default {DEFAULT_ROUNDS}, 7 at 1x)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    files = guide_files()
    work = Path(tempfile.mkdtemp(prefix="prepdeck-scale-"))
    rows = {}
    rounds = {n: args.rounds or ROUNDS.get(n, DEFAULT_ROUNDS) for n in sizes}
    try:
        for n in sizes:
            rows[n] = measure(files, n, work / f"x{n}", rounds[n])
        if 1 in rows:
            base = work / "x1" / f"out-{rounds[1] - 1}"
            for n in sizes:
                if n != 1:
                    out = work / f"x{n}" / f"out-{rounds[n] - 1}"
                    rows[n]["detail_vs_1x"] = paired_detail(base, out)
                    print(
                        f"detail p50 {n}x/1x, servers taking turns: {rows[n]['detail_vs_1x']:.2f}"
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows)
    return 0


def copies(files: list[Path], n: int, folder: Path) -> Path:
    """``n`` copies of every guide in ``folder``: ``x.mdx``, ``x--2.mdx`` ... ``x--n.mdx``."""
    folder.mkdir(parents=True)
    for f in files:
        data = f.read_bytes()
        for k in range(1, n + 1):
            name = f.name if k == 1 else f"{f.stem}--{k}{f.suffix}"
            (folder / name).write_bytes(data)
    return folder


def edit(folder: Path, round_no: int) -> None:
    """Edit one sentence in the middle of one guide (a new word in a line of prose)."""
    path = sorted(folder.glob("*.mdx"))[len(list(folder.glob("*.mdx"))) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    mid = len(lines) // 2
    at = next(i for i in range(mid, len(lines)) if lines[i].rstrip().endswith("."))
    lines[at] = lines[at].rstrip()[:-1] + f" (edited {round_no})."
    path.write_text("\n".join(lines), encoding="utf-8")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the build's pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _child_build(guides: Path, out: Path) -> int:
    """Run in a fresh process: one build, timed after the imports; prints wall and CPU
    seconds (CPU: the work done, whatever else the machine was doing)."""
    sys.path.insert(0, str(ROOT))
    import prepdeck
    from corpus import build

    artifacts = prepdeck._artifacts()
    start, cpu = time.perf_counter(), _cpu()
    build([guides], out, artifacts)
    print(time.perf_counter() - start, _cpu() - cpu)
    return 0


def _timed_build(guides: Path, out: Path) -> tuple[float, float]:
    cmd = [sys.executable, __file__, "--child-build", str(guides), str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    wall, cpu = done.stdout.split()[-2:]
    return float(wall), float(cpu)


def _bytecode_env(work: Path) -> dict[str, str]:
    """The environment of a timed ``prepdeck build``: bytecode read from (and written to) a
    cache in ``work``, whatever this machine's ``PYTHONDONTWRITEBYTECODE`` says, and
    written once before any timing (``_timed_process``'s first, untimed, run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    return env


def _timed_process(guides: Path, out: Path, env: dict[str, str]) -> float:
    cmd = [sys.executable, "-m", "prepdeck", "build", "--guides", str(guides), "--out", str(out)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def measure(files: list[Path], n: int, work: Path, rounds: int) -> dict:
    guides = copies(files, n, work / "guides")
    texts = [p.read_text(encoding="utf-8") for p in sorted(guides.glob("*.mdx"))]
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"== {n}x: {len(texts)} guides, {size_mb:.1f} MB", flush=True)
    raw = MarkdownIt("commonmark").enable("table")
    tok, full, rebuild, process, cpu = [], [], [], [], []
    env = _bytecode_env(work)
    if n == 1:  # compiles and caches the bytecode; a build of its own, not timed
        _timed_process(guides, work / "process-warm-up", env)
    for r in range(rounds):
        start, used = time.perf_counter(), _cpu()
        for text in texts:
            raw.parse(text)
        tok.append(time.perf_counter() - start)
        tok_cpu = _cpu() - used
        out = work / f"out-{r}"
        wall, full_cpu = _timed_build(guides, out)
        full.append(wall)
        cpu.append(full_cpu / tok_cpu)
        edit(guides, r)
        rebuild.append(_timed_build(guides, out)[0])
        if n == 1:
            process.append(_timed_process(guides, work / f"process-{r}", env))
        print(
            f"round {r + 1}: tokenize {tok[-1]:.2f} s, full build {full[-1]:.2f} s "
            f"(CPU {cpu[-1]:.2f}x tokenization's), edit rebuild {rebuild[-1]:.2f} s"
            + (f", whole `prepdeck build` {process[-1]:.2f} s" if process else ""),
            flush=True,
        )
    row = {
        "guides": len(texts),
        "mb": size_mb,
        "full": [f / t for f, t in zip(full, tok, strict=True)],
        "cpu": cpu,
        "rebuild": [b / f for b, f in zip(rebuild, full, strict=True)],
        "process": [p / t for p, t in zip(process, tok, strict=False)],
    }
    row.update(serve(work / f"out-{rounds - 1}"))
    row.update(cold_search(work / f"out-{rounds - 1}"))
    return row


@contextlib.contextmanager
def _server(out: Path) -> Iterator[tuple[str, int, float, int]]:
    """`prepdeck serve --workers 1` on a made build, ready: host, port, seconds it took
    to get ready, and its pid."""
    env = {**os.environ, "PREPDECK_HOME": str(out), "PREPDECK_RATE_LIMIT": "off"}
    guides = out.parent / "guides"
    cmd = [sys.executable, "-m", "prepdeck", "serve", "--port", "0", "--guides", str(guides)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        line = ""
        while not line.startswith("API:"):
            line = proc.stdout.readline()
            if not line:
                raise SystemExit(f"prepdeck serve exited with {proc.wait()}")
        host, port = line.split()[1].removeprefix("http://").split("/")[0].rsplit(":", 1)
        while not _ready(host, int(port)):
            if time.perf_counter() - start > READY_TIMEOUT or proc.poll() is not None:
                raise SystemExit("prepdeck serve did not get ready")
            time.sleep(0.02)
        yield host, int(port), time.perf_counter() - start, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def serve(out: Path) -> dict:
    """Seconds from starting the server to ready, and its RSS after detail requests."""
    with _server(out) as (host, port, ready, pid):
        p50, p99 = detail_latency(host, port, out)
        rss = _rss_mb(pid)
    print(f"ready {ready:.2f} s; detail p50 {p50:.3f} ms p99 {p99:.3f} ms; RSS {rss:.0f} MB")
    return {"ready": ready, "detail_p50": p50, "detail_p99": p99, "rss": rss}


def paired_detail(base: Path, other: Path, rounds: int = PAIRED_ROUNDS) -> float:
    """Detail p50 on ``other``'s build over p50 on ``base``'s: both servers run at once
    and take turns, a batch of requests each per round, so a machine that gets busier
    or quieter meanwhile weighs on both alike (measured a size at a time, minutes apart,
    the 3x ratio ranged from 1.04 to 1.31 over five runs on an idle 2-core machine)."""
    with _server(base) as (bhost, bport, _, _), _server(other) as (ohost, oport, _, _):
        base_times: list[float] = []
        other_times: list[float] = []
        for r in range(rounds):
            base_times += _detail_times(bhost, bport, base, seed=r)
            other_times += _detail_times(ohost, oport, other, seed=r)
    return statistics.median(other_times) / statistics.median(base_times)


def _ready(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def _question_ids(out: Path) -> list[str]:
    """Every question id of the current build (read from its corpus, not the API)."""
    import corpus

    data = corpus.load_corpus(out)
    return [q.id for g in data.guides for q in g.questions]


def detail_latency(host: str, port: int, out: Path) -> tuple[float, float]:
    """p50 and p99 (ms) of question-detail requests over one keep-alive connection."""
    times = sorted(_detail_times(host, port, out, seed=13, requests=DETAIL_REQUESTS))
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000


def _detail_times(
    host: str, port: int, out: Path, seed: int, requests: int = PAIRED_BATCH
) -> list[float]:
    """Seconds of each of ``requests`` question-detail requests (a random sample of
    questions in every format) over one keep-alive connection."""
    rng = random.Random(seed)
    ids = _question_ids(out)
    formats = ("", "?format=html", "?format=text")
    paths = [f"/v1/questions/{rng.choice(ids)}{rng.choice(formats)}" for _ in range(requests)]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    times = []
    for path in paths:
        start = time.perf_counter()
        conn.request("GET", path, headers=HEADERS)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    conn.close()
    return times


def cold_search(out: Path) -> dict:
    """Cold search p50/p99 in-process against FTS5 over the same documents."""
    import search

    import corpus
    from search_index import RESULTS, SearchIndex

    data = corpus.load_corpus(out)
    ix = SearchIndex.open(corpus.build_dir(out, data.hash), data)
    db = search.fts_database(out / "fts.sqlite", data)

    def cold(q: str) -> object:
        RESULTS.clear()
        return ix.search(q, limit=10)

    for q in search.QUERIES:
        cold(q)
        search.fts_search(db, search.fts_match(q, " OR "))
    ours = search.latencies(cold)
    fts = search.latencies(lambda q: search.fts_search(db, search.fts_match(q, " OR ")))
    ix.close()
    db.close()
    found = {
        "search_p50": search.p(ours, 50) * 1000,
        "search_p99": search.p(ours, 99) * 1000,
        "fts_p50": search.p(fts, 50) * 1000,
    }
    print(
        f"cold search p50 {found['search_p50']:.2f} ms p99 {found['search_p99']:.2f} ms; "
        f"FTS5 p50 {found['fts_p50']:.2f} ms"
    )
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def report(rows: dict[int, dict]) -> None:
    print()
    print(
        "size  guides    MB  full/tok          full CPU/tok      rebuild/full      ready s  "
        "RSS MB  detail p50/p99 ms  search p50/p99 ms  FTS5 p50 ms"
    )
    for n, r in rows.items():
        print(
            f"{n:>3}x  {r['guides']:>6}  {r['mb']:>4.0f}  {_spread(r['full']):<16}  "
            f"{_spread(r['cpu']):<16}  "
            f"{_spread(r['rebuild']):<16}  {r['ready']:>7.2f}  {r['rss']:>6.0f}  "
            f"{r['detail_p50']:>7.3f}/{r['detail_p99']:<8.3f}  "
            f"{r['search_p50']:>7.2f}/{r['search_p99']:<8.2f}  {r['fts_p50']:>10.2f}"
        )
    base = rows.get(1)
    for n, r in rows.items():
        target(f"full_build_vs_tokenize_{n}x", statistics.median(r["full"]), 3.0)
        if r["process"]:
            target(f"build_process_vs_tokenize_{n}x", statistics.median(r["process"]), 3.0)
        target(f"edit_rebuild_vs_full_{n}x", statistics.median(r["rebuild"]), 0.15)
        target(f"ready_seconds_{n}x", r["ready"], 3.0)
        target(f"rss_per_worker_mb_{n}x", r["rss"], 150, "{:.0f}")
        if base is not None and n != 1:
            target(f"detail_p50_vs_1x_{n}x", r["detail_vs_1x"], 1.1)
        target(f"search_p50_vs_fts5_{n}x", r["search_p50"] / r["fts_p50"], 1.5)


if __name__ == "__main__":
    sys.exit(main())
