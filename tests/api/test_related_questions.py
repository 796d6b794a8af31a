"""``GET /v1/questions/{guide}/{slug}/related`` and synonyms, in process and on a real
``prepdeck serve`` that reads the synonyms.yaml beside its guides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCALING = "/v1/questions/mercor/how-do-you-handle-database-scaling/related"
GUIDE = """\
## Ops

<AccordionGroup>
<Accordion title="How do you drain a node?">
**Answer:** Cordon it so nothing new lands there, then evict its pods.
</Accordion>

<Accordion title="How do you cordon a node for maintenance?">
**Answer:** Cordon marks the node unschedulable; drain it before the maintenance.
</Accordion>

<Accordion title="How do Kubernetes pods find a service?">
**Answer:** Through the cluster DNS name of the service.
</Accordion>
</AccordionGroup>
"""


def test_related_has_the_shape_filters_and_errors_of_search(client):
    body = client.get(SCALING, params={"limit": 3}).json()
    assert body["query"] == "mercor/how-do-you-handle-database-scaling"
    assert len(body["hits"]) == 3 and body["total"] > 3
    assert body["query"] not in [h["id"] for h in body["hits"]]
    assert set(body["hits"][0]) == set(client.get("/v1/search?q=cache").json()["hits"][0])
    topic = "mercor/database-design-architecture"
    narrowed = client.get(SCALING, params={"topic": topic, "guide": "mercor"}).json()
    assert 0 < narrowed["total"] < body["total"]
    assert client.get(SCALING, params={"guide": "mercor"}).json()["total"] == body["total"]


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/v1/questions/mercor/no-such-question/related", 404, "has no question"),
        ("/v1/questions/nope/x/related", 404, "no guide"),
        (SCALING + "?guide=nope", 404, "guide 'nope' does not exist"),
        (SCALING + "?topic=mercor/nope", 404, "topic 'mercor/nope' does not exist"),
        (SCALING + "?limit=0", 422, "limit"),
        (SCALING + "?offset=-1", 422, "offset"),
    ],
)
def test_bad_related_requests_are_problems(client, url, status, detail):
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    assert detail in r.json()["detail"]


def test_a_real_server_serves_related_and_the_synonyms_beside_its_guides(serve, tmp_path: Path):
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "ops.md").write_text(GUIDE, encoding="utf-8")
    (guides / "synonyms.yaml").write_text("- wind down => drain\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PREPDECK_RATE_LIMIT": "off"}
    with serve(home, "--guides", str(guides), env=env) as s, s.client() as c:
        hit = c.get("/v1/search", params={"q": "wind down"}).json()["hits"][0]
        assert (hit["id"], hit["expanded"]) == ("ops/how-do-you-drain-a-node", ["drain"])
        hit = c.get("/v1/search", params={"q": "k8s"}).json()["hits"][0]  # the glossary
        assert (hit["id"], hit["expanded"]) == (
            "ops/how-do-kubernetes-pods-find-a-service",
            ["kubernetes"],
        )
        related = c.get("/v1/questions/ops/how-do-you-drain-a-node/related").json()
        assert related["hits"][0]["id"] == "ops/how-do-you-cordon-a-node-for-maintenance"


def test_a_bad_synonyms_file_stops_serve_with_one_line(tmp_path: Path):
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "ops.md").write_text(GUIDE, encoding="utf-8")
    (guides / "synonyms.yaml").write_text("- lonely\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "prepdeck", "serve", "--port", "0", "--guides", str(guides)],
        cwd=ROOT,
        env={**os.environ, "PREPDECK_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "synonyms.yaml: rule 1 ('lonely'): a rule needs at least two terms" in last
