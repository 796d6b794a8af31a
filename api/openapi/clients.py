"""The OpenAPI document shaped for generated clients (openapi-python-client and the like).

Litestar's document is correct but makes clumsy clients. ``shape_for_clients`` changes,
in place, what a generated client gets wrong (a test generates one and uses it):

- the ``format`` enum, repeated in every operation, becomes one ``Format`` component, so
  a client has one ``Format`` type instead of ``GetGuideFormat``, ``ListQuestionsFormat``...;
- optional query parameters lose their ``null`` branch: a query string cannot carry a
  null, and a client would type them ``None | str | Unset``;
- the optional API key is declared once, for the whole document (health checks opt out),
  so every operation takes a plain client as well as one set up with a key;
- the deck download is binary, as ``application/apkg`` and as the
  ``application/octet-stream`` a generic client knows (the handler honours ``Accept``);
- a search's ``facets`` is an object with one property per facet, not a map with any
  key, so a client has ``facets.guide``.

Response fields the server always sends are marked required by ``api.openapi.document``.
"""

from __future__ import annotations

from typing import Any

from corpus import FORMATS

from ..resources.controllers.decks import APKG, OCTET_STREAM

FORMAT_SCHEMA = {
    "type": "string",
    "enum": list(FORMATS),
    "title": "Format",
    "description": "Representation of rich-text fields: `markdown` (as written), `html` (safe "
    "to embed) or `text` (plain).",
}
FORMAT_REF = "#/components/schemas/Format"
BINARY = {"type": "string", "format": "binary"}
SECURITY = [{}, {"ApiKey": []}]  # an API key, or nothing: keys are needed only when configured
OPEN_PATHS = ("/healthz", "/readyz")
# The keys of a search's facets (``search_index.facets``; a test pins them to the answers).
FACET_KEYS = ("guide", "topic")


def shape_for_clients(schema: dict[str, Any]) -> None:
    """Reshape a finished document in place for client generators (see the module docstring)."""
    _share_format(schema)
    schemas = schema["components"]["schemas"]
    schemas["Format"] = dict(FORMAT_SCHEMA)
    facets = schemas["SearchResult"]["properties"]["facets"]
    per_facet = facets.pop("additionalProperties")
    facets["properties"] = {key: per_facet for key in FACET_KEYS}
    facets["required"] = list(FACET_KEYS)
    facets["additionalProperties"] = False
    schema["security"] = SECURITY
    for path, item in schema.get("paths", {}).items():
        for op in item.values():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            op.pop("security", None)
            if path in OPEN_PATHS:
                op["security"] = []
            for param in op.get("parameters", []):
                if not param.get("required"):
                    _drop_null(param["schema"])
            ok = op.get("responses", {}).get("200", {})
            apkg = ok.get("content", {}).get(APKG)
            if apkg is not None:
                example = apkg.get("example")
                ok["description"] = "The deck, an Anki package (a zip file)."
                ok["content"] = {
                    media: {"schema": {**BINARY, "contentMediaType": media}, "example": example}
                    for media in (APKG, OCTET_STREAM)
                }


def _share_format(node: Any) -> None:
    """Replace every inline copy of the format enum with a reference to ``Format``."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("enum") == list(FORMATS):
            del node["type"], node["enum"]
            # In allOf, beside which a generator still reads the default and the description.
            node["allOf"] = [{"$ref": FORMAT_REF}]
        for value in node.values():
            _share_format(value)
    elif isinstance(node, list):
        for value in node:
            _share_format(value)


def _drop_null(schema: dict[str, Any]) -> None:
    """``{"oneOf": [X, {"type": "null"}], ...}`` -> ``{**X, ...}``."""
    branches = schema.get("oneOf")
    if not branches:
        return
    kept = [b for b in branches if b != {"type": "null"}]
    if len(kept) == 1 and len(kept) < len(branches):
        del schema["oneOf"]
        schema.update(kept[0])
