"""Time and memory stay near-linear and bounded for any input: the hostile
shapes of tests/hostile.py (synthetic), with generous limits. The figures
themselves are in bench/SCALING.md (python bench/scaling.py)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import hostile

from extractor.pipeline import extract_bytes
from extractor.tables.assemble import _longest_increasing

MB = 1 << 20


def timed(data: bytes, name: str = "report.txt") -> tuple[dict, float]:
    start = time.perf_counter()
    doc = extract_bytes(data, Path(name))
    return doc, time.perf_counter() - start


# -- anchors in order: the longest increasing run -------------------------------


def _longest_increasing_quadratic(items: list[tuple[int, int]]) -> set[int]:
    """The implementation the fast one replaced, as the reference it must equal."""
    best: list[list[int]] = []
    for pos, (_, anchor) in enumerate(items):
        chain = max((c for c in best if items[c[-1]][1] < anchor), key=len, default=[])
        best.append([*chain, pos])
    return set(max(best, key=len, default=[]))


def test_longest_increasing_run_is_the_one_it_always_was():
    rng = random.Random(10)
    for _ in range(3000):
        rows = rng.randint(1, 12)
        items = [(i, rng.randint(0, rows)) for i in range(rng.randint(0, 40))]
        assert _longest_increasing(items) == _longest_increasing_quadratic(items), items


def test_longest_increasing_run_is_fast_on_thousands_of_anchors():
    # A table printed 400 times: 10,000 anchors (quadratic: seconds; now: ms).
    items = [(i, i % 25) for i in range(10_000)]
    start = time.perf_counter()
    assert len(_longest_increasing(items)) == 25
    assert time.perf_counter() - start < 1.0


# -- whole documents: about linear in their size ---------------------------------


def test_a_table_printed_a_thousand_times_reads_in_seconds():
    # Before: 800 copies took 48 s (the anchors' order was quadratic).
    data = hostile.table3_copies(1000)
    doc, seconds = timed(data)
    assert seconds < 8 * len(data) / MB + 5
    assert doc["tables"]["applications"]["status"] == "complete"

