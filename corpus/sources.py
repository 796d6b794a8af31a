"""Finding guide files and reading them safely.

A guide is a ``.md`` or ``.mdx`` file of at most ``MAX_GUIDE_BYTES`` bytes, in UTF-8;
in a folder, ``README.md`` describes the folder and is not a guide.
A path that does not exist, or a folder with no guide in it, is an error; a file that
cannot be used (unreadable, not a regular file, too large, not UTF-8, empty) is skipped
with a warning.
"""

from __future__ import annotations

import errno
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .model import Diagnostic

SUFFIXES = (".md", ".mdx")
MAX_GUIDE_BYTES = 5 * 1024 * 1024
DEFAULT_GUIDES = Path(__file__).resolve().parent / "guides"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A guide file found on disk: its path and the name it is reported under."""

    path: Path
    name: str


def discover(paths: list[Path] | None = None) -> list[SourceFile]:
    """Every guide file under ``paths`` (files or folders), sorted per folder.

    With no paths, the embedded default guide folder is used. Raises ``CorpusError``
    for a path that does not exist or a folder without guides.
    """
    found: list[SourceFile] = []
    seen: set[Path] = set()
    for path in paths or [DEFAULT_GUIDES]:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                # not only files: a dangling link or a pipe named .md is skipped with a warning
                if p.suffix.lower() in SUFFIXES and not p.is_dir() and not _is_readme(p)
            )
            if not files:
                raise CorpusError(f"{path}: folder has no .md or .mdx guides")
            entries = [SourceFile(p, p.relative_to(path).as_posix()) for p in files]
        elif path.suffix.lower() in SUFFIXES:
            entries = [SourceFile(path, path.name)]
        else:
            raise CorpusError(f"{path}: not a guide (expected a .md or .mdx file or a folder)")
        for entry in entries:
            resolved = entry.path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(entry)
    return found


def _is_readme(path: Path) -> bool:
    """A folder's README describes the folder; it is not a guide (name the file to parse it)."""
    return path.stem.lower() == "readme"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of file ``path``; ``OSError`` when it cannot be read, is not a regular file
    (opening a named pipe waits for a writer, a device such as ``/dev/zero`` never ends) or
    is over ``limit`` bytes (``EFBIG``, read no further than that)."""
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise OSError(errno.EISDIR, "Is a directory")
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"over the {_size(limit)} limit")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def read_bytes(source: SourceFile) -> bytes | OSError:
    """The raw bytes of a guide (hashed before anything is parsed), or why it can't be read."""
    try:
        return read_regular(source.path, MAX_GUIDE_BYTES)
    except OSError as exc:
        return exc


def decode(source: SourceFile, data: bytes | OSError) -> tuple[str | None, Diagnostic | None]:
    """The text of a guide, or ``None`` and the warning that says why it is skipped."""
    if isinstance(data, OSError):
        reason = data.strerror or str(data)
        return None, Diagnostic(file=source.name, line=1, message=f"cannot read: {reason}; skipped")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Diagnostic(
            file=source.name,
            line=line,
            message=f"invalid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); skipped",
        )
    if not text.strip():
        return None, Diagnostic(file=source.name, line=1, message="file is empty; skipped")
    return text, None
