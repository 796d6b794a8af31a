"""The index part of an edited guide, made from the previous version's part, is the part
a fresh build makes: the same analyses, the same words for typo correction."""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

import msgspec
import pytest

import corpus
import search_index
from search_index import parts
from search_index.writer import MARKER

GUIDE = (corpus.DEFAULT_GUIDES / "mercor.md").read_text()
SENTENCE = "Consistent hashing minimizes"


def _part(text: str, previous: bytes | None = None) -> bytes:
    guide = corpus.parse_guide(text, "mercor.md")
    return parts.part(guide, None if previous is None else corpus.Previous(data=previous))


def _question_blocks(text: str) -> list[str]:
    """The question sections (``### ...`` to the next heading of that level or above)."""
    return re.findall(r"^### .*?(?=^#{1,3} |\Z)", text, flags=re.M | re.S)


def _edits() -> dict[str, str]:
    blocks = _question_blocks(GUIDE)
    assert len(blocks) > 3 and SENTENCE in GUIDE
    first, second = next(pair for pair in itertools.pairwise(blocks) if "".join(pair) in GUIDE)
    return {
        "a sentence": GUIDE.replace(SENTENCE, "Rendezvous hashing minimizes", 1),
        "a question gone": GUIDE.replace(second, "", 1),
        "a question twice": GUIDE.replace(first, first + first, 1),
        "two questions swapped": GUIDE.replace(first + second, second + first, 1),
        "new words only": GUIDE.replace(SENTENCE, "Zyxwvut qwertyuiop minimizes", 1),
    }


@pytest.mark.parametrize("name", list(_edits()))
def test_an_edited_guide_gets_the_part_a_fresh_build_makes(name: str) -> None:
    text = _edits()[name]
    assert text != GUIDE
    previous = _part(GUIDE)
    assert _part(text, previous) == _part(text)


def test_an_edit_reads_the_words_of_the_documents_it_changed_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = _part(GUIDE)
    read: list[dict] = []
    real = parts.count_words
    monkeypatch.setattr(parts, "count_words", lambda f, w: (read.append(f), real(f, w))[1])
    made = _part(_edits()["a sentence"], previous)
    assert made == _part(_edits()["a sentence"])
    docs = len(corpus.parse_guide(GUIDE, "mercor.md").questions)
    assert 1 <= len(read) <= 2 < docs  # the sentence's document as it was (and no other)


def test_an_unreadable_previous_part_costs_only_reading_everything_again() -> None:
    text = _edits()["a sentence"]
    assert _part(text, b"not a part") == _part(text)


def _guides(folder: Path, copies: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(copies):
        (folder / f"copy{n}.md").write_text(GUIDE.replace("Mercor", f"Mercor {n}"))


def _index(folder: Path, out: Path) -> tuple[bytes, dict[str, bytes]]:
    """The marker of the index built of ``folder`` into ``out``, and every other file."""
    built = corpus.build([folder], out, [search_index.ARTIFACT], processes=1)
    files = {p.name: p.read_bytes() for p in (built.path / "index").iterdir()}
    return files.pop(MARKER), files


def test_an_edit_sums_the_words_of_its_own_chunk_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words for typo correction of an edited index are the replaced index's, less
    those of the chunks that went and plus those that came: the same as a fresh build's
    when words come, go entirely, and guides come and go."""
    guides, out = tmp_path / "guides", tmp_path / "out"
    _guides(guides, 15)  # chunks of 4 guides on average, with one guide more too
    _index(guides, out)
    read: list[Path] = []  # the words files read: the edit's own chunks are in memory
    real = parts._read_words
    monkeypatch.setattr(parts, "_read_words", lambda *a: (read.append(a[0] / a[1]), real(*a))[1])
    summed: list[int] = []  # how many pieces of words each sum had
    real_sum = parts._summed

    def count_summed(pieces):
        pieces = list(pieces)
        summed.append(len(pieces))
        return real_sum(pieces)

    monkeypatch.setattr(parts, "_summed", count_summed)
    text = (guides / "copy5.md").read_text()
    steps = {
        "new words": lambda: (guides / "copy5.md").write_text(
            text.replace(SENTENCE, "Zyxwvut qwertyuiop minimizes", 1)
        ),
        "those words gone": lambda: (guides / "copy5.md").write_text(
            text.replace(SENTENCE, "Rendezvous hashing minimizes", 1)
        ),
        "a guide more": lambda: _guides(guides, 16),
        "a guide less": lambda: (guides / "copy3.md").unlink(),
    }
    for n, (name, step) in enumerate(steps.items()):
        step()
        read.clear()
        summed.clear()
        replaced = corpus.build_dir(out, corpus.current_hash(out)) / "index"
        marker, files = _index(guides, out)
        chunks = [f for f in files if f.startswith("words_")]
        assert len(chunks) >= 3
        # read: the words of the one chunk that went, from the replaced index
        assert [p.parent for p in read] == [replaced], name
        # an edit's chunk: those words, less the guide's words there, plus its words here
        assert (summed == []) == (name in ("new words", "those words gone")), (name, summed)
        fresh_marker, fresh_files = _index(guides, tmp_path / f"fresh{n}")
        assert marker == fresh_marker and files == fresh_files, name
        words = msgspec.json.decode(marker)["words"]
        assert ("zyxwvut" in words) == (name == "new words"), name


@pytest.mark.parametrize("damaged", ["marker", "words of the chunk that goes"])
def test_an_earlier_sum_that_cannot_be_trusted_is_not_used(tmp_path: Path, damaged: str) -> None:
    """A damaged earlier marker or chunk words file would give a wrong sum: it is not used
    (the damage keeps each file well-formed)."""
    guides, out = tmp_path / "guides", tmp_path / "out"
    _guides(guides, 15)
    folder = corpus.build([guides], out, [search_index.ARTIFACT], processes=1).path / "index"
    edited = (guides / "copy5.md").read_text().replace(SENTENCE, "Zyxwvut minimizes", 1)
    (guides / "copy5.md").write_text(edited)
    if damaged == "marker":
        path = folder / MARKER
        assert b'"minimizes":' in path.read_bytes()
        path.write_bytes(path.read_bytes().replace(b'"minimizes":', b'"minimizes":9'))
    else:
        for path in folder.glob("words_*"):  # the chunk that goes among them: one more each
            words = msgspec.msgpack.decode(path.read_bytes())
            path.write_bytes(msgspec.msgpack.encode({w: n + 1 for w, n in words.items()}))
    assert _index(guides, out) == _index(guides, tmp_path / "fresh")


def test_an_edit_makes_its_chunks_segment_from_the_one_it_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit makes the segment of its chunk from the replaced build's (its other chunks
    are linked), changing only the documents it changed, whether it changes, adds or
    takes out questions; when that segment is damaged, or the edit changed most of the
    chunk, it is written whole. Each gives what a fresh build does."""
    guides, out = tmp_path / "guides", tmp_path / "out"
    _guides(guides, 15)
    _index(guides, out)
    made: list[tuple[str, int, int]] = []  # how, and how many documents went and came

    def spy(name: str, real):
        def call(*args):
            changes = args[4] if name == "update_segment" else []
            went = sum(stop - start for start, stop, _, _ in changes)
            made.append((name, went, sum(len(docs) for _, _, docs, _ in changes)))
            return real(*args)

        return call

    for name in ("update_segment", "write_segment"):
        monkeypatch.setattr(parts, name, spy(name, getattr(parts, name)))
    texts = [(guides / "copy5.md").read_text()]

    def step(edit) -> str:
        texts.append(edit(texts[-1]))
        return texts[-1]

    def swap(text: str) -> str:
        blocks = _question_blocks(text)
        return text.replace(blocks[1] + blocks[2], blocks[2] + blocks[1], 1)

    def one_more(text: str) -> str:
        block = _question_blocks(text)[1]
        more = block.replace("### ", "### Again: ", 1)
        return text.replace(block, block + more, 1)

    def every_question_changed(text: str) -> str:
        for block in _question_blocks(text):
            text = text.replace(block, block.replace("### ", "### Reworded: ", 1), 1)
        return text

    def a_sentence_more(text: str) -> str:
        block = _question_blocks(text)[0]
        return text.replace(block, block.replace(".", ". Hashing keeps.", 1), 1)

    steps = {  # each from the one before; (documents that went, came)
        "a sentence": (lambda t: t.replace(SENTENCE, "Rendezvous hashing minimizes", 1), 1, 1),
        "new words": (lambda t: t.replace("Rendezvous", "Zyxwvut qwertyuiop", 1), 1, 1),
        "two questions swapped": (swap, 1, 1),
        "a question more": (one_more, 0, 1),
        "a question gone": (lambda t: t.replace(_question_blocks(t)[3], "", 1), 1, 0),
        "its earlier segment damaged": (a_sentence_more, 0, 0),
        "every question changed": (every_question_changed, 0, 0),
    }
    # two guides of one chunk, the first with a question more: the second's documents
    # are numbered from where the first's end there
    slugs = [g.slug for g in corpus.load_guides([guides]).guides]
    size = parts.chunk_size(len(slugs))
    pair = next(n for n in range(len(slugs) - 1) if not parts._ends_chunk(slugs[n], size))
    for n, (name, (edit, went, came)) in enumerate(steps.items()):
        (guides / "copy5.md").write_text(step(edit))
        assert texts[-1] != texts[-2], name
        if name == "its earlier segment damaged":
            folder = corpus.build_dir(out, corpus.current_hash(out)) / "index"
            for path in folder.glob("MAIN_*.pst"):  # bytes the same length, other values
                data = bytearray(path.read_bytes())
                data[-1] ^= 1
                path.unlink()  # its own inode: the build's others keep their bytes
                path.write_bytes(bytes(data))
        made.clear()
        most = parts.MOST_CHANGED
        if name == "every question changed":  # a share of its chunk's documents over that
            monkeypatch.setattr(parts, "MOST_CHANGED", 0.01)
        marker, files = _index(guides, out)
        monkeypatch.setattr(parts, "MOST_CHANGED", most)
        if name == "its earlier segment damaged":  # every chunk's, so every one made again
            assert {how for how, _, _ in made} == {"write_segment"} and len(made) >= 3, name
        elif name == "every question changed":  # cheaper written whole
            assert made == [("write_segment", 0, 0)], name
        else:
            assert made == [("update_segment", went, came)], name
        assert (marker, files) == _index(guides, tmp_path / f"fresh{n}"), name
    first, second = sorted(guides.glob("*.md"))[pair : pair + 2]  # in corpus order
    first.write_text(one_more(first.read_text()))
    second.write_text(second.read_text().replace(SENTENCE, "Rendezvous hashing minimizes", 1))
    made.clear()
    edited = _index(guides, out)
    assert made == [("update_segment", 1, 2)]  # one segment: a question came, one changed
    assert edited == _index(guides, tmp_path / "fresh pair")


def test_an_earlier_segment_that_cannot_be_read_is_not_used(tmp_path: Path) -> None:
    """Files listed intact, yet not a segment ``update_segment`` can read: the segment is
    written whole."""
    docs = parts._head_decoder.decode(_part(GUIDE)).postings
    edited = parts._head_decoder.decode(_part(_edits()["a sentence"])).postings
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    files = {}
    for suffix in (".trm", ".pst", "._text_len.col"):
        (earlier / f"MAIN_s{suffix}").write_bytes(b"HSH3 not a segment")
        files[f"MAIN_s{suffix}"] = hashlib.sha256(b"HSH3 not a segment").hexdigest()
    count = len(parts._postings_decoder.decode(docs))
    made = {}
    given = parts._EarlierSegment("s", earlier, files, count, {0: (0, docs)})
    ways = {"whole": None, "from it": given}
    for way, segment in ways.items():
        (tmp_path / way).mkdir()
        made[way] = parts._write_segment(tmp_path / way, "s", [edited], segment)
    assert made["from it"] == made["whole"]
