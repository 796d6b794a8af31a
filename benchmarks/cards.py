"""Study-card figures: what a learner of the exported decks sees, measured with Anki itself.

Every real-world guide is exported with the default options, imported into a fresh
collection by the official ``anki`` library, and every card is rendered by Anki's own
renderer. Figures, for all guides and for each half of them (the even-numbered guides,
on which thresholds were chosen, and the odd-numbered ones, held out):

- words on the back a learner sees without opening a fold (``<details>``): median, 90th
  percentile, largest, share of cards over 400 words;
- phone screens: the back's height at 390 CSS px in headless Chromium (when installed),
  in screens of ``SCREEN_PX`` (an 844 px tall phone less Anki's bars and answer buttons);
- decks: count, notes per deck, depth, names that are whole questions (a question's
  title, ending in "?", or longer than ``QUESTION_WORDS``);
- Anki's default new-card queue of each guide's deck: whether the first card comes from
  the guide's first section, and how many times a question card and one of its extra
  cards (its red flag's, its follow-ups', its named points') are introduced on the same
  day, or two of its extra cards (days simulated by suspending each day's batch);
- tags outside ``prepdeck::``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from _common import ROOT, SHARED_GUIDES, guide_files, target

sys.path.insert(0, str(ROOT / "tests" / "exporter"))

from anki.collection import Collection
from anki_helpers import (
    chromium,
    import_apkg,
    is_extra,
    lay_out,
    new_card_days,
    question_of,
    visible_words,
)

import corpus
from exporter import export_deck

SCREEN_PX = 664
PHONE_WIDTH = 390
LONG = 400  # words
NEW_PER_DAY = 20  # Anki's default new cards a day
QUESTION_WORDS = 10  # a deck name longer than this is a sentence, not a section title


@dataclass
class Figures:
    """What one set of guides measures."""

    back_words: list[int] = field(default_factory=list)
    kind_words: dict[str, list[int]] = field(default_factory=dict)
    screens: list[float] = field(default_factory=list)
    notes: int = 0
    cards: Counter[str] = field(default_factory=Counter)
    decks: int = 0
    depth: int = 0
    question_decks: int = 0
    guides: int = 0
    first_from_first_section: int = 0
    same_day_siblings: int = 0
    same_day_in_small_guides: int = 0  # guides with fewer question cards than a day's new
    same_day_extras: int = 0
    loose_tags: set[str] = field(default_factory=set)

    def add(self, other: Figures) -> None:
        """Add another set's figures to these."""
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if name == "depth":
                self.depth = max(mine, value)
            elif isinstance(mine, set):
                mine |= value
            elif isinstance(mine, list | Counter):
                mine += value
            elif isinstance(mine, dict):
                for kind, words in value.items():
                    mine.setdefault(kind, []).extend(words)
            else:
                setattr(self, name, mine + value)

    def report(self, name: str) -> None:
        w = sorted(self.back_words)
        over = sum(x > LONG for x in w) / len(w)
        print(f"{name}: {self.guides} guides, {self.notes} notes, cards {dict(self.cards)}")
        print(
            f"  words on the back, unfolded: median {statistics.median(w):.0f}, "
            f"p90 {w[int(0.9 * (len(w) - 1))]}, max {w[-1]}, over {LONG}: {over:.1%}"
        )
        for kind, words in sorted(self.kind_words.items()):
            print(f"    {kind}: median {statistics.median(words):.0f}, max {max(words)}")
        if self.screens:
            s = sorted(self.screens)
            print(
                f"  phone screens ({PHONE_WIDTH}x{SCREEN_PX}): median {statistics.median(s):.1f}, "
                f"over 3: {sum(x > 3 for x in s) / len(s):.1%}, max {s[-1]:.1f}"
            )
        print(
            f"  decks {self.decks} (one per {self.notes / self.decks:.1f} notes), depth "
            f"{self.depth}, named by a question: {self.question_decks}"
        )
        print(
            f"  new-card queue: first card from the first section in "
            f"{self.first_from_first_section}/{self.guides} guides; a question card and an "
            f"extra card of it introduced on one day: {self.same_day_siblings} times "
            f"({self.same_day_in_small_guides} in guides of fewer than {NEW_PER_DAY} "
            "questions); two "
            f"extra cards of one question: {self.same_day_extras} times"
        )
        print(f"  tags outside prepdeck::: {len(self.loose_tags)} {sorted(self.loose_tags)[:6]}")


def measure_guide(col: Collection, guide: corpus.Guide[corpus.Rich]) -> tuple[Figures, list[str]]:
    """One imported guide's figures, and its cards' backs (HTML, for their heights)."""
    fig = Figures(guides=1)
    fig.notes = col.note_count()
    titles = {q.title.casefold() for q in guide.questions}
    sections = {t.id: t for t in guide.topics}

    def section(topic_id: str) -> str:
        while sections[topic_id].parent:
            topic_id = sections[topic_id].parent  # type: ignore[assignment]
        return topic_id

    root = guide.title.replace("::", ":")
    names = [d.name for d in col.decks.all_names_and_ids() if d.name.split("::")[0] == root]
    fig.decks += len(names)
    fig.depth = max([fig.depth, *(n.count("::") + 1 for n in names)])
    fig.question_decks += sum(_asks(n.split("::")[-1], titles) for n in names)
    backs = []
    for cid in col.find_cards(f'"deck:{root}"'):
        card = col.get_card(cid)
        fig.cards[card.template()["name"]] += 1
        back = card.answer()
        fig.back_words.append(visible_words(back))
        fig.kind_words.setdefault(card.template()["name"], []).append(fig.back_words[-1])
        backs.append(back.split("</style>", 1)[-1])
        fig.loose_tags |= {t for t in card.note().tags if not t.startswith("prepdeck::")}

    by_id = {q.id: q for q in guide.questions}
    first = section(guide.questions[0].topic.id)
    days = new_card_days(col, root)
    if days:
        fig.first_from_first_section += section(by_id[question_of(days[0][0])].topic.id) == first
    for cards in days:
        asked = {question_of(c) for c in cards if not is_extra(c)}
        extras = Counter(question_of(c) for c in cards if is_extra(c))
        fig.same_day_siblings += len(asked & extras.keys())
        fig.same_day_extras += sum(n > 1 for n in extras.values())
    if fig.same_day_siblings:
        print(
            f"  {guide.slug} ({len(guide.questions)} questions): {fig.same_day_siblings} "
            "question cards with an extra card on their day"
        )
        if len(guide.questions) < NEW_PER_DAY:  # the README's documented exception
            fig.same_day_in_small_guides = fig.same_day_siblings
    return fig, backs


def _asks(deck: str, titles: set[str]) -> bool:
    """A deck named by a whole question: a question's title, a "?", or a sentence."""
    return deck.casefold() in titles or deck.endswith("?") or len(deck.split()) > QUESTION_WORDS


def heights(css: str, backs: list[str], workdir: Path) -> list[float]:
    """Each back's height in px at phone width, laid out by headless Chromium."""
    if chromium() is None:
        return []
    cards = "".join(f'<div class="card m">{b}</div>' for b in backs)
    script = "[...document.querySelectorAll('.m')].map(e => e.getBoundingClientRect().height)"
    return lay_out(cards, css, workdir, PHONE_WIDTH, script)  # type: ignore[return-value]


def main() -> None:
    guide_files()  # exits cleanly when the guides are absent
    data = corpus.load_guides([SHARED_GUIDES])
    halves = {"tuning half": Figures(), "held-out half": Figures()}
    total = Figures()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for i, guide in enumerate(data.guides):
            out = work / f"{guide.slug}.apkg"
            export_deck(data, out, guides=[guide.slug])
            col = Collection(str(work / f"{guide.slug}.anki2"))
            try:
                import_apkg(col, out)
                css = col.models.all()[0]["css"]
                fig, backs = measure_guide(col, guide)
            finally:
                col.close()
            fig.screens = [h / SCREEN_PX for h in heights(css, backs, work)]
            total.add(fig)
            halves["tuning half" if i % 2 == 0 else "held-out half"].add(fig)
    for name, fig in halves.items():
        fig.report(name)
    total.report("all guides")
    w = total.back_words
    target("median_back_words", statistics.median(w), 150, "{:.0f}")
    target("share_backs_over_400_words", sum(x > LONG for x in w) / len(w), 0.10)
    target("decks_per_note", total.decks / total.notes, 0.25)
    target("deck_depth", total.depth, 3, "{:.0f}")
    target(
        "guides_not_starting_with_first_section",
        total.guides - total.first_from_first_section,
        0,
        "{:.0f}",
    )
    target(
        f"question_cards_with_an_extra_card_on_one_day_in_guides_of_{NEW_PER_DAY}_or_more",
        total.same_day_siblings - total.same_day_in_small_guides,
        0,
        "{:.0f}",
    )
    target("tags_outside_prepdeck", len(total.loose_tags), 0, "{:.0f}")


if __name__ == "__main__":
    main()
