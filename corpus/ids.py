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
    """Hands out unique slugs in one namespace: the first keeps its slug, repeats get -2, -3.

    A repeat gets the least free suffix. Slugs are never given back, so the suffixes below
    the one a slug's last repeat got stay taken: the next repeat looks from there on (from
    2 each time, the 5000th "## Setup" read 4999 taken slugs first: quadratic).
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}  # by slug: the least suffix that may still be free

    def take(self, slug: str) -> str:
        candidate, n = slug, self._next.get(slug, 2)
        while candidate in self._taken:
            candidate = f"{slug}-{n}"
            n += 1
        self._taken.add(candidate)
        if candidate != slug:
            self._next[slug] = n
        return candidate

    def __contains__(self, slug: str) -> bool:
        return slug in self._taken
