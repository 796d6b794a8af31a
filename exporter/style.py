"""How the cards look: the note type's CSS, for a phone first, in day and night mode.

Everything a card needs is in this CSS and the fields: no web fonts, images or scripts,
so the deck looks the same offline on Anki desktop, AnkiDroid and AnkiMobile. Colours are
CSS variables set once for the day and once for night mode, which AnkiDroid marks with
``.night_mode`` and the other clients with ``.nightMode``. Wide things (code, tables)
scroll sideways inside the card instead of widening the page.
"""

from __future__ import annotations

from .highlight import NIGHT, code_css

_DAY = """
.card {
  --pd-fg: #1f2328; --pd-muted: #59636e; --pd-bg: #ffffff; --pd-soft: #f6f8fa;
  --pd-line: #d1d9e0; --pd-accent: #0969da; --pd-red: #cf222e; --pd-code: #f6f8fa;
}
"""

_NIGHT_VARS = """
  --pd-fg: #e6edf3; --pd-muted: #9198a1; --pd-bg: #1e1e1e; --pd-soft: #262a30;
  --pd-line: #3d444d; --pd-accent: #4493f8; --pd-red: #f85149; --pd-code: #0d1117;
"""

_LAYOUT = """
.card {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left;
  color: var(--pd-fg); background-color: var(--pd-bg);
  margin: 0; padding: 12px 14px;
}
.pd { max-width: 44em; margin: 0 auto; overflow-wrap: break-word; }
.pd-topic { font-size: 0.8em; color: var(--pd-muted); }
.pd-question { font-size: 1.2em; font-weight: 600; line-height: 1.35; margin: 0.25em 0 0.5em; }
.pd-prompt { color: var(--pd-accent); font-weight: 600; }
.pd h3 {
  font-size: 0.75em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--pd-muted); margin: 1.4em 0 0.3em;
}
.pd h4 { font-size: 0.95em; margin: 1.2em 0 0.3em; }
.pd p, .pd ul, .pd ol { margin: 0.4em 0; }
.pd ul, .pd ol { padding-left: 1.4em; }
.pd li { margin: 0.2em 0; }
.pd a { color: var(--pd-accent); }
.pd-redflag { border-left: 4px solid var(--pd-red); padding-left: 0.7em; }
.pd-redflag h3 { color: var(--pd-red); }
.pd-source { font-size: 0.7em; color: var(--pd-muted); margin-top: 2em; }
hr#answer { border: 0; border-top: 1px solid var(--pd-line); margin: 1em 0; }
.pd blockquote, .pd aside.callout {
  margin: 0.8em 0; padding: 0.3em 0.8em; border-left: 4px solid var(--pd-accent);
  background: var(--pd-soft); border-radius: 0 6px 6px 0;
}
.pd .callout-title { font-weight: 600; }
.pd code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.85em;
}
.pd :not(pre) > code { background: var(--pd-soft); padding: 0.1em 0.3em; border-radius: 4px; }
.pd pre {
  background: var(--pd-code); border: 1px solid var(--pd-line); border-radius: 6px;
  padding: 0.6em 0.8em; margin: 0.6em 0; line-height: 1.4;
  overflow-x: auto; -webkit-overflow-scrolling: touch; white-space: pre; word-wrap: normal;
}
.pd pre code { font-size: 0.8em; }
.pd table {
  display: block; max-width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch;
  border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em;
}
.pd th, .pd td { border: 1px solid var(--pd-line); padding: 0.3em 0.6em; vertical-align: top; }
.pd th { background: var(--pd-soft); }
.pd img { max-width: 100%; height: auto; }
@media (max-width: 480px) { .card { font-size: 16px; padding: 8px 10px; } }
"""


def _night_selector() -> str:
    # The class sits on <body class="card ..."> on desktop, on an outer element elsewhere.
    return ", ".join(s for n in NIGHT for s in (f".card{n}", f"{n} .card"))


def card_css() -> str:
    """The whole CSS of the note type."""
    night = f"{_night_selector()} {{{_NIGHT_VARS}}}\n"
    return _DAY.lstrip() + night + _LAYOUT + code_css()
