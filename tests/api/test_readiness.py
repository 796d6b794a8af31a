"""/readyz and the resources when the build is missing, corrupt or inconsistent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpus
import prepdeck
from api.config import Settings

OTHER_GUIDE = "# Other\n\n## Topic\n\n### What is a cache?\n\n**Answer:** A copy kept close.\n"


def fresh_build(out: Path) -> Path:
    return corpus.build(None, out, prepdeck._artifacts()).path


def problem_detail(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    return r.json()["detail"]


def test_missing_index_fails_search_and_readiness_only(tmp_path, app_client):
    build = fresh_build(tmp_path)
    shutil.rmtree(build / "index")
    with app_client(Settings(build=build, rate_limit=None)) as c:
        assert "search index" in problem_detail(c, "/readyz")
        assert "search index" in problem_detail(c, "/v1/search?q=cache")
        assert c.get("/v1/questions").status_code == 200
        assert c.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda b: shutil.rmtree(b / "api"), "response store missing"),
        (lambda b: (b / "api" / "catalog.msgpack").write_text("{not"), "unreadable catalog"),
    ],
    ids=["missing store", "corrupt catalog"],
)
def test_a_store_that_cannot_load_fails_everything_but_liveness(
    tmp_path, app_client, damage, reason
):
    build = fresh_build(tmp_path)
    damage(build)
    with app_client(Settings(build=build, rate_limit=None)) as c:
        assert reason in problem_detail(c, "/readyz")
        assert reason in problem_detail(c, "/v1/guides")
        assert reason in problem_detail(c, "/v1/questions/mercor/x")
        assert c.get("/healthz").json() == {"status": "ok"}


def test_a_worker_never_reads_the_corpus(tmp_path, app_client):
    build = fresh_build(tmp_path)
    (build / "corpus.json").write_text("{not json")
    with app_client(Settings(build=build, rate_limit=None)) as c:
        assert c.get("/readyz").status_code == 200
        assert c.get("/v1/search?q=cache").json()["total"] > 0
        assert c.get("/v1/guides").is_success
        assert c.get("/v1/questions/mercor/how-do-you-handle-database-scaling").is_success


def test_index_of_another_build_is_not_ready(tmp_path, app_client):
    build = fresh_build(tmp_path / "a")
    guide = tmp_path / "other.md"
    guide.write_text(OTHER_GUIDE)
    other = corpus.build([guide], tmp_path / "b", prepdeck._artifacts()).path
    shutil.rmtree(build / "index")
    shutil.copytree(other / "index", build / "index")
    with app_client(Settings(build=build, rate_limit=None)) as c:
        assert "search index" in problem_detail(c, "/readyz")


@pytest.mark.parametrize("damage", ["manifest", "index", "store"])
def test_damage_after_start_turns_readiness_off(tmp_path, app_client, damage):
    build = fresh_build(tmp_path)
    with app_client(Settings(build=build, rate_limit=None)) as c:
        assert c.get("/readyz").status_code == 200
        if damage == "manifest":
            (build / "BUILD.json").unlink()
        elif damage == "store":
            (build / "api" / "guides" / "mercor.sqlite").write_bytes(b"garbage")
            assert "response store damaged" in problem_detail(c, "/readyz")
            # changed in place: never read through the map again (it could kill the worker)
            question = "/v1/questions/mercor/how-do-you-handle-database-scaling?format=text"
            assert "changed in place" in problem_detail(c, question)
        else:
            for f in (build / "index").iterdir():
                if f.is_file():
                    f.write_bytes(b"garbage")
        assert problem_detail(c, "/readyz")


def test_without_a_build_setting_the_current_build_is_served(built, app_client, monkeypatch):
    monkeypatch.setenv("PREPDECK_HOME", str(built.path.parent.parent))
    monkeypatch.delenv("PREPDECK_BUILD", raising=False)
    with app_client(Settings.from_env()) as c:
        assert c.get("/readyz").json()["hash"] == built.hash
