"""Heavy requests (bulk bodies, decks): a per-client cap, one computation per resource.

How fast `/healthz` stays while heavy requests run is a measurement, not a test: it is
`benchmarks/api.py`'s target `api_healthz_during_heavy_ms`.
"""

from __future__ import annotations

import asyncio
import threading

import httpx

from api.http.heavy import Flights, HeavyGate, heavy_paths

DECKS = [
    "/v1/guides/mercor/deck.apkg",
    "/v1/guides/mercor/deck.apkg?cards=red-flag",
    "/v1/guides/mercor/deck.apkg?cards=follow-ups",
    "/v1/guides/mercor/deck.apkg?cards=red-flag,follow-ups",
    "/v1/guides/mercor/deck.apkg?tag=caching-streaming",
    "/v1/guides/mercor/deck.apkg?tag=core-design-principles",
]


def test_one_client_gets_a_429_past_its_heavy_cap(serve, tmp_path):
    """Six decks no one has asked for yet, at once from one address: each takes the
    exporter a while, so two run and the others are refused at once, and served later."""
    with serve(tmp_path, env={"PREPDECK_RATE_LIMIT": "600/minute"}) as s:
        barrier = threading.Barrier(len(DECKS))
        answers: dict[str, httpx.Response] = {}

        def download(path: str) -> None:
            with s.client() as c:
                barrier.wait()
                answers[path] = c.get(path)

        threads = [threading.Thread(target=download, args=(p,)) for p in DECKS]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refused = [p for p, r in answers.items() if r.status_code == 429]
        assert {r.status_code for r in answers.values()} == {200, 429}
        assert len(refused) <= len(DECKS) - 2
        for path in refused:
            r = answers[path]
            assert r.headers["content-type"] == "application/problem+json"
            assert r.headers["retry-after"] == "1"
            assert "at most 2 downloads at a time" in r.json()["detail"]
        with s.client() as c:  # nothing is lost: asked again one at a time, all are served
            assert [c.get(p).status_code for p in refused] == [200] * len(refused)


def test_heavy_requests_share_one_computation(server):
    """Eight identical requests for an uncomputed body all get the same one."""
    url = "/v1/guides/mercor/bulk.ndjson?format=text"

    async def fetch_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as c:
            return await asyncio.gather(*(c.get(url) for _ in range(8)))

    answers = asyncio.run(fetch_all())
    assert {r.status_code for r in answers} == {200}
    assert len({r.headers["etag"] for r in answers}) == 1
    assert len({r.content for r in answers}) == 1


def test_followers_wait_for_the_leader():
    async def scenario() -> list[str]:
        flights, order = Flights(), []
        key = ("/v1/bulk.json", b"")
        assert not await flights.follow(key)  # nothing in progress: lead
        ready = flights.lead(key)

        async def follower(n: int) -> None:
            assert await flights.follow(key)
            order.append(f"follower {n}")

        waiting = [asyncio.create_task(follower(n)) for n in range(3)]
        await asyncio.sleep(0)
        order.append("leader done")
        flights.land(key, ready)
        await asyncio.gather(*waiting)
        assert flights.running == {}
        return order

    assert asyncio.run(scenario()) == ["leader done", "follower 0", "follower 1", "follower 2"]


def test_gate_counts_each_client():
    gate = HeavyGate(per_client=2)
    assert gate.enter("a") and gate.enter("a") and not gate.enter("a")
    assert gate.enter("b")
    gate.leave("a")
    assert gate.enter("a")
    for client in ("a", "a", "b"):
        gate.leave(client)
    assert gate.active == {}


def test_heavy_paths_match_templates():
    pattern = heavy_paths(["/v1/bulk.json", "/v1/guides/{guide:str}/deck.apkg"])
    assert pattern is not None
    assert pattern.match("/v1/bulk.json") and pattern.match("/v1/guides/mercor/deck.apkg")
    assert not pattern.match("/v1/guides/mercor") and not pattern.match("/v1/bulk.jsonx")
    assert heavy_paths([]) is None
