"""The documents of an opened index: what hits and filters need in memory, text on demand.

A worker keeps every document's ``DocMeta`` (id, title, guide, topic, tags: a few hundred
bytes each). Its text, which phrases, field prefixes, highlights and "related" read,
stays on disk in ``texts.bin`` and is read (one ``pread``) when the document is asked
for; the last ``KEEP_TEXTS`` read are kept. So a worker's memory grows with the number
of documents, not with the corpus's text.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import msgspec

from .documents import SearchDoc
from .errors import IndexUnavailable
from .parts import DOCS_FILE, TEXTS_FILE, DocMeta, DocsFile

KEEP_TEXTS = 512  # documents whose text is kept decoded

_table_decoder = msgspec.msgpack.Decoder(DocsFile)
_fields_decoder = msgspec.msgpack.Decoder(dict[str, list[str]])


class Docs(Sequence[SearchDoc]):
    """Every document of an index, by number; ``meta`` is what is kept in memory."""

    def __init__(self, folder: Path) -> None:
        path = folder / DOCS_FILE
        try:
            table = _table_decoder.decode(path.read_bytes())
        except (OSError, msgspec.DecodeError) as exc:
            raise IndexUnavailable(f"{path}: unreadable documents: {exc}") from exc
        if len(table.texts) != len(table.docs):
            raise IndexUnavailable(f"{path}: documents and their texts do not line up")
        self.meta: list[DocMeta] = table.docs
        self.guide_titles = table.guide_titles
        self.topic_titles = table.topic_titles
        self._where = table.texts
        self._path = folder / TEXTS_FILE
        try:
            self._fd = os.open(self._path, os.O_RDONLY)
        except OSError as exc:
            raise IndexUnavailable(f"{self._path}: unreadable document text: {exc}") from exc
        self._texts: OrderedDict[int, dict[str, list[str]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.meta)

    def __getitem__(self, n):  # type: ignore[override]
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        m = self.meta[n]
        return SearchDoc(
            id=m.id,
            kind=m.kind,  # type: ignore[arg-type]
            guide=m.guide,
            topic=m.topic,
            facet_topic=m.facet_topic,
            scopes=tuple(m.scopes),
            tags=tuple(m.tags),
            title=m.title,
            fields=self._text(n),
        )

    def _text(self, n: int) -> dict[str, list[str]]:
        found = self._texts.get(n)
        if found is not None:
            self._texts.move_to_end(n)
            return found
        offset, length = self._where[n]
        try:
            found = _fields_decoder.decode(os.pread(self._fd, length, offset))
        except (OSError, msgspec.DecodeError) as exc:
            raise IndexUnavailable(f"{self._path}: unreadable document text: {exc}") from exc
        self._texts[n] = found
        if len(self._texts) > KEEP_TEXTS:
            self._texts.popitem(last=False)
        return found

    def close(self) -> None:
        """Release the text file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
