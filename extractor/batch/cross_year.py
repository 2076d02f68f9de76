"""Checks across the years of one agency (docs/keys.md, "Across years of one agency").

- every column: this year's 上年结转 (applications.carried_over) = last year's
  结转下年度 (applications.carried_forward);
- 2021 template: proactive.<row>.in_force = last year's in_force + this
  year's issued − repealed, for the rows that have 现行有效件数.

Reports are grouped by normalised agency name and report year. When an
agency has several reports for one year (the same report as a page and as a
text dump), the best read one stands for that year as "last year"
(see `rank`); every report of the later year is checked against it. A pair
across the 2019 and 2021 templates compares only what both have (上年结转
and 结转下年度); the in_force check is listed as not comparable.

Results are never repairs: a failure is a warning on the later report and a
row of the cross_year table, with both numbers as printed.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from ..agency import agency_key
from ..templates import TABLES, load

WARNING_CODE = "cross_year"
OK, FAILED, NOT_EVALUABLE, NOT_COMPARABLE = "ok", "failed", "not_evaluable", "not_comparable"
_DIGIT = re.compile(r"\d")

COLUMNS = ("agency", "agency_key", "year", "prev_year", "check_id", "result", "actual", "expected", "message",
           "report_id", "source", "prev_report_id", "prev_source")


@cache
def _in_force_rows() -> tuple[str, ...]:
    return tuple(r.key for r in load().layout("proactive", "2021").rows if "in_force" in r.columns)


@cache
def _applicant_columns() -> tuple[str, ...]:
    return load().layout("applications", "2021").row("carried_over").columns


@cache
def cell_keys() -> tuple[str, ...]:
    """The cells the checks read, in a fixed order (Facts stores them by position)."""
    keys = [f"applications.{row}.{c}" for row in ("carried_over", "carried_forward") for c in _applicant_columns()]
    keys += [f"proactive.{row}.{c}" for row in _in_force_rows() for c in ("issued", "repealed", "in_force")]
    return tuple(keys)


@cache
def _cell_index() -> dict[str, int]:
    return {key: i for i, key in enumerate(cell_keys())}


_MISSING, _NUMBER, _BLANK, _UNREAD, _INFERRED = range(5)


@dataclass(slots=True)
class Facts:
    """What the cross-year checks and the choice of a year's report need from one report.

    Held for every report during a build, so kept small (some 600 bytes): the
    checked cells as an array of numbers with a state byte each."""

    report_id: str
    source: str
    agency: str | None
    key: str | None
    year: int | None
    template: str | None
    proactive_layout: str | None
    values: array = field(default_factory=lambda: array("d"))
    states: bytes = b""
    unread: dict[str, str] | None = None  # raw text of the cells that could not be read
    rank: tuple = ()

    def set_cells(self, cells: dict[str, dict]) -> None:
        """Store the checked cells found in `cells` ("table.row.column" -> cell)."""
        values, states = array("d", bytes(8 * len(cell_keys()))), bytearray(len(cell_keys()))
        for key, cell in cells.items():
            i = _cell_index().get(key)
            if i is None:
                continue
            if undetermined_cell(cell):
                states[i] = _UNREAD
                self.unread = {**(self.unread or {}), key: cell["raw"]}
            elif cell["value"] is None:
                states[i] = _BLANK
            else:
                values[i] = float(cell["value"])
                states[i] = _INFERRED if cell["inferred"] else _NUMBER
        self.values, self.states = values, bytes(states)


def facts(report_id: str, doc: dict) -> Facts:
    report = doc["report"]
    tables = doc["tables"]
    f = Facts(report_id=report_id, source=doc["source"]["path"], agency=report["agency"],
              key=agency_key(report["agency"]), year=report["year"], template=report["template"],
              proactive_layout=tables["proactive"].get("layout"), rank=rank(doc))
    f.set_cells({f"{t}.{r}.{c}": cell for t in ("applications", "proactive")
                 for r, cols in tables[t]["rows"].items() for c, cell in cols.items()})
    return f


def rank(doc: dict) -> tuple:
    """Sort key of the reports of one agency-year, best first: valid, complete
    tables, fewest undetermined and inferred cells, fewest failed checks and
    warnings; the source path breaks ties so the choice is stable."""
    cells = [c for t in TABLES for cols in doc["tables"][t]["rows"].values() for c in cols.values()]
    undetermined = sum(1 for c in cells if undetermined_cell(c))
    inferred = sum(1 for c in cells if c["inferred"])
    complete = sum(1 for t in TABLES if doc["tables"][t]["status"] == "complete")
    failed = sum(1 for c in doc["checks"] if not c["ok"])
    warnings = sum(1 for w in doc["warnings"] if w["code"] != WARNING_CODE)
    return (not doc["valid"], -complete, -len(cells), undetermined, inferred, failed, warnings, doc["source"]["path"])


def undetermined_cell(cell: dict) -> bool:
    """No value although the source printed digits: the reader could not decide."""
    return cell["value"] is None and bool(_DIGIT.search(cell["raw"]))


def comparable(f: Facts) -> bool:
    """Has an agency, a year and the national tables (a free-form report
    from before 2019 has nothing to compare)."""
    return f.key is not None and f.year is not None and f.template not in (None, "freeform")


def primaries(all_facts: Iterable[Facts]) -> dict[tuple[str, int], Facts]:
    """The report standing for each agency-year."""
    best: dict[tuple[str, int], Facts] = {}
    for f in all_facts:
        if not comparable(f):
            continue
        current = best.get((f.key, f.year))
        if current is None or f.rank < current.rank:
            best[(f.key, f.year)] = f
    return best


@dataclass(slots=True)
class Result:
    later: Facts
    earlier: Facts
    check_id: str
    result: str
    actual: float | None
    expected: float | None
    message: str
    where: str

    def row(self) -> list:
        return [self.later.agency, self.later.key, self.later.year, self.earlier.year, self.check_id, self.result,
                self.actual, self.expected, self.message, self.later.report_id, self.later.source,
                self.earlier.report_id, self.earlier.source]

    def warning(self) -> dict:
        return {"code": WARNING_CODE, "message": self.message, "where": self.where}


def check_all(all_facts: list[Facts]) -> Iterator[Result]:
    """Every report against last year's report of its agency, in a stable order
    (agency key, year, source, check); a generator, so that the results can be
    written out as they come."""
    best = primaries(all_facts)
    for later in sorted(all_facts, key=lambda f: (f.key or "", f.year or 0, f.source)):
        if not comparable(later):
            continue
        earlier = best.get((later.key, later.year - 1))  # type: ignore[operator]
        if earlier is not None:
            yield from check_pair(later, earlier)


def check_pair(later: Facts, earlier: Facts) -> list[Result]:
    results = []
    for column in _applicant_columns():
        this = _number(later, f"applications.carried_over.{column}")
        last = _number(earlier, f"applications.carried_forward.{column}")
        what = (f"上年结转 ({column}) of {later.year}", f"结转下年度 ({column}) of {earlier.year}")
        results.append(_compare(later, earlier, f"carried_over.{column}", f"applications.carried_over.{column}",
                                this, [(1, last)], what))
    for row in _in_force_rows():
        check_id, where = f"in_force.{row}", f"proactive.{row}.in_force"
        if later.proactive_layout != "2021" or earlier.proactive_layout != "2021":
            layouts = f"{earlier.year}: {earlier.proactive_layout or 'no'} table, {later.year}: " \
                      f"{later.proactive_layout or 'no'} table"
            results.append(Result(later, earlier, check_id, NOT_COMPARABLE, None, None,
                                  f"现行有效件数 ({row}) is only in the 2021 template's table 二 ({layouts})", where))
            continue
        this = _number(later, f"proactive.{row}.in_force")
        terms = [(1, _number(earlier, f"proactive.{row}.in_force")),
                 (1, _number(later, f"proactive.{row}.issued")),
                 (-1, _number(later, f"proactive.{row}.repealed"))]
        what = (f"现行有效件数 ({row}) of {later.year}",
                f"{earlier.year}'s 现行有效件数 + {later.year}'s 本年制发件数 − 本年废止件数")
        results.append(_compare(later, earlier, check_id, where, this, terms, what))
    return results


@dataclass(slots=True)
class _Number:
    name: str  # e.g. "2022 proactive.normative_documents.in_force"
    value: float | None  # None: the cell is missing or could not be read
    note: str = ""  # "blank", "inferred", or why there is no value


def _number(f: Facts, cell_key: str) -> _Number:
    name = f"{f.year} {cell_key}"
    i = _cell_index()[cell_key]
    state = f.states[i] if i < len(f.states) else _MISSING
    if state == _MISSING:
        return _Number(name, None, "is not in the report")
    if state == _UNREAD:
        return _Number(name, None, f"could not be read from {(f.unread or {}).get(cell_key, '')!r}")
    if state == _BLANK:
        return _Number(name, 0, "blank")
    value = f.values[i]
    return _Number(name, int(value) if value.is_integer() else value, "inferred" if state == _INFERRED else "")


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _compare(later: Facts, earlier: Facts, check_id: str, where: str, this: _Number,
             terms: list[tuple[int, _Number]], what: tuple[str, str]) -> Result:
    numbers = [this, *(n for _, n in terms)]
    missing = dict.fromkeys(f"{n.name} {n.note}" for n in numbers if n.value is None)
    if missing:
        return Result(later, earlier, check_id, NOT_EVALUABLE, this.value, None,
                      f"{what[0]} vs {what[1]}: not evaluated, {'; '.join(missing)}", where)
    expected = sum(sign * n.value for sign, n in terms)  # type: ignore[operator]
    actual = this.value
    ok = abs(actual - expected) < 1e-6  # type: ignore[operator]
    if ok:
        message = f"{what[0]} = {what[1]}: {_fmt(actual)}"
    else:
        message = (f"{what[0]} is {_fmt(actual)}, but {what[1]} is {_fmt(expected)} "
                   f"(last year's report: {earlier.source})")
    notes = dict.fromkeys(f"{n.name} {'blank, counted as 0' if n.note == 'blank' else n.note}"
                          for n in numbers if n.note)
    if notes:
        message += f"; {'; '.join(notes)}"
    return Result(later, earlier, check_id, OK if ok else FAILED, actual, expected, message, where)
