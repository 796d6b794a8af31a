"""Faults around builds: a build killed mid-write leaves the previous one servable, and a
build damaged after it was written is built again by the next `prepdeck build`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import corpus
import prepdeck

ROOT = Path(__file__).resolve().parents[1]


# A build whose last artifact stalls mid-write, so the test kills it at a known point:
# the same code path as `prepdeck build` (corpus.build), with a stand-in for a slow index.
STALLING_BUILD = """
import sys, time
from pathlib import Path
import corpus

def stall(folder, data):
    (folder / "partial").write_text("half written")
    Path(sys.argv[3]).write_text("writing")
    time.sleep(600)

stalling = corpus.Artifact(name="stall", version="1", write=stall)
corpus.build([Path(sys.argv[1])], Path(sys.argv[2]), [stalling])
"""


def test_build_killed_mid_write_leaves_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    corpus.build(None, out)
    before = corpus.current_hash(out)
    guides = tmp_path / "guides"
    guides.mkdir()
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    for n in range(3):
        (guides / f"copy{n}.md").write_text(text.replace("Mercor", f"Mercor {n}"))
    writing = tmp_path / "writing"
    proc = subprocess.Popen(
        [sys.executable, "-c", STALLING_BUILD, str(guides), str(out), str(writing)], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while not writing.exists():
            assert proc.poll() is None, "the stalling build ended on its own"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.01)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    builds = out / "builds"
    assert [p for p in builds.iterdir() if p.name.startswith(".staging-")]  # killed mid-write
    assert corpus.current_hash(out) == before
    assert corpus.verify_build(out, before) is None
    assert corpus.load_corpus(out).guides[0].slug == "mercor"
    # The next build cleans up after the killed one.
    corpus.build([guides], out)
    assert not [p for p in builds.iterdir() if p.name.startswith(".staging-")]
    assert len(corpus.load_corpus(out).guides) == 3


def _garble(path: Path) -> None:
    path.write_bytes(b"garbage")


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda b: _garble(b / "corpus.json"), "corpus.json"),
        (lambda b: shutil.rmtree(b / "index"), "index/"),
        (lambda b: _garble(next(p for p in (b / "index").iterdir() if p.is_file())), "index/"),
        (lambda b: _garble(b / "api" / "guides" / "mercor.sqlite"), "api/guides/mercor.sqlite"),
    ],
    ids=["corrupted corpus", "deleted index", "corrupted index file", "corrupted store"],
)
def test_a_damaged_build_is_built_again_in_its_place(tmp_path: Path, damage, where) -> None:
    out = tmp_path / "out"
    first = corpus.build(None, out, prepdeck._artifacts())
    assert corpus.verify_build(out, first.hash) is None
    damage(first.path)
    assert where in corpus.verify_build(out, first.hash)
    again = corpus.build(None, out, prepdeck._artifacts())
    assert (again.hash, again.up_to_date) == (first.hash, False)
    assert again.repaired is not None and where in again.repaired
    assert corpus.verify_build(out, first.hash) is None
    assert corpus.load_corpus(out).hash == first.hash
    assert not [p for p in (out / "builds").iterdir() if p.name.startswith(".")]
    assert corpus.build(None, out, prepdeck._artifacts()).up_to_date
