"""Anki decks for download, made by the exporter once and kept on disk.

A deck is a pure function of the corpus hash and the request's selection, so it is
written once to ``<out>/cache/decks/<key>.apkg`` where ``key`` is a digest of both; the
file name never contains anything from the request itself. Writing goes to a temporary
file that is renamed into place, so concurrent workers never serve a half-written deck.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import msgspec

import corpus
from exporter import CARD_KINDS, export_deck

from .catalog import Catalog
from .errors import BadParameter, NotFound

CACHE_DIR = ("cache", "decks")
KEEP_DECKS = 256  # the oldest decks beyond this many are deleted
MAX_SELECTORS = 50

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def selection(
    cat: Catalog, guide: str, topics: list[str], tags: list[str], cards: str | None
) -> tuple[list[str], list[str], list[str]]:
    """The selection in canonical form (sorted, unique); ``NotFound`` for a topic that is not
    the guide's, ``BadParameter`` for an unknown card kind."""
    cat.guide(guide)
    for topic in topics:
        if topic not in cat.topics or cat.topics[topic].guide != guide:
            raise NotFound(f"guide {guide!r} has no topic {topic!r}", "topic")
    kinds = sorted({k.strip() for k in (cards or "").split(",") if k.strip()})
    for kind in kinds:
        if kind not in CARD_KINDS:
            raise BadParameter(
                "cards", f"unknown card kind {kind!r}; kinds: {', '.join(CARD_KINDS)}"
            )
    if len(topics) > MAX_SELECTORS or len(tags) > MAX_SELECTORS:
        raise BadParameter("topic", f"at most {MAX_SELECTORS} topics and {MAX_SELECTORS} tags")
    return sorted(set(topics)), sorted(set(tags)), kinds


def deck_file(
    cat: Catalog, out: Path, guide: str, topics: list[str], tags: list[str], kinds: list[str]
) -> Path:
    """The deck of this selection, exported now unless it is on disk already."""
    key = hashlib.sha256(msgspec.json.encode([cat.hash, guide, topics, tags, kinds])).hexdigest()
    folder = out.joinpath(*CACHE_DIR)
    path = folder / f"{key[:40]}.apkg"
    if path.is_file():
        return path
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        if path.is_file():
            return path
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key[:40]}.{os.getpid()}.{threading.get_ident()}.apkg"
        try:
            export_deck(
                cat.corpus,
                tmp,
                guides=[guide],
                topics=topics or None,
                tags=tags or None,
                cards=tuple(kinds),
                build_dir=corpus.build_dir(out, cat.hash),  # code highlighted at build time
            )
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    decks = sorted(folder.glob("*.apkg"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in decks[KEEP_DECKS:]:
        old.unlink(missing_ok=True)
