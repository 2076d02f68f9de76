"""One run at a time on a dataset folder.

The lock is an flock on the folder itself: the kernel releases it when the
process ends, however it ends, so a run that was killed never blocks the
next one. Its PID is written to OUT/.extract-batch.pid (removed at the end)
only so that a refused run can say who holds the folder.

A process forked while the lock is held would hold it too (a forked child
shares the parent's open file, and an orphaned worker would keep the folder
locked): every forked child closes it at once (os.register_at_fork). Where
the file system has no flock (some network mounts), runs are not locked.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on a POSIX system: no lock
    fcntl = None  # type: ignore[assignment]

PID_FILE = ".extract-batch.pid"

_held: set[int] = set()  # descriptors of the folders this process has locked


def _close_in_child() -> None:
    for fd in _held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


class FolderBusy(Exception):
    def __init__(self, folder: Path, pid: int | None) -> None:
        who = f"another `extract batch` (PID {pid})" if pid else "another `extract batch`"
        super().__init__(f"{folder}: {who} is using this folder; wait for it to end (or stop it) "
                         "and run the command again")


class FolderLock:
    """An exclusive hold on a folder (which must exist) for one run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = None

    def acquire(self) -> None:
        """FolderBusy if another process holds the folder; OSError if it cannot be opened or written."""
        if fcntl is None:
            return
        try:
            fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:  # e.g. no read permission: the run will say what it cannot do
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise FolderBusy(self.folder, holder(self.folder)) from None
        except OSError:  # a file system without flock (some network mounts): no lock
            os.close(fd)
            return
        self._fd = fd
        _held.add(fd)
        try:
            (self.folder / PID_FILE).write_text(f"{os.getpid()}\n", encoding="utf-8")
        except OSError:
            self.release()
            raise

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            (self.folder / PID_FILE).unlink(missing_ok=True)
        _held.discard(self._fd)
        os.close(self._fd)  # releases the lock
        self._fd = None


def holder(folder: Path) -> int | None:
    """The PID recorded by the run holding `folder` (None if it has not written it yet)."""
    try:
        return int((folder / PID_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
