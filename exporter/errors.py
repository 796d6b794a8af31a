"""Errors of the exporter package.

    ExportError              anything the exporter cannot do (unwritable file, failed write)
    ├── UnknownSelection     a guide, topic or tag the corpus does not have
    │   └── EmptySelection   the filters are valid but together select no question
    ├── UnknownCardKind      a card kind that is not one of ``CARD_KINDS``
    └── BadBaseUrl           a base URL for links that is not an absolute http(s) URL

The subclasses are bad input (the API answers them with a 4xx); a bare ``ExportError``
is a failure on our side. Every message is one line, fit to show a user.
"""


class ExportError(Exception):
    """Base of every error raised by ``exporter``."""


class UnknownSelection(ExportError):
    """A ``guides``/``topics``/``tags`` filter names something the corpus does not have."""


class EmptySelection(UnknownSelection):
    """The filters name existing things, but no question matches all of them."""


class UnknownCardKind(ExportError):
    """A requested card kind is not one of ``CARD_KINDS``."""


class BadBaseUrl(ExportError):
    """The base URL given for a guide's relative links is not an absolute http(s) URL."""
