"""The unit of work of a batch: one input's bytes in, its report or its error out.

Runs in a worker process (local pool or Dask worker). The bytes travel with
the task, so Dask workers need no access to the client's files; the result
is a plain dict that pickles cheaply.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import ExtractError
from .rows import render
from .spool import pack
from .store import to_json

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class FileTimeout(Exception):
    pass


def die_with_parent(batch_pid: int) -> None:
    """Worker initializer: a worker must not outlive the batch (killed with
    -9 it cannot stop its pool, and its workers would run on under PID 1).
    On Linux the kernel kills the worker when its parent dies; elsewhere a
    thread watches the parent."""
    if not (sys.platform.startswith("linux") and _set_parent_death_signal()):
        threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    # The parent may have died before the signal was asked for.
    if not _alive(batch_pid):
        os._exit(1)


def _set_parent_death_signal() -> bool:
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, but not ours
        return True
    return True


@contextmanager
def _time_limit(seconds: float):
    """Interrupt the extraction after `seconds` (worker processes run tasks on
    their main thread; where a task runs on another thread, as in a threaded
    Dask worker, there is no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_one(path: str, data: bytes, timeout: float = 0, explain: bool = False) -> dict:
    """{"json": the report document as stored, "rows": its rows (spool.Packed)}
    (with `explain`, and "explain": its review page) or {"error": {"code",
    "message"}}; never raises for a bad input, so one file cannot stop the
    run, nor hold it up for more than `timeout` seconds (0: no limit)."""
    from ..pipeline import extract_bytes

    try:
        with _time_limit(timeout):
            if explain:
                from ..explain import explain_bytes

                doc, page = explain_bytes(data, Path(path))
                return {**rendered(doc, path), "explain": page}
            return rendered(extract_bytes(data, Path(path)), path)
    except FileTimeout:
        return {"error": {"code": "timeout", "message": f"gave up after {timeout:g} s (--timeout)"}}
    except ExtractError as exc:
        return {"error": {"code": exc.code, "message": str(exc)}}
    except Exception as exc:  # an extractor bug on this file: record it, keep going
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
        return {"error": {"code": "internal", "message": f"internal error ({type(exc).__name__}: {exc}){where}"}}


def rendered(doc: dict, path: str) -> dict:
    """The document as the dataset stores it and its rows, made here so that
    the batch process only writes them out (and the build only copies the
    rows); {"doc": doc} if that fails, which the batch then does itself, as
    it would for a result from elsewhere."""
    try:
        doc["source"]["path"] = path  # as the build would rename it: the input as the batch names it
        rows = render(doc["source"]["sha256"][:16], doc, path)
        return {"json": to_json(doc), "rows": pack(rows)}
    except FileTimeout:
        raise
    except Exception:  # a document the build will fail on the same way, with the batch's error handling
        return {"doc": doc}
