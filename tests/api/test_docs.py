"""The docs page works offline: every file it loads is served by the app itself."""

from __future__ import annotations

import re

from api.openapi.docs import MEDIA_TYPES

# What a page can load from: src/href attributes and string literals in its script.
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)|url:\s*["']([^"']+)""")


def test_docs_page_loads_nothing_from_another_host(server):
    with server.client() as c:
        page = c.get("/schema")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        assert "swagger" in html.lower()
        assert "//" not in html.replace("://", "")  # no protocol-relative URL either
        assert not re.search(r"(?i)https?:", html)  # no absolute URL of any host
        refs = [a or b for a, b in REFERENCE.findall(html)]
        assert len(refs) == 6, refs  # css, two icons, two scripts, the OpenAPI document
        assert "/schema/openapi.json" in refs
        for ref in refs:
            assert ref.startswith("/schema/"), ref
            r = c.get(ref, headers={"accept-encoding": "br"})
            assert r.status_code == 200, ref
        assert "validatorUrl: null" in html  # Swagger UI's online validator is off


def test_docs_assets_are_compressed_and_cached_long(server):
    with server.client() as c:
        page = c.get("/schema").text
        bundle = re.search(r'src="([^"]+/swagger-ui-bundle\.js)"', page).group(1)
        r = c.get(bundle, headers={"accept-encoding": "br, gzip"})
        assert r.headers["content-encoding"] == "br"
        assert r.headers["content-type"].startswith("text/javascript")
        assert "immutable" in r.headers["cache-control"]
        assert int(r.headers["content-length"]) < len(r.content) / 3  # sent compressed
        folder = bundle.rsplit("/", 1)[0]
        assert c.get(f"{folder}/index.html").status_code == 404  # only the files listed
        assert c.get(f"{folder}/../openapi.json").status_code in (200, 404)
        assert set(MEDIA_TYPES) >= {"swagger-ui-bundle.js", "swagger-ui.css"}


def test_docs_need_no_api_key(serve, serve_home):
    env = {"PREPDECK_API_KEYS": "alpha", "PREPDECK_RATE_LIMIT": "off"}
    with serve(serve_home, env=env) as s, s.client() as c:
        page = c.get("/schema")
        assert page.status_code == 200
        for ref in re.findall(r'(?:src|href)="([^"]+)"', page.text):
            r = c.get(ref)
            assert r.status_code == 200, ref
            assert r.headers["cache-control"].startswith("public")
        assert c.get("/v1/guides").status_code == 401
