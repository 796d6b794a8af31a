"""How the cards look: the note types' CSS, for a phone first, in day and night mode.

Everything a card needs is in this CSS and the fields: no web fonts, images or scripts,
so the deck looks the same offline on Anki desktop, AnkiDroid and AnkiMobile. Colours are
CSS variables set once for the day and once for night mode, which AnkiDroid marks with
``.night_mode`` and the other clients with ``.nightMode``.

On a phone nothing may hide past the right edge, where mobile browsers show no scroll
bar: code wraps (its lines are kept, only broken), and a table too wide for the card
scrolls sideways with a shadow on the edge that has more. The card's own labels
(``.pd-label``) are small capitals in the accent colour; headings and rules a guide
writes inside an answer look like a document's, so neither passes for the other. Each
callout kind has its colour and sign.
"""

from __future__ import annotations

from .highlight import NIGHT, code_css

# name: (day colour, night colour, sign) of each callout kind the corpus renders
CALLOUTS = {
    "note": ("#0969da", "#4493f8", "\u270e"),
    "info": ("#8250df", "#ab7df8", "\u2139\ufe0e"),
    "tip": ("#1a7f37", "#3fb950", "\u2605"),
    "check": ("#0a7d74", "#39c5bb", "\u2714\ufe0e"),
    "warning": ("#bc4c00", "#f0883e", "\u26a0\ufe0e"),
}

_DAY = """
.card {
  --pd-fg: #1f2328; --pd-muted: #59636e; --pd-bg: #ffffff; --pd-soft: #f6f8fa;
  --pd-line: #d1d9e0; --pd-accent: #0969da; --pd-red: #cf222e; --pd-code: #f6f8fa;
  --pd-shadow: rgba(0, 0, 0, 0.28);
}
"""

_NIGHT_VARS = """
  --pd-fg: #e6edf3; --pd-muted: #9198a1; --pd-bg: #1e1e1e; --pd-soft: #262a30;
  --pd-line: #3d444d; --pd-accent: #4493f8; --pd-red: #f85149; --pd-code: #0d1117;
  --pd-shadow: rgba(0, 0, 0, 0.85);
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
.pd-body { font-size: 0.833em; font-weight: normal; line-height: 1.5; }
.pd-context { color: var(--pd-muted); margin: 0.4em 0 0.2em; }
.pd-context .pd-label { display: inline; margin: 0 0.3em 0 0; }
.pd-prompt, .pd-ask { color: var(--pd-accent); font-weight: 600; }
.pd-intro { font-size: 0.833em; font-weight: normal; }
.pd-label {
  font-size: 0.72em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--pd-accent); margin: 1.4em 0 0.3em;
}
.pd-content h1, .pd-content h2, .pd-content h3, .pd-content h4, .pd-content h5,
.pd-content h6 {
  font-size: 1em; font-weight: 700; color: var(--pd-fg); text-transform: none;
  letter-spacing: 0; margin: 1.1em 0 0.3em; padding-bottom: 0.1em;
  border-bottom: 1px dashed var(--pd-line);
}
.pd-content hr { border: 0; border-top: 1px dashed var(--pd-line); width: 40%; margin: 1em auto; }
.pd p, .pd ul, .pd ol { margin: 0.4em 0; }
.pd ul, .pd ol { padding-left: 1.4em; }
.pd li { margin: 0.2em 0; }
.pd a { color: var(--pd-accent); }
.pd-lead { margin-top: 0.2em; }
.pd-outline li::marker { color: var(--pd-accent); }
.pd-reply { border-left: 2px solid var(--pd-line); padding-left: 0.6em; margin: 0.3em 0 0.6em; }
.pd-redflag { border-left: 4px solid var(--pd-red); padding-left: 0.7em; }
.pd-redflag .pd-label { color: var(--pd-red); }
.pd-source { font-size: 0.7em; color: var(--pd-muted); margin-top: 2em; }
hr#answer { border: 0; border-top: 2px solid var(--pd-line); margin: 1em 0; }
.pd-fold { margin: 1em 0 0.4em; border-top: 1px solid var(--pd-line); padding-top: 0.5em; }
.pd-fold > summary {
  cursor: pointer; color: var(--pd-accent); font-weight: 600; font-size: 0.9em;
  padding: 0.2em 0;
}
.pd-fold[open] > summary { margin-bottom: 0.4em; }
.pd blockquote {
  margin: 0.8em 0; padding: 0.1em 0.8em; border-left: 4px solid var(--pd-line);
  color: var(--pd-muted);
}
.pd aside.callout {
  margin: 0.8em 0; padding: 0.3em 0.8em; border-left: 4px solid var(--pd-callout);
  background: var(--pd-soft); border-radius: 0 6px 6px 0;
}
.pd .callout-title { font-weight: 700; color: var(--pd-callout); }
.pd .callout-title::before { content: var(--pd-sign); margin-right: 0.35em; }
.pd code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.85em;
}
.pd :not(pre) > code { background: var(--pd-soft); padding: 0.1em 0.3em; border-radius: 4px; }
.pd pre {
  background: var(--pd-code); border: 1px solid var(--pd-line); border-radius: 6px;
  padding: 0.6em 0.8em; margin: 0.6em 0; line-height: 1.4;
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal;
}
.pd pre code { font-size: 0.8em; }
.pd-diagram { margin: 0.6em 0; }
.pd-diagram figcaption {
  font-size: 0.72em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--pd-muted);
}
.pd-diagram pre { border-style: dashed; }
.pd table {
  display: block; max-width: 100%; width: max-content; overflow-x: auto;
  -webkit-overflow-scrolling: touch; border-collapse: collapse; margin: 0.6em 0;
  font-size: 0.85em;
  background:
    linear-gradient(to right, var(--pd-bg) 30%, transparent) left / 3em 100% no-repeat local,
    linear-gradient(to left, var(--pd-bg) 30%, transparent) right / 3em 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, var(--pd-shadow), transparent)
      left / 1em 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, var(--pd-shadow), transparent)
      right / 1em 100% no-repeat scroll;
}
.pd th, .pd td {
  border: 1px solid var(--pd-line); padding: 0.3em 0.5em; vertical-align: top;
  min-width: 4em; max-width: 16em;
}
.pd th { border-bottom-width: 2px; text-align: left; }
.pd img { max-width: 100%; height: auto; }
@media (max-width: 480px) { .card { font-size: 16px; padding: 8px 10px; } }
"""


def _night_selector() -> str:
    # The class sits on <body class="card ..."> on desktop, on an outer element elsewhere.
    return ", ".join(s for n in NIGHT for s in (f".card{n}", f"{n} .card"))


def card_css() -> str:
    """The whole CSS of the note types."""
    night = _night_selector()
    day_rules = "\n".join(
        f'.card .callout-{k} {{ --pd-callout: {day}; --pd-sign: "{sign}"; }}'
        for k, (day, _, sign) in CALLOUTS.items()
    )
    night_rules = "\n".join(
        f"{', '.join(f'{s} .callout-{k}' for s in night.split(', '))} {{ --pd-callout: {dark}; }}"
        for k, (_, dark, _s) in CALLOUTS.items()
    )
    return "\n".join(
        [_DAY.strip(), f"{night} {{{_NIGHT_VARS}}}", day_rules, night_rules, _LAYOUT, code_css()]
    )
