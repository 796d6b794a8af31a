"""``pool.start``: work begun on other processes while this one goes on, its results in
order, its errors raised where they are awaited."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from corpus import pool

BIG = pool.MIN_START_BYTES


def _pid(n: int) -> tuple[int, int]:
    return n, os.getpid()


def _fail(n: int) -> int:
    if n == 2:
        raise ValueError(f"job {n} failed")
    return n


def _after(go: Path) -> str:
    """Wait (up to 10 s) for ``go``, which the caller makes only once ``start`` returned."""
    deadline = time.monotonic() + 10
    while not go.exists():
        if time.monotonic() > deadline:
            return "start did not return while the job ran"
        time.sleep(0.01)
    return "ran meanwhile"


pytestmark = pytest.mark.skipif(pool.cpu_count() < 2, reason="needs two cores")


def test_one_big_job_runs_in_another_process_and_this_one_goes_on(tmp_path: Path) -> None:
    go = tmp_path / "go"
    wait = pool.start(_after, [(go,)], [BIG], None)
    go.touch()
    assert wait() == ["ran meanwhile"]


def test_results_come_in_order_from_the_workers() -> None:
    args = [(n,) for n in range(6)]
    got = pool.start(_pid, args, [BIG * (n + 1) for n in range(6)], None)()
    assert [n for n, _ in got] == list(range(6))
    assert os.getpid() not in {pid for _, pid in got}


@pytest.mark.parametrize("processes,sizes", [(1, [BIG] * 3), (None, [10] * 3)])
def test_asked_for_one_process_or_given_little_work_it_runs_here(processes, sizes) -> None:
    wait = pool.start(_pid, [(n,) for n in range(3)], sizes, processes)
    assert wait() == [(n, os.getpid()) for n in range(3)]


def test_with_another_thread_running_the_work_is_done_here() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        wait = pool.start(_pid, [(n,) for n in range(2)], [BIG] * 2, None)
    finally:
        stop.set()
        other.join()
    assert wait() == [(n, os.getpid()) for n in range(2)]


@pytest.mark.parametrize("processes", [1, 2])
def test_a_failed_job_raises_when_awaited(processes: int) -> None:
    args = [(n,) for n in range(4)]
    if processes == 1:
        with pytest.raises(ValueError, match="job 2 failed"):
            pool.start(_fail, args, [BIG] * 4, processes)
        return
    wait = pool.start(_fail, args, [BIG] * 4, processes)
    with pytest.raises(ValueError, match="job 2 failed"):
        wait()
