"""The per-guide cache: what a build made of one guide, reused while the guide is unchanged.

A build parses each guide into a ``Unit`` (the guide's JSON, its warnings and each
per-guide artifact's part; see ``Artifact.part``) and keeps it in ``<out>/units/``
under ``unit_key``: a digest of the guide's name, bytes and slug and of the versions of
the parser and of every per-guide artifact. So a guide whose bytes and code are unchanged
is never parsed again, and an edit costs the parse of the edited guide only.

Each file is ``sha256(payload) + payload``, written atomically (temporary file, rename):
a unit read back is the unit written, or it is ignored (a damaged or half-written file
is made again), so the cache can never change what a build holds. Units that no kept
build names are removed by ``prune``.

The files a unit's parts made (``Unit.files``) are linked into builds as they are, and
are most of the cache's bytes. Each is checked against its sha256 the first time, then
only for being the same file as when it was checked (``record``: inode, size and
modification time, as build tools do; not the change time, which every build's link to
the file changes), unless a build repairs a damaged one (``trust=False``). A file
changed in place where the file system does not see it (bad sectors) is linked as it
is; the build's own check of every file (``verify_build``, when ``prepdeck build`` or a
server finds the build) finds it, and the build made again checks every file anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import msgspec

from .model import Base
from .stats import GuideEntry

CACHE_DIR = ("units",)
SUFFIX = ".unit"
CHECKED = ".checked"  # beside a unit: how its files were when last found intact (``record``)
# A file modified in the same tick of the file system's clock as it was last written keeps
# its times: a file is recorded only once its last change is older than this (a tick is
# at most 10 ms on Linux).
RACY_NS = 20_000_000
_DIGEST = 32  # bytes of sha256 over the payload, in front of it
PRUNE_GRACE_SECONDS = 3600.0  # a unit this fresh may belong to a build still being made


class Unit(Base):
    """What one guide contributes to a build, independent of every other guide.

    Its bytes are made as ``bytes`` and read back as views of the unit's own bytes (a
    build reads megabytes of units: copying them out was most of reading them)."""

    entry: GuideEntry  # slug, title, counts, warnings
    guide: memoryview  # the Guide as corpus JSON (spliced as is into corpus.json)
    parts: dict[str, memoryview] = {}  # artifact name -> what its ``part`` made of the guide
    # "<artifact>/<name>" -> sha256 of a file a part made, kept beside the unit (file_path)
    files: dict[str, str] = {}


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Unit)


def unit_key(
    name: str, data: bytes, slug: str | None, parser_version: str, versions: Sequence[str]
) -> str:
    """The cache key of a guide: its name, bytes and forced slug, and the code versions."""
    h = hashlib.sha256()
    h.update(f"parser={parser_version}\n".encode())
    for version in versions:
        h.update(f"artifact={version}\n".encode())
    h.update(f"file={name}\nslug={slug or ''}\n{len(data)}\n".encode())
    h.update(data)
    return h.hexdigest()[:32]


def encode(unit: Unit) -> bytes:
    """A unit as bytes (what ``store`` keeps and ``decode`` reads)."""
    return _encoder.encode(unit)


def decode(payload: bytes | memoryview) -> Unit:
    """The unit ``encode`` made these bytes of."""
    return _decoder.decode(payload)


def cache_dir(out: Path) -> Path:
    return out.joinpath(*CACHE_DIR)


def file_path(folder: Path, key: str, file: str) -> Path:
    """Where file ``file`` ("<artifact>/<name>") of unit ``key`` is kept."""
    return folder / f"{key}.{file.replace('/', '.')}"


def load(folder: Path, key: str, trust: bool = True) -> Unit | None:
    """The cached unit ``key``, or ``None`` when it or one of its files is missing,
    unreadable or damaged. The unit is read and hashed; each of its files (a build links
    it as it is) is hashed unless ``record`` found it intact as it is now (``trust``);
    files found intact here are recorded."""
    try:
        raw = (folder / f"{key}{SUFFIX}").read_bytes()
    except OSError:
        return None
    view = memoryview(raw)
    digest, payload = view[:_DIGEST], view[_DIGEST:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        unit = decode(payload)
    except msgspec.DecodeError:
        return None
    recorded = _checked(folder, key)
    known = recorded if trust else {}
    now: dict[str, Stat] = {}
    for file, expected in unit.files.items():
        path = file_path(folder, key, file)
        try:
            now[file] = _stat(path)
            if known.get(file) == now[file]:
                continue
            if file_sha256(path) != expected or _stat(path) != now[file]:
                return None
        except OSError:
            return None
    _record(folder, key, now, recorded)
    return unit


Stat = tuple[int, int, int]  # inode, size, modification time (ns)
_stat_decoder = msgspec.msgpack.Decoder(dict[str, tuple[int, int, int]])


def _stat(path: Path) -> Stat:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def _checked(folder: Path, key: str) -> dict[str, Stat]:
    """How unit ``key``'s files were when last found intact (nothing when unknown)."""
    try:
        return _stat_decoder.decode((folder / f"{key}{CHECKED}").read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}


def record(folder: Path, key: str, files: Iterable[str]) -> None:
    """Record the ``files`` of unit ``key`` ("<artifact>/<name>") as they are now, known
    to be intact (this process wrote them); a later ``load`` then checks they are still
    the same files rather than hash them."""
    with contextlib.suppress(OSError):
        stats = {file: _stat(file_path(folder, key, file)) for file in files}
        _record(folder, key, stats, _checked(folder, key))


def _record(folder: Path, key: str, stats: dict[str, Stat], known: dict[str, Stat]) -> None:
    """Keep ``stats`` as unit ``key``'s record (``known``: the one there), leaving out
    files changed too recently for their times to show a change made right after
    (``RACY_NS``); failures only cost hashing again."""
    now = time.time_ns()
    kept = {file: stat for file, stat in stats.items() if now - stat[2] >= RACY_NS}
    if kept != known:
        with contextlib.suppress(OSError):
            _write_atomically(folder, key, folder / f"{key}{CHECKED}", _encoder.encode(kept))


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read piece by piece (a file is never held whole in memory:
    a build checks megabytes of them)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def store_files(folder: Path, key: str, files: dict[str, bytes]) -> dict[str, str]:
    """Keep ``files`` ("<artifact>/<name>" -> bytes) beside unit ``key``, each written
    atomically; their sha256. Unlike a unit, they must be written: a build links them."""
    digests = {}
    for file, data in files.items():
        _write_atomically(folder, key, file_path(folder, key, file), data)
        digests[file] = hashlib.sha256(data).hexdigest()
    return digests


def _write_atomically(folder: Path, key: str, path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path`` through a temporary file beside it (readers see the
    whole file or none); ``OSError`` when it cannot be written."""
    tmp = folder / f".{key}.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class Loading:
    """The cached units of ``keys`` (``""``: none) being read and checked on threads while
    this thread does other work (reading and hashing let it run). ``result()`` waits for
    them and ends the threads: call it before forking (no thread may run then)."""

    def __init__(self, folder: Path, keys: Sequence[str], trust: bool = True) -> None:
        self.keys = list(keys)
        present = {k for k in self.keys if k and (folder / f"{k}{SUFFIX}").is_file()}
        self._threads = ThreadPoolExecutor(min(len(present), os.cpu_count() or 1) or 1)
        self._futures = {k: self._threads.submit(load, folder, k, trust) for k in present}
        self._done: list[Unit | None] | None = None

    def cached(self, key: str) -> bool:
        """Whether the cache has an entry ``key`` (it may still prove damaged: ``None``)."""
        return key in self._futures

    def result(self) -> list[Unit | None]:
        """The unit of each key, in order; ``None`` where there is none, or a damaged one."""
        if self._done is None:
            got = {k: f.result() for k, f in self._futures.items()}
            self._threads.shutdown()
            self._done = [got.get(k) if k else None for k in self.keys]
        return self._done


def store(folder: Path, key: str, payload: bytes) -> None:
    """Keep ``payload`` (``encode``'s bytes) as unit ``key``; a cache that cannot be written
    only costs the next build a parse, so failures are ignored."""
    with contextlib.suppress(OSError):
        digest = hashlib.sha256(payload).digest()
        _write_atomically(folder, key, folder / f"{key}{SUFFIX}", digest, payload)


def prune(folder: Path, keep: Iterable[str]) -> None:
    """Remove units not in ``keep`` (those of the kept builds), with their files, unless
    made in the last hour (another build may be using them right now)."""
    wanted = set(keep)
    old = time.time() - PRUNE_GRACE_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(".") and entry.name.split(".", 1)[0] in wanted:
            continue
        try:
            if entry.stat().st_mtime < old:
                os.unlink(entry.path)
        except OSError:  # removed meanwhile
            continue
