"""Errors of the search_index package.

    SearchError            anything search cannot do; its message is one line for a user
    ├── QueryError         the query itself is unusable (empty, too long, ...): a 4xx
    ├── IndexUnavailable   the index is missing, corrupt or built for other guides: a 503
    └── SynonymError       a synonyms file cannot be read or has a malformed rule

Errors of Whoosh and of the file system are wrapped at the boundary (``raise ... from``),
so callers only ever catch ``SearchError``.
"""


class SearchError(Exception):
    """Base of every error raised by ``search_index``."""


class QueryError(SearchError):
    """The query cannot be run as written; the message says why and what to do."""


class IndexUnavailable(SearchError):
    """The on-disk index cannot be served (missing, corrupt, or of another build)."""


class SynonymError(SearchError):
    """A synonyms file cannot be read or has a malformed rule (the message says where)."""


ECHO_CHARS = 80  # of a user's query quoted back in an error message


def echo(text: str) -> str:
    """``text`` quoted for an error message, cut to ``ECHO_CHARS`` characters with an
    ellipsis: a long query (up to the length limit and beyond) must not become the message."""
    return repr(text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 1] + "…")
