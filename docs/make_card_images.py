"""Render one card of the default deck as Anki shows it, in day and night mode, to PNG.

The pictures in the README are made by this script, so they show what an export really
looks like: the deck is exported, imported into a fresh collection with the official
``anki`` library, and the card's answer side (Anki's own rendering, with the note type's
CSS) is screenshotted at phone width by headless Chromium.

    .venv/bin/python docs/make_card_images.py [--question ID] [--width 390]

Needs the test extras (``anki``) and a Chromium binary (``chromium`` or ``chromium-browser``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402
from exporter import export_deck  # noqa: E402

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html, body {{ margin: 0; }} body {{ padding: 12px; }}</style>
</head>
<body class="card {mode}">{html}</body></html>
"""


def card_html(question_id: str, workdir: Path) -> str:
    """Anki's rendering (answer side, with the note type's CSS) of one question's card."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    data = corpus.load_guides()
    package = workdir / "deck.apkg"
    export_deck(data, package)
    col = Collection(str(workdir / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        )
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            if question_id in card.note().joined_fields():
                css = card.note_type()["css"]
                return f"<style>{css}</style>{card.answer()}"
    finally:
        col.close()
    raise SystemExit(f"error: no card for question {question_id}")


def screenshot(html: str, out: Path, width: int, workdir: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("error: Chromium is not installed (apt-get install chromium)")
    page = workdir / f"{out.stem}.html"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={workdir / 'profile'}",
            f"--window-size={width},1600",
            f"--screenshot={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default="mercor/how-do-you-handle-database-scaling")
    parser.add_argument("--width", type=int, default=390, help="viewport width (a phone: 390)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        html = card_html(args.question, workdir)
        for mode, name in (("", "card-day.png"), ("nightMode night_mode", "card-night.png")):
            out = args.out / name
            screenshot(PAGE.format(mode=mode, html=html), out, args.width, workdir)
            print(f"wrote {out}")


if __name__ == "__main__":
    main()
