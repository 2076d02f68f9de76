"""The unit of work of a batch: one input's bytes in, its report or its error out.

Runs in a worker process (local pool or Dask worker). The bytes travel with
the task, so Dask workers need no access to the client's files; the result
is a plain dict that pickles cheaply.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from ..errors import ExtractError


def extract_one(path: str, data: bytes) -> dict:
    """{"doc": report document} or {"error": {"code", "message"}}; never raises
    for a bad input, so one file cannot stop the run."""
    from ..pipeline import extract_bytes

    try:
        return {"doc": extract_bytes(data, Path(path))}
    except ExtractError as exc:
        return {"error": {"code": exc.code, "message": str(exc)}}
    except Exception as exc:  # an extractor bug on this file: record it, keep going
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
        return {"error": {"code": "internal", "message": f"internal error ({type(exc).__name__}: {exc}){where}"}}
