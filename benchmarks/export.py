"""Export benchmark: every real-world guide as one Anki package vs plain genanki.

"Export" is what ``prepdeck export`` does with an up-to-date build: ``export_deck`` on the
build's corpus with ``build_dir`` set, so code comes highlighted and answers' key points
read from the build's ``anki`` artifact; notes of every default card kind with HTML
fields from the corpus renderer, the deck tree, tags, the zipped .apkg. It is timed cold:
the process's caches (the card table read from disk, the exporter's highlighted fragments
and key points) are emptied before each run. The work moved to the build is printed as
its own one-off figure, and so are an export without the build (all of it on the fly)
and a warm one, as a server makes its second selection.
The baseline is plain genanki writing the same notes into the same decks with the plain
text of each field (HTML-escaped, as genanki asks) through ``Package.write_to_file``.
Both are timed alternately in the same run. Target: ratio <= 2.0.
"""

from __future__ import annotations

import html
import tempfile
import time
from pathlib import Path

import genanki
from _common import SHARED_GUIDES, best_of, guide_files, interleaved, target

import corpus
import exporter
from exporter import export_deck
from exporter.artifact import NAME, TABLES, clear_cache
from exporter.fields import highlighted, read_key_points

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


def main() -> None:
    guide_files()  # exits cleanly when the guides are absent
    with tempfile.TemporaryDirectory() as tmp:
        # genanki leaves its temporary database behind; keep it inside this folder.
        tempfile.tempdir = tmp
        home = Path(tmp) / "home"
        ours, theirs = Path(tmp) / "prepdeck.apkg", Path(tmp) / "plain.apkg"

        start = time.perf_counter()
        build = corpus.build([SHARED_GUIDES], home, [exporter.ARTIFACT])
        t_build = time.perf_counter() - start
        start = time.perf_counter()
        data = corpus.load_corpus(home, build.hash)  # what `prepdeck export` reads
        t_load = time.perf_counter() - start
        part = exporter.ARTIFACT.part  # the card table is made guide by guide
        assert part is not None
        t_table = best_of(lambda: [part(g, None) for g in data.guides], 3)
        table_size = sum(p.stat().st_size for p in (build.path / NAME / TABLES).iterdir())

        def cold(build_dir: Path | None) -> None:
            clear_cache()
            highlighted.cache_clear()
            read_key_points.cache_clear()
            export_deck(data, ours, build_dir=build_dir)

        t_plain, t_ours = interleaved(
            lambda: plain_genanki(data, theirs), lambda: cold(build.path), ROUNDS
        )
        t_fly = best_of(lambda: cold(None), ROUNDS)
        summary = export_deck(data, ours, build_dir=build.path)
        t_warm = best_of(lambda: export_deck(data, ours, build_dir=build.path), ROUNDS)
        plain_size = theirs.stat().st_size
        tempfile.tempdir = None
    ratio = t_ours / t_plain
    notes = sum(len(g.questions) for g in data.guides)
    print(f"guides: {len(data.guides)}, questions: {notes}")
    print(
        f"build, once per corpus: {t_build:.3f} s, of which the card table (the anki artifact: "
        f"Pygments on every code fragment, every answer's key points): {t_table:.3f} s, "
        f"{table_size / 1e6:.2f} MB"
    )
    print(f"loading the build's corpus.json (not in the times below): {t_load:.3f} s")
    print(
        f"prepdeck export from the build: {t_ours:.3f} s, {summary.notes} notes, "
        f"{summary.cards} cards, {summary.decks} decks, {summary.size / 1e6:.2f} MB"
    )
    print(f"  without the build (code highlighted, key points read on the fly): {t_fly:.3f} s")
    print(f"  again in one process (card table already read): {t_warm:.3f} s")
    print(
        f"plain genanki:   {t_plain:.3f} s, {notes} notes, {plain_size / 1e6:.2f} MB "
        "(raw text, stored zip)"
    )
    print(f"ratio export/genanki: {ratio:.2f}")
    target("export_ratio", ratio, 2.0)


if __name__ == "__main__":
    main()
