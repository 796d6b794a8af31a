"""The docs page at ``/schema``: Swagger UI 5, served by the app itself, so it works offline.

Swagger UI's files come from the ``swagger-ui-bundle-v2`` package and are served under
``/schema/swagger-ui/<version>/``: the version in the path lets them be cached for a
year, and the edge compresses them like any other body (brotli or gzip, once per
worker). The page loads the OpenAPI document from ``/schema/openapi.json`` and turns
Swagger UI's online validator off: nothing it loads comes from another host. Like
everything under ``/schema``, it needs no API key.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.params import Parameter
from swagger_ui_bundle import swagger_ui_path

VERSION = swagger_ui_path.name.removeprefix("swagger-ui-")  # the folder names the release
ASSETS_PATH = f"/swagger-ui/{VERSION}"
MEDIA_TYPES = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
IMMUTABLE = "public, max-age=31536000, immutable"  # a new release has a new path

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="{assets}/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "{document}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
"""


class SwaggerPage(OpenAPIRenderPlugin):
    """Renders the docs page (at the docs router's root) over the app's own assets."""

    def __init__(self, docs_path: str) -> None:
        super().__init__(path="/")
        self.docs_path = docs_path

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        return _PAGE.format(
            title=escape(openapi_schema["info"]["title"]),
            assets=self.docs_path + ASSETS_PATH,
            document=self.docs_path + "/openapi.json",
        ).encode()


@get(ASSETS_PATH + "/{name:str}", sync_to_thread=True, include_in_schema=False)
def swagger_asset(name: Annotated[str, Parameter(description="A file name.")]) -> Response[bytes]:
    """One of Swagger UI's files, read from the package (then cached by the edge)."""
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        raise NotFoundException(f"no docs asset {name!r}")
    return Response(
        (swagger_ui_path / name).read_bytes(),
        media_type=media_type,
        headers={"cache-control": IMMUTABLE},
    )
