"""Errors of the api package; ``api.http.problems`` turns each into an HTTP problem.

ApiError           anything the API refuses or cannot do
├── ConfigError    a PREPDECK_* setting holds an unusable value (also a ValueError)
├── NotFound       the path, or a filter, names a guide, topic, question or tag that does not
│                  exist (404)
├── BadParameter   a query parameter's value is unusable (422)
└── NotReady       the corpus or the search index is not loaded (503)
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error raised by ``api``; its message is one line for a user."""


class ConfigError(ApiError, ValueError):
    """A ``PREPDECK_*`` variable holds a value the service cannot use."""


class NotFound(ApiError):
    """The resource the path names does not exist, or a filter names something that does not.

    An unknown name in a filter (``?guide=nope``) is a 404 too: the query string is part of
    the resource's URL, and the list it names does not exist. ``parameter`` names the filter.
    """

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class BadParameter(ApiError):
    """A query parameter's value is malformed in a way Litestar's validation does not catch."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class NotReady(ApiError):
    """The service cannot answer: its corpus or search index is missing or inconsistent."""
