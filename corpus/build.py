"""Building a Corpus from guide files, and writing it (with artifacts) as a build."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .ids import SlugAllocator
from .model import Corpus, Diagnostic
from .parser import PARSER_VERSION, parse_guide
from .sources import SourceFile, decode, discover, read_bytes
from .store import (
    Artifact,
    build_dir,
    content_hash,
    current_hash,
    is_complete,
    read_manifest,
    set_current,
    verify_build,
    write_build,
)


@dataclass
class BuildResult:
    """What ``build`` did: the hash, where the build is, and whether it was already there."""

    hash: str
    path: Path
    up_to_date: bool
    corpus: Corpus | None = None
    warnings: list[Diagnostic] = field(default_factory=list)
    repaired: str | None = None  # why the build that was there could not be trusted


def read_inputs(paths: Sequence[Path] | None) -> list[tuple[SourceFile, bytes | OSError]]:
    """Every guide under ``paths`` (default: the embedded guide) with its bytes."""
    return [(src, read_bytes(src)) for src in discover(list(paths) if paths else None)]


def inputs_hash(
    inputs: list[tuple[SourceFile, bytes | OSError]], artifacts: Sequence[Artifact] = ()
) -> str:
    """The content hash a build of these inputs is stored under."""
    keyed = [(s.name, b if isinstance(b, bytes) else b"\0unreadable") for s, b in inputs]
    return content_hash(keyed, PARSER_VERSION, artifacts)


def corpus_from_inputs(inputs: list[tuple[SourceFile, bytes | OSError]], digest: str) -> Corpus:
    """Parse every input; unusable files become warnings of the corpus."""
    guides = []
    warnings: list[Diagnostic] = []
    slugs = SlugAllocator()
    for src, data in inputs:
        text, problem = decode(src, data)
        if problem is not None:
            warnings.append(problem)
            continue
        guide = parse_guide(text, src.name)
        slug = slugs.take(guide.slug)
        if slug != guide.slug:
            message = f'guide slug "{guide.slug}" is taken; renamed to "{slug}"'
            warnings.append(Diagnostic(file=src.name, line=1, message=message))
            guide = parse_guide(text, src.name, slug)
        guides.append(guide)
    return Corpus(hash=digest, parser_version=PARSER_VERSION, guides=guides, warnings=warnings)


def load_guides(paths: Sequence[Path] | None = None) -> Corpus:
    """Parse guides into a Corpus in memory, without writing anything."""
    inputs = read_inputs(paths)
    return corpus_from_inputs(inputs, inputs_hash(inputs))


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
) -> BuildResult:
    """Build guides into ``out`` unless an identical, intact build is there already.

    An identical build whose files were changed or deleted since it was written is built
    again in its place (``repaired`` says what was wrong). With ``strict``, a build with
    warnings is not written (the result carries them).
    """
    inputs = read_inputs(paths)
    digest = inputs_hash(inputs, artifacts)
    complete = is_complete(out, digest)
    damage = verify_build(out, digest) if complete else None
    if complete and damage is None:
        if _current_or_none(out) != digest:  # a read-only, baked build is left untouched
            set_current(out, digest)
        warnings = read_manifest(out, digest).warnings
        return BuildResult(digest, build_dir(out, digest), up_to_date=True, warnings=warnings)
    corpus = corpus_from_inputs(inputs, digest)
    if inputs and not corpus.guides:
        raise CorpusError(f"no usable guide: {len(corpus.warnings)} file(s) skipped")
    warnings = all_warnings(corpus)
    if strict and warnings:
        return BuildResult(digest, build_dir(out, digest), False, corpus, warnings, damage)
    path = write_build(out, corpus, artifacts)
    return BuildResult(digest, path, False, corpus, warnings, damage)
