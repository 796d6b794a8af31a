"""Errors of the corpus package.

    CorpusError            anything corpus cannot do (bad path, unreadable build, ...)
    └── BuildNotFound      no build in the output folder, or it is incomplete or stale

Problems inside a guide are not exceptions: they are ``Diagnostic`` warnings, so one
bad question never stops the rest of a build.
"""


class CorpusError(Exception):
    """Base of every error raised by ``corpus``; its message is one line for a user."""


class BuildNotFound(CorpusError):
    """The output folder has no complete build (or not the one asked for)."""
