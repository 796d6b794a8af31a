"""``pool.start``: work begun on other processes while this one goes on, its results in
order, its errors raised where they are awaited.

Each case runs in a fresh interpreter: whether ``start`` forks depends on the threads of
the process, and a test run has threads of its own (servers, plugins)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import pool

ROOT = Path(__file__).resolve().parents[2]

COMMON = """
import json, os, sys, threading, time
from pathlib import Path
from corpus import pool

BIG = pool.MIN_START_BYTES

def pid(n):
    return [n, os.getpid()]

def fail(n):
    if n == 2:
        raise ValueError(f"job {n} failed")
    return n

def after(go):
    # waits (up to 10 s) for ``go``, which the caller makes only once ``start`` returned
    deadline = time.monotonic() + 10
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            return "start did not return while the job ran"
        time.sleep(0.01)
    return "ran meanwhile"
"""


def _run(code: str, tmp_path: Path) -> object:
    done = subprocess.run(
        [sys.executable, "-c", COMMON + code, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


pytestmark = pytest.mark.skipif(pool.cpu_count() < 2, reason="needs two cores")


def test_one_big_job_runs_in_another_process_and_this_one_goes_on(tmp_path: Path) -> None:
    got = _run(
        """
go = os.path.join(sys.argv[1], "go")
wait = pool.start(after, [(go,)], [BIG], None)
Path(go).touch()
print(json.dumps(wait()))
""",
        tmp_path,
    )
    assert got == ["ran meanwhile"]


def test_results_come_in_order_from_the_workers(tmp_path: Path) -> None:
    got = _run(
        """
done = pool.start(pid, [(n,) for n in range(6)], [BIG * (n + 1) for n in range(6)], None)()
print(json.dumps({"order": [n for n, _ in done], "here": os.getpid() in {p for _, p in done}}))
""",
        tmp_path,
    )
    assert got == {"order": list(range(6)), "here": False}


@pytest.mark.parametrize(
    "case",
    ["pool.start(pid, args, [BIG] * 3, 1)", "pool.start(pid, args, [10] * 3, None)", "threaded"],
    ids=["one process asked", "little work", "another thread running"],
)
def test_otherwise_the_work_is_done_here_at_once(case: str, tmp_path: Path) -> None:
    code = """
args = [(n,) for n in range(3)]
if CASE == "threaded":
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    wait = pool.start(pid, args, [BIG] * 3, None)
    stop.set()
    other.join()
else:
    wait = eval(CASE)
print(json.dumps(wait() == [[n, os.getpid()] for n in range(3)]))
"""
    assert _run(f"CASE = {case!r}\n" + code, tmp_path) is True


@pytest.mark.parametrize("processes", [1, 2])
def test_a_failed_job_raises_when_awaited(processes: int, tmp_path: Path) -> None:
    got = _run(
        f"""
try:
    wait = pool.start(fail, [(n,) for n in range(4)], [BIG] * 4, {processes})
    started = True
    wait()
except ValueError as exc:
    print(json.dumps([started if {processes} > 1 else "at once", str(exc)]))
""",
        tmp_path,
    )
    expected_start = True if processes > 1 else "at once"
    assert got == [expected_start, "job 2 failed"]


def test_a_pool_s_workers_exit_meanwhile_and_are_waited_for_before_the_next(
    tmp_path: Path,
) -> None:
    """A pool's workers exit while this process goes on; the next pool, and the end of a
    build (``frozen``), wait for them: the next pool still forks (no thread is left),
    and nothing is left running."""
    got = _run(
        """
import multiprocessing
with pool.frozen():
    first = pool.start(pid, [(n,) for n in range(2)], [BIG] * 2, None)()
    second = pool.start(pid, [(n,) for n in range(2)], [BIG] * 2, None)()
print(json.dumps({
    "forked twice": all(p != os.getpid() for _, p in first + second),
    "threads": threading.active_count(),
    "children": len(multiprocessing.active_children()),
}))
""",
        tmp_path,
    )
    assert got == {"forked twice": True, "threads": 1, "children": 0}
