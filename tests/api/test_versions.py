"""ETags and deck files follow the code that made the bytes, not only the build."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from api.versions import CODE_VERSION, DECK_VERSION, make_etag

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "/v1/questions/mercor/how-do-you-handle-database-scaling"
LIST = "/v1/questions?limit=3"
DECK = "/v1/guides/mercor/deck.apkg?cards=red-flag"


def test_etag_depends_on_build_request_and_code():
    a = make_etag("hash1", "/v1/questions/x", b"format=html")
    assert a.startswith(b'W/"') and a == make_etag("hash1", "/v1/questions/x", b"format=html")
    assert a != make_etag("hash2", "/v1/questions/x", b"format=html")
    assert a != make_etag("hash1", "/v1/questions/x", b"format=text")
    assert DECK_VERSION.split("+")[0] == CODE_VERSION.split("+")[0]  # the parser's version


def _release(tmp_path: Path) -> Path:
    """A copy of the code whose exporter differs by one comment: another release."""
    release = tmp_path / "release"
    for package in ("api", "corpus", "exporter", "search_index"):
        shutil.copytree(ROOT / package, release / package, ignore=shutil.ignore_patterns("__py*"))
    shutil.copy(ROOT / "prepdeck.py", release)
    notetype = release / "exporter" / "notetype.py"
    notetype.write_text(notetype.read_text() + "\n# the next release\n")
    return release


def test_a_release_never_304s_a_changed_body_nor_serves_an_old_deck(serve, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"PREPDECK_RATE_LIMIT": "off"}
    with serve(home, env=env) as old, old.client() as c:
        etags = {url: c.get(url).headers["etag"] for url in (QUESTION, LIST, DECK)}
    decks = home / "cache" / "decks"
    (old_deck,) = decks.glob("*.apkg")
    hour_ago = time.time() - 3600
    os.utime(old_deck, (hour_ago, hour_ago))  # no worker of the old release serves it now

    with serve(home, env=env, root=_release(tmp_path)) as new, new.client() as c:
        for url, etag in etags.items():
            r = c.get(url, headers={"if-none-match": etag})
            assert r.status_code == 200, url
            assert r.headers["etag"] != etag
            assert c.get(url, headers={"if-none-match": r.headers["etag"]}).status_code == 304
    (new_deck,) = decks.glob("*.apkg")  # made by the new exporter; the old one pruned
    assert new_deck.name.split("-")[0] != old_deck.name.split("-")[0]
