"""One thread for the build's Arrow and DuckDB work (parsing the rows' text,
encoding Parquet, loading DuckDB), run in the order it was handed over.

That work is C++ that releases the GIL, so on a second core it overlaps the
build's Python work (reading the spool, writing the CSV files) instead of
following it. A single thread keeps every table's row groups in order; at
most `depth` tasks wait, so memory stays bounded by a few batches of rows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class Background:
    def __init__(self, depth: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-build")
        self._pending: deque[Future] = deque()
        self._depth = depth

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        """Run fn(*args) after what was submitted before; an error of an
        earlier task is raised here (or by wait)."""
        self._pending.append(self._pool.submit(fn, *args))
        while self._pending and (len(self._pending) > self._depth or self._pending[0].done()):
            self._pending.popleft().result()

    def wait(self) -> None:
        """Until everything submitted has run (raising the first error)."""
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        """Drop what has not started, and wait for the task that has."""
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True)
