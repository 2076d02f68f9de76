"""The unit of work of a batch: one input's bytes in, its report or its error out.

Runs in a worker process (local pool or Dask worker). The bytes travel with
the task, so Dask workers need no access to the client's files; the result
is a plain dict that pickles cheaply.
"""

from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path

from ..errors import ExtractError


class FileTimeout(Exception):
    pass


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


def extract_one(path: str, data: bytes, timeout: float = 0) -> dict:
    """{"doc": report document} or {"error": {"code", "message"}}; never raises
    for a bad input, so one file cannot stop the run, nor hold it up for more
    than `timeout` seconds (0: no limit)."""
    from ..pipeline import extract_bytes

    try:
        with _time_limit(timeout):
            return {"doc": extract_bytes(data, Path(path))}
    except FileTimeout:
        return {"error": {"code": "timeout", "message": f"gave up after {timeout:g} s (--timeout)"}}
    except ExtractError as exc:
        return {"error": {"code": exc.code, "message": str(exc)}}
    except Exception as exc:  # an extractor bug on this file: record it, keep going
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
        return {"error": {"code": "internal", "message": f"internal error ({type(exc).__name__}: {exc}){where}"}}
