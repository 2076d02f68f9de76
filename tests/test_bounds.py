"""Time and memory stay near-linear and bounded for any input: the hostile
shapes of tests/hostile.py (synthetic), with generous limits. The figures
themselves are in bench/SCALING.md (python bench/scaling.py)."""

from __future__ import annotations

import random
import time
from itertools import combinations
from pathlib import Path

import hostile
import pytest

from extractor.pipeline import extract_bytes
from extractor.tables import solve
from extractor.tables.assemble import _longest_increasing
from extractor.tables.solve import RowReading, RowShape, read_row, split_budget
from extractor.tables.units import Token

APPLICATIONS_ROW = RowShape(7, ((6, (0, 1, 2, 3, 4, 5)),))
MB = 1 << 20


def timed(data: bytes, name: str = "report.txt") -> tuple[dict, float]:
    start = time.perf_counter()
    doc = extract_bytes(data, Path(name))
    return doc, time.perf_counter() - start


def codes(doc: dict, where: str) -> list[str]:
    return [w["code"] for w in doc["warnings"] if w["where"] == where]


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


# -- padding: more blank tokens than a row has cells ----------------------------


def _drop_blanks_by_combinations(tokens: list[Token], shape: RowShape) -> list:
    """Every set of blanks to drop, as the solver once tried them: the reference."""
    blanks = [i for i, t in enumerate(tokens) if t.blank]
    out: list = []
    for drop in combinations(blanks, len(tokens) - shape.n):
        cells = tuple(solve._cell(t) for i, t in enumerate(tokens) if i not in drop)
        if cells not in out and solve.sums_hold(cells, shape):
            out.append(cells)
    return out


def test_padding_readings_are_the_ones_they_always_were():
    rng = random.Random(11)
    for _ in range(1500):
        n = rng.randint(1, 7)
        shape = RowShape(n, ((n - 1, tuple(range(n - 1))),) if n > 2 and rng.random() < 0.5 else ())
        tokens = [Token("", blank=True) if rng.random() < 0.5 else Token(rng.choice("0123"))
                  for _ in range(rng.randint(n + 1, n + 10))]
        if sum(t.blank for t in tokens) < len(tokens) - n:
            continue
        assert solve._drop_blanks(tokens, shape).candidates == _drop_blanks_by_combinations(tokens, shape)


def test_hundreds_of_blank_cells_in_a_row_are_read_at_once():
    # Two values among 2,000 blank cells: C(2000, 1995) ways to drop blanks,
    # 1 row they make.
    tokens = [Token("1"), *[Token("", blank=True)] * 2000, Token("1")]
    start = time.perf_counter()
    reading = read_row(tokens, APPLICATIONS_ROW, exact=True)
    assert time.perf_counter() - start < 1.0
    assert [[c.value for c in cand] for cand in reading.candidates] == [[1, None, None, None, None, None, 1]]


# -- glued digits: the split search is bounded by its steps ---------------------


def test_a_long_glued_run_is_bounded_and_flagged():
    # 60 random digits for 7 cells: no split adds up, and trying them all
    # would take hours.
    run = "".join(random.Random(12).choice("123456789") for _ in range(60))
    start = time.perf_counter()
    reading = read_row([Token(run, glued=True)], APPLICATIONS_ROW, exact=False)
    assert time.perf_counter() - start < 10
    assert reading.candidates == [] and "split its digits" in reading.note


def test_the_steps_of_cutting_a_run_count_even_when_no_reading_is_found(monkeypatch):
    # Before, only completed readings were counted: a run with no reading
    # went on however long it took.
    monkeypatch.setattr(solve, "MAX_SPLIT_STEPS", 50)
    reading = read_row([Token("98765432123456789", glued=True)], APPLICATIONS_ROW, exact=False)
    assert reading == RowReading([], "glued", "more ways to split its digits than the 50 tried")
    monkeypatch.setattr(solve, "MAX_SPLIT_STEPS", 1_000_000)
    assert read_row([Token("640020470", glued=True)], APPLICATIONS_ROW, exact=False).candidates


def test_the_rows_of_one_document_share_a_budget(monkeypatch):
    monkeypatch.setattr(solve, "MAX_DOCUMENT_SPLIT_STEPS", 400)
    rows = [[Token(f"{a}00204{a + 6}", glued=True)] for a in range(10, 90)]  # 64,0,0,2,0,4,70 and the like
    with split_budget():
        readings = [read_row(row, APPLICATIONS_ROW, exact=False) for row in rows]
    assert readings[0].candidates
    assert readings[-1].candidates == [] and "the document may take" in readings[-1].note
    # Outside a document, each row has its own budget.
    assert read_row(rows[-1], APPLICATIONS_ROW, exact=False).candidates


def test_a_row_printed_again_in_a_document_is_read_once(monkeypatch):
    calls = []
    monkeypatch.setattr(solve, "_read", lambda *args: calls.append(args) or RowReading([], "none"))
    row = [Token("640020470", glued=True)]
    with split_budget():
        for _ in range(3):
            read_row(row, APPLICATIONS_ROW, exact=False)
    assert len(calls) == 1
    with split_budget():  # the next document reads it afresh
        read_row(row, APPLICATIONS_ROW, exact=False)
    assert len(calls) == 2


@pytest.mark.parametrize("adds_up", [True, False], ids=["adds-up", "random"])
def test_one_long_glued_row_in_a_report_ends_in_seconds(adds_up: bool):
    doc, seconds = timed(hostile.glued_row(60, adds_up=adds_up))
    assert seconds < 15
    assert "row_unreadable" in codes(doc, "applications.granted")


# -- whole documents: about linear in their size ---------------------------------


def test_a_crawler_dump_of_glued_tables_reads_in_seconds_per_mb():
    # 35,000 glued rows in 1 MB, each split afresh before (2.8 s a MB), now read once.
    data = hostile.long_line(1 << 20)
    doc, seconds = timed(data)
    assert seconds < 8 * len(data) / MB + 5
    assert doc["tables"]["applications"]["status"] == "complete"


def test_a_table_printed_a_thousand_times_reads_in_seconds():
    # Before: 800 copies took 48 s (the anchors' order was quadratic).
    data = hostile.table3_copies(1000)
    doc, seconds = timed(data)
    assert seconds < 8 * len(data) / MB + 5
    assert doc["tables"]["applications"]["status"] == "complete"


def test_a_row_followed_by_thousands_of_blank_cells_reads_in_seconds():
    doc, seconds = timed(hostile.blank_cells(5000))
    assert seconds < 10
    assert doc["tables"]["applications"]["rows"]
