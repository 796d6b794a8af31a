"""The documents of an opened index: what hits and filters need in memory, text on demand.

A worker keeps every document's ``DocMeta`` (id, title, guide, topic, tags: a few hundred
bytes each). Its text, which phrases, field prefixes, highlights and "related" read,
stays on disk, one file per guide (``parts.TEXTS_DIR``), and is read when a document of
that guide is asked for; the texts of the last ``KEEP_GUIDES`` guides read are kept. So
a worker's memory grows with the number of documents, not with the corpus's text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import msgspec

from .documents import SearchDoc
from .errors import IndexUnavailable
from .parts import DOCS_FILE, TEXTS_DIR, DocMeta, DocsFile

KEEP_GUIDES = 16  # guides whose text is kept decoded (a few MB at most)

_table_decoder = msgspec.msgpack.Decoder(DocsFile)
_texts_decoder = msgspec.msgpack.Decoder(list[dict[str, list[str]]])


class Docs(Sequence[SearchDoc]):
    """Every document of an index, by number; ``meta`` is what is kept in memory."""

    def __init__(self, folder: Path) -> None:
        path = folder / DOCS_FILE
        try:
            table = _table_decoder.decode(path.read_bytes())
        except (OSError, msgspec.DecodeError) as exc:
            raise IndexUnavailable(f"{path}: unreadable documents: {exc}") from exc
        if len(table.segments) != len(table.docs):
            raise IndexUnavailable(f"{path}: documents and segments do not line up")
        self.folder = folder / TEXTS_DIR
        self.meta: list[DocMeta] = table.docs
        self.guide_titles = table.guide_titles
        self.topic_titles = table.topic_titles
        self._segment = table.segments
        self._first: dict[str, int] = {}
        for n, segid in enumerate(table.segments):
            self._first.setdefault(segid, n)
        self._texts: OrderedDict[str, list[dict[str, list[str]]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.meta)

    def __getitem__(self, n):  # type: ignore[override]
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        m = self.meta[n]
        segid = self._segment[n]
        return SearchDoc(
            id=m.id,
            kind=m.kind,  # type: ignore[arg-type]
            guide=m.guide,
            topic=m.topic,
            facet_topic=m.facet_topic,
            scopes=tuple(m.scopes),
            tags=tuple(m.tags),
            title=m.title,
            fields=self._text(segid)[n - self._first[segid]],
        )

    def _text(self, segid: str) -> list[dict[str, list[str]]]:
        found = self._texts.get(segid)
        if found is not None:
            self._texts.move_to_end(segid)
            return found
        path = self.folder / f"{segid}.msgpack"
        try:
            found = _texts_decoder.decode(path.read_bytes())
        except (OSError, msgspec.DecodeError) as exc:
            raise IndexUnavailable(f"{path}: unreadable document text: {exc}") from exc
        self._texts[segid] = found
        if len(self._texts) > KEEP_GUIDES:
            self._texts.popitem(last=False)
        return found
