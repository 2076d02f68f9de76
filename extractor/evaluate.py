"""Scoring an extracted report against a label file.

A label file holds {"cells": {"table.row.column": value|null}, ...} and
optionally agency / year / published / fee_yuan (the format of the corpus
`labels/*.json` and the seed's `.expected.json`). A cell is

- right:   the value equals the label (null == null, numbers as numbers);
- flagged: wrong or missing, but the output says so: a failed check or a
           warning naming the cell's table and its row or column, the cell
           marked inferred, or the table not complete;
- silent:  wrong and nothing says so, the worst outcome;
- failed:  the report produced no output at all (it could not be read, or
           no report was found for the label).

These are the rules of shared/tools/score.py, so both count the same. One
difference: score.py counts no cells for a label whose report it cannot
find; here they count as failed, so a missing report lowers the score.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ExtractError
from .pipeline import extract_file

META_FIELDS = {
    "agency": ("report", "agency"),
    "year": ("report", "year"),
    "published": ("report", "published"),
    "fee_yuan": ("fees", "information_processing_fee_yuan"),
}


COUNTS = ("cells", "right", "flagged", "silent", "failed", "meta", "meta_right")


class LabelError(ValueError):
    """A label file that cannot be used (unreadable, not JSON, wrong shape)."""


@dataclass(slots=True)
class Score:
    cells: int = 0
    right: int = 0
    flagged: int = 0
    silent: int = 0
    failed: int = 0
    meta: int = 0
    meta_right: int = 0
    silent_cells: list[str] = field(default_factory=list)
    wrong_cells: list[str] = field(default_factory=list)
    meta_wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.silent_cells += other.silent_cells
        self.wrong_cells += other.wrong_cells
        self.meta_wrong += other.meta_wrong


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(a) == str(b)


def flagged(doc: dict, table: str, row: str, column: str) -> bool:
    """Does the output flag this cell (or its row or column) in any way?"""
    tab = (doc.get("tables") or {}).get(table) or {}
    if tab.get("status") != "complete":
        return True
    cell = ((tab.get("rows") or {}).get(row) or {}).get(column) or {}
    if cell.get("inferred"):
        return True
    texts = [json.dumps(c, ensure_ascii=False) for c in doc.get("checks", []) if c.get("ok") is False]
    texts += [json.dumps(w, ensure_ascii=False) for w in doc.get("warnings", [])]
    return any(table in t and (row in t or column in t) for t in texts)


def load_label(path: Path) -> dict:
    """A label file; the synthetic corpus's nested `.truth.json` is read too.
    Raises LabelError with a one-line reason when the file cannot be used."""
    try:
        label = json.loads(path.read_text(encoding="utf-8-sig"))  # a BOM from Windows editors is fine
    except FileNotFoundError:
        raise LabelError("no such label file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelError(f"cannot read the label file ({getattr(exc, 'strerror', None) or exc})") from None
    except json.JSONDecodeError as exc:
        raise LabelError(f"the label file is not JSON ({exc})") from None
    if not isinstance(label, dict):
        raise LabelError("not a label file (expected a JSON object with a `cells` map)")
    if "cells" not in label and "applications" in label:
        try:
            label = {"cells": {f"{t}.{r}.{c}": v for t, rows in label.items() if isinstance(rows, dict)
                               for r, cols in rows.items() for c, v in cols.items()}}
        except AttributeError:
            raise LabelError("not a label file (a nested truth file maps table -> row -> column -> value)") from None
    cells = label.get("cells")
    if not isinstance(cells, dict):
        raise LabelError("not a label file (`cells` must map table.row.column to a value)")
    bad = [key for key in cells if len(key.split(".", 2)) != 3]
    if bad:
        raise LabelError(f"not a label file (cell key {bad[0]!r} is not table.row.column)")
    return label


def score(doc: dict | None, label: dict) -> Score:
    """Score one extracted document; None (or an empty document) means the
    report produced no output, and every labelled cell counts as failed."""
    result = Score()
    doc = doc or {}
    for key, want in (label.get("cells") or {}).items():
        table, row, column = key.split(".", 2)
        result.cells += 1
        if not doc:
            result.failed += 1
            continue
        got = ((((doc.get("tables") or {}).get(table) or {}).get("rows") or {}).get(row) or {}).get(column)
        value = got.get("value") if isinstance(got, dict) else None
        if isinstance(got, dict) and same(value, want):
            result.right += 1
            continue
        note = f"{key}: want {want!r}, got {value!r}"
        result.wrong_cells.append(note)
        if flagged(doc, table, row, column):
            result.flagged += 1
        else:
            result.silent += 1
            result.silent_cells.append(note)
    for name, (part, fld) in META_FIELDS.items():
        if label.get(name) is None:
            continue
        result.meta += 1
        got = (doc.get(part) or {}).get(fld)
        if name == "agency":
            ok = bool(got) and (str(got) in str(label[name]) or str(label[name]) in str(got))
        else:
            ok = same(got, label[name])
        result.meta_right += ok
        if not ok:
            result.meta_wrong.append(f"{name}: want {label[name]!r}, got {got!r}")
    return result


def find_reports(label_path: Path, label: dict) -> list[Path]:
    """The report(s) a label describes: the file it names, else every file
    beside it with its stem as prefix (a synthetic truth file describes the
    HTML page and both of its PDF prints)."""
    name = label.get("file") or label.get("source")
    if name:
        for c in (label_path.parent.parent / name, label_path.parent / name, Path(name)):
            if c.is_file():
                return [c]
    stem = label_path.name.split(".")[0]
    found: list[Path] = []
    for folder in (label_path.parent.parent, label_path.parent, label_path.parent.parent / "pages"):
        if folder.is_dir():
            found += [c for c in sorted(folder.glob(stem + "*"))
                      if c.is_file() and c.suffix != ".json" and c not in found]
    return found


def label_files(paths: list[Path]) -> list[Path]:
    """Label files under the given paths: labels/*.json, *.expected.json and
    *.truth.json in folders, or the files themselves."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.json")
                          if x.parent.name == "labels" or x.name.endswith((".expected.json", ".truth.json")))
        else:
            out.append(p)
    return out


@dataclass(slots=True)
class Evaluation:
    """One label scored against one report it describes, or why it could not be."""

    label: Path
    report: Path | None
    score: Score
    error: str | None = None
    error_code: str | None = None  # "label", "no_report", "internal" or ExtractError.code


def evaluate_label(label_path: Path, extract: Callable[[Path], dict] = extract_file) -> list[Evaluation]:
    """Extract every report the label describes and score it. Nothing raises:
    a bad label, a missing report or a report that fails to extract becomes an
    Evaluation with an error, its cells counted as failed."""
    try:
        label = load_label(label_path)
    except LabelError as exc:
        return [Evaluation(label_path, None, Score(), str(exc), "label")]
    reports = find_reports(label_path, label)
    if not reports:
        wanted = label.get("file") or label.get("source") or label_path.name.split(".")[0] + "*"
        return [Evaluation(label_path, None, score(None, label),
                           f"no report found for this label (looked for {wanted} beside it)", "no_report")]
    out = []
    for report in reports:
        try:
            doc, error, code = extract(report), None, None
        except ExtractError as exc:
            doc, error, code = None, str(exc), exc.code
        except Exception as exc:  # an extractor bug must not hide the other labels' scores
            doc, error, code = None, f"internal error ({type(exc).__name__}: {exc})", "internal"
        out.append(Evaluation(label_path, report, score(doc, label), error, code))
    return out
