"""Anki decks for download, made by the exporter once and kept on disk.

A deck is a pure function of the code that makes it (``api.versions.DECK_VERSION``: the
parser and the exporter), the corpus hash and the request's selection, so it is written
once to ``<out>/cache/decks/<version>-<key>.apkg`` where ``version`` is a digest of the
first and ``key`` of all three; the file name never contains anything from the request
itself. Writing goes to a temporary file that is renamed into place, so concurrent
workers never serve a half-written deck.

The folder keeps the ``KEEP_DECKS`` most recently served decks of the current version,
and none of another (a release that changed the exporter left them behind): serving a
kept deck touches it, and a deck touched in the last ``PRUNE_GRACE`` seconds is never
deleted, so a path ``deck_file`` just returned is still there when the response opens
it, whatever other requests and workers (of this release or the one before) prune
meanwhile.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from pathlib import Path

import msgspec

import corpus
from exporter import NO_EXTRA_CARDS, UnknownCardKind, card_kinds, export_deck

from ..errors import BadParameter, NotFound
from ..store import ResponseStore
from ..versions import DECK_VERSION
from .catalog import Catalog

CACHE_DIR = ("cache", "decks")
KEEP_DECKS = 256  # the least recently served decks beyond this many are deleted
PRUNE_GRACE = 60.0  # seconds a served deck is safe from pruning (until its file is opened)
MAX_SELECTORS = 50
LOCK_STRIPES = 64
VERSION_TAG = hashlib.sha256(DECK_VERSION.encode()).hexdigest()[:12]

# A fixed table of locks, not one per selection: requests choose the selection, so a
# table keyed by it would grow without bound. Two selections sharing a stripe only wait.
_locks = tuple(threading.Lock() for _ in range(LOCK_STRIPES))


def export_lock(key: str) -> threading.Lock:
    """The lock serialising the exports of the deck ``key`` (a hex digest) in this process."""
    return _locks[int(key[:8], 16) % LOCK_STRIPES]


def selection(
    cat: Catalog, guide: str, topics: list[str], tags: list[str], cards: str | None
) -> tuple[list[str], list[str], list[str]]:
    """The selection in canonical form (sorted, unique); ``NotFound`` for a topic or a tag
    that is not the guide's, ``BadParameter`` for an unknown card kind.

    Everything is checked here, before a deck is looked up or made: a request naming
    nothing never runs the exporter."""
    cat.guide(guide)
    for topic in topics:
        if topic not in cat.topics or cat.topics[topic].guide != guide:
            raise NotFound(f"guide {guide!r} has no topic {topic!r}", "topic")
    cat.check_tags(guide, tags)
    try:  # resolved as the exporter does: the default and its spelled-out kinds are one deck
        kinds = sorted(card_kinds((cards or "").split(",")))
    except UnknownCardKind as exc:
        raise BadParameter("cards", str(exc)) from exc
    if len(topics) > MAX_SELECTORS or len(tags) > MAX_SELECTORS:
        raise BadParameter("topic", f"at most {MAX_SELECTORS} topics and {MAX_SELECTORS} tags")
    return sorted(set(topics)), sorted(set(tags)), kinds


def deck_file(
    cat: Catalog,
    store: ResponseStore,
    out: Path,
    guide: str,
    topics: list[str],
    tags: list[str],
    kinds: list[str],
) -> Path:
    """The deck of this selection, exported now unless it is on disk already."""
    key = hashlib.sha256(
        msgspec.json.encode([DECK_VERSION, cat.hash, guide, topics, tags, kinds])
    ).hexdigest()
    folder = out.joinpath(*CACHE_DIR)
    path = folder / f"{VERSION_TAG}-{key[:40]}.apkg"
    if _touch(path):
        return path
    with export_lock(key):
        if _touch(path):
            return path
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{VERSION_TAG}-{key[:40]}.{os.getpid()}.{threading.get_ident()}.apkg"
        try:
            data = corpus.Corpus(
                hash=cat.hash, parser_version=cat.parser_version, guides=[store.guide(guide)]
            )
            export_deck(
                data,
                tmp,
                guides=[guide],
                topics=topics or None,
                tags=tags or None,
                cards=tuple(kinds) or (NO_EXTRA_CARDS,),
                build_dir=corpus.build_dir(out, cat.hash),  # code highlighted at build time
            )
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    _prune(folder)
    return path


def _touch(path: Path) -> bool:
    """Mark a kept deck as just served (see the module docstring); False when it is gone."""
    try:
        os.utime(path)
    except FileNotFoundError:  # not made yet, or pruned by another worker a moment ago
        return False
    except OSError:  # a read-only cache: serve the deck all the same
        pass
    return True


def _prune(folder: Path) -> None:
    """Delete the decks of other versions and the least recently served ones beyond
    ``KEEP_DECKS``, none served lately.

    Other workers prune the same folder at the same time: a deck that vanishes between
    listing and deleting is simply skipped."""
    current: list[tuple[float, Path]] = []
    old: list[tuple[float, Path]] = []
    for p in folder.glob("*.apkg"):
        with contextlib.suppress(OSError):
            (current if p.name.startswith(VERSION_TAG + "-") else old).append(
                (p.stat().st_mtime, p)
            )
    current.sort(reverse=True)
    cutoff = time.time() - PRUNE_GRACE
    for mtime, deck in current[KEEP_DECKS:] + old:
        if mtime < cutoff:
            with contextlib.suppress(OSError):
                deck.unlink(missing_ok=True)
