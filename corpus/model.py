"""The one data model of prepdeck: msgspec Structs for guides, topics and questions.

Every other package reads these Structs; API responses are views of them. Rich-text
fields are generic: the corpus holds ``Rich`` (Markdown, HTML and plain text rendered
once, at build time), and a view for one representation is the same Struct
parametrised with ``str`` (see ``corpus.views``).
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

import msgspec

T = TypeVar("T")

Format = Literal["markdown", "html", "text"]
FORMATS: tuple[Format, ...] = ("markdown", "html", "text")


class Base(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every model: immutable, keyword-only, strict about unknown fields.

    (``kw_only`` applies to the fields a class defines itself, so generic subclasses
    repeat it; that lets required fields such as ``source`` come last, as in the API.)

    Corpus files are read back from disk and API clients may send documents, so an
    unknown field is an error rather than silently dropped data.
    """


class Rich(Base):
    """A fragment of rich text in the three representations clients ask for.

    ``html`` is safe to embed in a foreign page (no raw HTML or JSX from the guide,
    no scripts, no event handlers, only http(s)/mailto/relative links).
    """

    markdown: str
    html: str
    text: str

    def as_format(self, fmt: Format) -> str:
        """This fragment in one representation."""
        return getattr(self, fmt)


class Source(Base):
    """Where something was written: file name (relative to its guide folder) and 1-based line."""

    file: str
    line: int


class TopicRef(Base):
    """A short reference to a topic, embedded in questions."""

    id: str
    title: str


PartKind = Literal["weak_candidates", "strong_candidates"]
PART_KINDS: tuple[PartKind, ...] = ("weak_candidates", "strong_candidates")


class Part(Base, Generic[T], kw_only=True):
    """A named part of a question beyond the four standard ones.

    ``kind`` is ``weak_candidates`` or ``strong_candidates`` ("What weak/strong
    candidates say"); ``label`` is the label as the author wrote it.
    """

    kind: PartKind
    label: str
    content: T


class Question(Base, Generic[T], kw_only=True):
    """One interview question with its labelled parts.

    ``title`` is the question as plain text (inline code kept as a Markdown code span,
    `` `like_this` ``); ``body`` is what the question says beyond its
    title (a code snippet, the options of a multiple-choice question, a scenario), shown
    with it. ``follow_up_answers`` is aligned with ``follow_ups``: the answer written for
    each follow-up, or ``None`` where the guide gives none.
    """

    id: str
    guide: str
    topic: TopicRef
    title: str
    body: T | None = None
    testing: T | None = None
    answer: T | None = None
    red_flags: list[T] = []
    follow_ups: list[T] = []
    follow_up_answers: list[T | None] = []
    parts: list[Part[T]] = []
    tags: list[str] = []
    source: Source


class Topic(Base, Generic[T], kw_only=True):
    """A section or sub-topic of a guide (a heading), with its own concept notes.

    ``parent`` is the id of the enclosing topic (``None`` for a top-level section),
    ``children`` the ids of its direct sub-topics and ``questions`` the ids of the
    questions written directly under it, in guide order.
    """

    id: str
    guide: str
    title: str
    level: int
    parent: str | None = None
    children: list[str] = []
    questions: list[str] = []
    notes: T | None = None
    source: Source


class Diagnostic(Base):
    """A warning about a guide: where (``file:line``) and what is wrong."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Guide(Base, Generic[T], kw_only=True):
    """One guide file: its metadata, its topic tree (flattened, in order) and its questions.

    ``base_url`` is where the guide is published (frontmatter ``base_url:``, an absolute
    http(s) URL): its relative links resolve against it outside the guide (Anki cards)."""

    slug: str
    title: str
    file: str
    description: str = ""
    base_url: str | None = None
    intro: T | None = None
    tags: list[str] = []
    topics: list[Topic[T]] = []
    questions: list[Question[T]] = []
    warnings: list[Diagnostic] = []


class Corpus(Base):
    """Every guide of one build, keyed by the content hash of its inputs."""

    hash: str
    parser_version: str
    guides: list[Guide[Rich]] = []
    warnings: list[Diagnostic] = []
