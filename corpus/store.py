"""Built artifacts on disk: content-addressed, written atomically, never half-read.

Layout of an output folder::

    <out>/builds/<hash>/corpus.json     the Corpus, msgspec JSON
    <out>/builds/<hash>/<artifact>/...  what other packages add (the search index, ...)
    <out>/builds/<hash>/BUILD.json      manifest, written last: a build without it is incomplete;
                                        it lists the sha256 of every other file of the build
    <out>/current                       the hash of the build to serve, replaced atomically
    <out>/units/<key>.unit              each guide parsed, with its artifact parts (``cache``)

A build is made in a temporary folder beside ``builds/`` and renamed into place, so a
reader sees a whole build or none, and a failed or killed build leaves the previous one
intact. ``<hash>`` covers the guides' bytes and names, the parser version and the
version of every artifact, so a stale build is detected by hashing the inputs again, and
a damaged one (a file changed or deleted after it was written) by ``verify_build``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from . import cache
from .errors import BuildNotFound, CorpusError
from .fragments import Fragments
from .model import Base, Corpus, Diagnostic, Guide, Rich
from .stats import GuideEntry

CORPUS_FILE = "corpus.json"
MANIFEST_FILE = "BUILD.json"
CURRENT_FILE = "current"
KEEP_BUILDS = 3


class Manifest(Base):
    """What a complete build holds; written last, so its presence means "complete"."""

    hash: str
    parser_version: str
    artifacts: dict[str, str] = {}
    created: float = 0.0
    files: dict[str, str] = {}  # path inside the build -> sha256 of its bytes
    warnings: list[Diagnostic] = []  # what the build warned about, for later runs to repeat
    units: list[str] = []  # keys of the per-guide cache entries the build was made from
    sources: list[str] = []  # the key of each guide's entry, in the order of ``guides``
    guides: list[GuideEntry] = []  # what `prepdeck build` prints of each guide
    skipped: list[Diagnostic] = []  # file-level warnings: files skipped, slugs renamed


@dataclass(frozen=True)
class Made:
    """What a part may return instead of bytes: its ``data`` (as a part's bytes) and
    ``files`` (name -> bytes) to place in the build as they are. The files are kept beside
    the per-guide cache entry and reach the join as ``Joining.files``, which links them
    into the build: bulky per-guide output is written once, by the process that made it,
    and never crosses between processes or is copied again."""

    data: bytes
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Previous:
    """What a part made of an earlier version of the same guide file (same code): its
    ``data`` and where its ``files`` are (name -> path)."""

    data: bytes | memoryview
    files: dict[str, Path] = field(default_factory=dict)


# A per-guide artifact's ``part``: the guide, what it made of the file's previous version, and
# the parser's tokens of its fragments
Part = Callable[[Guide[Rich], Previous | None, Fragments | None], bytes | Made]


class Writing:
    """Files written, and hashed, on a thread of their own while the build goes on (both
    let other threads run). ``write`` returns at once; ``digest(path)`` waits for that
    file and gives its sha256 (or raises what writing it raised). The thread starts with
    the first file a join writes, after the joins' workers are forked (no thread may run
    then); the ``first`` files, known from the start (a function makes each one's bytes),
    are made and written first then."""

    def __init__(self, *first: tuple[Path, Callable[[], bytes]]) -> None:
        self._thread = ThreadPoolExecutor(1)
        self._files: dict[Path, Future[str]] = {}
        self._first = list(first)

    def write(self, path: Path, data: bytes | memoryview) -> None:
        self._begin()
        self._files[path] = self._thread.submit(_write_hashed, path, data)

    def digest(self, path: Path) -> str:
        self._begin()
        return self._files[path].result()

    def _begin(self) -> None:
        for path, data in self._first:
            self._files[path] = self._thread.submit(_write_hashed, path, data)
        self._first.clear()

    def close(self) -> None:
        """Wait for every file (what failed is not reported again) and end the thread."""
        self._thread.shutdown()


def _write_hashed(path: Path, data: bytes | memoryview | Callable[[], bytes]) -> str:
    if callable(data):
        data = data()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Joining:
    """What a per-guide artifact's ``join`` is given besides the parts.

    ``files`` holds, for each part, the files its ``part`` made (``Made``): name ->
    (path, sha256); ``place`` puts one in the build. ``reuse(name)`` takes file ``name``
    from the build being replaced (the current one) when that build's manifest lists it
    and its bytes are still those listed: True when taken, so a join links what it would
    otherwise make again. Both hard-link (a build never changes a file once written, so
    builds and the cache can share one) and keep the file's sha256 (``digests``) for the
    manifest, as ``write(name, data)`` does for a file the join writes itself.
    ``start(fn, args, sizes)`` begins ``fn(*a)`` for each of ``args`` on the build's
    processes (see ``pool.start``), for a join with much to make, and returns a function
    that waits for the results; ``later(step)`` runs ``step()`` once every artifact's join
    has returned (what waits for such work, and what needs it done), so the joins and the
    corpus file are written meanwhile. ``companions`` is the content of the artifact's
    ``companion`` files found beside the guides, in the order of the paths. ``earlier``
    holds, for each part made again from an earlier version of its guide file, that
    version's part (what an edit changed is the difference), and None for the others.
    """

    folder: Path
    digest: str
    # start(fn, args, sizes): fn(*a) for each of args begun on the build's processes; it
    # returns a function that waits for their results, in order
    start: Callable[..., Callable[[], list]] = field(compare=False)
    companions: tuple[bytes, ...] = ()
    previous: Path | None = None  # this artifact's folder in the build being replaced
    listed: Mapping[str, str] = field(default_factory=dict)  # its files' sha256, by name
    digests: dict[str, str] = field(default_factory=dict, compare=False)  # of files written
    files: Sequence[Mapping[str, tuple[Path, str]]] = ()
    # for each part made again from its guide's earlier version (in the build being
    # replaced), the part of that version (``Previous.data``); None for the others
    earlier: Sequence[bytes | memoryview | None] = ()
    steps: list[Callable[[], None]] = field(default_factory=list, compare=False)
    writing: Writing | None = field(default=None, compare=False)  # None: write here, at once
    _writes: list[str] = field(default_factory=list, compare=False)

    def later(self, step: Callable[[], None]) -> None:
        """Run ``step()`` after every artifact's join has returned (in the order given)."""
        self.steps.append(step)

    def finish(self) -> None:
        """Wait for the files ``write`` was given, then run the steps ``later`` was given."""
        if self.writing is not None:
            for name in self._writes:
                self.digests[name] = self.writing.digest(self.folder / name)
        for step in self.steps:
            step()

    def write(self, name: str, data: bytes) -> None:
        """Write file ``name`` of ``data``, its sha256 kept as it is written (the build's
        manifest lists it without reading the file again): on the build's ``writing``
        thread, if it has one. That thread starts with the first file: a join ``start``s
        its work on other processes before it writes (no thread may run when they fork;
        with one running, the work is done here)."""
        if self.writing is None:
            self.digests[name] = _write_hashed(self.folder / name, data)
        else:
            self.writing.write(self.folder / name, data)
            self._writes.append(name)

    def place(self, name: str, made: tuple[Path, str]) -> None:
        """Put a file a part made (``files``: its path and sha256) in the build as file
        ``name``: hard-linked (copied where links cannot be made)."""
        source, digest = made
        _share(source, self.folder / name)
        self.digests[name] = digest

    def reuse(self, name: str) -> bool:
        """Take file ``name`` from the build being replaced, when it is listed there and
        intact (its sha256 as listed); False otherwise (the join makes it)."""
        expected = self.listed.get(name)
        if expected is None or self.previous is None:
            return False
        try:
            if cache.file_sha256(self.previous / name) != expected:
                return False
        except OSError:
            return False
        _share(self.previous / name, self.folder / name)
        self.digests[name] = expected
        return True


def _share(source: Path, dest: Path) -> None:
    """``source`` as ``dest`` too: a hard link (builds never change a file once written),
    or a copy where links cannot be made (another file system, ...)."""
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


@dataclass(frozen=True)
class Artifact:
    """Something another package builds from the corpus into the build folder.

    Made in one of two ways, each writing only inside ``folder`` (``<build>/<name>``):

    - whole: ``write(folder, corpus)`` from the whole corpus, at every build;
    - per guide: ``part(guide, previous, parsed) -> bytes`` runs on each guide as it is
      parsed (on every core, and kept in the per-guide cache with it), and ``join(folder,
      joining, parts)`` writes the artifact from every guide's part, in corpus order.
      ``parsed`` (``Fragments``) has the parser's tokens of the guide's rich fragments,
      for a part that reads their structure (None when a caller has only the guide).
      An edit then re-runs ``part`` for the edited guide only, and gives it ``previous``
      (``Previous``): what it made of the file's version in the build being replaced
      (None when there is none, or when other code made it), to take from it what depends
      only on content that did not change (so editing one answer costs about that
      answer); the output must be the same with or without either. A part returns bytes,
      or ``Made`` to hand files to the join as well (``Joining.place`` links them in);
      ``joining.reuse`` takes what the build being replaced holds rather than make it
      again. ``part`` must be a module-level function (it is sent to worker processes)
      and depend on its guide alone.

    ``version`` takes part in the content hash: bump it when the format changes.

    ``companion`` names a file a per-guide artifact reads beside the guides (in a guide
    folder, or beside a guide file), such as ``synonyms.yaml``: its bytes take part in
    the content hash and reach ``join`` (``Joining.companions``), so the build carries
    what it says; changing it re-runs the joins, not the parts.
    """

    name: str
    version: str
    companion: str | None = None
    write: Callable[[Path, Corpus], None] | None = field(default=None, compare=False)
    part: Part | None = field(default=None, compare=False)
    join: Callable[[Path, Joining, Sequence[bytes | memoryview]], None] | None = field(
        default=None, compare=False
    )

    def __post_init__(self) -> None:
        if (self.write is None) == (self.part is None) or (self.part is None) != (
            self.join is None
        ):
            raise ValueError(f"artifact {self.name!r}: give either write, or part and join")


_corpus_decoder = msgspec.json.Decoder(Corpus)
_manifest_decoder = msgspec.json.Decoder(Manifest)


def code_digest(*files: str | Path) -> str:
    """A short digest of source files, for a version that must change with its code."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def default_out() -> Path:
    """``$PREPDECK_HOME`` if set, else the per-user data folder."""
    home = os.environ.get("PREPDECK_HOME")
    if home:
        return Path(home)
    import platformdirs  # here: most runs are told where, and it costs a start-up 2 ms

    return Path(platformdirs.user_data_dir("prepdeck"))


def content_hash(
    inputs: Sequence[tuple[str, bytes]], parser_version: str, artifacts: Sequence[Artifact] = ()
) -> str:
    """The build key: sha256 over the parser and artifact versions and every (name, bytes)."""
    h = hashlib.sha256()
    h.update(f"parser={parser_version}\n".encode())
    for art in sorted(artifacts, key=lambda a: a.name):
        h.update(f"artifact={art.name}:{art.version}\n".encode())
    for name, data in inputs:
        h.update(f"file={name}:{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()[:32]


def build_dir(out: Path, digest: str) -> Path:
    return out / "builds" / digest


def is_complete(out: Path, digest: str) -> bool:
    """True when the build ``digest`` exists and its manifest was written."""
    return (build_dir(out, digest) / MANIFEST_FILE).is_file()


def write_build(
    out: Path, manifest: Manifest, fill: Callable[[Path], Mapping[str, str] | None]
) -> Path:
    """Write build ``manifest.hash`` and make it current.

    ``fill(folder)`` writes the build's files into a staging folder, and may return the
    sha256 of some of them (by path in the build: hashed as they were written, they are
    not read again); then the manifest (with the sha256 of every file) is written last
    and the folder renamed into place.
    """
    builds = out / "builds"
    make_folder(out, builds)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".staging-{os.getpid()}-", dir=builds))
    except OSError as exc:
        raise _cannot_write(out, exc) from exc
    try:
        known = fill(staging) or {}
        manifest = msgspec.structs.replace(
            manifest, created=time.time(), files=_digest_files(staging, known)
        )
        write_file(staging / MANIFEST_FILE, msgspec.json.encode(manifest))
        final = build_dir(out, manifest.hash)
        _replace(staging, final)
        set_current(out, manifest.hash)
    except OSError as exc:
        raise CorpusError(f"{out}: cannot write the build: {exc.strerror or exc}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _prune(out, keep=manifest.hash)
    return final


def make_folder(out: Path, folder: Path) -> None:
    """Make ``folder`` (and its parents) for the builds of ``out``; ``CorpusError`` saying
    why when it cannot be made (a file in the way, no right to write)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(out, exc) from exc


def _cannot_write(out: Path, exc: OSError) -> CorpusError:
    return CorpusError(f"{out}: cannot write a build here: {exc.strerror or exc}")


def _replace(staging: Path, final: Path) -> None:
    """Rename ``staging`` to ``final``; an existing ``final`` (a killed build's leftover or a
    damaged build) is first renamed aside, so readers never see it half deleted."""
    if not final.exists():
        try:
            os.rename(staging, final)
            return
        except OSError:
            if verify_build(final.parent.parent, final.name) is None:
                return  # another process wrote the same build meanwhile: keep theirs
            raise
    aside = staging.with_name(staging.name + "-replaced")  # pruned like a staging folder
    os.rename(final, aside)
    os.rename(staging, final)
    shutil.rmtree(aside, ignore_errors=True)


def verify_build(out: Path, digest: str) -> str | None:
    """Why build ``digest`` cannot be trusted (manifest, or a file of it missing or changed
    since it was written), or ``None`` when every file is as the manifest lists it."""
    try:
        manifest = read_manifest(out, digest)
    except BuildNotFound as exc:
        return str(exc)
    folder = build_dir(out, digest)
    if manifest.hash != digest or not manifest.files:
        return f"{folder / MANIFEST_FILE}: manifest of another build or of an older prepdeck"
    for name, expected in manifest.files.items():
        try:
            actual = cache.file_sha256(folder / name)
        except OSError:
            return f"{folder / name}: file of the build is missing or unreadable"
        if actual != expected:
            return f"{folder / name}: file of the build was changed after it was written"
    return None


def _digest_files(folder: Path, known: Mapping[str, str]) -> dict[str, str]:
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return {name: known.get(name) or cache.file_sha256(folder / name) for name in names}


def set_current(out: Path, digest: str) -> None:
    """Point ``<out>/current`` at build ``digest``, atomically."""
    tmp = out / f".{CURRENT_FILE}.{os.getpid()}"
    write_file(tmp, digest.encode())
    os.replace(tmp, out / CURRENT_FILE)


def current_hash(out: Path) -> str:
    """The hash of the build ``<out>/current`` names; ``BuildNotFound`` if none is complete."""
    try:
        digest = (out / CURRENT_FILE).read_text().strip()
    except OSError as exc:
        raise BuildNotFound(f"{out}: no build here; run `prepdeck build` first") from exc
    if not is_complete(out, digest):
        raise BuildNotFound(f"{build_dir(out, digest)}: build is missing or incomplete")
    return digest


def read_manifest(out: Path, digest: str) -> Manifest:
    """The manifest of build ``digest``."""
    path = build_dir(out, digest) / MANIFEST_FILE
    try:
        return _manifest_decoder.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError) as exc:
        raise BuildNotFound(f"{path}: unreadable build manifest: {exc}") from exc


def load_corpus(out: Path, digest: str | None = None) -> Corpus:
    """The Corpus of build ``digest`` (default: the current build)."""
    digest = digest or current_hash(out)
    path = build_dir(out, digest) / CORPUS_FILE
    try:
        corpus = _corpus_decoder.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError) as exc:
        raise BuildNotFound(f"{path}: unreadable corpus: {exc}") from exc
    if corpus.hash != digest:
        raise BuildNotFound(f"{path}: corpus hash {corpus.hash} does not match build {digest}")
    return corpus


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and flush it to disk."""
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _prune(out: Path, keep: str) -> None:
    """Remove all but the newest ``KEEP_BUILDS`` builds (never ``keep``), the staging
    folders of builds that were killed (their process is gone), and the per-guide cache
    entries no kept build was made from."""
    try:
        entries = list((out / "builds").iterdir())
    except OSError:
        return  # pruning is housekeeping: never fail a build over it
    for path in entries:
        if path.name.startswith(".staging-") and not _alive(path.name.split("-")[1]):
            shutil.rmtree(path, ignore_errors=True)
    dated = []
    for path in entries:
        if not path.name.startswith("."):
            try:
                dated.append((path.stat().st_mtime, path))
            except OSError:  # removed by another process meanwhile
                continue
    dated.sort(reverse=True)
    for _, old in dated[KEEP_BUILDS:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    units: set[str] = set()
    for name in {keep, *(path.name for _, path in dated[:KEEP_BUILDS])}:
        try:
            units.update(read_manifest(out, name).units)
        except BuildNotFound:
            continue
    cache.prune(cache.cache_dir(out), units)
