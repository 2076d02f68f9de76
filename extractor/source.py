"""Reading the input file itself, before any format is looked at.

Only a regular file is read (a named pipe would block for ever, a device
such as /dev/zero never ends), and only up to a size limit; anything the
file system refuses is one clear error. Each error is an ExtractError whose
message follows the file's name ("report.pdf: is not a regular file …").
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .errors import ExtractError

MB = 1 << 20
# The largest input read unless asked otherwise (--max-size): far above any
# real report (PDFs with scanned pages run to tens of MB), low enough that no
# input can fill the memory of a small machine.
DEFAULT_MAX_SIZE = 200 * MB

_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def read_input(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """The file's bytes; ExtractError when it is missing, not a regular
    file, larger than max_size or unreadable."""
    try:
        info = os.stat(path)
    except OSError as exc:
        # Only a folder on the path that cannot be searched denies a stat.
        raise _os_error(exc, "a folder on its path cannot be searched") from None
    _check(info, path, max_size)  # (before any open: a device is never opened)
    try:
        # O_NONBLOCK: a regular file swapped for a pipe after the stat above
        # must not block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _os_error(exc, "the file is not readable") from None
    try:
        info = os.fstat(fd)
        _check(info, path, max_size)  # what was opened, in case the file was swapped after the stat
        data = _read_all(partial(os.read, fd), info.st_size, max_size)
    except OSError as exc:
        raise _os_error(exc, "the file is not readable") from None
    finally:
        os.close(fd)
    if len(data) > max_size:
        raise _too_large(len(data), max_size, more=True)
    return data


def _read_all(read: Callable[[int], bytes], size: int, max_size: int) -> bytes:
    """Up to max_size + 1 bytes with `read` (the descriptor's: a read returns
    at most what it is asked, less only at the end of the file or when cut
    short): as many as the file's size says in one read (a read of max_size
    would allocate all of it first), then, for a file that grew or was cut
    short while read, or reports no size (/proc), the rest a megabyte at a time."""
    first = read(min(size, max_size) + 1)
    if len(first) == size:
        return first  # (every file whose size is right: one read)
    chunks, total = [first], len(first)
    while total <= max_size:
        chunk = read(min(1 << 20, max_size + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _check(info: os.stat_result, path: Path, max_size: int) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise ExtractError(f"is a folder; to extract every report in it use `extract batch {path} -o OUT/`",
                           code="folder")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise ExtractError(f"is {kind}, not a file; save the report to a file and extract that",
                           code="not_a_file")
    if info.st_size > max_size:
        raise _too_large(info.st_size, max_size)


def _too_large(size: int, max_size: int, more: bool = False) -> ExtractError:
    shown = "more than " + size_text(max_size) if more else size_text(size)
    return ExtractError(f"is {shown}, more than the {size_text(max_size)} this tool reads; to read it, raise the "
                        "limit with --max-size (e.g. --max-size 2GB)", code="too_large")


def _os_error(exc: OSError, denied: str) -> ExtractError:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ExtractError("no such file", code="missing")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ExtractError(f"cannot be read: permission denied ({denied})", code="permission")
    return ExtractError(f"cannot be read: {exc.strerror or exc}", code="io")


def size_text(size: int) -> str:
    """200 MB, 1.5 GB, 900 KB, 12 bytes."""
    for unit, scale in (("GB", 1 << 30), ("MB", MB), ("KB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() else f"{value:.1f} {unit}"
    return f"{size} bytes"


def parse_size(text: str) -> int:
    """A size as given on the command line: 500MB, 2GB, 800K, 1.5G; a bare
    number is in MB. ValueError when it is none."""
    t = text.strip().upper().replace(" ", "")
    scale = MB
    for suffix, factor in (("GB", 1 << 30), ("G", 1 << 30), ("MB", MB), ("M", MB), ("KB", 1 << 10),
                           ("K", 1 << 10), ("B", 1)):
        if t.endswith(suffix):
            t, scale = t[: -len(suffix)], factor
            break
    value = float(t)  # ValueError for anything else
    if not value > 0 or value * scale > 1 << 50:
        raise ValueError(text)
    return int(value * scale)
