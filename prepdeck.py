"""prepdeck's front door: the ``prepdeck`` command and ``python -m prepdeck``.

It only parses arguments, makes sure a build exists (``ensure_build``) and hands over to
the package that does the work. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import msgspec

import corpus
from corpus.store import build_dir

EXIT_ERROR = 1
EXIT_WARNINGS = 3  # --strict and the build had warnings

EXAMPLES = """\
examples:
  prepdeck build                              build the embedded default guide
  prepdeck build --guides ./guides --json     build your own guides, print a JSON summary
  prepdeck build --guides ./guides --jobs 4   parse changed guides on 4 processes
  prepdeck search "databse shardng"           search (typos are forgiven)
  prepdeck export --guide mercor --out mercor.apkg
  prepdeck serve --port 8000                  serve the REST API (docs at /schema)
  prepdeck serve --build /srv/prepdeck        serve a build made elsewhere (no guides)
"""
SEARCH_EXAMPLES = """\
examples:
  prepdeck search "databse shardng"                   typos and partial words are forgiven
  prepdeck search "k8s pod stuck pending"             k8s also finds kubernetes (glossary)
  prepdeck search 'answer:"read replica" -cassandra'  a phrase in one field, minus a word
  prepdeck search "n+1" --guides ./guides --json      symbols (n+1, c++, ===) are words too
  prepdeck search --like mercor/how-do-you-handle-database-scaling --limit 5
                                                      see also: the questions most like one
synonyms: a synonyms.yaml beside the guides adds rules such as "- k8s => kubernetes"
or "- lb, load balancer" (README, Search); $PREPDECK_SYNONYMS names more files.
"""


def _artifacts() -> list[corpus.Artifact]:
    """Everything a build holds besides the corpus: the search index, highlighted code and
    the API's ready-made responses."""
    import api.store
    import exporter
    import search_index

    return [search_index.ARTIFACT, exporter.ARTIFACT, api.store.ARTIFACT]


def _path(value: str) -> Path:
    """A path argument; an empty one (an unset shell variable, say) is an error, not "."."""
    if not value:
        raise argparse.ArgumentTypeError("an empty path")
    return Path(value)


def _add_guides(p: argparse._ActionsContainer) -> None:
    p.add_argument(
        "--guides",
        metavar="PATH",
        nargs="+",
        type=Path,
        help="guide files (.md/.mdx) or folders of them; default: the embedded guide",
    )


def _build_out(args: argparse.Namespace) -> Path:
    """Where builds live: ``build --out``, else $PREPDECK_HOME, else the per-user data folder."""
    return getattr(args, "build_out", None) or corpus.default_out()


def _say_repaired(result: corpus.BuildResult) -> None:
    if result.repaired:  # the build was there but damaged: say what was wrong with it
        print(f"warning: rebuilt a damaged build: {result.repaired}", file=sys.stderr)


def ensure_build(args: argparse.Namespace, quiet: bool = False) -> corpus.BuildResult:
    """Build ``args.guides`` into ``args.out`` unless an identical build exists."""
    result = corpus.build(args.guides, _build_out(args), _artifacts())
    _say_repaired(result)
    if quiet or not result.warnings:
        return result
    if result.up_to_date:  # said in full when it was built; `prepdeck build` repeats them
        n = len(result.warnings)
        print(
            f"warning: the build has {n} warning(s); `prepdeck build` lists them", file=sys.stderr
        )
    else:
        _print_warnings(result.warnings)
    return result


WARNINGS_PER_FILE = 20  # printed; ``build --json`` and the build's manifest keep them all


def _print_warnings(warnings: Sequence[corpus.Diagnostic]) -> None:
    """Each warning on stderr, up to ``WARNINGS_PER_FILE`` a file, then how many more."""
    shown: dict[str, int] = {}
    for w in warnings:
        shown[w.file] = shown.get(w.file, 0) + 1
        if shown[w.file] <= WARNINGS_PER_FILE:
            print(f"warning: {w}", file=sys.stderr)
    for file, count in shown.items():
        if count > WARNINGS_PER_FILE:
            more = count - WARNINGS_PER_FILE
            print(
                f"warning: {file}: {more} more warning(s); `prepdeck build --json` lists them all",
                file=sys.stderr,
            )


def cmd_build(args: argparse.Namespace) -> int:
    out = _build_out(args)
    result = corpus.build(args.guides, out, _artifacts(), strict=args.strict, processes=args.jobs)
    _say_repaired(result)
    _print_warnings(result.warnings)
    if args.strict and result.warnings:
        n = len(result.warnings)
        done = (
            "the build was made earlier without --strict"
            if result.up_to_date
            else "nothing written"
        )
        print(f"error: {n} warning(s) with --strict; {done}", file=sys.stderr)
        return EXIT_WARNINGS
    summary = _summary(corpus.read_manifest(out, result.hash), build_dir(out, result.hash))
    if args.json:
        sys.stdout.write(msgspec.json.encode(summary).decode() + "\n")
    else:
        state = "up to date" if result.up_to_date else "built"
        print(f"{state}: {summary['out']} (hash {result.hash})")
        _print_table(summary["guides"])
    return 0


def _summary(manifest: corpus.store.Manifest, path: Path) -> dict:
    """What the build holds, from its manifest (the corpus is not read)."""
    guides = []
    for g in manifest.guides:
        guides.append(
            {
                "slug": g.slug,
                "title": g.title,
                "file": g.file,
                **msgspec.structs.asdict(g.stats),
                "warnings": [msgspec.structs.asdict(w) for w in g.warnings],
            }
        )
    return {
        "hash": manifest.hash,
        "out": str(path),
        "guides": guides,
        "skipped": [msgspec.structs.asdict(w) for w in manifest.skipped],
    }


def _print_table(rows: list[dict]) -> None:
    cols = [
        ("guide", "slug"),
        ("topics", "topics"),
        ("questions", "questions"),
        ("testing", "with_testing"),
        ("answer", "with_answer"),
        ("red flag", "with_red_flag"),
        ("follow-ups", "follow_up_count"),
        ("warnings", "warnings"),
    ]
    cells = [[h for h, _ in cols]]
    for r in rows:
        cells.append([str(len(r[k]) if k == "warnings" else r[k]) for _, k in cols])
    if len(rows) > 1:
        total = ["total"] + [
            str(sum(len(r[k]) if k == "warnings" else r[k] for r in rows)) for _, k in cols[1:]
        ]
        cells.append(total)
    widths = [max(len(row[i]) for row in cells) for i in range(len(cols))]
    for n, row in enumerate(cells):
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for r in rows:
        if not r["questions"]:  # one line, under the table, for a guide read as notes only
            print(f"{r['slug']}: no question found in {r['file']}; its text is kept as notes")


def cmd_search(args: argparse.Namespace) -> int:
    from search_index.cli import run

    if (args.query is None) == (args.like is None):
        print("error: give a QUERY or --like ID (not both)", file=sys.stderr)
        return 2
    return run(args, ensure_build(args, quiet=args.json))


def cmd_export(args: argparse.Namespace) -> int:
    from exporter.cli import run

    return run(args, ensure_build(args))


def cmd_serve(args: argparse.Namespace) -> int:
    from api.cli import run

    if args.build is not None:  # made elsewhere: served as it is, never rebuilt here
        return run(args, corpus.existing_build(args.build, _artifacts()))
    return run(args, ensure_build(args))


def _whole(env: str):
    """An argparse type for a whole number that may come from ``$env``."""

    def parse(value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a whole number (from the option or ${env})"
            ) from None

    return parse


def _positive(value: str) -> int:
    """An argparse type for a whole number of at least 1."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return n


EXPORT_EXAMPLES = """\
examples:
  prepdeck export --guide mercor                   mercor.apkg with the default cards
  prepdeck export --cards none --out plain.apkg    a question card each, nothing else
  prepdeck export --cards follow-ups,red-flag      follow-up and red-flag cards, no points
  prepdeck export --base-url https://example.org/guides/   relative links go there
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prepdeck",
        description="Interview-preparation guides as a corpus, a search API and Anki decks.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "build",
        help="parse guides into a corpus and search index",
        description="Parse guides into a corpus and a search index, written atomically and "
        "keyed by a content hash; an unchanged rebuild does nothing and says 'up to date'.",
    )
    _add_guides(p)
    p.add_argument(
        "--out",
        dest="build_out",
        metavar="DIR",
        type=_path,
        help="build folder (default: $PREPDECK_HOME, else the per-user data folder)",
    )
    p.add_argument("--strict", action="store_true", help="exit non-zero (3) on any warning")
    p.add_argument("--json", action="store_true", help="print one JSON object, not a table")
    p.add_argument(
        "--jobs",
        metavar="N",
        type=_positive,
        help="parse changed guides on N processes (default: every core when there is "
        "enough to parse); the build is the same whatever N",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "search",
        help="search questions and concept notes",
        description="Search questions and concept notes, forgiving typos and partial words,\n"
        "with the glossary's synonyms (k8s finds kubernetes) and those of a synonyms.yaml\n"
        "beside the guides; or list the documents most like one (--like).",
        epilog=SEARCH_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "query", metavar="QUERY", nargs="?", help='words, "quoted phrases", title:prefix ...'
    )
    p.add_argument(
        "--like", metavar="ID", help="instead of a query: the questions most like this one"
    )
    _add_guides(p)
    p.add_argument("--guide", metavar="SLUG", help="only this guide")
    p.add_argument("--topic", metavar="ID", help="only this topic (and its sub-topics)")
    p.add_argument("--limit", metavar="N", type=int, default=10, help="hits to show (default 10)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "export",
        help="write an Anki deck (.apkg)",
        description="Write the chosen questions as an Anki package: a question card each,\n"
        "and by default a card for each follow-up that has its own answer and for each\n"
        "list of named points in an answer.",
        epilog=EXPORT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_guides(p)
    p.add_argument("--guide", metavar="SLUG", action="append", help="only this guide (repeatable)")
    p.add_argument(
        "--topic", metavar="ID", action="append", help="only this topic and its sub-topics"
    )
    p.add_argument("--tag", metavar="TAG", action="append", help="only questions with this tag")
    p.add_argument(
        "--cards",
        metavar="KIND,...",
        help="extra card kinds besides the question card: follow-ups, points, red-flag, "
        "or none (default: follow-ups,points)",
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="where the guides are published: their relative links point there "
        "(default: each guide's frontmatter base_url, else relative links become plain text)",
    )
    p.add_argument(
        "--out",
        metavar="FILE.apkg",
        type=_path,
        help="where to write the deck (default: prepdeck.apkg, or GUIDE.apkg)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "serve",
        help="serve the REST API",
        description="Serve the REST API over a build: of --guides (built first when needed), "
        "or one made elsewhere (--build).",
    )
    where = p.add_mutually_exclusive_group()
    _add_guides(where)
    where.add_argument(
        "--build",
        metavar="PATH",
        type=Path,
        help="serve this build as it is, without its guides: a build folder "
        "(builds/<hash>) or an output folder (its current build); checked file by file",
    )
    p.add_argument(
        "--host",
        default=os.environ.get("PREPDECK_HOST", "127.0.0.1"),
        help="interface to listen on (default 127.0.0.1; $PREPDECK_HOST)",
    )
    p.add_argument(
        "--port",
        type=_whole("PREPDECK_PORT"),
        default=os.environ.get("PREPDECK_PORT", "8000"),  # argparse applies `type` to it
        help="port (default 8000; $PREPDECK_PORT)",
    )
    p.add_argument(
        "--workers",
        type=_whole("PREPDECK_WORKERS"),
        default=os.environ.get("PREPDECK_WORKERS", "1"),
        help="worker processes sharing one read-only build (default 1)",
    )
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except corpus.CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def run() -> int:
    """The program: ``main`` on the command line's arguments, then nothing left for the
    exit to collect. An interpreter collects garbage once more as it exits, walking every
    object still alive; after a build that is most of the process's time after its work
    is done (27 of 42 ms on the 18 shared guides), and none of it is garbage: frozen, it
    is only freed. (Not part of ``main``, which tests call in a process that goes on.)"""
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(run())
