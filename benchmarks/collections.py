"""Dev tool: how the parser reads a folder of third-party interview-question collections.

    python benchmarks/collections.py DIR      (or PREPDECK_COLLECTIONS=DIR)

For each Markdown file in DIR (and its sub-folders) it prints one row: questions found,
with an answer, with a body, with follow-ups, topics, warnings, sentences lost (the
no-text-lost oracle of the tests) and title problems (markup, numbering, emoji, anchors,
navigation or an answer glued into a title). When DIR holds an ``expected.json``
(``{"file.md": {"questions": 27, "answered": 27}}``, what a person counts reading the
Markdown), the expected counts are printed beside the found ones. The collections are
third-party text: keep them outside the repository. Without DIR it skips (``make bench``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

from _common import ROOT

from corpus import parse_guide

_MARKUP = re.compile(r"\*\*|__|<[a-zA-Z/!]|\]\(|^\s*#|\{#")
_NUMBERING = re.compile(r"^\s*(?:\d+[.):]|q\d*\s*[.:)]|question\s*\d+)", re.I)
_SHORTCODE = re.compile(r":[a-z0-9_+-]{2,40}:")
_NAV = re.compile(r"back to top|table of contents|^contents$|^toc$", re.I)


def _oracle():
    """The sentence oracle of tests/corpus/test_no_text_lost.py (read, not reimplemented)."""
    path = ROOT / "tests" / "corpus" / "test_no_text_lost.py"
    spec = importlib.util.spec_from_file_location("_no_text_lost", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module._sentences, module._kept


def _emoji(text: str) -> bool:
    return bool(_SHORTCODE.search(text)) or any(
        unicodedata.category(c) == "So" and ord(c) > 0x2000 for c in text
    )


def _title_problems(title: str) -> list[str]:
    found = []
    if _MARKUP.search(title):
        found.append("markup")
    if _NUMBERING.match(title):
        found.append("numbering")
    if _emoji(title):
        found.append("emoji")
    if _NAV.search(title):
        found.append("navigation")
    if len(title) > 250:
        found.append("long")
    return found


def report(folder: Path) -> None:
    expected_file = folder / "expected.json"
    expected = json.loads(expected_file.read_text()) if expected_file.is_file() else {}
    sentences, kept = _oracle()
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".mdx"))
    head = f"{'file':34} {'seen':>5} {'found':>5} {'ans':>8} {'body':>4} {'fu':>3}"
    print(f"{head} {'top':>3} {'warn':>4} {'lost':>4}  problems")
    for path in files:
        text = path.read_text(encoding="utf-8")
        guide = parse_guide(text, path.name)
        qs = guide.questions
        exp = expected.get(path.name, {})
        answered = sum(q.answer is not None for q in qs)
        problems: dict[str, list[str]] = {}
        for title in [q.title for q in qs] + [t.title for t in guide.topics]:
            for p in _title_problems(title):
                problems.setdefault(p, []).append(title[:50])
        notes = " ".join(t.notes.text for t in guide.topics if t.notes)
        if guide.intro is not None:
            notes += " " + guide.intro.text
        if re.search(r"back to top", notes, re.I):
            problems.setdefault("nav-in-notes", []).append("back to top")
        whole = kept(guide)
        lost = [s for s in sentences(text) if s not in whole]
        seen = str(exp.get("questions", "?"))
        ans = f"{answered}/{exp.get('answered', '?')}"
        described = "; ".join(f"{k} x{len(v)} ({v[0]!r})" for k, v in problems.items())
        print(
            f"{path.name[:34]:34} {seen:>5} {len(qs):>5} {ans:>8} "
            f"{sum(q.body is not None for q in qs):>4} "
            f"{sum(bool(q.follow_ups) for q in qs):>3} {len(guide.topics):>3} "
            f"{len(guide.warnings):>4} {len(lost):>4}  {described}"
        )
        if os.environ.get("VERBOSE"):
            for w in guide.warnings:
                print(f"    warning {w.line}: {w.message}")
            for s in lost[:5]:
                print(f"    lost: {s[:80]}")


def main() -> None:
    arg = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PREPDECK_COLLECTIONS", "")
    if not arg or not Path(arg).is_dir():
        print("skipped: give a folder of collections (argument or PREPDECK_COLLECTIONS)")
        return
    report(Path(arg))


if __name__ == "__main__":
    main()
