"""Deck downloads: a real .apkg, imported by the official anki library, kept on disk."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

DECK = "/v1/guides/mercor/deck.apkg"


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
    files = {p: p.stat().st_mtime_ns for p in cache.glob("*.apkg")}
    # The same selection, written differently: the same file, not a new export.
    again = client.get(DECK + "?tag=real-time-communication&tag=real-time-communication&cards=")
    assert again.content == first.content
    assert {p: p.stat().st_mtime_ns for p in cache.glob("*.apkg")} == files
    assert all(len(p.stem) == 40 for p in files)  # named by a digest, never by the request
    assert not list(cache.glob(".*"))  # no temporary files left behind
    other = client.get(DECK + "?tag=technical-deep-dives-sample-questions")
    assert other.status_code == 200 and len(list(cache.glob("*.apkg"))) == len(files) + 1


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
