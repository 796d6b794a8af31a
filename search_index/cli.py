"""``prepdeck search``: a ranked list with snippets on a terminal, or JSON.

``prepdeck.py`` parses the arguments and makes sure the build exists; ``run`` opens
its index with the glossary and the ``synonyms.yaml`` beside the guides, searches (or,
with ``--like ID``, lists the documents most like that one) and prints. Errors are
one line on stderr.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import textwrap

import msgspec

import corpus

from .errors import IndexUnavailable, QueryError, SynonymError, echo
from .results import SearchResult
from .searcher import SearchIndex

EXIT_ERROR = 1
EXIT_USAGE = 2  # the query or an option is unusable
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
_encoder = msgspec.json.Encoder()


def run(args: argparse.Namespace, build: corpus.BuildResult) -> int:
    """Search the build's index for ``args.query``; print the result; return the exit code."""
    data = build.corpus or corpus.load_corpus(build.path.parent.parent, build.hash)
    try:
        index = SearchIndex.open(build.path, data)  # with the synonyms the build carries
    except (IndexUnavailable, SynonymError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    filters = {"guide": args.guide, "topic": args.topic, "limit": args.limit}
    try:
        if args.like is not None:
            result = index.related(args.like, **filters)
        else:
            result = index.search(args.query, **filters)
    except QueryError as exc:
        what = "--like" if args.like is not None else f"query {echo(args.query)}"
        print(f"error: {what}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except IndexUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        index.close()
    if args.json:
        sys.stdout.write(_encoder.encode(result).decode() + "\n")
    else:
        sys.stdout.write(render(result, color=sys.stdout.isatty(), like=args.like is not None))
    return 0


def render(result: SearchResult, color: bool = False, like: bool = False) -> str:
    """The result as readable text: a header line, then each hit with its snippet."""
    shown = len(result.hits)
    lines = []
    what = f"like {result.query}" if like else f"for {result.query!r}"
    if result.total == 0:
        lines.append(f"no results {what}")
    else:
        first = result.offset + 1 if shown else 0
        lines.append(f"{first}-{result.offset + shown} of {result.total} results {what}")
    if result.suggestion:
        lines.append(f"did you mean: {result.suggestion}")
    width = len(str(result.offset + shown))
    for n, hit in enumerate(result.hits, result.offset + 1):
        kind = "" if hit.kind == "question" else "  [topic]"
        if hit.expanded:
            kind += f"  (also: {', '.join(hit.expanded)})"
        lines.append("")
        lines.append(f"{n:>{width}}. {_plain(hit.highlights.title, color)}{kind}")
        where = hit.guide + (f" › {hit.topic.title}" if hit.topic else "")
        indent = " " * (width + 2)
        lines.append(f"{indent}{hit.id}  ({where}, score {hit.score:.2f})")
        passage = _plain(hit.highlights.passage, color)
        lines.extend(textwrap.wrap(passage, 96, initial_indent=indent, subsequent_indent=indent))
    return "\n".join(lines) + "\n"


def _plain(marked: str, color: bool) -> str:
    """Highlight HTML as terminal text: marks in bold on a terminal, else as is."""
    text = _MARK.sub(r"\033[1m\1\033[0m" if color else r"\1", marked)
    return html.unescape(text)
