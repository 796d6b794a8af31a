"""The OpenAPI document: served, complete, and identical to the checked-in copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.openapi.file import DEFAULT_PATH, current_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document(client) -> dict:
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    return r.json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_checked_in_copy_is_current(document):
    assert DEFAULT_PATH == ROOT / "openapi" / "openapi.json"
    checked_in = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert checked_in == document, "openapi/openapi.json is stale: run `make openapi`"
    assert current_document() == document


def test_docs_page(client):
    r = client.get("/schema")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert b"swagger" in r.content.lower()


def test_is_openapi_3_1_with_every_resource(document):
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {
        "/v1/guides",
        "/v1/guides/{guide}",
        "/v1/topics",
        "/v1/topics/{guide}/{topic}",
        "/v1/questions",
        "/v1/questions/random",
        "/v1/questions/{guide}/{slug}",
        "/v1/questions/{guide}/{slug}/related",
        "/v1/search",
        "/v1/bulk.json",
        "/v1/bulk.ndjson",
        "/v1/guides/{guide}/bulk.json",
        "/v1/guides/{guide}/bulk.ndjson",
        "/v1/guides/{guide}/deck.apkg",
        "/healthz",
        "/readyz",
        "/v1",
        "/problems",
        "/problems/{code}",
    } == paths


def test_every_operation_is_documented(document):
    ids = []
    for path, method, op in operations(document):
        where = f"{method.upper()} {path}"
        ids.append(op["operationId"])
        assert op.get("tags"), where
        assert op.get("summary") and op.get("description"), where
        ok = op["responses"]["200"]
        assert ok["description"], where
        for param in op.get("parameters", []):
            assert param.get("description"), f"{where} {param['name']}"
            assert param.get("examples"), f"{where} {param['name']}"
        for status, response in op["responses"].items():
            assert "X-Content-Type-Options" in response["headers"], f"{where} {status}"
            if method == "head" or status == "304":
                assert "content" not in response, f"{where} {status}"
            elif status == "200":
                for media in ok["content"].values():
                    assert "example" in media or "examples" in media, where
            else:
                assert "application/problem+json" in response["content"], f"{where} {status}"
    assert len(ids) == len(set(ids))


def test_http_of_every_operation_is_documented(document):
    """Conditional requests, HEAD and the response headers, as a typed client needs them."""
    for path, item in document["paths"].items():
        get, head = item["get"], item["head"]
        assert head.get("parameters") == get.get("parameters") and set(head["responses"]) == set(
            get["responses"]
        ), path
        if path in ("/healthz", "/readyz"):
            continue
        assert "If-None-Match" in [p["name"] for p in get["parameters"]], path
        assert set(get["responses"]["304"]["headers"]) >= {"ETag", "Cache-Control"}, path
        assert {"ETag", "RateLimit-Remaining"} <= set(get["responses"]["200"]["headers"]), path
        assert "Retry-After" in get["responses"]["429"]["headers"], path
    assert "Link" in document["paths"]["/v1/questions"]["get"]["responses"]["200"]["headers"]
    deck = document["paths"]["/v1/guides/{guide}/deck.apkg"]["get"]["responses"]["200"]
    assert "Content-Disposition" in deck["headers"]
    assert {m["schema"]["format"] for m in deck["content"].values()} == {"binary"}


def test_enums_and_deprecations_for_typed_clients(document):
    schemas = document["components"]["schemas"]
    facets = schemas["SearchResult"]["properties"]["facets"]
    assert facets["required"] == ["guide", "topic"] and facets["additionalProperties"] is False
    assert schemas["Part"]["properties"]["kind"]["enum"]
    assert schemas["InvalidParam"]["properties"]["source"]["enum"] == ["query", "path", "header"]
    assert "url" in schemas["Hit"]["required"]
    summary = schemas["QuestionSummary"]["properties"]
    assert summary["red_flags"]["deprecated"] and "deprecated" not in summary["red_flag_count"]
    stats = schemas["GuideStats"]["properties"]
    assert stats["follow_ups"]["deprecated"] and "deprecated" not in stats["follow_up_count"]
    params = {p["name"]: p for p in document["paths"]["/v1/questions"]["get"]["parameters"]}
    assert params["has_red_flags"]["deprecated"] and not params["with_red_flag"]["deprecated"]


def test_every_schema_and_field_is_described(document):
    for name, schema in document["components"]["schemas"].items():
        assert schema.get("description"), name
        assert "_" not in name and "[" not in name, name
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field}"
