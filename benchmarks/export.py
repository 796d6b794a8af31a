"""Export benchmark: every real-world guide as one Anki package vs plain genanki.

"Export" is ``exporter.export_deck`` on the parsed corpus: notes with HTML fields from the
corpus renderer, code highlighted with Pygments, the deck tree, tags, the zipped .apkg.
The target is measured cold (the exporter's highlighting cache emptied before each run);
a warm export, as a server makes its second selection of a corpus, is printed too.
The baseline is plain genanki writing the same notes into the same decks with the plain
text of each field (HTML-escaped, as genanki asks) through ``Package.write_to_file``.
Both are timed alternately in the same run. Target: ratio <= 2.0.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import genanki
from _common import SHARED_GUIDES, best_of, guide_files, interleaved, target

import corpus
from exporter import export_deck
from exporter.fields import highlighted
from exporter.highlight import highlight

ROUNDS = 5
FIELDS = ["Question", "Testing", "Answer", "Red flags", "Follow-ups", "Extra"]
FIELDS += ["Topic", "Guide", "Source", "ID"]


def plain_genanki(data: corpus.Corpus, out: Path) -> None:
    """The same notes, decks and tags with raw-text fields, the way genanki's README does it."""
    model = genanki.Model(
        1_000_000_001,
        "plain",
        fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Card", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}],
    )
    decks: dict[str, genanki.Deck] = {}
    for g in data.guides:
        topics = {t.id: t for t in g.topics}
        for q in g.questions:
            chain, tid = [], q.topic.id
            while tid:
                chain.insert(0, topics[tid])
                tid = topics[tid].parent
            names = [g.title, *(t.title for t in chain)]
            for depth in range(1, len(names) + 1):
                name = "::".join(names[:depth])
                if name not in decks:
                    decks[name] = genanki.Deck(1_000_000_000 + len(decks), name)

            def text(r: corpus.Rich | None) -> str:
                return html.escape(r.text) if r is not None else ""

            fields = [
                html.escape(q.title),
                text(q.testing),
                text(q.answer),
                "<br>".join(text(r) for r in q.red_flags),
                "<br>".join(text(r) for r in q.follow_ups),
                "<br>".join(text(p.content) for p in q.parts),
                html.escape(" / ".join(t.title for t in chain)),
                html.escape(g.title),
                f"{q.source.file}:{q.source.line}",
                q.id,
            ]
            tags = [f"prepdeck::{g.slug}", "::".join(["prepdeck", g.slug, *q.tags[:1]])]
            note = genanki.Note(model=model, fields=fields, tags=tags, guid=genanki.guid_for(q.id))
            decks["::".join(names)].add_note(note)
    genanki.Package(list(decks.values())).write_to_file(str(out))


def code_costs(data: corpus.Corpus) -> tuple[float, float, int]:
    """Where the export's extra time goes: (Pygments over every code block, re-rendering
    the fragments that hold code from their Markdown, bytes of code)."""
    fragments = [
        r
        for g in data.guides
        for q in g.questions
        for r in (q.testing, q.answer, *q.red_flags, *q.follow_ups, *(p.content for p in q.parts))
        if r is not None and "<pre" in r.html
    ]
    blocks: list[tuple[str, str]] = []

    def collect(code: str, lang: str, attrs: str) -> str:
        blocks.append((code, lang))
        return ""

    def render() -> None:
        blocks.clear()
        for r in fragments:
            corpus.render_markdown(r.markdown, highlight=collect)

    t_render = best_of(render, 3)
    t_pygments = best_of(lambda: [highlight(code, lang, "") for code, lang in blocks], 3)
    return t_pygments, t_render, sum(len(c.encode()) for c, _ in blocks)


def main() -> None:
    guide_files()  # exits cleanly when the guides are absent
    data = corpus.load_guides([SHARED_GUIDES])
    notes = sum(len(g.questions) for g in data.guides)
    with tempfile.TemporaryDirectory() as tmp:
        # genanki leaves its temporary database behind; keep it inside this folder.
        tempfile.tempdir = tmp
        ours, theirs = Path(tmp) / "prepdeck.apkg", Path(tmp) / "plain.apkg"

        def cold() -> None:
            highlighted.cache_clear()  # every timed export highlights all its code again
            export_deck(data, ours)

        t_plain, t_ours = interleaved(lambda: plain_genanki(data, theirs), cold, ROUNDS)
        summary = export_deck(data, ours)
        t_warm = best_of(lambda: export_deck(data, ours), ROUNDS)
        plain_size = theirs.stat().st_size
        tempfile.tempdir = None
    ratio = t_ours / t_plain
    t_pygments, t_render, code_bytes = code_costs(data)
    print(f"guides: {len(data.guides)}, notes: {notes}")
    print(
        f"prepdeck export: {t_ours:.3f} s, {summary.cards} cards, {summary.decks} decks, "
        f"{summary.size / 1e6:.2f} MB"
    )
    print(f"prepdeck export again in one process (code already highlighted): {t_warm:.3f} s")
    print(f"plain genanki:   {t_plain:.3f} s, {plain_size / 1e6:.2f} MB (raw text, stored zip)")
    print(
        f"  of which Pygments on {code_bytes / 1e3:.0f} KB of code: ~{t_pygments:.3f} s, "
        f"re-rendering the fragments with code: ~{t_render:.3f} s"
    )
    print(f"ratio export/genanki: {ratio:.2f}")
    target("export_ratio", ratio, 2.0)


if __name__ == "__main__":
    main()
