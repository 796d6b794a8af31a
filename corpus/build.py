"""Building a Corpus from guide files, and writing it (with artifacts) as a build.

A build is made of units, one per guide (``cache.Unit``: the guide parsed, and each
per-guide artifact's part of it), each a function of that guide's name, bytes and slug
alone. Units come from the per-guide cache when the guide is unchanged, else from the
process pool (``pool``); the build is then joined from them in the guides' order. So an
incremental build is the same, byte for byte, as a full one, whatever the number of
processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import msgspec

from . import cache, pool
from .errors import CorpusError
from .ids import SlugAllocator
from .model import Corpus, Diagnostic
from .parser import PARSER_VERSION
from .pool import Job, make_units
from .sources import MAX_GUIDE_BYTES, SourceFile, decode, discover, read_bytes, read_regular
from .store import (
    CORPUS_FILE,
    MANIFEST_FILE,
    Artifact,
    Joining,
    Manifest,
    Previous,
    Writing,
    build_dir,
    content_hash,
    current_hash,
    is_complete,
    make_folder,
    read_manifest,
    set_current,
    verify_build,
    write_build,
)

Inputs = list[tuple[SourceFile, bytes | OSError]]
# a unit, the cache key it was made under, and what the parts made of the earlier version
# of its file when it was made from it
Found = tuple[str, cache.Unit, dict[str, Previous]]


class _SplicedCorpus(msgspec.Struct):
    """``Corpus`` with its guides already encoded: encodes to the same bytes as ``Corpus``
    (a test holds them equal), without decoding and encoding every guide again."""

    hash: str
    parser_version: str
    guides: list[msgspec.Raw]
    warnings: list[Diagnostic]


_corpus_decoder = msgspec.json.Decoder(Corpus)


@dataclass
class Parsed:
    """Every usable guide of a build as a unit, in order, and the file-level warnings."""

    hash: str
    units: list[cache.Unit]
    keys: list[str]  # the cache keys the units were made under (or taken from)
    warnings: list[Diagnostic]  # files skipped, slugs renamed
    sources: list[str] = field(default_factory=list)  # the key of each of ``units``
    # what each artifact's part made of the earlier version of each of ``units``, when the
    # unit was made from it here (for the joins: ``Joining.earlier``)
    earlier: list[dict[str, Previous]] = field(default_factory=list)

    @cached_property
    def corpus_json(self) -> bytes:
        spliced = _SplicedCorpus(
            hash=self.hash,
            parser_version=PARSER_VERSION,
            guides=[msgspec.Raw(u.guide) for u in self.units],
            warnings=self.warnings,
        )
        return msgspec.json.encode(spliced)

    @cached_property
    def corpus(self) -> Corpus:
        return _corpus_decoder.decode(self.corpus_json)

    def all_warnings(self) -> list[Diagnostic]:
        return [*self.warnings, *(w for u in self.units for w in u.entry.warnings)]


@dataclass
class BuildResult:
    """What ``build`` did: the hash, where the build is, and whether it was already there."""

    hash: str
    path: Path
    up_to_date: bool
    parsed: Parsed | None = field(default=None, repr=False)
    warnings: list[Diagnostic] = field(default_factory=list)
    repaired: str | None = None  # why the build that was there could not be trusted

    @property
    def corpus(self) -> Corpus | None:
        """The corpus parsed by this build (None when it was up to date: nothing was
        parsed; ``load_corpus`` reads it). Decoded on first use."""
        return None if self.parsed is None else self.parsed.corpus


def read_inputs(paths: Sequence[Path] | None) -> Inputs:
    """Every guide under ``paths`` (default: the embedded guide) with its bytes."""
    return [(src, read_bytes(src)) for src in discover(list(paths) if paths else None)]


Companions = dict[str, tuple[bytes, ...]]  # artifact name -> its companion files' bytes


def inputs_hash(
    inputs: Inputs, artifacts: Sequence[Artifact] = (), companions: Companions | None = None
) -> str:
    """The content hash a build of these inputs (and companion files) is stored under."""
    keyed = [(s.name, b if isinstance(b, bytes) else b"\0unreadable") for s, b in inputs]
    for name, files in sorted((companions or {}).items()):
        keyed += [(f"{name}/companion", data) for data in files]
    return content_hash(keyed, PARSER_VERSION, artifacts)


def read_companions(paths: Sequence[Path] | None, artifacts: Sequence[Artifact]) -> Companions:
    """Each artifact's ``companion`` files beside the guide ``paths`` (none for the
    embedded guide), in the order of the paths."""
    found: Companions = {}
    for art in artifacts:
        if art.companion is None:
            continue
        files: list[Path] = []
        for path in map(Path, paths or []):
            candidate = (path if path.is_dir() else path.parent) / art.companion
            if candidate.is_file() and candidate not in files:
                files.append(candidate)
        found[art.name] = tuple(_companion(f) for f in files)
    return found


def _companion(path: Path) -> bytes:
    """A companion file's bytes, held to a guide's limit: it is read whole, hashed and
    carried into the build."""
    try:
        return read_regular(path, MAX_GUIDE_BYTES)
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def parse_inputs(
    inputs: Inputs,
    digest: str,
    artifacts: Sequence[Artifact] = (),
    folder: Path | None = None,
    processes: int | None = None,
    earlier: Mapping[str, str] | None = None,
    trust: bool = True,
) -> Parsed:
    """Every input as a unit: from the cache ``folder`` when there, else parsed (on
    ``processes`` processes) and kept there. Unusable files become warnings. ``earlier``:
    the cache key of an earlier version's unit, by file name, made by this code (its
    parts are given to the artifacts' ``part``). ``trust``: whether a cached unit's file
    found intact before, and the same file still, is linked without hashing it again
    (``cache.load``; an earlier version's files, which parts read, are always hashed)."""
    per_guide = sorted((a for a in artifacts if a.part is not None), key=lambda a: a.name)
    versions = [f"{a.name}:{a.version}" for a in per_guide]
    parts = [(a.name, a.part) for a in per_guide if a.part is not None]

    problems: dict[int, Diagnostic] = {}

    def earlier_parts(name: str) -> dict[str, Previous]:
        key = (earlier or {}).get(name)
        # what the parts take from these files ends up in new ones: hashed, always
        unit = cache.load(folder, key, trust=False) if key and folder is not None else None
        if unit is None or folder is None:
            return {}
        return {
            art: Previous(data, _files(unit, art, folder, key)) for art, data in unit.parts.items()
        }

    def units(wanted: list[tuple[int, str | None]]) -> dict[int, Found]:
        """The unit of input ``i`` with slug ``slug`` (None: its own), for each pair
        wanted whose input is usable (else its problem goes to ``problems``)."""
        found: dict[int, Found] = {}
        keys = [
            cache.unit_key(inputs[i][0].name, data, slug, PARSER_VERSION, versions)
            if isinstance(data := inputs[i][1], bytes)
            else ""
            for i, slug in wanted
        ]
        # Cached units are read on threads while the others are parsed here; a cached unit
        # means its bytes were usable. Units to parse on a pool wait for the reading: no
        # thread may run when it forks.
        loading = cache.Loading(folder, keys, trust) if folder is not None else None
        fresh = [n for n, key in enumerate(keys) if loading is None or not loading.cached(key)]
        jobs = make_jobs(wanted, keys, fresh)
        if (
            loading is not None
            and pool.processes_for([len(j.text) for _, j in jobs], processes) > 1
        ):
            loading.result()
        made = make_units([j for _, j in jobs], parts, folder, processes)
        found.update(
            (i, (job.key, unit, job.previous)) for (i, job), unit in zip(jobs, made, strict=True)
        )
        cached = loading.result() if loading is not None else [None] * len(keys)
        damaged = [n for n, unit in enumerate(cached) if unit is None and n not in fresh]
        again = make_jobs(wanted, keys, damaged)
        remade = make_units([j for _, j in again], parts, folder, processes)
        found.update(
            (i, (job.key, unit, job.previous)) for (i, job), unit in zip(again, remade, strict=True)
        )
        if folder is not None:  # the files just written are known to be intact
            for (_, job), unit in zip([*jobs, *again], [*made, *remade], strict=True):
                cache.record(folder, job.key, unit.files)
        found.update((wanted[n][0], (keys[n], unit, {})) for n, unit in enumerate(cached) if unit)
        return found

    def make_jobs(
        wanted: list[tuple[int, str | None]], keys: list[str], at: list[int]
    ) -> list[tuple[int, Job]]:
        """A job for each wanted pair at ``at`` whose input is usable (the input's index
        and its job); the problems of the others go to ``problems``."""
        jobs = []
        for n in at:
            i, slug = wanted[n]
            src, data = inputs[i]
            text, problem = decode(src, data)
            if problem is not None:
                problems[i] = problem
                continue
            assert text is not None and keys[n]
            jobs.append((i, Job(keys[n], src.name, text, slug, earlier_parts(src.name))))
        return jobs

    own = units([(i, None) for i in range(len(inputs))])
    slugs = SlugAllocator()
    renamed = {i: slugs.take(unit.entry.slug) for i, (_, unit, _) in sorted(own.items())}
    renamed = {i: slug for i, slug in renamed.items() if slug != own[i][1].entry.slug}
    forced = units(list(renamed.items()))
    warnings: list[Diagnostic] = []
    chosen: list[Found] = []
    for i, (src, _) in enumerate(inputs):
        if i in problems:
            warnings.append(problems[i])
            continue
        if i in forced:
            message = f'guide slug "{own[i][1].entry.slug}" is taken; renamed to "{renamed[i]}"'
            warnings.append(Diagnostic(file=src.name, line=1, message=message))
        chosen.append(forced.get(i, own[i]))
    keys = [own[i][0] for i in sorted(own)] + [forced[i][0] for i in sorted(forced)]
    return Parsed(
        digest,
        [unit for _, unit, _ in chosen],
        keys,
        warnings,
        [key for key, _, _ in chosen],
        [earlier for _, _, earlier in chosen],
    )


def load_guides(paths: Sequence[Path] | None = None) -> Corpus:
    """Parse guides into a Corpus in memory, without writing anything."""
    inputs = read_inputs(paths)
    return parse_inputs(inputs, inputs_hash(inputs)).corpus


def all_warnings(corpus: Corpus) -> list[Diagnostic]:
    """Every warning of a corpus: file-level ones, then each guide's."""
    return [*corpus.warnings, *(w for g in corpus.guides for w in g.warnings)]


def _current_or_none(out: Path) -> str | None:
    try:
        return current_hash(out)
    except CorpusError:
        return None


def build(
    paths: Sequence[Path] | None,
    out: Path,
    artifacts: Sequence[Artifact] = (),
    strict: bool = False,
    processes: int | None = None,
) -> BuildResult:
    """Build guides into ``out`` unless an identical, intact build is there already.

    An identical build whose files were changed or deleted since it was written is built
    again in its place (``repaired`` says what was wrong). With ``strict``, a build with
    warnings is not written (the result carries them). Guides unchanged since an earlier
    build come from the per-guide cache; the others are parsed on ``processes``
    processes (default: every core when there is enough to parse).
    """
    with pool.frozen():  # what is in memory before the build is not its garbage
        return _build(paths, out, artifacts, strict, processes)


def _build(
    paths: Sequence[Path] | None,
    out: Path,
    artifacts: Sequence[Artifact],
    strict: bool,
    processes: int | None,
) -> BuildResult:
    inputs = read_inputs(paths)
    companions = read_companions(paths, artifacts)
    digest = inputs_hash(inputs, artifacts, companions)
    complete = is_complete(out, digest)
    damage = verify_build(out, digest) if complete else None
    if complete and damage is None:
        if _current_or_none(out) != digest:  # a read-only, baked build is left untouched
            set_current(out, digest)
        warnings = read_manifest(out, digest).warnings
        return BuildResult(digest, build_dir(out, digest), up_to_date=True, warnings=warnings)
    units = cache.cache_dir(out)
    make_folder(out, units)  # before the pool writes the cache into it
    previous = _previous(out)
    earlier = _earlier(previous, artifacts)
    # a damaged build is made again from files checked anew: the damage may be in the cache
    parsed = parse_inputs(inputs, digest, artifacts, units, processes, earlier, damage is None)
    if inputs and not parsed.units:
        raise CorpusError(f"no usable guide: {len(parsed.warnings)} file(s) skipped")
    warnings = parsed.all_warnings()
    if strict and warnings:
        return BuildResult(digest, build_dir(out, digest), False, parsed, warnings, damage)
    manifest = Manifest(
        hash=digest,
        parser_version=PARSER_VERSION,
        artifacts={a.name: a.version for a in artifacts},
        warnings=warnings,
        units=parsed.keys,
        sources=parsed.sources,
        guides=[u.entry for u in parsed.units],
        skipped=parsed.warnings,
    )
    path = write_build(
        out,
        manifest,
        lambda folder: _fill(folder, parsed, artifacts, previous, processes, companions, units),
    )
    return BuildResult(digest, path, False, parsed, warnings, damage)


def existing_build(path: Path, artifacts: Sequence[Artifact] = ()) -> BuildResult:
    """A build made elsewhere, to serve as it is (its guides need not be here).

    ``path`` is a build folder (``builds/<hash>``) or an output folder (its current build).
    ``CorpusError`` when there is no complete build there, when it was made by other code
    (parser or artifact versions) or when a file of it is damaged (nothing can repair it
    without the guides).
    """
    path = Path(path)
    if (path / MANIFEST_FILE).is_file():
        out, digest = path.parent.parent, path.name
    else:
        out, digest = path, current_hash(path)
    manifest = read_manifest(out, digest)
    wanted = {a.name: a.version for a in artifacts}
    if manifest.parser_version != PARSER_VERSION or manifest.artifacts != wanted:
        raise CorpusError(
            f"{build_dir(out, digest)}: made by another version of prepdeck; "
            "build it again with this one"
        )
    damage = verify_build(out, digest)
    if damage is not None:
        raise CorpusError(f"damaged build: {damage}; build it again where its guides are")
    return BuildResult(digest, build_dir(out, digest), up_to_date=True, warnings=manifest.warnings)


def _previous(out: Path) -> tuple[Path, Manifest] | None:
    """The current build of ``out`` and its manifest, if there is one to reuse from."""
    digest = _current_or_none(out)
    if digest is None:
        return None
    try:
        return build_dir(out, digest), read_manifest(out, digest)
    except CorpusError:
        return None


def _earlier(
    previous: tuple[Path, Manifest] | None, artifacts: Sequence[Artifact]
) -> dict[str, str]:
    """The unit key of each guide file of the ``previous`` build, when the same code made
    it (the parser and every artifact at the same versions); else nothing."""
    if previous is None:
        return {}
    manifest = previous[1]
    same = manifest.parser_version == PARSER_VERSION and manifest.artifacts == {
        a.name: a.version for a in artifacts
    }
    if not same or len(manifest.sources) != len(manifest.guides):
        return {}
    return {entry.file: key for entry, key in zip(manifest.guides, manifest.sources, strict=True)}


def _files(unit: cache.Unit, artifact: str, folder: Path, key: str) -> dict[str, Path]:
    """Where the files ``artifact``'s part made of ``unit`` (cached as ``key``) are kept."""
    prefix = f"{artifact}/"
    return {
        file[len(prefix) :]: cache.file_path(folder, key, file)
        for file in unit.files
        if file.startswith(prefix)
    }


def _fill(
    folder: Path,
    parsed: Parsed,
    artifacts: Sequence[Artifact],
    previous: tuple[Path, Manifest] | None,
    processes: int | None,
    companions: Companions,
    units: Path,
) -> dict[str, str]:
    """Write the corpus and every artifact of ``parsed`` into the staging ``folder``; the
    sha256 of the files the joins wrote (``Joining.digests``), by path in the build."""

    def start(fn: Callable, args: Sequence[tuple], sizes: Sequence[int]) -> Callable[[], list]:
        return pool.start(fn, args, sizes, processes)

    # the corpus file and the joins' files, written while the joins go on
    writing = Writing((folder / CORPUS_FILE, lambda: parsed.corpus_json))
    try:
        joinings: list[tuple[str, Joining]] = []
        for art in artifacts:
            target = folder / art.name
            target.mkdir()
            if art.join is not None:
                made = [
                    {
                        name: (path, unit.files[f"{art.name}/{name}"])
                        for name, path in _files(unit, art.name, units, key).items()
                    }
                    for unit, key in zip(parsed.units, parsed.sources, strict=True)
                ]
                joining = Joining(
                    target,
                    parsed.hash,
                    start,
                    companions.get(art.name, ()),
                    *_listed(previous, art.name),
                    files=made,
                    earlier=[(e[art.name].data if art.name in e else None) for e in parsed.earlier],
                    writing=writing,
                )
                art.join(target, joining, [u.parts[art.name] for u in parsed.units])
                joinings.append((art.name, joining))
            elif art.write is not None:
                art.write(target, parsed.corpus)
        # Written like every other file of the build: only the manifest and ``current``,
        # the points a build is committed at, are flushed to disk (a file lost to a crash
        # before it reached the disk fails its sha256 check, and the next build repairs it).
        known: dict[str, str] = {}
        for name, joining in joinings:
            joining.finish()
            known.update((f"{name}/{file}", d) for file, d in joining.digests.items())
        known[CORPUS_FILE] = writing.digest(folder / CORPUS_FILE)
        return known
    finally:
        writing.close()


def _listed(
    previous: tuple[Path, Manifest] | None, name: str
) -> tuple[Path | None, dict[str, str]]:
    """Artifact ``name``'s folder in the ``previous`` build, and its files' sha256 there."""
    if previous is None:
        return None, {}
    folder, manifest = previous
    prefix = f"{name}/"
    files = {k[len(prefix) :]: v for k, v in manifest.files.items() if k.startswith(prefix)}
    return folder / name, files
