"""The rendered rows of the reports extracted by this run (rows.ReportRows),
kept on disk until the build copies them into the tables.

Results arrive in the order they finish and the tables follow the order of
the inputs, so rows are appended to one file as they come and read back by
report id; only their offsets and the cross-year facts (some 600 bytes a
report, which the build needs for every report at once) stay in memory.
The file is named *.partial: a killed run's is removed by the next run.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import BinaryIO

from .cross_year import Facts
from .rows import ReportRows

SPOOL_NAME = ".rows.partial"


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None  # opened with the first rows
        self._at: dict[str, tuple[int, int]] = {}  # report id -> offset and length in the file
        self.facts: dict[str, Facts] = {}

    def add(self, rows: ReportRows) -> None:
        facts, rows.facts = rows.facts, None
        if facts is not None:
            self.facts[rows.report_id] = facts
        data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        if self._file is None:
            self._file = self.path.open("w+b")
        self._file.seek(0, 2)
        self._at[rows.report_id] = (self._file.tell(), len(data))
        self._file.write(data)

    def __contains__(self, rid: str) -> bool:
        return rid in self._at

    def get(self, rid: str) -> ReportRows | None:
        """The rows stored for `rid` (their facts apart, in `facts`), or None."""
        at = self._at.get(rid)
        if at is None or self._file is None:
            return None
        self._file.seek(at[0])
        return pickle.loads(self._file.read(at[1]))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self.path.unlink(missing_ok=True)
        self._at.clear()
