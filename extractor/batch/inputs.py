"""Which files a batch reads: folders, globs and file lists.

- a folder is walked recursively and yields the files whose suffix is a
  report format (hidden files and folders are skipped, links to folders are
  not followed); a folder that cannot be listed is an input that failed;
- a glob ("downloads/**/*.html") yields what it matches, folders walked as above;
- a file list is a text file whose every non-blank line (# starts a comment)
  names a file or folder: one that exists, or one that reads as a path (it
  has a / or a report suffix; a report's lines are prose and numbers). Given
  with --files-from, or recognised when a plain argument is such a file. A
  listed path that does not exist is an input that failed (code `missing`);
- any other file is taken as a report, whatever its suffix.

Every path is made absolute and normalised (os.path.abspath: no `.`, `..`,
repeated or trailing slashes; links are not resolved), so that one file
spelled two ways (`dir/a.txt`, `./dir//a.txt`, `/abs/dir/a.txt`) is one input
with one name, run after run. The result is sorted and free of repeats, so
that the same arguments always give the same inputs in the same order (the
dataset's row order follows it).
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPORT_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml", ".pdf", ".docx", ".doc", ".wps",
                             ".odt", ".txt", ".md", ".text"})
_LIST_MAX_BYTES = 50_000_000
_GLOB_CHARS = set("*?[")


class InputError(Exception):
    """The arguments name nothing that can be read (one clear line for the user)."""


@dataclass(slots=True)
class Inputs:
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # arguments that named nothing
    # Inputs that failed before being read: listed paths that do not exist,
    # folders that cannot be listed ({"code", "message"} by path).
    failed: dict[str, dict] = field(default_factory=dict)


def normal(path: str) -> str:
    """The one name of a path: absolute and normalised."""
    return os.path.abspath(path)


def outside(paths: list[str], folder: Path) -> list[str]:
    """The `paths` (absolute and normalised) that, links resolved, are not in
    `folder` (resolved): as Path.resolve().is_relative_to says, with each
    folder's links resolved once for all its files instead of once a file."""
    inside = str(folder)
    prefix = os.path.join(inside, "")
    real: dict[str, str] = {}  # a folder -> its path with links resolved
    kept = []
    for path in paths:
        head, name = os.path.split(path)
        where = real.get(head)
        if where is None:
            where = real[head] = os.path.realpath(head)
        resolved = os.path.join(where, name)
        if os.path.islink(resolved):
            resolved = os.path.realpath(resolved)
        if resolved != inside and not resolved.startswith(prefix):
            kept.append(path)
    return kept


def collect(arguments: Iterable[str], files_from: Iterable[Path] = (), exclude: Iterable[str] = ()) -> Inputs:
    """Every input file named by the arguments, sorted, each once."""
    patterns = tuple(exclude)
    found: dict[str, None] = {}
    result = Inputs()

    def add(path: str) -> None:
        if not _excluded(path, patterns):
            found[normal(path)] = None

    def fail(path: str, code: str, message: str) -> None:
        if not _excluded(path, patterns):
            name = path if _URL.match(path) else normal(path)  # a URL is no path to normalise
            result.failed.setdefault(name, {"code": code, "message": message})

    for source in files_from:
        for entry in _read_list(source):
            _expand(entry, add, fail, result.missing, listed_in=source)
    for argument in arguments:
        path = Path(argument)
        if path.is_file() and is_file_list(path):
            for entry in _read_list(path):
                _expand(entry, add, fail, result.missing, listed_in=path)
        else:
            _expand(argument, add, fail, result.missing)
    result.files = sorted(found)
    for path in found:
        result.failed.pop(path, None)  # named twice, found once
    result.failed = dict(sorted(result.failed.items()))
    return result


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _expand(argument: str, add: Callable[[str], None], fail: Callable[[str, str, str], None], missing: list[str],
            listed_in: Path | None = None) -> None:
    path = Path(argument)
    if path.is_dir():
        _walk(argument, add, fail)
    elif path.is_file():
        add(argument)
    elif path.exists():
        fail(argument, "not_a_file", "not a regular file (a pipe, a device or a socket)")
    elif _GLOB_CHARS & set(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            missing.append(argument)
        for match in matches:
            if Path(match).is_dir():
                _walk(match, add, fail)
            elif Path(match).is_file():
                add(match)
    elif listed_in is not None:
        if _URL.match(argument):
            fail(argument, "missing", f"a URL (listed in {listed_in}): reports are not downloaded; "
                                      "download them and list the files")
        else:
            fail(argument, "missing", f"no such file (listed in {listed_in})")
    else:
        missing.append(argument)


def _walk(folder: str, add: Callable[[str], None], fail: Callable[[str, str, str], None]) -> None:
    """Every report-format file below `folder`. Hidden names are skipped
    below it (the folder itself may be hidden)."""
    stack = [os.path.normpath(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            fail(current, "io", f"cannot list the folder ({exc.strerror or exc}); the reports in it are not read")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in REPORT_SUFFIXES:
                    add(entry.path)
            except OSError:  # vanished or unreadable meanwhile: not listed
                continue


def _excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Patterns match the name, the path as found or the absolute path."""
    if not patterns:
        return False
    name, absolute = Path(path).name, normal(path)
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) or fnmatch.fnmatch(absolute, p)
               for p in patterns)


def is_file_list(path: Path) -> bool:
    """A text file whose every non-blank, non-comment line names a path. A
    report never passes: its lines are prose and numbers."""
    try:
        if path.stat().st_size > _LIST_MAX_BYTES:
            return False
        entries = _read_list(path)
        return bool(entries) and all(_names_a_path(e) for e in entries)
    except (OSError, ValueError, InputError):  # ValueError: not UTF-8, or a NUL in a line
        return False


_NOT_IN_PATHS = re.compile(r'[<>|"\x00-\x1f]')


def _names_a_path(line: str) -> bool:
    if Path(line).exists():
        return True
    if _NOT_IN_PATHS.search(line):  # markup, table rules, control characters
        return False
    return "/" in line or os.sep in line or Path(line).suffix.lower() in REPORT_SUFFIXES


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
