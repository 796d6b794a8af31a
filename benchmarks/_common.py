"""Helpers shared by the benchmark scripts: where the guides are, timing, target lines."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_GUIDES = ROOT.parent / "shared" / "guides"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def guide_files() -> list[Path]:
    """Every real-world guide; exits cleanly when ../shared/guides is absent."""
    files = sorted(SHARED_GUIDES.glob("*.mdx"))
    if not files:
        print(f"skipped: no guides in {SHARED_GUIDES.name} beside the project")
        sys.exit(0)
    return files


def best_of(fn: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` timings of ``fn`` (the least disturbed by a noisy machine)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def interleaved(
    a: Callable[[], object], b: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """Best times of ``a`` and ``b`` measured alternately, so both see the same noise."""
    ta = tb = float("inf")
    for _ in range(rounds):
        ta = min(ta, best_of(a, 1))
        tb = min(tb, best_of(b, 1))
    return ta, tb


def target(name: str, value: float, limit: float, fmt: str = "{:.2f}") -> bool:
    """Print the one line per target that `make bench` readers look for."""
    ok = value <= limit
    verdict = "ok" if ok else "MISSED"
    print(f"target {name}: {fmt.format(value)} (limit {fmt.format(limit)}) {verdict}")
    return ok
