"""Stable, readable, URL-safe identifiers derived from text."""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 80


def slugify(text: str, fallback: str = "untitled") -> str:
    """``"How do you handle Database Scaling?"`` -> ``"how-do-you-handle-database-scaling"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0] or slug[:_MAX_SLUG]
    return slug or fallback


def is_slug(text: str) -> bool:
    """True when ``text`` is already a valid slug (what an author may pin as an id)."""
    return bool(text) and len(text) <= _MAX_SLUG and slugify(text) == text


class SlugAllocator:
    """Hands out unique slugs in one namespace: the first keeps its slug, repeats get -2, -3."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, slug: str) -> str:
        candidate, n = slug, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{slug}-{n}"
        self._taken.add(candidate)
        return candidate

    def __contains__(self, slug: str) -> bool:
        return slug in self._taken
