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
beside this module). ``Synonyms.load()`` adds the files named by ``PREPDECK_SYNONYMS``
(paths separated by ``os.pathsep``). ``prepdeck search`` adds the ``synonyms.yaml``
beside its guides (``synonym_files``); ``prepdeck serve`` puts it in that variable
(``use_guide_synonyms``), which its workers inherit. A server that runs from a build
without its guides sets ``PREPDECK_SYNONYMS`` itself.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .analysis import STOP, WORD, compact_symbols, symbols
from .errors import QueryError, SynonymError
from .query import parse

GLOSSARY = Path(__file__).with_name("glossary.yaml")
FILE_NAME = "synonyms.yaml"
ENV = "PREPDECK_SYNONYMS"
MAX_TERM_WORDS = 6  # words in one term of a rule

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
            try:
                raw = Path(path).read_bytes()
            except OSError as exc:
                raise SynonymError(f"{path}: cannot read synonyms: {exc.strerror}") from exc
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
                raise SynonymError(f"{path}: rule {n} ({rule!r}): {exc}") from None

    def add(self, rule: str) -> None:
        """Add one rule: ``a, b => c`` (one-way) or ``a, b, c`` (multi-way)."""
        if rule.count("=>") > 1:
            raise ValueError("more than one '=>'")
        left, arrow, right = rule.partition("=>")
        sources = _split(left)
        targets = _split(right) if arrow else sources
        if not sources or not targets or (not arrow and len(sources) < 2):
            raise ValueError("a rule needs at least two terms, as in 'k8s => kubernetes'")
        for term in sources:
            key = terms(term)
            for target in targets:
                stems = terms(target)
                if stems != key:  # the first spelling of a target is the one shown
                    self.rules.setdefault(key, {}).setdefault(stems, Expansion(stems, target))
            self.longest = max(self.longest, len(key))

    def get(self, key: Stems) -> list[Expansion]:
        """What the query words with stems ``key`` may also mean."""
        return list(self.rules.get(key, {}).values())

    def __len__(self) -> int:
        return len(self.rules)


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


def use_guide_synonyms(guides: Iterable[Path] | None) -> Synonyms:
    """Add the ``synonyms.yaml`` beside ``guides`` to ``$PREPDECK_SYNONYMS`` (for the
    server's workers, which inherit it) and load the synonyms once, so that a bad file
    is one error (``SynonymError``) before a worker starts."""
    found = [p for p in synonym_files(guides or []) if p not in env_files()]
    if found:
        os.environ[ENV] = os.pathsep.join(map(str, [*env_files(), *found]))
    return Synonyms.load()


def synonym_files(guides: Iterable[Path]) -> list[Path]:
    """The ``synonyms.yaml`` beside each guide path (in a folder, or beside a file)."""
    found: list[Path] = []
    for path in guides:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        candidate = folder / FILE_NAME
        if candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found
