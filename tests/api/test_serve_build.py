"""`prepdeck serve --build PATH`: a build made elsewhere, served without its guides, checked
file by file first; a damaged or foreign one is one error line, never served."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import corpus
import prepdeck

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> corpus.BuildResult:
    """A build made on "another machine": its guides are gone once it is written."""
    where = tmp_path_factory.mktemp("elsewhere")
    guides = where / "guides"
    guides.mkdir()
    shutil.copy(corpus.DEFAULT_GUIDES / "mercor.md", guides / "mercor.md")
    result = corpus.build([guides], where / "out", prepdeck._artifacts())
    shutil.rmtree(guides)
    return result


@pytest.mark.parametrize("which", ["build folder", "output folder"])
def test_a_build_made_elsewhere_is_served_as_it_is(made, serve, tmp_path, which):
    path = made.path if which == "build folder" else made.path.parent.parent
    (tmp_path / "home").mkdir()
    with serve(tmp_path / "home", "--build", str(path)) as s, s.client() as c:
        ready = c.get("/readyz")
        assert ready.status_code == 200 and ready.json()["hash"] == made.hash
        question = c.get("/v1/questions/mercor/how-do-you-handle-database-scaling")
        assert question.status_code == 200
        assert c.get("/v1/search?q=database+scaling").json()["total"] > 0
    assert not (tmp_path / "home" / "builds").exists()  # nothing was built here


def serve_fails(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "prepdeck", "serve", "--port", "0", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_damaged_build_is_refused_in_one_line(made, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(made.path.parent.parent, copy)
    damaged = copy / "builds" / made.hash / "api" / "guides" / "mercor.sqlite"
    damaged.write_bytes(b"garbage")
    line = serve_fails("--build", str(copy))
    assert line.startswith("error: damaged build:") and "mercor.sqlite" in line


def test_no_build_there_is_one_line(tmp_path):
    assert "no build here" in serve_fails("--build", str(tmp_path))
    assert "nope: no build here" in serve_fails("--build", str(tmp_path / "nope"))


def test_build_and_guides_exclude_each_other(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "prepdeck", "serve", "--build", str(tmp_path), "--guides", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "not allowed with argument" in done.stderr
