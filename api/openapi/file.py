"""The checked-in OpenAPI document, ``openapi/openapi.json``: ``make openapi`` rewrites it.

    python -m api.openapi.file [PATH]        write the document (default openapi/openapi.json)

The document depends only on the code (handlers, Structs, examples), never on the build
being served, so it is made from an app with nothing loaded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..app import create_litestar
from ..config import Settings
from ..service import Service
from .document import openapi_document

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def current_document() -> dict[str, Any]:
    """The OpenAPI document the code describes now."""
    return openapi_document(create_litestar(Service(Settings())))


def render(document: dict[str, Any]) -> str:
    """The document as the checked-in file holds it (sorted keys only where Litestar sorts)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(current_document()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
