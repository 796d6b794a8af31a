"""Incremental and parallel builds: the per-guide cache and the process pool change how a
build is made, never what it holds (the whole build is compared byte for byte)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import msgspec
import pytest

import corpus
import prepdeck
from corpus import cache

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = prepdeck._artifacts()


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    """A folder of five guides: the embedded one, two renamed copies and two fixtures."""
    folder = tmp_path / "guides"
    folder.mkdir()
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    (folder / "mercor.md").write_text(text)
    for n in (2, 3):
        (folder / f"copy{n}.md").write_text(text.replace("Mercor", f"Mercor {n}"))
    for name in ("components.mdx", "labels.md"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    return folder


def build(folder: Path | list[Path], out: Path, processes: int | None = 1) -> corpus.BuildResult:
    paths = folder if isinstance(folder, list) else [folder]
    return corpus.build(paths, out, ARTIFACTS, processes=processes)


def tree(build_path: Path) -> dict[str, bytes]:
    """Every file of a build and its bytes; the manifest without its creation time."""
    files = {
        p.relative_to(build_path).as_posix(): p.read_bytes()
        for p in build_path.rglob("*")
        if p.is_file()
    }
    manifest = json.loads(files.pop(corpus.store.MANIFEST_FILE))
    del manifest["created"]
    files["manifest without created"] = json.dumps(manifest, sort_keys=True).encode()
    return files


def units(out: Path) -> dict[str, int]:
    """The per-guide cache: unit file name -> modification time (ns)."""
    return {p.name: p.stat().st_mtime_ns for p in cache.cache_dir(out).glob(f"*{cache.SUFFIX}")}


def edit(path: Path, new: str = "rendezvous hashing") -> None:
    """Edit one sentence of a guide."""
    text = path.read_text()
    assert "Consistent hashing minimizes" in text
    path.write_text(text.replace("Consistent hashing minimizes", f"{new} minimizes", 1))


def test_an_edit_reparses_one_guide_and_builds_what_a_full_build_does(
    guides: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build(guides, out)
    before = units(out)
    assert len(before) == 5
    edit(guides / "copy2.md")
    incremental = build(guides, out)
    after = units(out)
    assert incremental.hash != first.hash and not incremental.up_to_date
    assert {k: v for k, v in after.items() if k in before} == before  # none made again
    assert len(set(after) - set(before)) == 1  # the edited guide's unit
    full = build(guides, tmp_path / "fresh")
    assert full.hash == incremental.hash
    assert tree(incremental.path) == tree(full.path)
    assert "rendezvous hashing" in (incremental.path / "corpus.json").read_text()


def _inodes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in folder.iterdir()}


def test_an_edit_shares_the_unchanged_files_with_the_build_it_replaces(
    guides: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build(guides, out)
    edit(guides / "copy2.md")
    second = build(guides, out)
    for folder in ("api/guides", "anki/guides"):  # each guide's responses, its card table
        before, after = _inodes(first.path / folder), _inodes(second.path / folder)
        assert before.keys() == after.keys() and len(before) == 5
        new = [name for name in after if after[name] != before[name]]
        assert len(new) == 1, folder  # the edited guide's; the others are hard links
    assert corpus.verify_build(out, first.hash) is None
    assert corpus.verify_build(out, second.hash) is None


def test_a_damaged_file_of_the_replaced_build_is_never_shared(guides: Path, tmp_path: Path) -> None:
    text = (guides / "mercor.md").read_text()
    for n in range(4, 12):  # enough guides for the index to have several chunks
        (guides / f"copy{n}.md").write_text(text.replace("Mercor", f"Mercor {n}"))
    out = tmp_path / "out"
    first = build(guides, out)
    stores = sorted((first.path / "api" / "guides").iterdir())
    segments = sorted((first.path / "index").glob("*.pst"))  # of every chunk
    inodes = {}
    for damaged in (stores[0], *segments):
        data = bytearray(damaged.read_bytes())
        data[len(data) // 2] ^= 0xFF
        damaged.write_bytes(bytes(data))  # in place: every link to it is damaged too
        inodes[damaged.relative_to(first.path)] = damaged.stat().st_ino
    assert corpus.verify_build(out, first.hash) is not None
    edit(guides / "copy2.md")
    second = build(guides, out)
    assert corpus.verify_build(out, second.hash) is None
    assert tree(second.path) == tree(build(guides, tmp_path / "fresh").path)
    kept = {name: second.path / name for name in inodes}
    kept = {name: f for name, f in kept.items() if f.exists()}  # an edited chunk is renamed
    assert len(kept) >= 2
    assert all(f.stat().st_ino != inodes[name] for name, f in kept.items())  # made again


def test_an_edited_guide_makes_again_only_what_its_edit_changed(
    guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.store.writer
    import exporter.artifact
    import search_index.parts

    calls: Counter[str] = Counter()
    for module, name in (
        (exporter.artifact, "key_points"),
        (api.store.writer, "compress"),
        (search_index.parts, "analyse"),
    ):
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name):
            calls[_name] += 1
            return _real(*args)

        monkeypatch.setattr(module, name, counted)
    out = tmp_path / "out"
    build(guides, out)
    full = dict(calls)
    calls.clear()
    edit(guides / "copy2.md")
    incremental = build(guides, out)
    edited = dict(calls)
    assert tree(incremental.path) == tree(build(guides, tmp_path / "fresh").path)
    # the edited guide is made again, but its unchanged answers, bodies and documents are
    # taken as they were: one answer's key points, the few responses and search documents
    # that hold the sentence
    assert edited.get("key_points", 0) <= 1 < full["key_points"] / 5
    assert 0 < edited["compress"] < full["compress"] / 50
    assert 0 < edited["analyse"] < full["analyse"] / 20


def test_the_build_does_not_depend_on_the_number_of_processes(guides: Path, tmp_path: Path) -> None:
    one = build(guides, tmp_path / "one", processes=1)
    for n in (2, 3):
        many = build(guides, tmp_path / f"p{n}", processes=n)
        assert tree(many.path) == tree(one.path)


def test_a_build_leaves_the_collector_as_it_found_it(
    guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What was in memory before a build is left out of collection while it runs (the
    pool's own freezing nests inside) and given back when it ends, even when it fails."""
    import gc
    import sys

    module = sys.modules["corpus.build"]
    during: list[int] = []
    parse = module.parse_inputs

    def watched(*args, **kwargs):
        during.append(gc.get_freeze_count())
        return parse(*args, **kwargs)

    monkeypatch.setattr(module, "parse_inputs", watched)
    start = gc.get_freeze_count()
    build(guides, tmp_path / "out", processes=2)
    assert during and during[0] > start
    assert gc.get_freeze_count() == start
    (guides / "labels.md").write_bytes(b"\xff\xfe not UTF-8")
    with pytest.raises(corpus.CorpusError):
        corpus.build([guides / "labels.md"], tmp_path / "bad", ARTIFACTS)
    assert gc.get_freeze_count() == start


def test_corpus_json_is_the_corpus_encoded(guides: Path, tmp_path: Path) -> None:
    result = build(guides, tmp_path / "out")
    data = corpus.load_corpus(tmp_path / "out")
    assert (result.path / "corpus.json").read_bytes() == msgspec.json.encode(data)
    assert result.corpus == data
    assert data.guides == corpus.load_guides([guides]).guides


def test_a_damaged_cache_entry_is_parsed_again(guides: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(guides, out)
    entries = sorted(cache.cache_dir(out).glob(f"*{cache.SUFFIX}"))
    entries[0].write_bytes(entries[0].read_bytes()[:-10] + b"0123456789")  # bit rot
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # cut short
    entries[2].unlink()
    made = cache.file_path(cache.cache_dir(out), entries[3].stem, "api/db")  # a part's file
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.write_bytes(bytes(data))
    edit(guides / "mercor.md")
    incremental = build(guides, out)
    assert tree(incremental.path) == tree(build(guides, tmp_path / "fresh").path)
    keys = corpus.read_manifest(out, incremental.hash).units
    assert len({e.stem for e in entries[:4]} & set(keys)) >= 3  # damaged, and used again
    assert all(cache.load(cache.cache_dir(out), key) is not None for key in keys)  # made again


def test_renamed_slugs_are_the_same_in_incremental_builds(tmp_path: Path) -> None:
    folder = tmp_path / "guides"
    folder.mkdir()
    text = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text(f"---\nslug: same\n---\n{text}")
    out = tmp_path / "out"
    first = build(folder, out)
    assert [g.slug for g in first.corpus.guides] == ["same", "same-2", "same-3"]
    edit(folder / "a.md")
    edit(folder / "c.md")
    incremental = build(folder, out)
    full = build(folder, tmp_path / "fresh")
    assert tree(incremental.path) == tree(full.path)
    assert [w.message for w in incremental.corpus.warnings] == [
        'guide slug "same" is taken; renamed to "same-2"',
        'guide slug "same" is taken; renamed to "same-3"',
    ]


def test_units_no_kept_build_uses_are_pruned_once_old(guides: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(guides, out)
    first = set(units(out))
    for n in range(corpus.store.KEEP_BUILDS + 1):  # the first build drops out of the kept ones
        (guides / "mercor.md").write_text((guides / "mercor.md").read_text() + f"\n{n}\n")
        build(guides, out)
        time.sleep(0.01)  # distinct build modification times
    dropped = first - set(units(out))
    assert not dropped  # the first build's mercor unit is fresh: a build might still want it
    old = time.time() - cache.PRUNE_GRACE_SECONDS - 60
    for path in cache.cache_dir(out).iterdir():  # units and the files their parts made
        os.utime(path, (old, old))
    (guides / "mercor.md").write_text((guides / "mercor.md").read_text() + "\nlast\n")
    result = build(guides, out)
    kept = set(units(out))
    wanted = set()
    for path in (out / "builds").iterdir():
        wanted |= {f"{k}{cache.SUFFIX}" for k in corpus.read_manifest(out, path.name).units}
    assert kept == wanted and len(kept) == 4 + corpus.store.KEEP_BUILDS
    owners = {p.name.split(".", 1)[0] for p in cache.cache_dir(out).iterdir()}
    assert {f"{key}{cache.SUFFIX}" for key in owners} == wanted  # no file outlives its unit
    assert all(cache.load(cache.cache_dir(out), key) for key in owners)  # nor dies before it
    assert result.path.name in {p.name for p in (out / "builds").iterdir()}


UNIT_DIGEST = """
import hashlib, sys
from pathlib import Path
import prepdeck
from corpus.pool import Job, _make
parts = tuple((a.name, a.part) for a in prepdeck._artifacts())
text = Path(sys.argv[1]).read_text()
folder = Path(sys.argv[2])  # the unit holds the sha256 of the files its parts made there
print(hashlib.sha256(_make(Job("k", "g.md", text, None), parts, folder)).hexdigest())
"""


def test_a_unit_is_the_same_bytes_in_any_process(guides: Path, tmp_path: Path) -> None:
    """Workers are fresh interpreters (another hash seed, so sets iterate in another
    order): what they make of a guide must not depend on it."""
    digests = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", UNIT_DIGEST, str(guides / "mercor.md"), str(tmp_path / seed)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("failing", ["corpus.json", "texts.bin", "docs.msgpack"])
def test_a_file_that_cannot_be_written_fails_the_build_and_keeps_the_last(
    failing: str, guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are written (and hashed) on a thread of their own while the joins go on: what
    writing one raised fails the build as a write done here would, and nothing is lost."""
    out = tmp_path / "out"
    first = build(guides, out)
    real = corpus.store._write_hashed

    def write_hashed(path: Path, data: bytes) -> str:
        if path.name == failing:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(corpus.store, "_write_hashed", write_hashed)
    edit(guides / "copy2.md")
    with pytest.raises(corpus.CorpusError, match="cannot write the build: No space left"):
        build(guides, out, processes=None)
    assert corpus.current_hash(out) == first.hash
    assert corpus.verify_build(out, first.hash) is None
    assert not [p for p in (out / "builds").iterdir() if p.name.startswith(".staging")]
    monkeypatch.undo()
    again = build(guides, out)
    assert again.hash != first.hash and corpus.verify_build(out, again.hash) is None


def _cached_db(out: Path, name: str) -> Path:
    """The cached response database of guide file ``name`` in the current build."""
    manifest = corpus.read_manifest(out, corpus.current_hash(out))
    key = manifest.sources[[g.file for g in manifest.guides].index(name)]
    return cache.file_path(cache.cache_dir(out), key, "api/db")


def _hashed_in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files of ``folder`` hashed from now on (by ``cache.file_sha256``)."""
    hashed: list[Path] = []
    real = cache.file_sha256
    spy = lambda path: (hashed.append(path) if path.parent == folder else None, real(path))[1]  # noqa: E731
    monkeypatch.setattr(cache, "file_sha256", spy)
    return hashed


def test_cached_files_found_intact_are_hashed_again_only_once_changed(
    guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part's file (linked into builds as it is) is hashed once; then only checked for
    being the same file (inode, size, modification time). Rewritten in place, its
    modification time gives it away."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # the files of this quick build count as old
    out = tmp_path / "out"
    build(guides, out)
    folder = cache.cache_dir(out)
    assert len(list(folder.glob(f"*{cache.CHECKED}"))) == 5
    hashed = _hashed_in(folder, monkeypatch)
    earlier = _cached_db(out, "copy2.md").name.split(".", 1)[0]
    edit(guides / "copy2.md")
    build(guides, out)
    # only the files the edited guide's parts read, of its earlier version
    assert sorted(p.name for p in hashed) == sorted(
        cache.file_path(folder, earlier, f).name for f in ("anki/cards.msgpack", "api/db")
    )
    made = _cached_db(out, "mercor.md")
    before = made.stat()
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.write_bytes(bytes(data))
    later = before.st_mtime_ns + 10**9  # written later (not within one tick of the clock)
    os.utime(made, ns=(before.st_atime_ns, later))
    assert made.stat().st_size == before.st_size
    edit(guides / "copy3.md")
    incremental = build(guides, out)
    assert made in hashed
    assert tree(incremental.path) == tree(build(guides, tmp_path / "fresh").path)


def test_a_damaged_build_is_made_again_from_cached_files_hashed_anew(
    guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached file damaged where the file system cannot see it (its times unchanged) is
    linked into the next build as it is; that build's own check finds it, and
    ``prepdeck build`` makes the build again from cached files hashed anew."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    out = tmp_path / "out"
    build(guides, out)
    edit(guides / "copy2.md")
    folder = cache.cache_dir(out)
    made = _cached_db(out, "mercor.md")
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.write_bytes(bytes(data))
    key = made.name.split(".", 1)[0]
    cache.record(folder, key, ["api/db"])  # bad sectors: no time of the file changed
    damaged = build(guides, out)
    assert corpus.verify_build(out, damaged.hash) is not None
    repaired = build(guides, out)
    assert repaired.hash == damaged.hash and not repaired.up_to_date
    assert corpus.verify_build(out, repaired.hash) is None
    assert tree(repaired.path) == tree(build(guides, tmp_path / "fresh").path)


def test_a_file_changed_within_a_tick_of_the_clock_is_not_recorded(tmp_path: Path) -> None:
    """A file written just now could be written again within the same tick of the file
    system's clock, keeping its modification time: it is not recorded until older."""
    path = cache.file_path(tmp_path, "k", "api/db")
    path.write_bytes(b"data")
    cache.record(tmp_path, "k", ["api/db"])
    assert cache._checked(tmp_path, "k") == {}
    old = time.time_ns() - 2 * cache.RACY_NS
    os.utime(path, ns=(old, old))
    cache.record(tmp_path, "k", ["api/db"])
    assert cache._checked(tmp_path, "k") == {"api/db": cache._stat(path)}


def test_what_an_edit_takes_from_the_earlier_version_is_always_hashed(
    guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parts of an edited guide take compressed bodies (and highlighted code) from its
    earlier version's files into new files: those are hashed, whatever their record."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    out = tmp_path / "out"
    build(guides, out)
    made = _cached_db(out, "copy2.md")
    data = bytearray(made.read_bytes())
    at = data.index(b"\x1f\x8b\x08") + 40  # inside a gzip body the edit would take as it is
    data[at] ^= 0xFF
    made.write_bytes(bytes(data))
    cache.record(cache.cache_dir(out), made.name.split(".", 1)[0], ["api/db"])  # unseen
    edit(guides / "copy2.md")
    incremental = build(guides, out)
    assert tree(incremental.path) == tree(build(guides, tmp_path / "fresh").path)
