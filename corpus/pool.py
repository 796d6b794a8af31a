"""Making units (a guide parsed, plus its artifact parts) on every core.

Each unit depends on its own guide only, so the guides are shared out among worker
processes, largest first (so the last one to finish is a small one), and the units come
back in the order they were asked for: a build is the same with 1 process or 16.

Small jobs (one guide, or less text than ``MIN_POOL_CHARS``) are made in this process:
starting workers would cost more than it saves. Workers are forked when this process has
no other thread (the cheapest start: they inherit every imported module); with threads
around, forking could copy a lock some thread holds, so they come from a fork server.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import msgspec

from . import cache
from .fragments import Fragments
from .parser import collector_paused, parse_guide
from .stats import guide_entry
from .store import Made, Part, Previous

MIN_POOL_CHARS = 1_000_000  # below this, a pool's start-up costs more than it saves
# ``start``: work worth a process of its own while this one goes on (a fork and a pipe cost
# about 10 ms; writing a search segment of this size, about 15 ms)
MIN_START_BYTES = 100_000

R = TypeVar("R")
_guide_encoder = msgspec.json.Encoder()


@dataclass(frozen=True)
class Job:
    """One guide to parse into a unit and keep in the cache as ``key``."""

    key: str
    name: str
    text: str
    slug: str | None  # forced slug (the guide's own was taken by an earlier one), or None
    # each artifact's part of an earlier version of the file, made by the same code
    previous: dict[str, Previous] = field(default_factory=dict)


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_units(
    jobs: Sequence[Job],
    parts: Sequence[tuple[str, Part]],
    folder: Path | None,
    processes: int | None = None,
) -> list[cache.Unit]:
    """The unit of every job, in order; each is also kept in the cache ``folder`` if any.

    ``processes`` None picks every core for a big enough job, else one process.
    """
    args = [(job, tuple(parts), folder) for job in jobs]
    sizes = [len(job.text) for job in jobs]
    return [cache.decode(raw) for raw in run(_make, args, sizes, processes)]


def processes_for(sizes: Sequence[int], processes: int | None) -> int:
    """How many processes ``run`` uses for jobs of ``sizes`` (1: this one, no pool)."""
    if processes is None:
        big = len(sizes) > 1 and sum(sizes) >= MIN_POOL_CHARS
        processes = cpu_count() if big else 1
    return max(1, min(processes, len(sizes)))


def run(
    fn: Callable[..., R], args: Sequence[tuple], sizes: Sequence[int], processes: int | None
) -> list[R]:
    """``fn(*a)`` for each of ``args``, in order, largest (by ``sizes``) started first, on
    ``processes`` processes (None: every core when the sizes add up to ``MIN_POOL_CHARS``;
    one process runs them here). ``fn`` must be a module-level function."""
    return start(fn, args, sizes, processes_for(sizes, processes))()


def start(
    fn: Callable[..., R], args: Sequence[tuple], sizes: Sequence[int], processes: int | None
) -> Callable[[], list[R]]:
    """``run``, begun: ``fn(*a)`` for each of ``args`` starts on ``processes`` other
    processes and the function returned waits for the results, in order (raising what a
    job raised). None: every core, even for one job, so this process goes on meanwhile;
    but the jobs run here, at once, with one core, with less than ``MIN_START_BYTES`` of
    work, or with another thread running (forking is unsafe then, and a fork server's
    fresh interpreter costs more than it saves). ``processes`` 1: here, at once."""
    _reap()
    if processes is None:  # not worth a fork server's fresh interpreter (threads about)
        alone = threading.active_count() == 1
        worth = alone and cpu_count() > 1 and sum(sizes) >= MIN_START_BYTES
        processes = cpu_count() if worth else 1
    if processes == 1 or not args:
        results = [fn(*a) for a in args]
        return lambda: results
    largest_first = sorted(range(len(args)), key=lambda i: -sizes[i])
    executor = ProcessPoolExecutor(min(processes, len(args)), mp_context=_context())
    before = set(threading.enumerate())
    # A forked worker inherits every object of this process, and its collector would walk
    # them all again and again, writing to (so copying) their pages: frozen, they are left
    # alone (about half the workers' collecting time, measured on the shared guides). The
    # workers are forked as the first job is submitted.
    with frozen():
        futures = {i: executor.submit(fn, *args[i]) for i in largest_first}
    threads = [t for t in threading.enumerate() if t not in before]

    def wait() -> list[R]:
        try:
            return [futures[i].result() for i in range(len(args))]
        finally:
            # The workers exit while this process goes on (an exit takes a worker some
            # milliseconds); the pool's threads are waited for before any other pool
            # starts, and when the build ends (``frozen``).
            executor.shutdown(wait=False)
            _exiting.extend(threads)

    return wait


_exiting: list[threading.Thread] = []  # of pools shut down, whose workers may still exit


def _reap() -> None:
    """Wait for the pools shut down so far to be gone (their threads end with their
    workers)."""
    while _exiting:
        _exiting.pop().join()


_frozen = 0  # how many ``frozen`` blocks this process is in


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Every object alive now is left out of garbage collection until the outermost such
    block ends: what a build finds in memory (the modules, the caller's data) is not its
    garbage, and walking it again at every full collection is work for nothing. Blocks
    nest: each freezes what is alive when it starts; the outermost unfreezes it all, once
    the pools shut down meanwhile are gone (so a build leaves no worker behind)."""
    global _frozen
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if not _frozen:
            _reap()
            gc.unfreeze()


def _context() -> multiprocessing.context.BaseContext:
    method = "fork" if threading.active_count() == 1 else "forkserver"
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    return multiprocessing.get_context(method)


def _make(job: Job, parts: tuple[tuple[str, Part], ...], folder: Path | None) -> bytes:
    """Parse one guide, run every artifact's part on it, keep the unit; the unit's bytes
    (bytes cross between processes far faster than a tree of Structs)."""
    data: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    # The parts read the parser's tokens, alive until they are done: the collector stays
    # paused as it is for the parse (4% of a unit's work on the shared guides).
    with collector_paused():
        fragments = Fragments()
        guide = parse_guide(job.text, job.name, job.slug, fragments)
        for name, part in parts:
            made = part(guide, job.previous.get(name), fragments)
            if isinstance(made, Made):
                data[name] = made.data
                files.update((f"{name}/{file}", blob) for file, blob in made.files.items())
            else:
                data[name] = made
        del fragments
    if files and folder is None:
        raise RuntimeError("a part made files, and there is no cache folder to keep them")
    digests = cache.store_files(folder, job.key, files) if files and folder else {}
    unit = cache.Unit(
        entry=guide_entry(guide), guide=_guide_encoder.encode(guide), parts=data, files=digests
    )
    payload = cache.encode(unit)
    if folder is not None:
        cache.store(folder, job.key, payload)
    return payload
