"""Opening a built index: every check that decides it may be served.

An index is served only when its marker is there (it is written last), it was made
by this version for this very corpus, its Whoosh files are byte for byte the ones
the build wrote (sha256), and its documents line up with the corpus. Anything else
is an ``IndexUnavailable`` naming the folder and the reason, never a half answer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import msgspec
from whoosh import index as whoosh_index

import corpus

from .docstore import Docs
from .errors import IndexUnavailable
from .writer import FIELD, INDEX_VERSION, MARKER, Marker, digest_files, marker_decoder

ARTIFACT_NAME = "index"

Fingerprint = dict[str, tuple[int, int, int]]


@dataclass
class Loaded:
    """A verified index and what searching it needs."""

    folder: Path
    marker: Marker
    docs: Docs
    searcher: object
    fingerprint: Fingerprint


def index_folder(build_path: Path) -> Path:
    """Where a build keeps its search index."""
    return Path(build_path) / ARTIFACT_NAME


def read_marker(folder: Path) -> Marker:
    """The marker of the index in ``folder``; ``IndexUnavailable`` if absent or damaged."""
    path = folder / MARKER
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IndexUnavailable(
            f"{folder}: no search index here (or it was not finished); run `prepdeck build`"
        ) from exc
    except OSError as exc:
        raise IndexUnavailable(f"{path}: cannot read the index marker: {exc}") from exc
    try:
        return marker_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise IndexUnavailable(f"{path}: damaged index marker: {exc}") from exc


def fingerprint(folder: Path, names: list[str]) -> Fingerprint:
    """(inode, size, mtime) of each file, to notice cheaply that one was replaced."""
    out = {}
    for name in [*names, MARKER]:
        try:
            st = os.stat(folder / name)
        except OSError as exc:
            raise IndexUnavailable(f"{folder / name}: index file is gone") from exc
        out[name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def load(build_path: Path, data: corpus.Corpus | None = None) -> Loaded:
    """Open and verify the index of ``build_path`` for ``data`` (default: the corpus the
    build folder is named after: its content hash). The corpus itself is not read."""
    folder = index_folder(build_path)
    expected = Path(build_path).name if data is None else data.hash
    marker = read_marker(folder)
    if marker.version != INDEX_VERSION:
        raise IndexUnavailable(
            f"{folder}: index format {marker.version}, this prepdeck reads {INDEX_VERSION};"
            " run `prepdeck build`"
        )
    if marker.hash != expected:
        raise IndexUnavailable(
            f"{folder}: index was built for corpus {marker.hash}, not {expected}"
            " (stale build); run `prepdeck build`"
        )
    try:
        files = digest_files(folder)
    except OSError as exc:
        raise IndexUnavailable(f"{folder}: cannot read the index files: {exc}") from exc
    if files != marker.files:
        damaged = sorted(set(files.items()) ^ set(marker.files.items()))
        name = damaged[0][0] if damaged else "?"
        raise IndexUnavailable(f"{folder / name}: index file is missing or damaged")
    docs = Docs(folder)
    if [d.id for d in docs.meta] != marker.ids or len(marker.lengths) != len(docs):
        raise IndexUnavailable(f"{folder}: index documents do not match the corpus")
    try:
        ix = whoosh_index.open_dir(str(folder))
        searcher = ix.searcher()
        count = searcher.reader().doc_count_all()
        if FIELD not in ix.schema:
            raise IndexUnavailable(f"{folder}: index has no {FIELD!r} field")
    except IndexUnavailable:
        raise
    except Exception as exc:  # Whoosh raises many kinds on a damaged index
        raise IndexUnavailable(f"{folder}: cannot open the Whoosh index: {exc}") from exc
    if count != len(docs):
        searcher.close()
        docs.close()
        raise IndexUnavailable(f"{folder}: index has {count} documents, the corpus {len(docs)}")
    return Loaded(folder, marker, docs, searcher, fingerprint(folder, list(files)))
