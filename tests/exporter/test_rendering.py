"""Cards as a phone lays them out: Anki's rendering of every card, in headless Chromium at
390 CSS px, by day and by night. Skipped where Chromium is not installed."""

from __future__ import annotations

import pytest
from anki.collection import Collection
from anki_helpers import STUDY, chromium, import_apkg, lay_out
from msgspec.structs import replace

import corpus
from exporter import export_deck
from exporter.style import CALLOUTS

pytestmark = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed")

PHONE = 390
NIGHT = "nightMode night_mode"

# What the page reports, per card: overflow, folds, tables, callouts, labels vs headings.
# What the page reports, per card: its folds as they come (closed), then, with every fold
# opened: overflow, tables, callouts, labels against headings, diagrams, titles.
MEASURE = (
    f"const PHONE = {PHONE};"
    + """[...document.querySelectorAll('.card')].map(card => {
  const style = (e, pseudo) => getComputedStyle(e, pseudo);
  const wide = e => e.scrollWidth > e.clientWidth + 1;
  const folds = [...card.querySelectorAll('details')];
  const folds_open = folds.filter(d => d.open).length;
  folds.forEach(d => { d.open = true; });
  const look = e => [style(e).textTransform, style(e).color, style(e).fontSize];
  return {
    folds: card.querySelectorAll('details > summary').length, folds_open,
    wider_than_card: wide(card) || card.getBoundingClientRect().width > PHONE,
    code_hidden: [...card.querySelectorAll('pre')].filter(wide).length,
    tables: [...card.querySelectorAll('table')].map(t => ({
      fits: !wide(t), scrolls: style(t).overflowX === 'auto',
      shadow: style(t).backgroundImage.includes('gradient')})),
    callouts: Object.fromEntries([...card.querySelectorAll('aside.callout')].map(a => {
      const title = a.querySelector('.callout-title');
      return [a.className, [style(title).color, style(title, '::before').content]];
    })),
    label: [...card.querySelectorAll('.pd-label')].slice(0, 1).map(look),
    heading: [...card.querySelectorAll('.pd-content h3')].slice(0, 1).map(look),
    diagram: [...card.querySelectorAll('.pd-diagram figcaption')].map(e => e.textContent),
    title_code: [...card.querySelectorAll('.pd-question code')].map(e => style(e).fontFamily),
  };
})"""
)


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Every card's back, laid out by day and by night."""
    tmp = tmp_path_factory.mktemp("rendering")
    data = corpus.load_guides([STUDY])
    body = corpus.render_markdown("```sql\n" + "SELECT very_long_column_name, " * 8 + "1;\n```\n")
    guides = [
        replace(g, questions=[replace(g.questions[0], body=body), *g.questions[1:]])
        for g in data.guides
    ]
    export_deck(replace(data, guides=guides), tmp / "study.apkg", cards=["points", "red-flag"])
    col = Collection(str(tmp / "c.anki2"))
    try:
        import_apkg(col, tmp / "study.apkg")
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        css = cards[0].note_type()["css"]
        backs = [c.answer().split("</style>", 1)[1] for c in cards]
    finally:
        col.close()
    return {
        mode: lay_out(
            "".join(f'<div class="card {mode}">{b}</div>' for b in backs), css, tmp, PHONE, MEASURE
        )
        for mode in ("", NIGHT)
    }


def test_nothing_hides_past_the_right_edge(laid_out) -> None:
    for cards in laid_out.values():
        assert not [c for c in cards if c["wider_than_card"]]
        assert sum(c["code_hidden"] for c in cards) == 0  # code wraps
        tables = [t for c in cards for t in c["tables"]]
        assert tables  # the fixture has a wide table
        for table in tables:
            assert table["fits"] or (table["scrolls"] and table["shadow"])
        assert any(not t["fits"] for t in tables)  # ... which scrolls, with a shadow


def test_folds_are_closed_until_tapped(laid_out) -> None:
    cards = laid_out[""]
    assert sum(c["folds"] for c in cards) >= 3
    assert sum(c["folds_open"] for c in cards) == 0


def test_each_callout_kind_looks_its_own_by_day_and_night(laid_out) -> None:
    day = next(c["callouts"] for c in laid_out[""] if c["callouts"])
    night = next(c["callouts"] for c in laid_out[NIGHT] if c["callouts"])
    kinds = {f"callout callout-{k}" for k in CALLOUTS}
    assert set(day) == set(night) == kinds
    assert len({colour for colour, _ in day.values()}) == len(kinds)
    assert len({sign for _, sign in day.values()}) == len(kinds)
    assert len({colour for colour, _ in night.values()}) == len(kinds)
    assert all(day[k][0] != night[k][0] for k in kinds)


def test_headings_in_an_answer_do_not_look_like_card_labels(laid_out) -> None:
    (card,) = [c for c in laid_out[""] if c["heading"]]
    assert card["label"][0][0] == "uppercase"
    assert card["heading"][0] != card["label"][0]
    assert card["heading"][0][0] == "none"


def test_diagrams_are_labelled_and_titles_show_code(laid_out) -> None:
    cards = laid_out[""]
    assert ["Diagram (Mermaid source)"] in [c["diagram"] for c in cards]
    fonts = [f for c in cards for f in c["title_code"]]
    assert fonts and all("monospace" in f for f in fonts)
