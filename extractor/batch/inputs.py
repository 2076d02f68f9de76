"""Which files a batch reads: folders, globs and file lists.

- a folder is walked recursively and yields the files whose suffix is a
  report format (hidden files and folders are skipped);
- a glob ("downloads/**/*.html") yields what it matches, folders walked as above;
- a file list is a text file whose every non-blank line (# starts a comment)
  names an existing file or folder; given with --files-from, or recognised
  when a plain argument is such a file;
- any other file is taken as a report, whatever its suffix.

The result is sorted and free of repeats, so that the same arguments always
give the same inputs in the same order (the dataset's row order follows it).
"""

from __future__ import annotations

import fnmatch
import glob
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPORT_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".wps",
                             ".txt", ".md", ".text"})
_LIST_MAX_BYTES = 50_000_000
_GLOB_CHARS = set("*?[")


class InputError(Exception):
    """The arguments name nothing that can be read (one clear line for the user)."""


@dataclass(slots=True)
class Inputs:
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # arguments that named nothing


def collect(arguments: Iterable[str], files_from: Iterable[Path] = (), exclude: Iterable[str] = ()) -> Inputs:
    """Every input file named by the arguments, sorted, each once."""
    exclude = tuple(exclude)
    found: dict[str, None] = {}
    result = Inputs()

    def add(path: str) -> None:
        if not _excluded(path, exclude):
            found[path] = None

    for source in files_from:
        for entry in _read_list(source):
            _expand(entry, add, result.missing)
    for argument in arguments:
        path = Path(argument)
        if path.is_file() and is_file_list(path):
            for entry in _read_list(path):
                _expand(entry, add, result.missing)
        else:
            _expand(argument, add, result.missing)
    result.files = sorted(found)
    return result


def _expand(argument: str, add, missing: list[str]) -> None:
    path = Path(argument)
    if path.is_dir():
        for file in _walk(path):
            add(file)
    elif path.is_file():
        add(argument)
    elif _GLOB_CHARS & set(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            missing.append(argument)
        for match in matches:
            if Path(match).is_dir():
                for file in _walk(Path(match)):
                    add(file)
            elif Path(match).is_file():
                add(match)
    else:
        missing.append(argument)


def _walk(folder: Path) -> Iterable[str]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_file() and path.suffix.lower() in REPORT_SUFFIXES:
            yield str(path)


def _excluded(path: str, patterns: tuple[str, ...]) -> bool:
    name = Path(path).name
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(name, p) for p in patterns)


def is_file_list(path: Path) -> bool:
    """A text file whose every non-blank, non-comment line names an existing
    file or folder. A report never passes: its lines are prose and numbers."""
    try:
        if path.stat().st_size > _LIST_MAX_BYTES:
            return False
        entries = _read_list(path)
    except (OSError, UnicodeDecodeError, InputError):
        return False
    return bool(entries) and all(Path(e).exists() for e in entries)


def _read_list(path: Path) -> list[str]:
    """The entries of a file list; relative entries are taken from the current
    folder, else from the list's own folder."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file list ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the file list is not UTF-8 text") from None
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entry = Path(line)
        if not entry.is_absolute() and not entry.exists() and (path.parent / entry).exists():
            line = str(path.parent / entry)
        entries.append(line)
    return entries
