"""The ``anki`` build artifact: every code fragment of the corpus, highlighted once per build.

Highlighting is most of an export's work, and the corpus of a build never changes (it is
content-addressed). So ``corpus.build`` runs Pygments once, through ``ARTIFACT`` (per
guide, in its process pool, and only for guides changed since the last build), and
writes ``<build>/anki/highlighted.msgpack``: the highlighted HTML of every fragment that
holds code, keyed by a digest of the fragment's corpus HTML. An export given the build
folder loads that table once per process and looks fragments up; anything the table
lacks (no table, an unreadable one, another build's) is highlighted on the fly, so an
export is right with or without it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import msgspec
import pygments

import corpus

from . import highlight as _highlight_module
from .highlight import has_code, highlight_html

NAME = "anki"
TABLE_FILE = "highlighted.msgpack"
_KEEP_BUILDS = 4  # tables kept in memory: a server serves one build, tests a few

log = logging.getLogger(__name__)


# Part of the build hash: a new Pygments, or a change to this format or to the
# highlighting, makes a new build.
VERSION = (
    f"1+pygments{pygments.__version__}+{corpus.code_digest(__file__, _highlight_module.__file__)}"
)


class CodeTable(corpus.Base):
    """The artifact's file: highlighted HTML by ``fragment_key`` of the corpus HTML."""

    version: str
    html: dict[str, str]


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(CodeTable)
_part_decoder = msgspec.msgpack.Decoder(dict[str, str])


def fragment_key(fragment_html: str) -> str:
    """The table's key for a fragment: a digest of its corpus HTML."""
    return hashlib.blake2b(fragment_html.encode(), digest_size=16).hexdigest()


def fragments(question: corpus.Question[corpus.Rich]) -> Iterator[corpus.Rich]:
    """Every rich fragment of a question: testing, answer, red flags, follow-ups, parts."""
    q = question
    yield from (r for r in (q.testing, q.answer) if r is not None)
    yield from q.red_flags
    yield from q.follow_ups
    yield from (p.content for p in q.parts)


def guide_table(guide: corpus.Guide[corpus.Rich]) -> dict[str, str]:
    """The highlighted HTML of every fragment of ``guide`` that holds code, by key."""
    table: dict[str, str] = {}
    for question in guide.questions:
        for fragment in fragments(question):
            if has_code(fragment.html):
                key = fragment_key(fragment.html)
                if key not in table:
                    table[key] = highlight_html(fragment.html)
    return table


def part(guide: corpus.Guide[corpus.Rich]) -> bytes:
    """``Artifact.part``: one guide's table (made in the build's pool, cached per guide)."""
    return _encoder.encode(guide_table(guide))


def join(folder: Path, joining: corpus.Joining, parts: Sequence[bytes]) -> None:
    """``Artifact.join``: every guide's table as one, into ``folder`` (``<build>/anki``)."""
    table: dict[str, str] = {}
    for raw in parts:
        for key, html in _part_decoder.decode(raw).items():
            table.setdefault(key, html)
    (folder / TABLE_FILE).write_bytes(_encoder.encode(CodeTable(version=VERSION, html=table)))


ARTIFACT = corpus.Artifact(name=NAME, version=VERSION, part=part, join=join)


def load_table(build_dir: Path | None) -> Mapping[str, str]:
    """The code table of the build in ``build_dir``; empty when it has none to give.

    Read once per process and build folder (builds never change). A missing table is
    normal (a build made without the artifact); an unreadable one is logged.
    """
    if build_dir is None:
        return {}
    return _load(str(Path(build_dir) / NAME / TABLE_FILE))


@lru_cache(maxsize=_KEEP_BUILDS)
def _load(path: str) -> Mapping[str, str]:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        log.debug("%s: no highlighted code in this build; highlighting on the fly", path)
        return {}
    except OSError as exc:
        log.warning("%s: unreadable (%s); highlighting code on the fly", path, exc)
        return {}
    try:
        table = _decoder.decode(raw)
    except msgspec.DecodeError as exc:
        log.warning("%s: corrupt (%s); highlighting code on the fly", path, exc)
        return {}
    if table.version != VERSION:
        log.warning("%s: made by another version; highlighting code on the fly", path)
        return {}
    return table.html


def clear_cache() -> None:
    """Forget the tables read so far (benchmarks measure a cold process with it)."""
    _load.cache_clear()
