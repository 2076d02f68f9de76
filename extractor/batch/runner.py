"""A batch run from start to end: plan, extract, build, summarise, all with
the dataset folder held (one run at a time: store.Dataset.held).

1. plan: hash every input (in sorted order); inputs with the bytes of an
   earlier one are duplicates; with --resume, inputs whose result is stored
   are done;
2. extract what is left on the chosen engine, storing each result as it
   arrives (so a killed run loses at most the files in flight);
3. build the tables from the stored results (assemble.py) unless nothing
   changed since the last build and that build completed (its record,
   written last, matches the files there).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from . import assemble
from .assemble import BuildStats, Entry
from .engines import Task, run_dask, run_local
from .progress import Progress, Status
from .spool import SPOOL_NAME, Packed, Spool
from .store import EXPLAIN_INDEX, Dataset, report_id, to_json, write_atomic


@dataclass(slots=True)
class Options:
    inputs: list[str]
    output: Path
    jobs: int
    resume: bool = False
    overwrite: bool = False
    retry_failed: bool = False
    engine: str = "local"  # "local" | "dask"
    scheduler: str | None = None
    progress: bool = True
    timeout: float = 600  # seconds per file; 0: no limit
    csv_encoding: str = "utf-8"  # the Python codec of the CSV files (utf-8-sig for Excel, gb18030)
    explain: bool = False  # a review page per report (explain/), listed in explain/index.html


@dataclass(slots=True)
class Outcome:
    entries: list[Entry]
    extracted: int = 0  # inputs extracted by this run
    resumed: int = 0  # inputs skipped because their result was stored
    pruned: int = 0
    built: bool = False
    stats: BuildStats | None = None
    seconds: float = 0.0
    extract_seconds: float = 0.0  # from the extraction's start to its last file
    rate: float = 0.0  # files finished per second of extraction (as on the bar)
    build_seconds: float = 0.0
    failures: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan(files: list[str], dataset: Dataset, *, resume: bool, retry_failed: bool,
         failed: dict[str, dict] | None = None, status: Status | None = None, explain: bool = False
         ) -> tuple[list[Entry], list[int]]:
    """Every input's entry, and the positions of those to extract. `failed`:
    inputs known to have failed before reading (path -> error). With
    `explain`, a stored report without its review page is extracted again."""
    failed = failed or {}
    status = status or Status(enabled=False)
    entries: list[Entry] = []
    todo: list[int] = []
    first: dict[str, str] = {}  # sha256 -> the first input with those bytes
    sources = sorted({*files, *failed})
    status.step(f"scanning inputs: {len(files)} files, hashing them", len(sources))
    for source in sources:
        status.advance()
        if source in failed:
            entries.append(Entry(source, None, "failed", error=failed[source]))
            continue
        try:
            sha = _sha256(source)
        except OSError as exc:
            entries.append(Entry(source, None, "failed",
                                 error={"code": "io", "message": f"cannot read the file: {exc.strerror or exc}"}))
            continue
        if sha in first:
            entries.append(Entry(source, sha, "duplicate", duplicate_of=first[sha]))
            continue
        first[sha] = source
        rid = report_id(sha)
        failure = dataset.failure(rid) if resume and not retry_failed else None
        if resume and dataset.has_report(rid) and not (explain and not dataset.explain_path(rid).exists()):
            entries.append(Entry(source, sha, "report"))
        elif failure is not None:
            entries.append(Entry(source, sha, "failed", error=failure.get("error")))
        else:
            entries.append(Entry(source, sha, "pending"))
            todo.append(len(entries) - 1)
    return entries, todo


def _tasks(entries: list[Entry], todo: list[int], progress: Progress, explain: bool = False) -> Iterator[Task]:
    """Read each input only when a worker is about to need it."""
    for index in todo:
        entry = entries[index]
        try:
            data = Path(entry.source).read_bytes()
        except OSError as exc:
            entry.status, entry.error = "failed", {"code": "io",
                                                   "message": f"cannot read the file: {exc.strerror or exc}"}
        else:
            if hashlib.sha256(data).hexdigest() == entry.sha256:
                yield Task(entry.source, str(index), data, explain)
                continue
            entry.status, entry.error = "failed", {"code": "changed", "message": "the file changed during the run; "
                                                                                 "run again to include it"}
        progress.advance(failed=True)


def run(options: Options, files: list[str], failed: dict[str, dict] | None = None,
        status: Status | None = None) -> Outcome:
    """`files` to read and `failed`, inputs that failed before reading (as
    inputs.collect gives them), into the dataset folder, held for the run."""
    dataset = Dataset(options.output)
    with dataset.held():
        return run_held(dataset, options, files, failed, status)


def run_held(dataset: Dataset, options: Options, files: list[str], failed: dict[str, dict] | None = None,
             status: Status | None = None) -> Outcome:
    """run() on a dataset folder the caller holds (Dataset.held)."""
    status = status or Status(enabled=options.progress)
    try:
        return _run(options, files, failed or {}, dataset, status)
    finally:
        status.close()


def _run(options: Options, files: list[str], failed: dict[str, dict], dataset: Dataset, status: Status) -> Outcome:
    start = time.monotonic()
    dataset.prepare(resume=options.resume, overwrite=options.overwrite)
    entries, todo = plan(files, dataset, resume=options.resume, retry_failed=options.retry_failed, failed=failed,
                         status=status, explain=options.explain)
    status.close()
    outcome = Outcome(entries, resumed=sum(1 for e in entries if e.status in ("report", "failed") and e.sha256))
    made_by = dataset.state().get("version")
    if outcome.resumed and made_by and made_by != __version__:
        outcome.notes.append(f"the stored results were made by extractor {made_by} (this is {__version__}) and "
                             "are kept; --overwrite extracts everything again, --retry-failed the failed files")

    spool = Spool(dataset.root / SPOOL_NAME)  # the rows the workers render, until the build copies them
    try:
        if todo:
            _extract(dataset, entries, todo, options, spool, outcome)
        _finish(dataset, entries, options, status, spool, outcome)
    finally:
        spool.close()
    outcome.seconds = time.monotonic() - start
    if options.explain:
        from ..explain.index import index_page

        dataset.explain.mkdir(exist_ok=True)
        pages = {p.stem for p in dataset.explain.glob("*.html")}
        write_atomic(dataset.explain / EXPLAIN_INDEX, index_page(dataset.root, pages))
    if outcome.built:
        write_atomic(dataset.root / "summary.json", to_json(summary_record(outcome, options)))
        dataset.complete({"inputs": _fingerprint(entries, options.csv_encoding), "version": __version__,
                          "reports": outcome.stats.reports if outcome.stats else 0})
    return outcome


def _extract(dataset: Dataset, entries: list[Entry], todo: list[int], options: Options, spool: Spool,
             outcome: Outcome) -> None:
    progress = Progress(len(todo), enabled=options.progress)
    tasks = _tasks(entries, todo, progress, options.explain)
    results = (run_dask(tasks, options.jobs, options.scheduler, options.timeout) if options.engine == "dask"
               else run_local(tasks, options.jobs, options.timeout))
    try:
        for task, result in results:
            entry = entries[int(task.key)]
            _store(dataset, entry, result, spool)
            progress.advance(failed=entry.status == "failed")
            outcome.extracted += 1
    finally:
        results.close()
        progress.close()
    outcome.extract_seconds, outcome.rate = progress.seconds, progress.rate()


def _finish(dataset: Dataset, entries: list[Entry], options: Options, status: Status, spool: Spool,
            outcome: Outcome) -> None:

    keep = {e.report_id for e in entries if e.report_id and e.status in ("report", "failed")}
    outcome.pruned = dataset.prune(keep)
    outcome.failures = Counter((e.error or {}).get("code", "unknown") for e in entries if e.status == "failed")
    fingerprint = _fingerprint(entries, options.csv_encoding)
    if outcome.extracted or outcome.pruned or not dataset.up_to_date(fingerprint):
        started = time.monotonic()
        outcome.stats = assemble.build(dataset, entries, status, options.csv_encoding, spool)
        outcome.built = True
        outcome.build_seconds = time.monotonic() - started


def _store(dataset: Dataset, entry: Entry, result: dict, spool: Spool) -> None:
    rid = entry.report_id
    assert rid is not None
    if "json" in result or "doc" in result:
        entry.status = "report"
        if "json" in result:  # the document as the worker wrote it out, and its rows
            dataset.save_report_json(rid, result["json"])
            rows: Packed = result["rows"]
            if rows.report_id == rid and rows.source == entry.source:
                spool.add(rows)
        else:  # the build renders its rows
            dataset.save_report(rid, result["doc"])
        if "explain" in result:
            dataset.save_explain(rid, result["explain"])
    else:
        entry.status, entry.error = "failed", result["error"]
        dataset.save_failure(rid, {"source": entry.source, "sha256": entry.sha256, "error": result["error"]})


def _fingerprint(entries: list[Entry], csv_encoding: str = "utf-8") -> str:
    """What the last build was made from: the inputs, their bytes and their
    fate, and the encoding of its CSV files."""
    digest = hashlib.sha256(csv_encoding.encode())
    for e in entries:
        digest.update(f"{e.source}\0{e.sha256}\0{e.status}\0{(e.error or {}).get('code')}\n".encode())
    return digest.hexdigest()


def summary_record(outcome: Outcome, options: Options) -> dict:
    stats = outcome.stats or BuildStats()
    statuses = Counter(e.status for e in outcome.entries)
    return {
        "files": len(outcome.entries),
        "extracted_now": outcome.extracted,
        "already_done": outcome.resumed,
        "duplicates": statuses["duplicate"],
        "reports": stats.reports,
        "reports_by_template": dict(sorted(stats.templates.items())),
        "valid": stats.valid,
        "not_valid": stats.reports - stats.valid,
        "cells": stats.cells,
        "failed_files": statuses["failed"],
        "failed_by_reason": dict(outcome.failures.most_common()),
        "reports_not_compared_across_years": stats.not_compared,
        "cross_year_pairs": stats.pairs,
        "cross_year_checks": dict(sorted(stats.cross_year.items())),
        "engine": options.engine if not options.scheduler else f"dask ({options.scheduler})",
        "jobs": options.jobs,
        # Unrounded: the bar and the summary line print these to one place, and
        # a figure rounded here first could print otherwise (12.2549: 12.3 there, 12.25 -> 12.2 here).
        "seconds": outcome.seconds,
        "extract_seconds": outcome.extract_seconds,
        "files_per_second": outcome.rate,
        "build_seconds": outcome.build_seconds,
    }
