"""Links in card fields: relative ones made absolute against the guide's base URL."""

from __future__ import annotations

from exporter.links import absolute_links


def test_a_link_python_cannot_read_as_a_url_keeps_its_text() -> None:
    html = '<p><a href="http://[::1">broken</a> and <a href="../ok">ok</a></p>'
    assert absolute_links(html, "https://example.org/g/") == (
        '<p>broken and <a href="https://example.org/ok">ok</a></p>'
    )
