"""Render cards as Anki shows them, in day and night mode, at phone width, to PNG.

The pictures in the README are made by this script, so they show what an export really
looks like: ``docs/card-example.md`` is exported with the default options, imported into a
fresh collection with the official ``anki`` library, and the back of two of its cards
(Anki's own rendering, with the note type's CSS) is screenshotted by headless Chromium:
the question card (``card-question-*.png``) and the follow-up card
(``card-follow-up-*.png``), by day and by night.

    .venv/bin/python docs/make_card_images.py [--guide FILE.md] [--width 390]

Needs the test extras (``anki``) and a Chromium binary (``chromium`` or ``chromium-browser``).
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402
from exporter import export_deck  # noqa: E402

HERE = Path(__file__).parent
# Chromium lays pages out at least 500 px wide: the card goes in a frame of phone width,
# a viewport of its own, where the CSS's phone-width rules apply.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>html, body {{ margin: 0; background: {bg}; }}
iframe {{ border: 0; display: block; }}</style></head>
<body><iframe width="{width}" height="{height}" scrolling="no" srcdoc="{card}"></iframe></body>
</html>
"""
CARD = """<!doctype html><html><head><meta charset="utf-8"><style>{css}</style></head>
<body class="card {mode}">{html}</body></html>"""
MODES = {"day": ("", "#ffffff"), "night": ("nightMode night_mode", "#1e1e1e")}
SHOTS = {"question": "Question", "follow-up": "Follow-up"}  # picture name: card template


def card_backs(guide: Path, workdir: Path) -> tuple[str, dict[str, str]]:
    """The note types' CSS, and Anki's rendering of the back of each card in ``SHOTS``."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    package = workdir / "deck.apkg"
    export_deck(corpus.load_guides([guide]), package)
    col = Collection(str(workdir / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        )
        backs, css = {}, ""
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            for name, template in SHOTS.items():
                if card.template()["name"] == template and name not in backs:
                    css = card.note_type()["css"]
                    backs[name] = card.answer().split("</style>", 1)[1]
    finally:
        col.close()
    missing = sorted(set(SHOTS) - set(backs))
    if missing:
        raise SystemExit(f"error: {guide}: no {' or '.join(missing)} card to picture")
    return css, backs


def screenshot(page: str, out: Path, width: int, height: int, workdir: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("error: Chromium is not installed (apt-get install chromium)")
    path = workdir / f"{out.stem}.html"
    path.write_text(page, encoding="utf-8")
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
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guide", type=Path, default=HERE / "card-example.md")
    parser.add_argument("--width", type=int, default=390, help="viewport width (a phone: 390)")
    parser.add_argument("--height", type=int, default=580, help="picture height in px")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        css, backs = card_backs(args.guide, workdir)
        for name, back in backs.items():
            for mode, (classes, bg) in MODES.items():
                card = CARD.format(css=css, mode=classes, html=back)
                page = PAGE.format(
                    bg=bg, width=args.width, height=args.height, card=html.escape(card)
                )
                out = args.out / f"card-{name}-{mode}.png"
                screenshot(page, out, args.width, args.height, workdir)
                print(f"wrote {out}")


if __name__ == "__main__":
    main()
