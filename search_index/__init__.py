"""Full-text search over the corpus (Whoosh). Placeholder until the search issue lands."""

from corpus import Artifact

INDEX_VERSION = "0"


def _write(folder, corpus):
    """No index yet."""


ARTIFACT = Artifact(name="index", version=INDEX_VERSION, write=_write)
