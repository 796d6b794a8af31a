"""Synonyms applied at query time: the bundled glossary and a guide folder's own.

A synonyms file is a YAML list of rules written as Elasticsearch and Solr write them:

    - k8s => kubernetes                  one-way: typing k8s also finds kubernetes
    - lb, load balancer, load balancing  multi-way: typing any one also finds the others
    - cicd, ci/cd => continuous delivery several words on either side

Terms are read the way a query is (words stemmed, stop words dropped, ``c++`` and
``n+1`` kept as symbols), so ``load balancers`` in a query matches the rule's ``load
balancer``. Rules apply when a query is run, never when the index is built: changing
them needs no rebuild, only a reopened index.

``GLOSSARY`` is prepdeck's glossary of software-interview vocabulary (``glossary.yaml``
beside this module). A build carries the ``synonyms.yaml`` beside its guides: the index
artifact names it as its companion file, so its bytes are part of the build's hash and
the index join writes it (checked, the rules of several folders merged) into
``<build>/index/synonyms.yaml``; changing it makes a new build whose index segments are
all copied, nothing re-indexed. ``Synonyms.load(carried(folder))`` reads the glossary,
the build's file and, last, the files named by ``PREPDECK_SYNONYMS`` (paths separated by
``os.pathsep``), so a server of a build made elsewhere has the build's synonyms without
its guides, and the variable can add more.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from corpus import read_regular

from .analysis import STOP, WORD, compact_symbols, symbols
from .errors import QueryError, SynonymError
from .query import parse

GLOSSARY = Path(__file__).with_name("glossary.yaml")
FILE_NAME = "synonyms.yaml"
ENV = "PREPDECK_SYNONYMS"
MAX_TERM_WORDS = 6  # words in one term of a rule
MAX_RULE_TERMS = 256  # terms on one side of a rule (a multi-way rule of n terms makes n² pairs)
MAX_FILE_BYTES = 4 * 1024 * 1024  # a synonyms file (the glossary, of 770 rules, is 40 KB)

Stems = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Expansion:
    """One thing a span of the query may also mean: its stems and the text to show."""

    stems: Stems
    label: str


def terms(text: str) -> Stems:
    """The stems of a rule's term, as the query parser reads the same words."""
    try:
        clauses = parse(text).clauses
    except QueryError:
        return ()
    return tuple(s for c in clauses if c.kind in ("term", "phrase") for s in c.stems)


class Synonyms:
    """Rules by the stems they apply to; ``digest`` tells two sets of rules apart."""

    def __init__(self) -> None:
        self.rules: dict[Stems, dict[Stems, Expansion]] = {}
        self.longest = 1
        self.digest = ""

    @classmethod
    def load(cls, paths: Iterable[Path] = ()) -> Synonyms:
        """The glossary plus the rules of ``paths`` (and of ``$PREPDECK_SYNONYMS``)."""
        out = cls()
        files = [GLOSSARY, *paths, *env_files()]
        digest = hashlib.sha256()
        for path in files:
            raw = _read(Path(path))
            digest.update(raw)
            out.add_file(path, raw)
        out.digest = digest.hexdigest()[:16]
        return out

    def add_file(self, path: Path, raw: bytes) -> None:
        """Add the rules of one synonyms file (``raw`` is its content)."""
        try:
            rules = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise SynonymError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from exc
        except RecursionError:  # brackets nested thousands deep: YAML reads them recursively
            raise SynonymError(f"{path}: not valid YAML: nested too deeply") from None
        if rules is None:
            return
        if not isinstance(rules, list):
            raise SynonymError(f"{path}: expected a list of rules such as '- k8s => kubernetes'")
        for n, rule in enumerate(rules, 1):
            if not isinstance(rule, str):
                raise SynonymError(f"{path}: rule {n}: {rule!r} is not a string")
            try:
                self.add(rule)
            except ValueError as exc:
                shown = rule if len(rule) <= 80 else rule[:77] + "..."
                raise SynonymError(f"{path}: rule {n} ({shown!r}): {exc}") from None

    def add(self, rule: str) -> None:
        """Add one rule: ``a, b => c`` (one-way) or ``a, b, c`` (multi-way)."""
        if rule.count("=>") > 1:
            raise ValueError("more than one '=>'")
        left, arrow, right = rule.partition("=>")
        sources = _split(left)
        targets = _split(right) if arrow else sources
        if not sources or not targets or (not arrow and len(sources) < 2):
            raise ValueError("a rule needs at least two terms, as in 'k8s => kubernetes'")
        if max(len(sources), len(targets)) > MAX_RULE_TERMS:
            raise ValueError(f"more than {MAX_RULE_TERMS} terms on one side; split the rule")
        stemmed = [(terms(target), target) for target in targets]
        for term in sources:
            key = terms(term)
            for stems, target in stemmed:
                if stems != key:  # the first spelling of a target is the one shown
                    self.rules.setdefault(key, {}).setdefault(stems, Expansion(stems, target))
            self.longest = max(self.longest, len(key))

    def get(self, key: Stems) -> list[Expansion]:
        """What the query words with stems ``key`` may also mean."""
        return list(self.rules.get(key, {}).values())

    def __len__(self) -> int:
        return len(self.rules)


def _read(path: Path) -> bytes:
    """The bytes of synonyms file ``path``; ``SynonymError`` when it cannot be read, is not a
    regular file (a pipe would wait, ``/dev/zero`` never end) or is over ``MAX_FILE_BYTES``."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise SynonymError(f"{path}: cannot read synonyms: {exc.strerror}") from exc


def _split(side: str) -> list[str]:
    out = []
    for term in side.split(","):
        term = " ".join(term.split())
        if not term:
            continue
        stems = terms(term)
        if not stems:
            raise ValueError(f"{term!r} has no searchable word")
        plain = compact_symbols(term).lower()
        for symbol in symbols(plain):
            plain = plain.replace(symbol, " ")
        lost = [w for w in WORD.findall(plain) if len(w) == 1 and w not in STOP]
        if lost and "-" not in term:  # "layer 4" would be the rule for every "layer"
            raise ValueError(f"{term!r}: one-letter words such as {lost[0]!r} are not indexed")
        if len(stems) > MAX_TERM_WORDS:
            raise ValueError(f"{term!r} has more than {MAX_TERM_WORDS} words")
        out.append(term)
    return out


def env_files() -> list[Path]:
    """The files named by ``$PREPDECK_SYNONYMS``."""
    return [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p]


def carried(index: Path) -> list[Path]:
    """The synonyms file a build's index folder carries (none when its guides had none)."""
    path = Path(index) / FILE_NAME
    return [path] if path.is_file() else []


def merged(files: Sequence[bytes]) -> bytes:
    """The rules of the synonyms files beside a build's guides as one file, for the build
    to carry; ``SynonymError`` when one of them cannot be used."""
    rules: list[str] = []
    for n, raw in enumerate(files, 1):
        Synonyms().add_file(Path(f"{FILE_NAME} #{n}" if len(files) > 1 else FILE_NAME), raw)
        rules += yaml.safe_load(raw) or []
    return yaml.safe_dump(rules, allow_unicode=True, sort_keys=False).encode()
