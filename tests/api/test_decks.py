"""Deck downloads: a real .apkg, imported by the official anki library, kept on disk."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

import corpus
import prepdeck
from api.config import Settings
from api.resources import decks
from api.resources.catalog import Catalog
from api.store import ResponseStore

DECK = "/v1/guides/mercor/deck.apkg"
STALE = 600  # seconds: a deck last served this long ago may be pruned


def test_deck_downloads_and_imports(client, built, tmp_path):
    r = client.get(DECK + "?topic=mercor/caching-streaming&cards=red-flag,follow-ups")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/apkg"
    assert r.headers["content-disposition"] == 'attachment; filename="mercor.apkg"'
    assert r.headers["etag"]
    package = tmp_path / "mercor.apkg"
    package.write_bytes(r.content)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        ids = {col.get_note(n)["ID"] for n in col.find_notes("")}
    finally:
        col.close()
    assert ids and all(i.startswith("mercor/") for i in ids)
    assert "mercor/how-do-you-handle-database-scaling" not in ids  # not in that section


def test_decks_are_kept_on_disk_per_selection(client, built):
    cache = built.path.parent.parent / "cache" / "decks"
    first = client.get(DECK + "?tag=real-time-communication")
    assert first.status_code == 200
    files = {p: p.stat().st_ino for p in cache.glob("*.apkg")}  # a new export: a new inode
    # The same selection, written differently: the same file, not a new export.
    again = client.get(DECK + "?tag=real-time-communication&tag=real-time-communication&cards=")
    assert again.content == first.content
    assert {p: p.stat().st_ino for p in cache.glob("*.apkg")} == files
    # Named by digests (the code version, the selection), never by the request.
    assert all(re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]{40}", p.stem) for p in files)
    assert not list(cache.glob(".*"))  # no temporary files left behind
    other = client.get(DECK + "?tag=technical-deep-dives-sample-questions")
    assert other.status_code == 200 and len(list(cache.glob("*.apkg"))) == len(files) + 1


def test_cards_none_and_the_default_kinds(client, built):
    cache = built.path.parent.parent / "cache" / "decks"
    default = client.get(DECK + "?topic=mercor/caching-streaming")
    files = set(cache.glob("*.apkg"))
    spelled = client.get(DECK + "?topic=mercor/caching-streaming&cards=points,follow-ups")
    assert spelled.content == default.content  # the default, named: the same deck file
    assert set(cache.glob("*.apkg")) == files
    plain = client.get(DECK + "?topic=mercor/caching-streaming&cards=none")
    assert plain.status_code == 200 and plain.content != default.content
    bad = client.get(DECK + "?cards=none,points")
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "cards"


def test_deck_etag_and_304(client):
    first = client.get(DECK)
    r = client.get(DECK, headers={"if-none-match": first.headers["etag"]})
    assert r.status_code == 304 and r.content == b""


def test_head_of_a_deck(client):
    r = client.head(DECK)
    assert r.status_code == 200 and r.content == b""
    assert Path(r.headers["content-disposition"].split('"')[1]).suffix == ".apkg"


def test_deck_as_octet_stream_for_clients_that_take_only_that(client):
    url = DECK + "?tag=caching-streaming"
    for _ in range(2):  # the second answer must not come from a cache filled by the first
        r = client.get(url, headers={"accept": "application/octet-stream"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
        assert r.headers["vary"] == "Accept" and r.headers["etag"]
        r = client.get(url)
        assert r.headers["content-type"] == "application/apkg"
    assert client.get(url, headers={"if-none-match": r.headers["etag"]}).status_code == 304


@pytest.fixture
def fresh(tmp_path) -> tuple[corpus.BuildResult, Catalog, ResponseStore]:
    """A build of its own (so its deck folder starts empty), its catalog and its store."""
    build = corpus.build(None, tmp_path / "home", prepdeck._artifacts())
    store = ResponseStore(build.path, build.hash)
    return build, store.catalog(), store


def test_unknown_tag_never_reaches_the_exporter(fresh, app_client):
    build, _, _ = fresh
    with app_client(Settings(build=build.path, rate_limit=None)) as c:
        r = c.get(DECK + "?tag=no-such-tag&tag=caching-streaming")
        assert r.status_code == 404
        assert [p["name"] for p in r.json()["invalid_params"]] == ["tag"]
    assert not (build.path.parent.parent / "cache").exists()  # made before an export


def test_export_locks_are_a_fixed_few():
    keys = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(5000)]
    assert len({id(decks.export_lock(k)) for k in keys}) <= decks.LOCK_STRIPES
    assert decks.export_lock(keys[0]) is decks.export_lock(keys[0])


def _fill(folder: Path, count: int, age: float, version: str = decks.VERSION_TAG) -> None:
    """``count`` stand-in decks of ``version`` last served ``age`` seconds ago."""
    folder.mkdir(parents=True, exist_ok=True)
    then = time.time() - age
    for n in range(count):
        p = folder / f"{version}-{n:040x}.apkg"
        p.touch()
        os.utime(p, (then, then))


def test_pruning_never_deletes_a_deck_just_served(fresh):
    build, cat, store = fresh
    out = build.path.parent.parent
    folder = out / "cache" / "decks"
    served = decks.deck_file(cat, store, out, "mercor", [], ["caching-streaming"], [])
    hour_ago = time.time() - 3600
    os.utime(served, (hour_ago, hour_ago))  # the least recently served deck of all
    _fill(folder, decks.KEEP_DECKS, age=STALE)
    # Served again (a cache hit), and before its file is opened, another request exports
    # a new deck and prunes the folder.
    assert decks.deck_file(cat, store, out, "mercor", [], ["caching-streaming"], []) == served
    decks.deck_file(cat, store, out, "mercor", [], ["real-time-communication"], [])
    assert served.is_file()
    assert len(list(folder.glob("*.apkg"))) == decks.KEEP_DECKS  # still bounded


def test_decks_of_another_release_are_pruned(fresh):
    """Decks are named by the exporter's code version: a release that changes it makes
    new ones, and the old release's are deleted once no worker has served them lately."""
    build, cat, store = fresh
    out = build.path.parent.parent
    folder = out / "cache" / "decks"
    _fill(folder, 3, age=STALE, version="0ld0ld0ld0ld")
    _fill(folder, 1, age=0, version="5e1f5e1f5e1f")  # an old worker still serves this one
    path = decks.deck_file(cat, store, out, "mercor", [], ["caching-streaming"], [])
    assert path.name.startswith(decks.VERSION_TAG + "-")
    left = sorted(p.name.split("-")[0] for p in folder.glob("*.apkg"))
    assert left == sorted([decks.VERSION_TAG, "5e1f5e1f5e1f"])


def test_pruning_skips_decks_that_vanish_meanwhile(fresh):
    build, cat, store = fresh
    out = build.path.parent.parent
    folder = out / "cache" / "decks"
    _fill(folder, 2, age=STALE)
    # Listed, then deleted by another worker before its stat: a dangling link behaves so.
    (folder / f"{decks.VERSION_TAG}-{'f' * 40}.apkg").symlink_to(folder / "pruned-meanwhile.apkg")
    path = decks.deck_file(cat, store, out, "mercor", [], ["caching-streaming"], [])
    assert path.is_file()
