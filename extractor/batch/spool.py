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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .cross_year import Facts
from .rows import ReportRows

SPOOL_NAME = ".rows.partial"


@dataclass(slots=True)
class Packed:
    """A report's rows as the spool stores them: pickled where they were
    rendered (in the worker, whose result then pickles as bytes, so that the
    batch process neither unpickles nor pickles them again), facts apart."""

    report_id: str
    source: str
    facts: Facts | None
    data: bytes


def pack(rows: ReportRows) -> Packed:
    facts, rows.facts = rows.facts, None
    return Packed(rows.report_id, rows.source, facts, pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None  # opened with the first rows
        self._at: dict[str, tuple[int, int]] = {}  # report id -> offset and length in the file
        self.facts: dict[str, Facts] = {}

    def add(self, rows: ReportRows | Packed) -> None:
        packed = rows if isinstance(rows, Packed) else pack(rows)
        if packed.facts is not None:
            self.facts[packed.report_id] = packed.facts
        if self._file is None:
            self._file = self.path.open("w+b")
        self._file.seek(0, 2)
        self._at[packed.report_id] = (self._file.tell(), len(packed.data))
        self._file.write(packed.data)

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
