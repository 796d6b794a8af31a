"""Faults around builds: a build killed mid-write leaves the previous one servable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import corpus

ROOT = Path(__file__).resolve().parents[1]


def test_build_killed_mid_write_leaves_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    corpus.build(None, out)
    before = corpus.current_hash(out)
    guides = tmp_path / "guides"
    guides.mkdir()
    # Enough guides that the build is still writing when it is killed.
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    for n in range(40):
        (guides / f"copy{n}.md").write_text(text.replace("Mercor", f"Mercor {n}"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "prepdeck", "build", "--guides", str(guides), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    builds = out / "builds"
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".staging-") for p in builds.iterdir()):
        assert proc.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert corpus.current_hash(out) == before
    assert corpus.load_corpus(out).guides[0].slug == "mercor"
    # The next build cleans up after the killed one.
    corpus.build([guides], out)
    assert not [p for p in builds.iterdir() if p.name.startswith(".staging-")]
    assert len(corpus.load_corpus(out).guides) == 40
