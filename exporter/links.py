"""Links on cards: a guide's relative links made absolute, or plain text.

Inside Anki a relative link (``/resources/caching``, ``../x``, ``#section``) leads
nowhere. Given the base URL the guides are published under, each becomes that page's
absolute URL; without one, the link's text stays and the link goes. A ``#fragment`` alone
names a place on the guide's own page, which no base URL tells, so it is always text.

The corpus renderer writes every link as ``<a href="URL">`` or ``<a href="URL"
title="...">`` with its attributes escaped, and only with http(s), mailto or relative
targets (``corpus.render``), so those are the only shapes to read here.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from .errors import BadBaseUrl

_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def check_base_url(base_url: str | None) -> str | None:
    """``base_url`` if it is an absolute http(s) URL (or None); ``BadBaseUrl`` if not."""
    if base_url is None:
        return None
    try:
        parts = urlsplit(base_url)
    except ValueError:  # "http://[::1": an IPv6 host never closed
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadBaseUrl(f"base URL {base_url!r} is not an absolute http(s) URL")
    return base_url


def absolute_links(fragment_html: str, base_url: str | None) -> str:
    """``fragment_html`` with its relative links resolved against ``base_url``, or unlinked."""
    if "<a href=" not in fragment_html:
        return fragment_html

    def one(match: re.Match[str]) -> str:
        href = html.unescape(match.group(1))
        try:
            if urlsplit(href).scheme:
                return match.group(0)  # already absolute
            if base_url is None or href.startswith("#"):
                return match.group(3)
            url = html.escape(urljoin(base_url, href))
        except ValueError:  # not a URL Python can read (a broken IPv6 host): its text
            return match.group(3)
        return f'<a href="{url}"{match.group(2)}>{match.group(3)}</a>'

    return _LINK.sub(one, fragment_html)
