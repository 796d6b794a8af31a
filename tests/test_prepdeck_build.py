"""`prepdeck build`: the default guide's exact counts, the JSON summary, bad input, atomicity."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import corpus
import prepdeck
from corpus.sources import SourceFile, decode, read_bytes

GUIDE = """---
title: Tiny
---

## Basics

<Accordion title="What is a test?">
**What interviewers are really testing:** Care.

**Answer:** A check.

**Red flag answer:** None.

**Follow-up:**
1. "Why?"
</Accordion>
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = prepdeck.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_default_guide_counts_exactly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "build", "--out", str(tmp_path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    (mercor,) = summary["guides"]
    assert {
        k: mercor[k]
        for k in (
            "slug",
            "file",
            "topics",
            "questions",
            "with_testing",
            "with_answer",
            "with_red_flag",
            "with_follow_ups",
            "red_flags",
            "follow_ups",
            "warnings",
        )
    } == {
        "slug": "mercor",
        "file": "mercor.md",
        "topics": 16,
        "questions": 17,
        "with_testing": 17,
        "with_answer": 17,
        "with_red_flag": 17,
        "with_follow_ups": 17,
        "red_flags": 17,
        "follow_ups": 51,
        "warnings": [],
    }
    assert summary["hash"] and Path(summary["out"]).is_dir()


def _guides(tmp_path: Path) -> Path:
    """A folder ``guides`` holding ``GUIDE`` as ``tiny.md``."""
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "tiny.md").write_text(GUIDE)
    return guides


def test_unchanged_rebuild_is_up_to_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    guides = _guides(tmp_path)
    out = tmp_path / "out"
    assert run(capsys, "build", "--guides", str(guides), "--out", str(out))[0] == 0
    code, text, _ = run(capsys, "build", "--guides", str(guides), "--out", str(out))
    assert code == 0 and text.startswith("up to date:")
    (guides / "tiny.md").write_text(GUIDE.replace("A check.", "A careful check."))
    code, text, _ = run(capsys, "build", "--guides", str(guides), "--out", str(out))
    assert code == 0 and text.startswith("built:")
    assert "careful" in corpus.load_corpus(out).guides[0].questions[0].answer.text


def test_a_build_follows_the_libraries_that_shape_it() -> None:
    """A build's hash covers the versions of the libraries its bytes depend on (reading
    Markdown, stemming and writing the index, highlighting code), not only prepdeck's own
    code: upgrading one of them makes the next build anew instead of keeping the old."""
    import markdown_it
    import mdit_py_plugins
    import pygments
    import Stemmer
    import whoosh

    import exporter
    import search_index

    assert f"markdown-it-py{markdown_it.__version__}+" in corpus.PARSER_VERSION
    assert f"mdit-py-plugins{mdit_py_plugins.__version__}+" in corpus.PARSER_VERSION
    index = search_index.ARTIFACT.version
    assert f"whoosh{whoosh.versionstring()}+" in index
    assert f"pystemmer{Stemmer.version()}+" in index
    assert f"pygments{pygments.__version__}+" in exporter.ARTIFACT.version


def test_errors_are_one_line_and_nonzero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "build", "--guides", str(tmp_path / "missing"))
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [f"error: {tmp_path / 'missing'}: no such file or folder"]
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a guide")
    code, _, err = run(capsys, "build", "--guides", str(tmp_path / "empty"))
    assert code == 1 and "folder has no .md or .mdx guides" in err and len(err.splitlines()) == 1


def _bad_folder(tmp_path: Path) -> Path:
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "good.md").write_text(GUIDE)
    (guides / "latin1.md").write_bytes(b"## Topic\n\ncaf\xe9\n")
    (guides / "empty.mdx").write_text("  \n")
    (guides / "huge.md").write_bytes(b"x" * (corpus.MAX_GUIDE_BYTES + 1))
    (guides / "bad.md").write_text(
        '## T\n\n<Accordion>\n**Answer:** x\n</Accordion>\n\n<Accordion title="Open?">\n'
    )
    return guides


def test_bad_files_warn_with_file_and_line_and_the_rest_builds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        "build",
        "--guides",
        str(_bad_folder(tmp_path)),
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    assert code == 0
    assert "Traceback" not in err
    warnings = err.splitlines()
    assert "warning: latin1.md:3: invalid UTF-8 (byte 0xe9 at offset 13); skipped" in warnings
    assert "warning: empty.mdx:1: file is empty; skipped" in warnings
    assert "warning: huge.md:1: cannot read: over the 5 MiB limit; skipped" in warnings
    assert "warning: bad.md:3: <Accordion> has no title; its text is kept as notes" in warnings
    assert "warning: bad.md:7: unclosed <Accordion>: closed at the end of the file" in warnings
    summary = json.loads(out)
    assert [g["slug"] for g in summary["guides"]] == ["bad", "good"]
    assert summary["guides"][1]["questions"] == 1


def test_strict_fails_on_warnings_and_keeps_the_previous_build(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(capsys, "build", "--out", str(out))[0] == 0
    before = corpus.current_hash(out)
    code, _, err = run(
        capsys, "build", "--guides", str(_bad_folder(tmp_path)), "--out", str(out), "--strict"
    )
    assert code == prepdeck.EXIT_WARNINGS
    assert "with --strict; nothing written" in err
    assert corpus.current_hash(out) == before
    assert corpus.load_corpus(out).guides[0].slug == "mercor"


def test_a_failing_build_never_damages_the_previous_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    corpus.build(None, out)
    before = corpus.current_hash(out)

    def explode(folder: Path, data: corpus.Corpus) -> None:
        (folder / "partial").write_text("half")
        raise OSError(28, "No space left on device")

    broken = corpus.Artifact(name="index", version="x", write=explode)
    with pytest.raises(corpus.CorpusError, match="No space left on device"):
        corpus.build(None, out, [broken])
    assert corpus.current_hash(out) == before
    assert corpus.load_corpus(out).hash == before
    assert not [p for p in (out / "builds").iterdir() if p.name.startswith(".staging")]


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("build", "search", "export", "serve"):
        with pytest.raises(SystemExit) as exit_info:
            prepdeck.main([command, "--help"])
        assert exit_info.value.code == 0
        assert f"usage: prepdeck {command}" in capsys.readouterr().out


def test_guides_pinning_the_same_slug_get_distinct_ones(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\nslug: same\n---\n" + GUIDE.split("---\n", 2)[2])
    data = corpus.load_guides([tmp_path])
    assert [g.slug for g in data.guides] == ["same", "same-2"]
    assert data.guides[1].questions[0].id == "same-2/what-is-a-test"
    assert [str(w) for w in data.warnings] == [
        'b.md:1: guide slug "same" is taken; renamed to "same-2"'
    ]


def test_strict_fails_on_an_up_to_date_build_with_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    guides = _bad_folder(tmp_path)
    out = str(tmp_path / "out")
    assert run(capsys, "build", "--guides", str(guides), "--out", out)[0] == 0
    code, _, err = run(capsys, "build", "--guides", str(guides), "--out", out, "--strict")
    assert code == prepdeck.EXIT_WARNINGS
    untitled = "warning: bad.md:3: <Accordion> has no title; its text is kept as notes"
    assert untitled in err.splitlines()
    assert "the build was made earlier without --strict" in err


def test_unreadable_files_are_skipped_and_no_usable_guide_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Root reads any file, so an unreadable one is stood in for by a folder named .md.
    folder = tmp_path / "folder.md"
    folder.mkdir()
    source = SourceFile(folder, "folder.md")
    assert decode(source, read_bytes(source)) == (
        None,
        corpus.Diagnostic(file="folder.md", line=1, message="cannot read: Is a directory; skipped"),
    )
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "binary.md").write_bytes(b"\xff\xfe\x00")
    code, _, err = run(capsys, "build", "--guides", str(guides), "--out", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[-1] == "error: no usable guide: 1 file(s) skipped"


def test_a_bad_port_in_the_environment_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREPDECK_PORT", "abc")
    assert run(capsys, "build", "--json")[0] == 0  # other commands do not care
    with pytest.raises(SystemExit) as exit_info:
        prepdeck.main(["serve"])
    assert exit_info.value.code == 2
    assert (
        "'abc' is not a whole number (from the option or $PREPDECK_PORT)" in capsys.readouterr().err
    )


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_an_out_that_cannot_be_a_folder_is_one_line(
    where: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    guide = tmp_path / "g.md"
    guide.write_text(GUIDE)
    code, _, err = run(capsys, "build", "--guides", str(guide), "--out", str(tmp_path / where))
    assert code == 1
    assert err == f"error: {tmp_path / where}: cannot write a build here: Not a directory\n"


def test_guides_that_only_hostile_markdown_could_break_build_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Bold nested 500 deep (once a syntax tree too deep to build), a lone surrogate escaped in
    YAML (no encoder takes it), a list eleven levels deep (markdown-it stops reading there):
    each builds with every artifact, and no question or text is lost."""
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "bold.md").write_text("## What is x?\n\n" + "*" * 500 + "x" + "*" * 500 + "\n")
    (guides / "yaml.md").write_text('---\ntitle: "A \\ud800"\n---\n\n## What is y?\n\nY.\n')
    deep = "".join("  " * n + "- item\n" for n in range(11))
    (guides / "deep.md").write_text(f"## What is a?\n\n{deep}\n## What is b?\n\nB.\n")
    code, _, err = run(capsys, "build", "--guides", str(guides), "--out", str(tmp_path / "o"))
    assert code == 0, err
    data = corpus.load_corpus(tmp_path / "o")
    titles = {g.slug: [q.title for q in g.questions] for g in data.guides}
    assert titles == {
        "bold": ["What is x?"],
        "deep": ["What is a?", "What is b?"],
        "yaml": ["What is y?"],
    }
    assert "warning: deep.md:12: quotes and lists nested over 20 levels deep" in err
    deep_answer = next(g for g in data.guides if g.slug == "deep").questions[0].answer
    assert deep_answer is not None and deep_answer.text.count("item") == 11
    assert "lone surrogate" in err


def test_a_file_s_warnings_are_printed_up_to_a_limit_and_kept_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    guide = tmp_path / "tips.md"
    guide.write_text("## What is x?\n\nX.\n\n" + "<Tip>\n\n" * 30)
    out = tmp_path / "o"
    code, _, err = run(capsys, "build", "--guides", str(guide), "--out", str(out))
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == prepdeck.WARNINGS_PER_FILE + 1
    assert all("tips.md:" in line and "unclosed <Tip>" in line for line in lines[:-1])
    assert (
        lines[-1] == "warning: tips.md: 10 more warning(s); `prepdeck build --json` lists them all"
    )
    code, out_json, _ = run(capsys, "build", "--guides", str(guide), "--out", str(out), "--json")
    (summary,) = json.loads(out_json)["guides"]
    assert len(summary["warnings"]) == 30


def test_guides_that_are_no_regular_files_are_skipped_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A named pipe would block the build for ever; a dangling link is a file that went."""
    import os

    guides = _guides(tmp_path)
    os.mkfifo(guides / "pipe.md")
    (guides / "gone.md").symlink_to(tmp_path / "nowhere.md")
    code, _, err = run(capsys, "build", "--guides", str(guides), "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert "warning: pipe.md:1: cannot read: not a regular file; skipped" in err
    assert "warning: gone.md:1: cannot read: No such file or directory; skipped" in err
    code, _, err = run(
        capsys, "build", "--guides", str(guides / "pipe.md"), "--out", str(tmp_path / "p")
    )
    assert code == 1
    assert err.endswith("error: no usable guide: 1 file(s) skipped\n")


def test_a_companion_file_over_the_guide_limit_is_one_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """synonyms.yaml beside the guides is read whole, hashed and carried: held to a guide's
    limit, like the guides."""
    import sys

    monkeypatch.setattr(sys.modules["corpus.build"], "MAX_GUIDE_BYTES", 2 * 1024 * 1024)
    guides = _guides(tmp_path)
    (guides / "synonyms.yaml").write_text("- k8s => kubernetes\n" * 120_000)  # 2.4 MB
    code, _, err = run(capsys, "build", "--guides", str(guides), "--out", str(tmp_path / "o"))
    assert code == 1
    assert err == f"error: {guides / 'synonyms.yaml'}: cannot read: over the 2 MiB limit\n"


def test_the_program_leaves_nothing_for_the_exit_to_collect(tmp_path: Path) -> None:
    """`prepdeck` and `python -m prepdeck` run ``run``: ``main``, then every object left
    frozen, so the interpreter's last collection does not walk the build's objects."""
    pyproject = tomllib.loads((Path(prepdeck.__file__).parent / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["prepdeck"] == "prepdeck:run"
    guide = tmp_path / "tiny.mdx"
    guide.write_text(GUIDE, encoding="utf-8")
    argv = ["prepdeck", "build", "--guides", str(guide), "--out", str(tmp_path / "out")]
    script = (
        "import gc, sys, prepdeck\n"
        f"sys.argv = {argv!r}\n"
        "code = prepdeck.run()\n"
        "print(code, gc.get_freeze_count() > 1000)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "0 True", done.stderr
