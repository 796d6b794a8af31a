"""prepdeck's corpus: Markdown/MDX guides parsed into msgspec Structs.

Public names are re-exported here; other packages import only from ``corpus``.
"""

from .build import BuildResult, all_warnings, build, existing_build, load_guides
from .errors import BuildNotFound, CorpusError
from .fragments import Fragments
from .model import (
    FORMATS,
    PART_KINDS,
    Base,
    Corpus,
    Diagnostic,
    Format,
    Guide,
    Part,
    PartKind,
    Question,
    Rich,
    Source,
    Topic,
    TopicRef,
)
from .parser import PARSER_VERSION, parse_guide
from .render import MD, inline_text, render_markdown
from .sources import DEFAULT_GUIDES, MAX_GUIDE_BYTES, read_regular
from .stats import GuideStats, guide_stats
from .store import (
    Artifact,
    Joining,
    Made,
    Previous,
    build_dir,
    code_digest,
    current_hash,
    default_out,
    load_corpus,
    read_manifest,
    verify_build,
)
from .views import guide_view, question_view, topic_view

__all__ = [
    "DEFAULT_GUIDES",
    "FORMATS",
    "MAX_GUIDE_BYTES",
    "MD",
    "PARSER_VERSION",
    "PART_KINDS",
    "Artifact",
    "Base",
    "BuildNotFound",
    "BuildResult",
    "Corpus",
    "CorpusError",
    "Diagnostic",
    "Format",
    "Fragments",
    "Guide",
    "GuideStats",
    "Joining",
    "Made",
    "Part",
    "PartKind",
    "Previous",
    "Question",
    "Rich",
    "Source",
    "Topic",
    "TopicRef",
    "all_warnings",
    "build",
    "build_dir",
    "code_digest",
    "current_hash",
    "default_out",
    "existing_build",
    "guide_stats",
    "guide_view",
    "inline_text",
    "load_corpus",
    "load_guides",
    "parse_guide",
    "question_view",
    "read_manifest",
    "read_regular",
    "render_markdown",
    "topic_view",
    "verify_build",
]
