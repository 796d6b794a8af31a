"""A Python client generated from openapi/openapi.json by openapi-python-client, used for real.

The generator runs offline (it reads only the local file; any attempt to reach the network
goes to a closed port on 127.0.0.1). A clumsy or broken client is a bug in the schema, so
this also pins its shape: one ``Format`` type, a plain ``Client`` accepted everywhere,
typed results, and a deck download that gives bytes.
"""

from __future__ import annotations

import importlib
import inspect
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import get_args
from urllib.parse import parse_qsl, urlsplit

import pytest

pytest.importorskip("openapi_python_client", reason="openapi-python-client is not installed")

OPENAPI = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
PACKAGE = "prepdeck_client"
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing leaves the machine
# The generator has no type for a stream of JSON lines; those two operations give bytes.
NDJSON_PATHS = {"/v1/bulk.ndjson", "/v1/guides/{guide}/bulk.ndjson"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated client package, imported from a temporary folder."""
    folder = tmp_path_factory.mktemp("client")
    env = {**os.environ, "HTTP_PROXY": CLOSED, "HTTPS_PROXY": CLOSED, "ALL_PROXY": CLOSED}
    env.pop("NO_PROXY", None)
    command = ["generate", "--path", str(OPENAPI), "--meta", "none", "--output-path", PACKAGE]
    done = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", *command],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only
    )
    assert done.returncode == 0, done.stdout + done.stderr
    warned = set(re.findall(r"WARNING parsing GET (\S+)", done.stdout + done.stderr))
    assert warned == NDJSON_PATHS, done.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def api(generated: ModuleType, name: str) -> ModuleType:
    """``prepdeck_client.api.<name>``, e.g. ``questions.list_questions``."""
    return importlib.import_module(f"{generated.__name__}.api.{name}")


@pytest.fixture(scope="module")
def typed(generated: ModuleType, server) -> Iterator:
    """A generated ``Client`` of a live server (rate limit off)."""
    with generated.Client(base_url=server.url, raise_on_unexpected_status=True) as c:
        yield c


def test_shape(generated):
    models = importlib.import_module(f"{PACKAGE}.models")
    # One rich-text format type, not a copy per operation (GetGuideFormat, ...).
    assert [n for n in models.__all__ if n.endswith("Format")] == ["Format"]
    list_questions = api(generated, "questions.list_questions")
    signature = inspect.signature(list_questions.sync)
    # Usable without an API key: a plain Client is accepted, not only an AuthenticatedClient.
    assert generated.Client in get_args(signature.parameters["client"].annotation)
    # Optional filters are plain values (a query string has no null).
    unset = importlib.import_module(f"{PACKAGE}.types").Unset
    assert set(get_args(signature.parameters["guide"].annotation)) == {str, unset}
    assert signature.parameters["format_"].default == models.Format.MARKDOWN
    # Response fields the server always sends are not Unset.
    assert "Unset" not in str(inspect.signature(models.Question.__init__))


def test_list_guides(generated, typed):
    guides = api(generated, "guides.list_guides").sync(client=typed)
    assert type(guides).__name__ == "GuideSummaryPage"
    assert [g.slug for g in guides.items] == ["mercor"]
    assert guides.total == 1 and guides.items[0].question_count == 17


def test_page_through_questions_following_next(generated, typed):
    list_questions = api(generated, "questions.list_questions")
    models = importlib.import_module(f"{PACKAGE}.models")
    page = list_questions.sync(client=typed, guide="mercor", limit=5, format_=models.Format.TEXT)
    ids, pages = [], 0
    while True:
        assert type(page).__name__ == "QuestionPage"
        assert all(q.answer is None or "**" not in q.answer for q in page.items)  # plain text
        ids += [q.id for q in page.items]
        pages += 1
        if page.next_ is None:
            break
        page = list_questions.sync(client=typed, **_parameters(page.next_, models))
    assert pages == 4 and len(ids) == page.total == len(set(ids)) == 17


def _parameters(next_url: str, models: ModuleType) -> dict:
    """The keyword arguments of the generated ``list_questions`` for a ``next`` link."""
    params = dict(parse_qsl(urlsplit(next_url).query))
    kwargs: dict = {k: int(params.pop(k)) for k in ("limit", "offset")}
    if "format" in params:
        kwargs["format_"] = models.Format(params.pop("format"))
    return {**kwargs, **params}


def test_get_question_and_a_missing_one(generated, typed):
    get_question = api(generated, "questions.get_question")
    question = get_question.sync("mercor", "how-do-you-handle-database-scaling", client=typed)
    assert type(question).__name__ == "Question"
    assert question.id == "mercor/how-do-you-handle-database-scaling"
    assert question.topic.id.startswith("mercor/") and question.source.line > 0
    assert question.answer and question.red_flags and question.follow_ups
    missing = get_question.sync("mercor", "no-such-question", client=typed)
    assert type(missing).__name__ == "Problem" and missing.status == 404
    assert "no-such-question" in missing.detail


def test_search(generated, typed):
    found = api(generated, "search.search").sync(client=typed, q="databse sharding", limit=3)
    assert type(found).__name__ == "SearchResult"
    assert found.total >= 1 and len(found.hits) <= 3
    best = found.hits[0]
    assert best.kind.value in ("question", "topic") and best.score > 0
    assert "<mark>" in best.highlights.title + best.highlights.passage
    assert found.suggestion == "database sharding"
    assert [f.value for f in found.facets.guide] == ["mercor"]  # a typed object, not a map


def test_download_deck(generated, typed):
    download = api(generated, "decks.download_deck")
    deck = download.sync(
        "mercor", client=typed, topic=["mercor/caching-streaming"], cards="red-flag,follow-ups"
    )
    assert type(deck).__name__ == "File"
    data = deck.payload.read()
    assert zipfile.is_zipfile(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert any(n.startswith("collection.anki2") for n in package.namelist())
    detailed = download.sync_detailed("mercor", client=typed)
    assert detailed.status_code == 200 and detailed.headers["etag"]
