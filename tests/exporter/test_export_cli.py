"""``prepdeck export`` end to end: a package on disk, a summary line, one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from anki_helpers import TINY

import prepdeck
from exporter.cli import ProgressBar, human_size


def _export(*args: str) -> int:
    return prepdeck.main(["export", "--guides", str(TINY), *args])


def test_export_writes_the_package_and_a_summary(tmp_path: Path, capsys) -> None:
    out = tmp_path / "tiny.apkg"
    assert _export("--cards", "red-flag,follow-ups", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"wrote {out}: 4 notes, 6 cards, 4 decks, {human_size(out.stat().st_size)}\n"
    )
    assert "exporting" not in captured.err  # a small export draws no bar


def test_default_file_name_is_the_guide(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert _export("--guide", "tiny") == 0
    assert (tmp_path / "tiny.apkg").is_file()
    assert _export("--out", str(tmp_path)) == 0  # a folder gets the default name inside
    assert (tmp_path / "prepdeck.apkg").is_file()
    capsys.readouterr()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--guide", "nope"], 'error: unknown guide "nope"; guides: tiny'),
        (["--topic", "tiny/nope"], 'error: unknown topic "tiny/nope" in guide(s) tiny'),
        (["--tag", "nope"], 'error: unknown tag "nope"; no question has it'),
        (["--cards", "red-flag,cloze"], 'error: unknown card kind "cloze"; choose from'),
        (["--base-url", "/guides"], "error: base URL '/guides' is not an absolute http(s) URL"),
        (
            ["--base-url", "http://[::1"],
            "error: base URL 'http://[::1' is not an absolute http(s) URL",
        ),
    ],
)
def test_bad_filters_fail_with_one_line(args, message, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.apkg"
    assert _export(*args, "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_unwritable_destination_is_one_line(tmp_path: Path, capsys) -> None:
    out = tmp_path / "missing" / "x.apkg"
    assert _export("--out", str(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}: cannot write here")
    assert err.count("\n") == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _draw(stream: io.StringIO, questions: int) -> str:
    """What a bar draws for ``questions`` (each counted twice: made, then written)."""
    bar = ProgressBar(stream, threshold=10)
    for done in range(1, 2 * questions + 1):
        bar(done, 2 * questions)
    bar.close()
    return stream.getvalue()


def test_progress_bar_on_a_terminal_redraws_in_place() -> None:
    text = _draw(_Terminal(), 20)
    assert "\rexporting 20 questions [" in text and "100%" in text
    assert "\n" not in text and text.endswith("\r")


def test_progress_off_a_terminal_is_a_few_steps_on_one_line() -> None:
    assert _draw(io.StringIO(), 20) == "exporting 20 questions: 25% 50% 75% 100%\n"


def test_small_exports_draw_nothing() -> None:
    assert _draw(_Terminal(), 4) == ""


def test_human_size() -> None:
    assert human_size(512) == "512 bytes"
    assert human_size(1536) == "1.5 KB"
    assert human_size(3 * 1024 * 1024) == "3.0 MB"


def test_an_out_that_is_no_regular_file_is_left_alone(tmp_path: Path, capsys) -> None:
    """A pipe (or, for root, /dev/null) at --out is not replaced by the package."""
    import os
    import stat

    pipe = tmp_path / "deck.apkg"
    os.mkfifo(pipe)
    assert _export("--out", str(pipe)) == 1
    assert capsys.readouterr().err == f"error: {pipe}: not a regular file; not replaced\n"
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]  # no temporary file left


def test_an_empty_out_is_an_error_not_the_current_folder(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        _export("--out", "")
    assert exit_.value.code == 2
    assert "--out: an empty path" in capsys.readouterr().err
