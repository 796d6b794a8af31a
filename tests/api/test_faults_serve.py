"""Faults around a running `prepdeck serve`, each on a real server process on 127.0.0.1.

- a damaged or deleted search index (or a deleted build): ``/readyz`` answers 503 with the
  reason, and `prepdeck build` repairs it; the server opens the repaired index by itself;
- SIGTERM under load: requests in flight finish, new ones are refused, never a hang or a
  truncated body, and the server exits 0;
- a guide edited while the server runs: nothing reads it until `prepdeck build`, and the
  new build is served only after a reload (SIGHUP), each answer from one whole build.

(A build killed mid-write is in tests/test_faults_build.py.)
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import corpus

ROOT = Path(__file__).resolve().parents[2]
NO_LIMIT = {"PREPDECK_RATE_LIMIT": "off"}
WAIT = 60  # seconds: the bound of every wait for the server to change state
QUESTION = "/v1/questions/mercor/how-do-you-handle-database-scaling"
EDIT_AFTER = "You never jump straight to sharding."
MARKER = "EDITED-WHILE-SERVING"


def prepdeck(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the `prepdeck` command with ``PREPDECK_HOME=home``."""
    return subprocess.run(
        [sys.executable, "-m", "prepdeck", *args],
        cwd=ROOT,
        env={**os.environ, "PREPDECK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def eventually(probe: Callable[[], bool], what: str) -> None:
    """Poll ``probe`` until it holds; fail saying ``what`` did not happen (never a timing test)."""
    deadline = time.monotonic() + WAIT
    while not probe():
        assert time.monotonic() < deadline, f"{what} did not happen"
        time.sleep(0.1)


def fetch(base: str, path: str) -> tuple[str, int, bytes]:
    """One GET on a new connection: ``("complete", status, body)``, ``("refused", 0, b"")``
    when no answer started, ``("truncated", status, b"")`` when it stopped half-way, or
    ``("hang", 0, b"")`` when nothing came for 20 s."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        try:
            conn.request("GET", path, headers={"Connection": "close"})
            resp = conn.getresponse()
        except ConnectionError:  # refused, reset, or closed before a byte of the answer
            return "refused", 0, b""
        try:
            return "complete", resp.status, resp.read()
        except (http.client.IncompleteRead, ConnectionError):
            return "truncated", resp.status, b""
    except TimeoutError:
        return "hang", 0, b""
    finally:
        conn.close()


def readyz(base: str) -> tuple[int, dict]:
    outcome, status, body = fetch(base, "/readyz")
    assert outcome == "complete", outcome
    return status, json.loads(body)


# -- a damaged index, repaired by `prepdeck build` ------------------------------------------


@pytest.fixture(scope="module")
def damage_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("damage-home")


@pytest.fixture(scope="module")
def damage_server(serve, damage_home):
    """One server for the damage tests; each test leaves its build repaired."""
    with serve(damage_home, env=NO_LIMIT) as s:
        yield s


def _garble_index(build: Path) -> None:
    for f in (build / "index").iterdir():
        if f.is_file():
            f.write_bytes(b"garbage")


DAMAGE: dict[str, tuple[Callable[[Path], object], str, bool, int]] = {
    # name: (what is done to the build, what /readyz says, whether build says "damaged",
    # a question's status meanwhile: served from what is open, or 503 from a store file
    # changed in place, which is never read again)
    "corrupted index": (_garble_index, "search index", True, 200),
    "deleted index": (lambda b: shutil.rmtree(b / "index"), "search index", True, 200),
    "deleted build": (shutil.rmtree, "removed from disk", False, 200),
    "corrupted store": (
        lambda b: (b / "api" / "guides" / "mercor.sqlite").write_bytes(b"garbage"),
        "response store",
        True,
        503,
    ),
    "deleted store": (lambda b: shutil.rmtree(b / "api"), "response store", True, 200),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_not_ready_until_prepdeck_build_repairs_it(
    damage_server, damage_home, damage
):
    base = damage_server.url
    status, ready = readyz(base)
    assert status == 200
    harm, reason, reported, question = DAMAGE[damage]
    assert fetch(base, QUESTION)[1] == 200
    harm(corpus.build_dir(damage_home, ready["hash"]))

    outcome, status, body = fetch(base, "/readyz")
    assert (outcome, status) == ("complete", 503)
    problem = json.loads(body)
    assert problem["status"] == 503 and reason in problem["detail"]
    assert "prepdeck build" in problem["detail"]  # the way out is in the answer
    assert fetch(base, QUESTION)[1] == question  # what is open is still served

    done = prepdeck(damage_home, "build")
    assert done.returncode == 0, done.stderr
    assert ("rebuilt a damaged build" in done.stderr) == reported
    eventually(lambda: readyz(base)[0] == 200, "readiness after the repair")
    assert readyz(base)[1]["hash"] == ready["hash"]  # the same build, whole again
    outcome, status, body = fetch(base, "/v1/search?q=database+scaling")
    assert (outcome, status) == ("complete", 200) and json.loads(body)["total"] > 0


def test_a_restart_repairs_a_damaged_build(serve, tmp_path):
    """`prepdeck serve` verifies the build it finds, so a restart serves a whole one."""
    with serve(tmp_path, env=NO_LIMIT) as s:
        digest = readyz(s.url)[1]["hash"]
        assert s.stop() == 0
    _garble_index(corpus.build_dir(tmp_path, digest))
    (corpus.build_dir(tmp_path, digest) / "corpus.json").write_text("{not json")
    with serve(tmp_path, env=NO_LIMIT) as s:
        status, ready = readyz(s.url)
        assert status == 200 and ready["hash"] == digest
        assert "rebuilt a damaged build" in s.log.read_text()
        assert s.stop() == 0


# -- SIGTERM under load -------------------------------------------------------------------


def _load_paths(base: str) -> list[str]:
    """A mix of every kind of request, decks of many selections (each exported on demand)."""
    questions = json.loads(fetch(base, "/v1/questions?limit=100")[2])["items"]
    topics = sorted({q["topic"]["id"] for q in questions})  # each selects some questions
    decks = [
        f"/v1/guides/mercor/deck.apkg?topic={a}&topic={b}" for a, b in itertools.pairwise(topics)
    ]
    fixed = [
        QUESTION,
        "/v1/questions?limit=10&offset=5",
        "/v1/topics?guide=mercor",
        "/v1/search?q=cache+invalidation",
        "/v1/questions/random",
        "/v1/bulk.json",
        "/v1/guides/mercor",
    ]
    return [p for pair in itertools.zip_longest(fixed * 3, decks) for p in pair if p]


def _complete_http(answer: bytes) -> bool:
    """Whether raw ``answer`` is a whole ``200`` with as many body bytes as it announced."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lengths = [
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    ]
    return head.startswith(b"HTTP/1.1 200") and lengths == [len(body)]


def test_sigterm_under_load_finishes_in_flight_and_refuses_new(serve, tmp_path):
    with serve(tmp_path, "--workers", "2", env=NO_LIMIT) as s:
        paths = _load_paths(s.url)
        # (finished before SIGTERM, outcome, status) of every request
        results: list[tuple[bool, str, int]] = []
        term = threading.Event()  # set just before SIGTERM is sent
        signalled = threading.Event()  # set once it was sent

        def client(offset: int) -> None:
            for n in range(offset, offset + 2000):  # bounded in requests, and ends at
                outcome, status, _ = fetch(s.url, paths[n % len(paths)])  # the first refusal
                results.append((not term.is_set(), outcome, status))
                if outcome != "complete":
                    return

        def slow_reader(path: str, out: list[bytes]) -> None:
            """Starts reading an answer before SIGTERM and reads the rest after it."""
            parts = urlsplit(s.url)
            with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                request = f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                sock.sendall(request.encode())
                out.append(sock.recv(1024))
                signalled.wait(WAIT)
                while chunk := sock.recv(65536):
                    out[0] += chunk

        slow: list[list[bytes]] = [[], []]
        readers = [
            threading.Thread(target=slow_reader, args=(path, out))
            for path, out in zip(
                ("/v1/bulk.ndjson", "/v1/bulk.json?format=html"), slow, strict=True
            )
        ]
        clients = [threading.Thread(target=client, args=(i * 7,)) for i in range(8)]
        for t in readers + clients:
            t.start()
        try:
            eventually(lambda: len(results) >= 100 and all(slow), "a loaded server")
        finally:
            term.set()
            s.proc.send_signal(signal.SIGTERM)
            signalled.set()
            for t in readers + clients:
                t.join(timeout=WAIT)
        assert s.proc.wait(timeout=WAIT) == 0

    outcomes = {(before, outcome) for before, outcome, _ in results}
    assert not {o for _, o in outcomes} & {"hang", "truncated"}, outcomes
    assert (True, "refused") not in outcomes  # nothing refused before SIGTERM ...
    assert (False, "refused") in outcomes  # ... new requests refused after it
    assert {status for _, outcome, status in results if outcome == "complete"} == {200}
    assert all(_complete_http(answer) for (answer,) in slow)  # in flight, and whole


# -- a guide edited while the server runs -------------------------------------------------


def test_edited_guide_is_served_only_after_rebuild_and_reload(serve, tmp_path):
    guides = tmp_path / "guides"
    guides.mkdir()
    guide = guides / "mercor.md"
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    assert text.count(EDIT_AFTER) == 1
    guide.write_text(text)
    edited = text.replace(EDIT_AFTER, f"{EDIT_AFTER} {MARKER}.")
    home = tmp_path / "home"
    home.mkdir()

    with serve(home, "--guides", str(guides), "--workers", "2", env=NO_LIMIT) as s:
        old = readyz(s.url)[1]["hash"]
        old_answer = fetch(s.url, QUESTION + "?format=text")[2]
        # What each answer came from: readiness names its build's hash; a question is the
        # old build's bytes, or the edited one. An answer that never started (a connection
        # closed by a worker being replaced) is counted in ``refusals``.
        builds: list[str] = []
        questions: list[bytes] = []
        refusals: set[str] = set()
        stop = threading.Event()

        def reader() -> None:
            for _ in range(20_000):  # bounded; stopped by the test long before
                if stop.is_set():
                    return
                for path, into in (("/readyz", builds), (QUESTION + "?format=text", questions)):
                    outcome, status, body = fetch(s.url, path)
                    if (outcome, status) != ("complete", 200):
                        refusals.add(f"{outcome} {status}")
                    elif path == "/readyz":
                        into.append(json.loads(body)["hash"])
                    else:
                        into.append(body)

        def served() -> tuple[set[str], set[bytes]]:
            return set(builds), set(questions)

        def more_requests(n: int = 20) -> None:
            target = len(questions) + n
            eventually(lambda: len(questions) >= target or not thread.is_alive(), "more requests")

        thread = threading.Thread(target=reader)
        thread.start()
        try:
            # The edit, written in two halves, with a reload in between: there was no
            # rebuild, so the new workers serve the very same build, not the guide.
            with guide.open("w") as fh:
                fh.write(edited[: len(edited) // 2])
                fh.flush()
                more_requests()
                s.proc.send_signal(signal.SIGHUP)
                eventually(lambda: s.log.read_text().count("Terminated child") == 2, "a reload")
                more_requests()
                fh.write(edited[len(edited) // 2 :])
            more_requests()
            assert served() == ({old}, {old_answer})

            built = prepdeck(home, "build", "--guides", str(guides))
            assert built.returncode == 0, built.stderr
            new = corpus.current_hash(home)
            assert new != old
            more_requests()
            assert served() == ({old}, {old_answer})  # built, but served after a reload

            s.proc.send_signal(signal.SIGHUP)
            eventually(lambda: s.log.read_text().count("Terminated child") == 4, "a reload")
            more_requests()
        finally:
            stop.set()
            thread.join(timeout=WAIT)
        new_answer = questions[-1]
        assert MARKER.encode() in new_answer and builds[-1] == new
        assert served() == ({old, new}, {old_answer, new_answer})  # each from a whole build
        assert refusals <= {"refused 0"}  # never a hang, an error or half an answer
        assert s.stop() == 0


def test_reload_refuses_a_damaged_build_and_keeps_serving(serve, tmp_path):
    with serve(tmp_path, "--workers", "2", env=NO_LIMIT) as s:
        digest = readyz(s.url)[1]["hash"]
        (corpus.build_dir(tmp_path, digest) / "corpus.json").write_text("{not json")
        s.proc.send_signal(signal.SIGHUP)
        eventually(lambda: "reload refused" in s.log.read_text(), "a refused reload")
        assert "Terminated child" not in s.log.read_text()
        status, ready = readyz(s.url)
        assert status == 200 and ready["hash"] == digest
        assert s.stop() == 0


def test_one_worker_ignores_sighup(serve, tmp_path):
    with serve(tmp_path, env=NO_LIMIT) as s:
        s.proc.send_signal(signal.SIGHUP)
        eventually(lambda: "SIGHUP ignored" in s.log.read_text(), "the SIGHUP warning")
        assert readyz(s.url)[0] == 200
        assert s.stop() == 0
