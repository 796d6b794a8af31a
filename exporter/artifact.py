"""The ``anki`` build artifact: what cards need from the corpus, made once per build.

Highlighting code and reading answers' key points (``keypoints``) are most of an export's
work, and the corpus of a build never changes (it is content-addressed). So
``corpus.build`` does both once, through ``ARTIFACT`` (guide by guide, in its process
pool, and only for guides changed since the last build), and puts each guide's card table
in ``<build>/anki/guides/<slug>.msgpack``: the highlighted HTML of every fragment that
holds code, keyed by a digest of the fragment's corpus HTML, and the key points of every
answer, keyed by a digest of its Markdown. Like the API's response databases, a table is
written once, beside the guide's cache entry, and linked into each build that has the
guide unchanged: an edit writes one guide's table. An export given the build folder loads
the tables of the guides it exports (each once per process) and looks things up; anything
a table lacks (no table, an unreadable one, another build's) is made on the fly, so an
export is right with or without them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import msgspec
import pygments

import corpus

from . import highlight as _highlight_module
from . import keypoints as _keypoints_module
from .highlight import KnownBlocks, has_code, highlight_html
from .keypoints import KeyPoints, key_points

NAME = "anki"
TABLES = "guides"  # <build>/anki/guides/<slug>.msgpack
TABLE_FILE = "cards.msgpack"  # a guide's table, as its part hands it to the join
SUFFIX = ".msgpack"
_KEEP_TABLES = 64  # guides' tables kept in memory (about 12 MB of guides this size)

log = logging.getLogger(__name__)


# Part of the build hash: a new Pygments, or a change to this format, to the highlighting
# or to the reading of key points, makes a new build.
_CODE = (__file__, _highlight_module.__file__, _keypoints_module.__file__)
VERSION = f"2+pygments{pygments.__version__}+{corpus.code_digest(*_CODE)}"


class CardTable(corpus.Base):
    """The artifact's file: highlighted HTML by ``fragment_key`` of the corpus HTML, and
    key points by ``fragment_key`` of an answer's Markdown."""

    version: str
    html: dict[str, str]
    points: dict[str, KeyPoints] = {}


EMPTY = CardTable(version=VERSION, html={})
_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(CardTable)


def fragment_key(text: str) -> str:
    """The table's key for a fragment: a digest of its corpus HTML (or Markdown)."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fragments(question: corpus.Question[corpus.Rich]) -> Iterator[corpus.Rich]:
    """Every rich fragment of a question: its body, testing, answer, red flags, follow-ups
    and their answers, parts."""
    q = question
    yield from (r for r in (q.body, q.testing, q.answer) if r is not None)
    yield from q.red_flags
    yield from q.follow_ups
    yield from (r for r in q.follow_up_answers if r is not None)
    yield from (p.content for p in q.parts)


def answers(question: corpus.Question[corpus.Rich]) -> Iterator[corpus.Rich]:
    """The fragments a card shows as an answer: the question's, and its follow-ups'."""
    if question.answer is not None:
        yield question.answer
    yield from (r for r in question.follow_up_answers if r is not None)


def guide_table(
    guide: corpus.Guide[corpus.Rich],
    earlier: CardTable = EMPTY,
    parsed: corpus.Fragments | None = None,
) -> CardTable:
    """Every fragment of ``guide`` that holds code, highlighted, and every answer's key
    points; those ``earlier`` (a table of the same code) has are taken from it, as are
    the code blocks of its fragments (an edited fragment highlights only its changed
    code), and key points are read from the parser's tokens of the answer (``parsed``)
    when it has them."""
    html: dict[str, str] = {}
    points: dict[str, KeyPoints] = {}
    known = None  # the code blocks of ``earlier``, read when a fragment is not there
    for question in guide.questions:
        for fragment in fragments(question):
            if has_code(fragment.html):
                key = fragment_key(fragment.html)
                if key not in html:
                    found = earlier.html.get(key)
                    if found is None:
                        if known is None:
                            known = KnownBlocks(earlier.html.values())
                        found = highlight_html(fragment.html, known)
                    html[key] = found
        for answer in answers(question):
            key = fragment_key(answer.markdown)
            if key not in points:
                got = earlier.points.get(key)
                if got is None:
                    tokens = parsed.tokens(answer) if parsed is not None else None
                    got = key_points(answer.markdown, tokens)
                points[key] = got
    return CardTable(version=VERSION, html=html, points=points)


class _Part(corpus.Base):
    """What a part gives the join besides its table file: the guide's slug."""

    slug: str


_part_decoder = msgspec.msgpack.Decoder(_Part)


def part(
    guide: corpus.Guide[corpus.Rich],
    previous: corpus.Previous | None = None,
    parsed: corpus.Fragments | None = None,
) -> corpus.Made:
    """``Artifact.part``: one guide's table (made in the build's pool, kept beside the
    guide's cache entry as the file ``TABLE_FILE``); what the ``previous`` version's
    table has is not made again (an edited guide highlights and reads only its changed
    fragments), and answers are read from the parser's tokens (``parsed``) when given."""
    table = guide_table(guide, _earlier(previous), parsed)
    return corpus.Made(
        _encoder.encode(_Part(slug=guide.slug)), {TABLE_FILE: _encoder.encode(table)}
    )


def _earlier(previous: corpus.Previous | None) -> CardTable:
    """The ``previous`` part's table (empty when there is none, or it is unreadable: that
    only costs making it again)."""
    path = None if previous is None else previous.files.get(TABLE_FILE)
    if path is None:
        return EMPTY
    try:
        table = _decoder.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError):
        return EMPTY
    return table if table.version == VERSION else EMPTY


def join(folder: Path, joining: corpus.Joining, parts: Sequence[bytes | memoryview]) -> None:
    """``Artifact.join``: each guide's table into ``folder/guides/<slug>.msgpack``
    (``folder`` is ``<build>/anki``), linked as its part made it."""
    (folder / TABLES).mkdir()
    for raw, made in zip(parts, joining.files, strict=True):
        slug = _part_decoder.decode(raw).slug
        joining.place(f"{TABLES}/{slug}{SUFFIX}", made[TABLE_FILE])


ARTIFACT = corpus.Artifact(name=NAME, version=VERSION, part=part, join=join)


def load_table(build_dir: Path | None, slug: str) -> CardTable:
    """The card table of guide ``slug`` in the build in ``build_dir``; empty when it has
    none to give.

    Read once per process and build (builds never change; the last ``_KEEP_TABLES`` are
    kept). A missing table is normal (a build made without the artifact); an unreadable
    one is logged.
    """
    if build_dir is None:
        return EMPTY
    return _load(str(Path(build_dir) / NAME / TABLES / f"{slug}{SUFFIX}"))


@lru_cache(maxsize=_KEEP_TABLES)
def _load(path: str) -> CardTable:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        log.debug("%s: no card table in this build; making cards on the fly", path)
        return EMPTY
    except OSError as exc:
        log.warning("%s: unreadable (%s); making cards on the fly", path, exc)
        return EMPTY
    try:
        table = _decoder.decode(raw)
    except msgspec.DecodeError as exc:
        log.warning("%s: corrupt (%s); making cards on the fly", path, exc)
        return EMPTY
    if table.version != VERSION:
        log.warning("%s: made by another version; making cards on the fly", path)
        return EMPTY
    return table


def clear_cache() -> None:
    """Forget the tables read so far (benchmarks measure a cold process with it)."""
    _load.cache_clear()
