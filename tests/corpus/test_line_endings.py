"""A guide saved with Windows (CRLF) or old Mac (CR) line endings is read as the same
guide: every field, its Markdown included, as with LF."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

import corpus

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.md*"))


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["CRLF", "CR"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_line_endings_do_not_change_the_guide(path: Path, ending: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert "\r" not in text
    lf = corpus.parse_guide(text, path.name)
    other = corpus.parse_guide(text.replace("\n", ending), path.name)
    assert msgspec.json.encode(other) == msgspec.json.encode(lf)


def test_a_folder_of_crlf_guides_loads_as_the_same_guides(tmp_path: Path) -> None:
    lf, crlf = tmp_path / "lf", tmp_path / "crlf"
    lf.mkdir()
    crlf.mkdir()
    for path in FIXTURES[:6]:
        text = path.read_text(encoding="utf-8")
        (lf / path.name).write_text(text, encoding="utf-8", newline="\n")
        (crlf / path.name).write_text(text, encoding="utf-8", newline="\r\n")
    assert b"\r\n" in (crlf / FIXTURES[0].name).read_bytes()
    got = corpus.load_guides([crlf]).guides
    assert msgspec.json.encode(got) == msgspec.json.encode(corpus.load_guides([lf]).guides)
