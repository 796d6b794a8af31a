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
        "/v1/search",
        "/v1/bulk.json",
        "/v1/bulk.ndjson",
        "/v1/guides/{guide}/bulk.json",
        "/v1/guides/{guide}/bulk.ndjson",
        "/v1/guides/{guide}/deck.apkg",
        "/healthz",
        "/readyz",
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
        for media in ok["content"].values():
            assert "example" in media or "examples" in media, where
        for param in op.get("parameters", []):
            assert param.get("description"), f"{where} {param['name']}"
            assert param.get("examples"), f"{where} {param['name']}"
        for status, response in op["responses"].items():
            if status != "200":
                assert "application/problem+json" in response["content"], f"{where} {status}"
    assert len(ids) == len(set(ids))


def test_every_schema_and_field_is_described(document):
    for name, schema in document["components"]["schemas"].items():
        assert schema.get("description"), name
        assert "_" not in name and "[" not in name, name
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field}"
