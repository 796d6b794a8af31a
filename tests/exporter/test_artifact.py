"""The ``anki`` artifact: code highlighted and key points read once per build, used by
exports, never required."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import msgspec
import pytest
from anki_helpers import TINY

import corpus
import exporter
import prepdeck
from exporter import export_deck
from exporter.artifact import NAME, TABLES, VERSION, CardTable, fragment_key, fragments
from exporter.fields import highlighted, read_key_points
from exporter.highlight import DIAGRAM_LABEL, KnownBlocks, highlight, highlight_html

STAMP = 1_700_000_000.0

# Code blocks the way guides write them, and the ways they go wrong.
SNIPPETS = [
    "```python\ndef f(x):\n    return x  # done\n```\n",
    '```js title="a.js" {1,3}\nconst s = "</code></pre>" && a < b;\n```\n',
    "Text with `<pre>` inline.\n\n```sql\nSELECT '&amp;' FROM t;\n```\n\n```\nno language\n```\n",
    '```text\n+--+\n|  |\n+--+\n```\n\n```bash\necho "$HOME" > /dev/null\n```\n',
    '```a"b&\nquotes & ampersands in the language\n```\n',
    "- item\n\n  ```go\n  func main() {}\n  ```\n",
]


@pytest.mark.parametrize(
    "markdown",
    SNIPPETS,
    ids=["python", "attrs", "entities", "unknown-language", "odd-language", "in-a-list"],
)
def test_highlighting_corpus_html_is_rendering_with_highlight(markdown: str) -> None:
    plain = corpus.render_markdown(markdown).html
    assert highlight_html(plain) == corpus.render_markdown(markdown, highlight=highlight).html


def test_mermaid_is_labelled_diagram_source() -> None:
    plain = corpus.render_markdown("```mermaid\ngraph TD; A-->B\n```\n").html
    done = highlight_html(plain)
    figure = f'<figure class="pd-diagram"><figcaption>{DIAGRAM_LABEL}</figcaption>'
    assert done == figure + plain.strip() + "</figure>\n"
    assert "A--&gt;B" in done  # the source as written, not highlighted


def test_only_pygments_own_lexers_are_used(monkeypatch) -> None:
    """A code block's language is looked up among Pygments' own lexers only: an
    installed plugin would make a build's cards depend on the machine it ran on."""
    import pygments.lexers

    from exporter import highlight as module

    def plugins():
        raise AssertionError("plugin lexers were searched")

    # pygments.lexers is a lazy module object: its functions see the original globals
    names = pygments.lexers.get_lexer_by_name.__globals__
    monkeypatch.setitem(names, "find_plugin_lexers", plugins)
    module._lexer.cache_clear()
    try:
        assert highlight("the code\n", "the", "") == ""  # "```the": no such language
        assert "<span" in highlight("x = 1\n", "python", "")
    finally:
        module._lexer.cache_clear()


def _build(guides: Path, out: Path) -> corpus.BuildResult:
    return corpus.build([guides], out, artifacts=[exporter.ARTIFACT])


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> corpus.BuildResult:
    return _build(TINY, tmp_path_factory.mktemp("build"))


def _tables(build: corpus.BuildResult) -> dict[str, CardTable]:
    """Each guide's card table in the build, by slug."""
    return {
        path.stem: msgspec.msgpack.decode(path.read_bytes(), type=CardTable)
        for path in (build.path / NAME / TABLES).iterdir()
    }


def test_the_build_holds_code_highlighted_and_key_points(tiny_build, tiny) -> None:
    manifest = corpus.read_manifest(tiny_build.path.parent.parent, tiny_build.hash)
    assert manifest.artifacts[NAME] == VERSION
    (slug,) = (g.slug for g in tiny.guides)
    tables = _tables(tiny_build)
    assert tables.keys() == {slug}
    table = tables[slug]
    assert table.version == VERSION
    with_code = {
        fragment_key(r.html): r.html
        for g in tiny.guides
        for q in g.questions
        for r in fragments(q)
        if "<pre" in r.html
    }
    assert len(with_code) == 1
    assert table.html.keys() == with_code.keys()
    (html,) = table.html.values()
    assert '<span class="k">def</span>' in html
    answers = {fragment_key(q.answer.markdown) for g in tiny.guides for q in g.questions}
    assert table.points.keys() == answers


def _export(data: corpus.Corpus, out: Path, build_dir: Path | None) -> bytes:
    highlighted.cache_clear()
    read_key_points.cache_clear()
    cards = ["red-flag", "follow-ups", "points"]
    export_deck(data, out, cards=cards, timestamp=STAMP, build_dir=build_dir)
    return out.read_bytes()


def _made_here() -> tuple[int, int]:
    """Fragments highlighted and answers read during the last export (not from a table)."""
    return highlighted.cache_info().currsize, read_key_points.cache_info().currsize


def test_an_export_from_the_build_uses_its_table(tiny_build, tiny, tmp_path: Path) -> None:
    with_table = _export(tiny, tmp_path / "a.apkg", tiny_build.path)
    assert _made_here() == (0, 0)  # nothing highlighted nor read during the export
    without = _export(tiny, tmp_path / "b.apkg", None)
    assert _made_here() == (1, 4)
    assert with_table == without  # the same package, byte for byte


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.unlink(), id="missing"),
        pytest.param(lambda p: p.write_bytes(b"\x93not msgpack"), id="corrupt"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:-9]), id="truncated"),
        pytest.param(
            lambda p: p.write_bytes(msgspec.msgpack.encode(CardTable(version="0", html={}))),
            id="old-version",
        ),
        pytest.param(lambda p: p.write_bytes(b'{"version": 1}'), id="wrong-shape"),
    ],
)
def test_a_damaged_table_falls_back_to_highlighting(
    damage, tiny, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build = _build(TINY, tmp_path / "out")
    (table,) = (build.path / NAME / TABLES).iterdir()
    damage(table)
    with caplog.at_level(logging.WARNING, logger="exporter"):
        damaged = _export(tiny, tmp_path / "a.apkg", build.path)
    assert _made_here() == (1, 4)  # made here instead
    assert damaged == _export(tiny, tmp_path / "b.apkg", None)
    if table.exists():
        assert "making cards on the fly" in caplog.text
    else:
        assert caplog.text == ""  # a build without the table is normal, not a warning


def test_a_build_without_the_artifact_is_fine(tiny, tmp_path: Path) -> None:
    build = corpus.build([TINY], tmp_path / "out")
    assert _export(tiny, tmp_path / "a.apkg", build.path) == _export(
        tiny, tmp_path / "b.apkg", None
    )


def test_prepdeck_export_builds_and_uses_the_table(tmp_path: Path, capsys) -> None:
    highlighted.cache_clear()
    read_key_points.cache_clear()
    out = tmp_path / "tiny.apkg"
    assert prepdeck.main(["export", "--guides", str(TINY), "--out", str(out)]) == 0
    capsys.readouterr()
    home = Path(os.environ["PREPDECK_HOME"])
    build = home / "builds" / corpus.current_hash(home)
    assert any((build / NAME / TABLES).iterdir())
    assert _made_here() == (0, 0)


def test_every_real_guide_exports_the_same_from_its_build(shared_guides: Path, tmp_path: Path):
    build = _build(shared_guides, tmp_path / "out")
    data = build.corpus
    assert data is not None
    tables = _tables(build)
    assert tables.keys() == {g.slug for g in data.guides}
    assert sum(len(t.html) for t in tables.values()) > 100  # the guides hold a lot of code
    with_table = _export(data, tmp_path / "a.apkg", build.path)
    assert _made_here() == (0, 0)
    assert with_table == _export(data, tmp_path / "b.apkg", None)


def test_an_edited_fragment_highlights_only_its_changed_code(
    shared_guides: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fragment the earlier table lacks (an edit changed it) takes its code blocks from
    the earlier table's other fragments, and comes out as highlighting it whole would."""
    from exporter import artifact
    from exporter import highlight as module

    guides = corpus.load_guides([shared_guides]).guides
    tables = [artifact.guide_table(g) for g in guides]
    lexed: list[str] = []
    real = module.highlight
    monkeypatch.setattr(module, "highlight", lambda c, *more: lexed.append(c) or real(c, *more))
    blocks = 0
    for guide, table in zip(guides, tables, strict=True):
        # every fragment edited: none of their keys is in the earlier table
        earlier = CardTable(version=VERSION, html={f"x{k}": v for k, v in table.html.items()})
        assert artifact.guide_table(guide, earlier).html == table.html
        blocks += sum(v.count("<pre><code") for v in table.html.values())
    assert blocks > 500 and len(lexed) < blocks / 10


@pytest.mark.parametrize("markdown", SNIPPETS)
def test_code_blocks_read_back_highlight_as_before(markdown: str) -> None:
    plain = corpus.render_markdown(markdown).html
    done = highlight_html(plain)
    assert highlight_html(plain, KnownBlocks([done])) == done


def test_code_read_back_is_found_only_in_its_own_language() -> None:
    spans = highlight_html(corpus.render_markdown("```python\nx = 1\n```\n").html).strip()
    found = KnownBlocks([spans])
    assert found.get("python", "x = 1\n") == spans
    assert found.get("go", "x = 1\n") is None and found.get("python", "x = 2\n") is None
    edited = corpus.render_markdown("Intro.\n\n```python\nx = 1\n```\n\n```go\nx = 1\n```\n").html
    again = highlight_html(edited, found)
    assert again == highlight_html(edited)  # the Go block is not the Python one


def test_an_export_of_some_guides_reads_their_tables_only(
    shared_guides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporter import artifact

    build = _build(shared_guides, tmp_path / "out")
    data = build.corpus
    assert data is not None
    read: list[str] = []
    real = artifact._load.__wrapped__
    monkeypatch.setattr(
        artifact, "_load", lambda path: (read.append(Path(path).stem), real(path))[1]
    )
    chosen = [g.slug for g in data.guides[2:4]]
    export_deck(data, tmp_path / "some.apkg", guides=chosen, timestamp=STAMP, build_dir=build.path)
    assert sorted(read) == sorted(chosen)
