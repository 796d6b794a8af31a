"""The Dockerfile and Kubernetes manifests hold together (no cluster needed to check that)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from api.cli import GRACEFUL_SECONDS

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def _manifests() -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for path in sorted(DEPLOY.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[doc["kind"]] = doc
    return docs


def test_manifests_reference_each_other() -> None:
    docs = _manifests()
    assert set(docs) == {"Deployment", "Service", "HorizontalPodAutoscaler"}
    deploy, service, hpa = docs["Deployment"], docs["Service"], docs["HorizontalPodAutoscaler"]
    labels = deploy["spec"]["template"]["metadata"]["labels"]
    assert deploy["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    (container,) = deploy["spec"]["template"]["spec"]["containers"]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deploy["metadata"]["name"])
    assert 1 < hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]


def test_probes_security_and_resources() -> None:
    deploy = _manifests()["Deployment"]
    pod = deploy["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert {"requests", "limits"} <= set(container["resources"])
    env = {e["name"] for e in container["env"]}
    assert {"PREPDECK_REDIS_URL", "PREPDECK_RATE_LIMIT"} <= env
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/opt/prepdeck/cache" in mounts  # the only writable place of the service


def test_dockerfile_is_multi_stage_non_root_with_a_baked_build() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2
    assert re.search(r"^RUN .*prepdeck build", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.M)
    assert (
        str(_manifests()["Deployment"]["spec"]["template"]["spec"]["securityContext"]["runAsUser"])
        == user[-1]
    )


def test_pods_get_the_time_to_drain() -> None:
    """Kubernetes kills a pod after its grace period, which includes the preStop hook."""
    pod = _manifests()["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    assert pod["terminationGracePeriodSeconds"] > int(pre_stop[1]) + GRACEFUL_SECONDS
