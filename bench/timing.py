"""Median timings of several contenders on one file, measured in the same run."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from contenders import Contender

from extractor.errors import ExtractError

NOT_SUPPORTED = "not supported in this build"


@dataclass(slots=True)
class Timing:
    seconds: float | None = None  # median of the runs; None when it could not run
    tables: int | None = None  # tables the tool found, where it finds tables
    note: str = ""  # why there is no time: not installed, not supported, failed


def measure(path: Path, contenders: list[Contender], runs: int) -> dict[str, Timing]:
    """One warm-up call per contender (imports, caches; a failure shows here),
    then `runs` rounds that call each contender once in turn, so that any drift
    in the machine's load hits every tool alike and the ratios stay fair."""
    out: dict[str, Timing] = {}
    live: list[Contender] = []
    for c in contenders:
        missing = c.missing()
        if missing:
            out[c.name] = Timing(note=missing)
            continue
        try:
            out[c.name] = Timing(tables=c.run(path))
            live.append(c)
        except ExtractError as exc:
            out[c.name] = Timing(note=NOT_SUPPORTED if exc.code == "unsupported" else f"fails: {exc}")
        except Exception as exc:  # a comparison tool that chokes on a file is a result, not a crash
            out[c.name] = Timing(note=f"fails: {type(exc).__name__}: {str(exc)[:80]}")
    samples: dict[str, list[float]] = {c.name: [] for c in live}
    for _ in range(runs):
        for c in live:
            start = time.perf_counter()
            c.run(path)
            samples[c.name].append(time.perf_counter() - start)
    for name, times in samples.items():
        out[name].seconds = statistics.median(times)
    return out
