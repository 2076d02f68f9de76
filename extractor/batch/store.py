"""The dataset folder: what a batch keeps between runs.

    OUT/.extract-batch      marks the folder as a batch dataset (and records the last build)
    OUT/reports/<id>.json   one report document per distinct input (id: the first 16 hex
                            digits of the input's SHA-256, so the same bytes get the same id)
    OUT/failed/<id>.json    one record per input that could not be extracted
    OUT/.extract-batch.pid  the PID of the run holding the folder (see lock.py)

Every file is written to a temporary name and renamed into place, so a run
killed at any moment leaves only whole files behind; `--resume` trusts them.
The tables are built in a staging folder and renamed into place; the record
of the build (with the size of every output) is written last, so a dataset
is up to date only when that record matches what is there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .jsontext import dumps
from .lock import PID_FILE, FolderBusy, FolderLock

MARKER = ".extract-batch"
TMP_SUFFIX = ".partial"
# The files a build writes at the top of the folder (removed by --overwrite).
OUTPUTS = ("cells.parquet", "cells.csv", "reports.csv", "errors.csv", "cross_year.csv", "dataset.duckdb",
           "indicators.csv", "codebook.csv", "reports.parquet", "checks.parquet", "warnings.parquet",
           "sections.parquet", "indicators.parquet", "codebook.parquet", "errors.parquet", "inputs.parquet",
           "cross_year.parquet", "summary.json")
EXPLAIN_INDEX = "index.html"  # explain/: the page listing every report's review page
# What a build publishes (summary.json is written after it).
BUILT = tuple(name for name in OUTPUTS if name != "summary.json")


def report_id(sha256: str) -> str:
    return sha256[:16]


def to_json(data: dict) -> str:
    """json.dumps(data, ensure_ascii=False, indent=1) and a newline (jsontext: the same text, faster)."""
    return dumps(data) + "\n"


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + TMP_SUFFIX)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class DatasetError(Exception):
    """The output folder cannot be used as asked (one clear line for the user)."""


class Dataset:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.reports = root / "reports"
        self.failed = root / "failed"
        self.explain = root / "explain"  # --explain: a review page per report, and index.html

    # -- setting up ---------------------------------------------------------
    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Make the folder if need be and hold it for one run: a second run on
        the same folder is refused (DatasetError) until this one ends. Folders
        made here and left empty (a run that found nothing to do) are removed."""
        self._check_usable()
        made = [p for p in (self.root, *self.root.parents) if not p.exists()]  # the deepest first
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatasetError(f"{self.root}: cannot write there ({exc.strerror or exc})") from None
        lock = FolderLock(self.root)
        try:
            lock.acquire()
        except FolderBusy as exc:
            raise DatasetError(str(exc)) from None
        except OSError as exc:
            raise DatasetError(f"{self.root}: cannot write there ({exc.strerror or exc})") from None
        try:
            yield
        finally:
            lock.release()
            for folder in made:
                try:
                    folder.rmdir()
                except OSError:  # not empty: the run wrote there
                    break

    def _check_usable(self) -> bool:
        """Whether the folder holds anything; DatasetError if it may not be used."""
        if self.root.exists() and not self.root.is_dir():
            raise DatasetError(f"{self.root}: exists and is not a folder")
        existing = self.root.is_dir() and any(p.name != PID_FILE for p in self.root.iterdir())
        if existing and not (self.root / MARKER).exists():
            raise DatasetError(f"{self.root}: the folder is not empty and was not made by `extract batch`; "
                               "choose a new or empty folder")
        return existing

    def prepare(self, *, resume: bool, overwrite: bool) -> None:
        """Create the folder, or check that an existing one may be used."""
        existing = self._check_usable()
        if existing and not resume:
            if not overwrite:
                raise DatasetError(f"{self.root}: already holds a batch ({self.count_reports()} reports); "
                                   "use --resume to continue it or --overwrite to start over")
            self._clear()
        try:
            self.reports.mkdir(parents=True, exist_ok=True)
            self.failed.mkdir(exist_ok=True)
            marker = self.root / MARKER
            if not marker.exists():
                write_atomic(marker, to_json({"made_by": "extract batch"}))
        except OSError as exc:
            raise DatasetError(f"{self.root}: cannot write there ({exc.strerror or exc})") from None
        self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        """What a run killed at any moment leaves: files being written
        (NAME.partial) and the build's staging folder (a folder)."""
        for folder in (self.root, self.reports, self.failed, self.explain):
            for leftover in folder.glob("*" + TMP_SUFFIX):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink(missing_ok=True)

    def _clear(self) -> None:
        for folder in (self.reports, self.failed, self.explain):
            shutil.rmtree(folder, ignore_errors=True)
        for name in OUTPUTS:
            (self.root / name).unlink(missing_ok=True)
        self.write_state({})

    def count_reports(self) -> int:
        return sum(1 for _ in self.reports.glob("*.json")) if self.reports.is_dir() else 0

    # -- per input ----------------------------------------------------------
    def report_path(self, rid: str) -> Path:
        return self.reports / f"{rid}.json"

    def failure_path(self, rid: str) -> Path:
        return self.failed / f"{rid}.json"

    def has_report(self, rid: str) -> bool:
        return self.report_path(rid).exists()

    def failure(self, rid: str) -> dict | None:
        try:
            return json.loads(self.failure_path(rid).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_report(self, rid: str, doc: dict) -> None:
        self.save_report_json(rid, to_json(doc))

    def save_report_json(self, rid: str, text: str) -> None:
        """A report document already in its stored form (to_json)."""
        write_atomic(self.report_path(rid), text)
        self.failure_path(rid).unlink(missing_ok=True)

    def save_failure(self, rid: str, record: dict) -> None:
        write_atomic(self.failure_path(rid), to_json(record))

    def explain_path(self, rid: str) -> Path:
        return self.explain / f"{rid}.html"

    def save_explain(self, rid: str, page: str) -> None:
        self.explain.mkdir(exist_ok=True)
        write_atomic(self.explain_path(rid), page)

    def load_report(self, rid: str) -> dict:
        return json.loads(self.load_report_json(rid))

    def load_report_json(self, rid: str) -> str:
        return self.report_path(rid).read_text(encoding="utf-8")

    def prune(self, keep: set[str]) -> int:
        """Remove the results of inputs this run was not given, so that the
        folder's JSON files are exactly the dataset's reports."""
        removed = 0
        for folder in (self.reports, self.failed):
            for path in folder.glob("*.json"):
                if path.stem not in keep:
                    path.unlink()
                    removed += folder is self.reports
        for path in self.explain.glob("*.html"):
            if path.stem not in keep and path.name != EXPLAIN_INDEX:
                path.unlink()
        return removed

    # -- the last build -----------------------------------------------------
    def state(self) -> dict:
        with contextlib.suppress(OSError, ValueError):
            return json.loads((self.root / MARKER).read_text(encoding="utf-8")).get("built") or {}
        return {}

    def write_state(self, built: dict) -> None:
        write_atomic(self.root / MARKER, to_json({"made_by": "extract batch", "built": built}))

    def publish(self, staging: Path, names: list[str]) -> None:
        """Move the built files from `staging` into place. The record of the
        last build is dropped first: until complete() says otherwise, the
        folder is not up to date."""
        self.write_state({})
        for name in names:
            os.replace(staging / name, self.root / name)

    def complete(self, built: dict) -> None:
        """Record the build that is now in place (written last): `built` and the size of each output."""
        sizes = {name: (self.root / name).stat().st_size for name in OUTPUTS}
        self.write_state({**built, "outputs": sizes})

    def up_to_date(self, inputs: str) -> bool:
        """The last build was made from `inputs` (a fingerprint), it was
        completed, and its outputs are still what it wrote."""
        state = self.state()
        if state.get("inputs") != inputs or not isinstance(state.get("outputs"), dict):
            return False
        for name in OUTPUTS:
            try:
                if (self.root / name).stat().st_size != state["outputs"].get(name):
                    return False
            except OSError:
                return False
        return True
