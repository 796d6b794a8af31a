"""The deck tree: a deck per guide, one per section of it, and one for its extra cards.

Anki's default options introduce new cards deck by deck, in the order of the decks' names
(a parent before its children; names compare as text, so "10." sorts before "2."), and
within a deck by due position. The tree is made for that order:

- ``Guide::1. Section``: section decks are numbered in guide order, zero-padded to the
  number of sections (``01.`` ... ``12.``), so the guide's first section comes first;
- sub-sections make no decks (the card's topic line and tags name them): two levels at
  most, no deck a handful of notes, none named by a question written as a heading;
- ``Guide::Extra cards``: follow-up, named-points and red-flag cards. Its name sorts after
  the numbered sections, so a guide's extra cards come after its question cards, days
  after the question card they belong to.

Section numbers count the guide's sections that hold questions, whatever an export
selects, so filtering never renames a deck (Anki keeps cards in the deck they were
imported into, and a renamed deck is a new deck).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import genanki

import corpus

from .notetype import stable_id

EXTRA_CARDS = "Extra cards"
Chains = Callable[[str], list[corpus.Topic[corpus.Rich]]]


class GuideDecks:
    """The decks of one guide: ``section(topic)`` for a question's card, ``extras``."""

    def __init__(self, tree: DeckTree, root: str, numbers: dict[str, str]) -> None:
        self._tree = tree
        self.root = root
        self._numbers = numbers
        self._extras: genanki.Deck | None = None

    def section(self, section: corpus.Topic[corpus.Rich]) -> genanki.Deck:
        """The deck of a top-level section."""
        return self._tree.deck(f"{self.root}::{self._numbers[section.id]} {_part(section.title)}")

    @property
    def extras(self) -> genanki.Deck:
        """The deck of the guide's extra cards."""
        if self._extras is None:
            self._extras = self._tree.deck(f"{self.root}::{EXTRA_CARDS}")
        return self._extras


class DeckTree:
    """genanki decks by full name, parents included, each with an id from its name."""

    def __init__(self) -> None:
        self._decks: dict[str, genanki.Deck] = {}

    def __len__(self) -> int:
        return len(self._decks)

    def guide(self, guide: corpus.Guide[corpus.Rich], chains: Chains) -> GuideDecks:
        """The decks of ``guide``; two guides of one title get their slugs added.

        ``chains(topic_id)`` is a topic with its ancestors, the section first."""
        root = _part(guide.title) or guide.slug
        if root.casefold() in self._decks:
            root = f"{root} ({guide.slug})"
        self.deck(root).description = _description(guide)
        sections = list(dict.fromkeys(chains(q.topic.id)[0].id for q in guide.questions))
        width = len(str(len(sections)))
        numbers = {sid: f"{n:0{width}d}." for n, sid in enumerate(sections, 1)}
        return GuideDecks(self, root, numbers)

    def deck(self, name: str) -> genanki.Deck:
        """The deck ``name`` (``A::B``), made with its parents when new."""
        key = name.casefold()  # Anki's deck names ignore case
        deck = self._decks.get(key)
        if deck is None:
            if "::" in name:
                self.deck(name.rsplit("::", 1)[0])
            deck = self._decks[key] = genanki.Deck(stable_id("deck", key), name)
        return deck

    def all(self) -> list[genanki.Deck]:
        return list(self._decks.values())


def _part(title: str) -> str:
    # "::" separates deck levels in Anki; inside one title it would invent a level.
    return " ".join(title.replace("::", ":").split())


def _description(guide: corpus.Guide[corpus.Rich]) -> str:
    about = f"<p>{html.escape(guide.description)}</p>" if guide.description else ""
    return f"{about}<p>From {html.escape(guide.file)}, exported by prepdeck.</p>"
