"""Parse benchmark: building every real-world guide vs raw markdown-it tokenization.

"Building" is what `prepdeck build` does per guide before writing: parse the MDX into
topics and questions and render every rich field to Markdown, HTML and text. The
baseline is `MarkdownIt("commonmark").enable("table").parse()` of the same texts, timed
alternately in the same run. Target: ratio <= 1.6.

The build side is exactly what `prepdeck build` runs, including its pause of the cyclic
garbage collector while a guide is parsed (corpus/parser.py); the baseline runs with
Python's defaults, as any other markdown-it user would.
"""

from __future__ import annotations

import tracemalloc

from _common import guide_files, interleaved, target
from markdown_it import MarkdownIt

from corpus import parse_guide

ROUNDS = 5


def main() -> None:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in guide_files()]
    size_mb = sum(len(t.encode()) for _, t in texts) / 1e6
    raw = MarkdownIt("commonmark").enable("table")

    def baseline() -> None:
        for _, text in texts:
            raw.parse(text)

    def build() -> None:
        for name, text in texts:
            parse_guide(text, name)

    t_raw, t_build = interleaved(baseline, build, ROUNDS)
    tracemalloc.start()
    guides = [parse_guide(text, name) for name, text in texts]  # kept, as a build keeps them
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    questions = sum(len(g.questions) for g in guides)
    ratio = t_build / t_raw
    print(f"guides: {len(texts)} files, {size_mb:.2f} MB, {questions} questions")
    print(f"raw markdown-it parse: {t_raw:.3f} s ({size_mb / t_raw:.2f} MB/s)")
    print(f"prepdeck build:        {t_build:.3f} s ({size_mb / t_build:.2f} MB/s)")
    print(f"peak memory (traced, every guide parsed and kept): {peak / 1e6:.1f} MB")
    print(f"ratio build/raw: {ratio:.2f}")
    target("parse_ratio", ratio, 1.6)


if __name__ == "__main__":
    main()
