"""``prepdeck export``: filters from the command line, a progress bar, a one-line summary.

The bar goes to stderr and only for large exports: redrawn in place on a terminal, a few
percentages on one line otherwise (a log stays readable). The summary goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

import corpus

from .errors import ExportError
from .package import export_deck

EXIT_ERROR = 1
LARGE_EXPORT = 200  # questions; smaller exports finish before a bar is worth drawing
_BAR_WIDTH = 24
_STEPS = (25, 50, 75, 100)


class ProgressBar:
    """A ``progress(done, total)`` callback that draws on ``stream`` for large exports."""

    def __init__(self, stream: TextIO, threshold: int = LARGE_EXPORT) -> None:
        self.stream = stream
        self.threshold = threshold
        self.tty = stream.isatty()
        self.shown = -1  # last percentage drawn
        self.active: bool | None = None  # decided at the first call

    def __call__(self, done: int, total: int) -> None:
        if self.active is None:
            # the exporter counts each question twice: once made, once written
            self.questions = total // 2
            self.active = self.questions >= self.threshold
            if self.active and not self.tty:
                self.stream.write(f"exporting {self.questions} questions:")
        if not self.active or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if self.tty and percent != self.shown:
            filled = _BAR_WIDTH * percent // 100
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            self.stream.write(f"\rexporting {self.questions} questions [{bar}] {percent:3d}%")
        elif not self.tty:
            for step in _STEPS:
                if self.shown < step <= percent:
                    self.stream.write(f" {step}%")
        self.shown = percent
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line (a terminal's bar is wiped, so the summary stands alone)."""
        if self.active:
            if self.tty:
                self.stream.write("\r" + " " * (_BAR_WIDTH + 40) + "\r")
            else:
                self.stream.write("\n")
            self.stream.flush()
        self.active = False


def human_size(size: int) -> str:
    """``1536`` -> ``"1.5 KB"``."""
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def output_path(out: Path | None, guides: list[str] | None) -> Path:
    """``--out``, or ``GUIDE.apkg`` for one ``--guide``, else ``prepdeck.apkg``; a folder
    given as ``--out`` gets that default name inside it."""
    default = f"{guides[0]}.apkg" if guides and len(set(guides)) == 1 else "prepdeck.apkg"
    if out is None:
        return Path(default)
    return out / default if out.is_dir() else out


def run(args: argparse.Namespace, build: corpus.BuildResult) -> int:
    """Export the chosen questions of ``build``; print a summary; the exit code."""
    data = build.corpus
    if data is None:
        data = corpus.load_corpus(build.path.parent.parent, build.hash)
    out = output_path(args.out, args.guide)
    if out.suffix.lower() != ".apkg":
        print(f"warning: {out}: Anki imports only files named *.apkg", file=sys.stderr)
    bar = ProgressBar(sys.stderr)
    try:
        summary = export_deck(
            data,
            out,
            guides=args.guide,
            topics=args.topic,
            tags=args.tag,
            cards=args.cards.split(",") if args.cards else None,
            base_url=args.base_url,
            progress=bar,
            build_dir=build.path,
        )
    except ExportError as exc:
        bar.close()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    bar.close()
    print(
        f"wrote {summary.path}: {summary.notes} notes, {summary.cards} cards, "
        f"{summary.decks} decks, {human_size(summary.size)}"
    )
    return 0
