"""Every error is an RFC 9457 problem document of one shape; bad input is never a 500."""

from __future__ import annotations

import pytest

from api.config import RateLimit, Settings
from api.http.problems import KINDS
from api.resources import params

PROBLEM_KEYS = {"type", "code", "title", "status", "detail", "instance"}


def assert_problem(response, status: int) -> dict:
    """The one definition of an error response; every error test goes through it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert PROBLEM_KEYS <= set(body) <= PROBLEM_KEYS | {"invalid_params"}
    assert body["type"] == f"/problems/{body['code']}"
    assert KINDS[body["code"]].status == status
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.url.path
    for param in body.get("invalid_params", []):
        assert set(param) == {"name", "source", "reason"}
    return body


BAD_REQUESTS = [
    ("GET", "/v1/nowhere", 404),
    ("GET", "/v1/guides/no-such-guide", 404),
    ("GET", "/v1/questions/mercor/no-such-question", 404),
    ("GET", "/v1/questions/no-such-guide/x", 404),
    ("GET", "/v1/topics/mercor/no-such-topic", 404),
    ("GET", "/v1/guides/no-such-guide/deck.apkg", 404),
    ("GET", "/v1/guides/no-such-guide/bulk.ndjson", 404),
    # A filter naming nothing: the list it names does not exist.
    ("GET", "/v1/questions?guide=no-such-guide", 404),
    ("GET", "/v1/questions?topic=mercor/no-such-topic", 404),
    ("GET", "/v1/topics?guide=no-such-guide", 404),
    ("GET", "/v1/questions/random?guide=no-such-guide", 404),
    ("GET", "/v1/search?q=x&guide=no-such-guide", 404),
    ("GET", "/v1/guides/mercor/deck.apkg?topic=other/topic", 404),
    ("GET", "/v1/guides/mercor/deck.apkg?tag=no-such-tag", 404),
    ("GET", "/v1/questions?tag=no-such-tag", 404),
    ("GET", "/v1/questions/random?tag=no-such-tag", 404),
    ("GET", "/v1/search?q=x&tag=no-such-tag", 404),
    # The docs live at /schema and /schema/openapi.json; nothing else under /schema exists.
    ("GET", "/schema/nope", 404),
    ("GET", "/schema/redoc", 404),
    ("GET", "/schema/elements", 404),
    ("GET", "/schema/rapidoc", 404),
    ("GET", "/schema/openapi.yaml", 404),
    ("POST", "/v1/guides", 405),
    ("DELETE", "/v1/questions/mercor/x", 405),
    ("GET", f"/v1/questions?limit={10**9}", 422),
    ("GET", "/v1/questions?limit=0", 422),
    ("GET", "/v1/questions?limit=ten", 422),
    ("GET", "/v1/questions?offset=-1", 422),
    ("GET", f"/v1/questions?offset={10**30}", 422),
    ("GET", "/v1/questions?format=pdf", 422),
    ("GET", "/v1/questions?order=random", 422),
    ("GET", "/v1/questions?has_red_flags=maybe", 422),
    ("GET", "/v1/questions?has_red_flags=null", 422),  # not "no filter"
    ("GET", "/v1/questions/random?has_red_flags=1", 422),
    ("GET", "/v1/questions?has_red_flags=true&has_red_flags=false", 422),
    ("GET", "/v1/questions?seed=" + "s" * 65, 422),
    ("GET", "/v1/search", 422),
    ("GET", "/v1/search?q=", 422),
    ("GET", "/v1/search?q=" + "a" * 2_000, 422),
    # Past 8 KB the request target itself is refused, whatever it holds.
    ("GET", "/v1/search?q=" + "a" * 10_240, 414),
    ("GET", "/v1/questions?junk=" + "j" * 60_000, 414),
    # Every parameter is one the operation declares, and a single-valued one comes once.
    ("GET", "/v1/questions?limit=5&junk=1", 422),
    ("GET", "/v1/guides?format=html", 422),
    ("GET", "/v1/questions?limit=5&limit=6", 422),
    ("GET", "/v1/search?q=a&q=b", 422),
    ("GET", "/v1/guides/mercor/deck.apkg?cards=red-flag&cards=follow-ups", 422),
    ("GET", "/v1/search?q=x&limit=1000", 422),
    ("GET", "/v1/search?q=x&offset=99999999", 422),
    ("GET", "/v1/guides/mercor/deck.apkg?cards=bogus", 422),
    ("GET", "/v1/guides/mercor/deck.apkg?cards=red-flag,,", 422),
    ("GET", "/v1/guides/mercor?format=docx", 422),
]


@pytest.mark.parametrize(("method", "url", "status"), BAD_REQUESTS)
def test_bad_requests_are_problems(client, method, url, status):
    assert_problem(client.request(method, url), status)


def test_validation_problem_names_the_parameter(client):
    body = assert_problem(client.get("/v1/questions?format=pdf&limit=500"), 422)
    names = {p["name"] for p in body["invalid_params"]}
    assert names == {"format", "limit"}
    assert "markdown, html or text" in body["detail"]


def test_unknown_and_repeated_parameters_are_named(client):
    body = assert_problem(client.get("/v1/questions?limit=5&limit=6&junk=1&tag=x"), 422)
    reasons = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert set(reasons) == {"junk", "limit"}
    assert reasons["junk"].startswith("unknown parameter") and "has_red_flags" in reasons["junk"]
    assert "more than once" in reasons["limit"]
    # Parameters that take a list may repeat.
    assert client.get("/v1/guides/mercor/deck.apkg?tag=a&tag=b").status_code == 404


def test_checking_parameters_keeps_nothing_per_request(client):
    """The parameters each route declares are worked out once per route: a request adds
    nothing to what is kept (Litestar hands each request's guards a copy of the handler)."""
    # answers the edge keeps are served without the guards: a deck is a file each time
    urls = ["/v1/guides/mercor/deck.apkg", "/v1/guides/mercor/deck.apkg?cards=none"]
    for url in urls:
        assert client.get(url).status_code == 200
    kept = len(params._declared)
    for _ in range(20):
        for url in urls:
            assert client.get(url).status_code == 200
    assert len(params._declared) == kept


def test_unknown_filter_problem_names_the_parameter(client):
    body = assert_problem(client.get("/v1/questions?topic=mercor/no-such-topic"), 404)
    assert [p["name"] for p in body["invalid_params"]] == ["topic"]
    assert "/v1/topics" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/v1/questions?tag=no-such-tag",
        "/v1/questions/random?tag=no-such-tag",
        "/v1/search?q=cache&tag=no-such-tag",
        "/v1/guides/mercor/deck.apkg?tag=no-such-tag",
    ],
)
def test_unknown_tag_is_404_naming_it(client, url):
    body = assert_problem(client.get(url), 404)
    assert [(p["name"], p["source"]) for p in body["invalid_params"]] == [("tag", "query")]
    assert "no-such-tag" in body["detail"]


def test_known_tag_filters(client, data):
    tag = data.guides[0].questions[0].tags[0]
    for url in (f"/v1/questions?tag={tag}", f"/v1/search?q=database&tag={tag}"):
        assert client.get(url).status_code == 200, url


def test_method_not_allowed_keeps_allow(client):
    r = client.post("/v1/guides")
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET, HEAD, OPTIONS"


def test_every_problem_type_is_described(client):
    listed = client.get("/problems").json()
    assert [k["code"] for k in listed] == list(KINDS)
    for kind in listed:
        assert kind["type"] == f"/problems/{kind['code']}"
        assert client.get(kind["type"]).json() == kind
        assert kind["description"]
    assert_problem(client.get("/problems/no_such_kind"), 404)


# Sloppy syntax is read leniently as words (200); a query with nothing left to search
# for is a 400 naming `q`.
LENIENT_QUERIES = ['title:"unclosed AND (', '"unclosed', "(database OR", "c++ http://x"]
UNSEARCHABLE_QUERIES = ["-cache", "title:", "s*", "ab*c?d*e?"]


@pytest.mark.parametrize("q", LENIENT_QUERIES)
def test_sloppy_search_query_is_answered(client, q):
    r = client.get("/v1/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert r.json()["query"] == q


@pytest.mark.parametrize("q", UNSEARCHABLE_QUERIES)
def test_unsearchable_query_is_400(client, q):
    body = assert_problem(client.get("/v1/search", params={"q": q}), 400)
    assert [p["name"] for p in body["invalid_params"]] == ["q"]


def test_query_echo_is_truncated(client):
    q = "ab*c?d*e?" * 50  # one 450-character word with too many wildcards
    body = assert_problem(client.get("/v1/search", params={"q": q}), 400)
    assert len(body["detail"]) < 200
    assert "…" in body["detail"]


def test_missing_api_key_is_401(built, app_client):
    with app_client(Settings(build=built.path, api_keys=("k",))) as c:
        r = c.get("/v1/guides")
        assert_problem(r, 401)
        assert r.headers["www-authenticate"].startswith("ApiKey")
        assert_problem(c.get("/v1/guides", headers={"x-api-key": "wrong"}), 401)


def test_rate_limited_is_429(built, app_client):
    with app_client(Settings(build=built.path, rate_limit=RateLimit(1, 60))) as c:
        assert c.get("/v1/guides").status_code == 200
        r = c.get("/v1/guides")
        assert_problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1


def test_not_ready_is_503(tmp_path, app_client):
    with app_client(Settings(build=tmp_path / "builds" / "missing", rate_limit=None)) as c:
        r = c.get("/v1/questions")
        assert_problem(r, 503)
        assert int(r.headers["retry-after"]) > 0
        assert_problem(c.get("/readyz"), 503)
        assert c.get("/healthz").status_code == 200
