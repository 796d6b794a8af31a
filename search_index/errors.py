"""Errors of the search_index package.

    SearchError            anything search cannot do; its message is one line for a user
    ├── QueryError         the query itself is unusable (empty, too long, ...): a 4xx
    └── IndexUnavailable   the index is missing, corrupt or built for other guides: a 503

Errors of Whoosh and of the file system are wrapped at the boundary (``raise ... from``),
so callers only ever catch ``SearchError``.
"""


class SearchError(Exception):
    """Base of every error raised by ``search_index``."""


class QueryError(SearchError):
    """The query cannot be run as written; the message says why and what to do."""


class IndexUnavailable(SearchError):
    """The on-disk index cannot be served (missing, corrupt, or of another build)."""
