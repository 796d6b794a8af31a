"""The response store: every detail response, made at build time and shared by every worker.

    writer.py   the ``api`` build artifact: each guide's question, topic and guide
                responses in every format and encoding, one SQLite database per guide
    reader.py   ``ResponseStore``: a worker's read-only view of them

It imports no web framework, so ``prepdeck build`` can write it without loading Litestar.
"""

from .reader import ResponseStore
from .writer import ARTIFACT

__all__ = ["ARTIFACT", "ResponseStore"]
