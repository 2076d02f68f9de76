"""`extract batch` on the real reports of tests/fixtures: every output written
and consistent, bad files recorded without stopping the run, --resume doing
no work, a killed run finishing as if it had never stopped."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, FIXTURES, SEED
from typer.testing import CliRunner

from extractor.batch import engines
from extractor.batch.cli import app
from extractor.batch.inputs import collect
from extractor.batch.runner import Options, run
from extractor.batch.store import DatasetError
from extractor.export.csv_out import LONG_HEADER

# The folders the batch figures below were counted on (the newer folders of the
# corpus are scored by test_eval; here they would only slow the batch down).
INPUTS = [str(CORPUS / name) for name in ("github", "kiro", "synthetic")] + [str(SEED)]


def batch(output: Path, inputs: list[str] = INPUTS, **options) -> object:
    files = collect(inputs).files
    return run(Options(inputs=files, output=output, jobs=options.pop("jobs", 2), progress=False, **options), files)


def query(dataset: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(dataset / "dataset.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def json_cells(dataset: Path) -> int:
    total = 0
    for path in (dataset / "reports").glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        total += sum(len(cols) for t in doc["tables"].values() for cols in t["rows"].values())
    return total


@pytest.fixture(scope="module")
def corpus_dataset(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("batch") / "dataset"
    return out, batch(out)


def test_corpus_batch_writes_every_output(corpus_dataset):
    out, outcome = corpus_dataset
    for name in ("cells.csv", "reports.csv", "cells.parquet", "cross_year.csv", "errors.csv", "dataset.duckdb",
                 "summary.json"):
        assert (out / name).is_file(), name
    tables = {r[0] for r in query(out, "show tables")}
    assert {"reports", "cells", "checks", "sections", "errors", "cross_year"} <= tables

    reports = sorted((out / "reports").glob("*.json"))
    files = collect(INPUTS).files
    assert len(files) == 31  # every report-format file of the fixture corpus, and the seed
    # The files that are not reports (the label folders' READMEs, the folders' INDEX files) are
    # recorded with the reason; the PDFs are read.
    errors = dict(query(out, "select source, code from errors"))
    assert errors == {str(CORPUS / "github" / "labels" / "README.md"): "not_a_report",
                      str(CORPUS / "kiro" / "labels" / "README.md"): "not_a_report",
                      str(CORPUS / "github" / "INDEX.md"): "not_a_report",
                      str(CORPUS / "kiro" / "INDEX.md"): "not_a_report",
                      str(CORPUS / "synthetic" / "INDEX.md"): "not_a_report"}
    huaian = str(CORPUS / "github" / "001_huaian_city_2024.pdf")
    assert query(out, f"select agency, year, format from reports where source = '{huaian}'") == [
        ("淮安市人民政府", 2024, "pdf")]
    assert len(reports) + len(errors) == len(files)
    assert query(out, "select count(*) from reports")[0][0] == len(reports) == outcome.stats.reports

    n_cells = json_cells(out)
    assert n_cells > 3000
    assert query(out, "select count(*) from cells")[0][0] == n_cells
    assert pq.read_metadata(out / "cells.parquet").num_rows == n_cells
    with (out / "cells.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == LONG_HEADER and len(rows) - 1 == n_cells
    with (out / "reports.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in csv.reader(f)) - 1 == len(reports)
    # Each JSON is named by its input's hash.
    for path in reports:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["source"]["sha256"].startswith(path.stem)


def test_corpus_batch_values_match_the_single_file_command(corpus_dataset):
    out, _ = corpus_dataset
    seed = query(out, f"select value, raw from cells where source = '{SEED}' and \"table\" = 'applications' "
                      "and \"row\" = 'new_received' and \"column\" = 'natural_person'")
    assert seed == [(3.0, "3")]
    agency, year, valid, template = query(out, f"select agency, year, valid, template from reports "
                                               f"where source = '{SEED}'")[0]
    assert (agency, year, valid, template) == ("朝阳市商务局", 2023, True, "2021")
    failed = {r[0] for r in query(out, "select check_id from checks where not ok and source like '%003_pingtan_2020%'")}
    assert failed == {"applications.outcomes.natural_person", "applications.outcomes.total"}


def test_summary_counts(corpus_dataset):
    out, _ = corpus_dataset
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"] == 31 and summary["extracted_now"] == 31 and summary["duplicates"] == 0
    assert summary["reports"] + summary["failed_files"] == 31
    assert summary["failed_by_reason"] == dict(query(out, "select code, count(*) from errors group by code"))
    assert summary["reports_by_template"] == dict(query(out, "select template, count(*) from reports group by 1"))
    assert summary["reports_by_template"]["hybrid"] == 2  # 洪泽区 2023 and 2024
    assert summary["valid"] == query(out, "select count(*) from reports where valid")[0][0]
    assert summary["cells"] == query(out, "select count(*) from cells")[0][0]
    assert summary["cross_year_checks"] == dict(query(out, "select result, count(*) from cross_year group by 1"))


def test_resume_does_no_work(corpus_dataset, tmp_path):
    out = tmp_path / "dataset"
    shutil.copytree(corpus_dataset[0], out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    outcome = batch(out, resume=True)
    assert outcome.extracted == 0 and not outcome.built
    assert outcome.resumed == 31
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_an_existing_dataset_is_not_overwritten_by_accident(corpus_dataset, tmp_path):
    out = tmp_path / "dataset"
    shutil.copytree(corpus_dataset[0], out)
    with pytest.raises(DatasetError, match="--resume"):
        batch(out)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DatasetError, match="not made by `extract batch`"):
        batch(tmp_path / "other")
    outcome = batch(out, inputs=[str(SEED)], overwrite=True)
    assert outcome.stats.reports == 1 and len(list((out / "reports").glob("*.json"))) == 1


def test_bad_files_are_recorded_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    shutil.copy(SEED, src / "b_same_bytes.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "noise.txt").write_bytes(bytes(range(256)) * 40)
    (src / "prose.md").write_text("今天天气很好。\n" * 20, encoding="utf-8")
    (src / "cut.pdf").write_bytes((CORPUS / "github" / "001_huaian_city_2024.pdf").read_bytes()[:3000])
    (src / "broken.docx").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    outcome = batch(tmp_path / "out", inputs=[str(src)])
    statuses = {Path(e.source).name: (e.status, (e.error or {}).get("code")) for e in outcome.entries}
    assert statuses == {"a.txt": ("report", None), "b_same_bytes.txt": ("duplicate", None),
                        "empty.txt": ("failed", "empty"), "noise.txt": ("failed", "binary"),
                        "prose.md": ("failed", "not_a_report"), "cut.pdf": ("failed", "pdf"),
                        "broken.docx": ("failed", "docx")}
    rows = list(csv.DictReader((tmp_path / "out" / "errors.csv").open(encoding="utf-8")))
    assert {Path(r["source"]).name: r["code"] for r in rows} == {"empty.txt": "empty", "noise.txt": "binary",
                                                                  "prose.md": "not_a_report", "cut.pdf": "pdf",
                                                                  "broken.docx": "docx"}
    assert all(r["message"] for r in rows)
    duplicate = query(tmp_path / "out", "select duplicate_of from inputs where status = 'duplicate'")
    assert duplicate == [(str(src / "a.txt"),)]


def crash_on_marked_files(path: str, data: bytes, timeout: float = 0, explain: bool = False) -> dict:
    """Stands in for the worker: dies like a segfault on files named *crash*."""
    if "crash" in Path(path).name:
        os._exit(1)
    return engines.extract_one.__wrapped__(path, data, timeout, explain)  # type: ignore[attr-defined]


def test_a_worker_that_dies_costs_only_its_own_file(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"r{i}.txt").write_bytes(SEED.read_bytes() + b" " * (i + 1))
    (src / "r2_crash.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    original = engines.extract_one
    crash_on_marked_files.__wrapped__ = original  # type: ignore[attr-defined]
    monkeypatch.setattr(engines, "extract_one", crash_on_marked_files)
    outcome = batch(tmp_path / "out", inputs=[str(src)])
    statuses = {Path(e.source).name: (e.status, (e.error or {}).get("code")) for e in outcome.entries}
    assert statuses.pop("r2_crash.txt") == ("failed", "crashed")
    assert set(statuses.values()) == {("report", None)} and len(statuses) == 4


def test_inputs_from_folders_globs_lists_and_excludes(tmp_path, monkeypatch):
    github = CORPUS / "github"
    listing = tmp_path / "paths.txt"
    listing.write_text(f"# two reports\n{github / '002_pingtan_2019.txt'}\n\n{SEED}\n", encoding="utf-8")
    assert collect([str(listing)]).files == sorted([str(github / "002_pingtan_2019.txt"), str(SEED)])
    found = collect([str(github / "00[2-4]_*.txt"), str(github / "002_pingtan_2019.txt")])
    assert [Path(f).name for f in found.files] == ["002_pingtan_2019.txt", "003_pingtan_2020.txt",
                                                   "004_pingtan_2021.txt"]
    names = [Path(f).name for f in collect([str(github)], exclude=["INDEX.md", "*/labels/*"]).files]
    assert "INDEX.md" not in names and "README.md" not in names and "002_pingtan_2019.txt" in names
    assert not any(n.endswith(".json") for n in collect([str(FIXTURES)]).files)  # labels are not reports
    # A report is never mistaken for a file list.
    assert collect([str(SEED)]).files == [str(SEED)]
    missing = collect([str(tmp_path / "nowhere"), str(tmp_path / "*.html")])
    assert missing.files == [] and len(missing.missing) == 2


def test_cli_exit_codes_and_summary(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, [str(tmp_path / "nothing-here"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no input files found" in result.output
    result = runner.invoke(app, [str(SEED), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "1 files in" in result.output and "reports: 1 (2021 1); 1 valid" in result.output
    result = runner.invoke(app, [str(SEED), "-o", str(tmp_path / "out"), "--resume"])
    assert result.exit_code == 0 and "up to date" in result.output
    (tmp_path / "bad.txt").write_bytes(b"")
    result = runner.invoke(app, [str(tmp_path / "bad.txt"), "-o", str(tmp_path / "out2")])
    assert result.exit_code == 1 and "no input could be read as a report" in result.output


def _tree(dataset: Path) -> dict[str, object]:
    """Everything a dataset holds, in comparable form."""
    out: dict[str, object] = {}
    for name in ("cells.csv", "reports.csv", "cross_year.csv", "errors.csv"):
        out[name] = (dataset / name).read_bytes()
    for path in sorted((dataset / "reports").glob("*.json")) + sorted((dataset / "failed").glob("*.json")):
        out[f"{path.parent.name}/{path.name}"] = path.read_bytes()
    out["parquet"] = pq.read_table(dataset / "cells.parquet").to_pylist()
    for table in ("reports", "cells", "checks", "sections", "warnings", "errors", "inputs", "cross_year"):
        out[table] = query(dataset, f'select * from "{table}"')
    return out


def test_a_killed_run_resumed_ends_with_the_same_dataset(tmp_path):
    # 40 distinct inputs (the seed and three real reports, with varied trailing
    # bytes) so that a one-worker run is still going when it is killed.
    src = tmp_path / "in"
    src.mkdir()
    reals = [SEED, *(CORPUS / "github" / n for n in ("004_pingtan_2021.txt", "005_pingtan_2022.txt",
                                                     "016_pingtan_2022_page.html"))]
    for i in range(40):
        real = reals[i % len(reals)]
        (src / f"{i:02d}{real.suffix}").write_bytes(real.read_bytes() + b"\n" * (i + 1))
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    batch(whole, inputs=[str(src)], jobs=1)

    command = [sys.executable, "-m", "extractor", "batch", str(src), "-o", str(killed), "-j", "1", "-q"]
    proc = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((killed / "reports").glob("*.json"))) < 8:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list((killed / "reports").glob("*.json")))
    assert 8 <= done < 40, "the run was not killed halfway"
    assert not (killed / "cells.csv").exists()

    outcome = batch(killed, inputs=[str(src)], jobs=1, resume=True)
    assert outcome.resumed >= done and outcome.extracted == 40 - outcome.resumed
    assert _tree(killed) == _tree(whole)


def test_the_dataset_folder_inside_the_inputs_is_not_read(tmp_path):
    src = tmp_path / "downloads"
    src.mkdir()
    shutil.copy(SEED, src / "seed.txt")
    runner = CliRunner()
    assert runner.invoke(app, [str(src), "-o", str(src / "dataset"), "-q"]).exit_code == 0
    (src / "dataset" / "notes.md").write_text("朝阳市商务局2023年政府信息公开工作年度报告", encoding="utf-8")
    result = runner.invoke(app, [str(src), "-o", str(src / "dataset"), "--resume"])
    assert result.exit_code == 0 and "1 files in" in result.output


def test_resuming_a_dataset_made_by_another_version_says_so(tmp_path):
    out = tmp_path / "dataset"
    batch(out, inputs=[str(SEED)])
    marker = out / ".extract-batch"
    state = json.loads(marker.read_text(encoding="utf-8"))
    state["built"]["version"] = "0.0.1"
    marker.write_text(json.dumps(state), encoding="utf-8")
    result = CliRunner().invoke(app, [str(SEED), "-o", str(out), "--resume"])
    assert result.exit_code == 0
    assert "made by extractor 0.0.1" in result.output and "--overwrite" in result.output


def test_a_file_that_vanishes_or_changes_after_planning_is_recorded(tmp_path):
    from extractor.batch.progress import Progress
    from extractor.batch.runner import _tasks, plan
    from extractor.batch.store import Dataset

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_bytes(SEED.read_bytes() + name.encode())
    dataset = Dataset(tmp_path / "out")
    dataset.prepare(resume=False, overwrite=False)
    entries, todo = plan(collect([str(src)]).files, dataset, resume=False, retry_failed=False)
    (src / "a.txt").unlink()
    (src / "b.txt").write_bytes(b"rewritten")
    progress = Progress(len(todo), enabled=False)
    assert [Path(t.path).name for t in _tasks(entries, todo, progress)] == ["c.txt"]
    assert [(e.status, (e.error or {}).get("code")) for e in entries] == [("failed", "io"), ("failed", "changed"),
                                                                        ("pending", None)]
    assert progress.done == 2 and progress.failed == 2


def test_a_file_that_takes_too_long_is_given_up(monkeypatch):
    from extractor import pipeline
    from extractor.batch.worker import extract_one

    monkeypatch.setattr(pipeline, "extract_bytes", lambda data, path: time.sleep(5))
    started = time.monotonic()
    assert extract_one("slow.txt", b"x", timeout=0.3) == {
        "error": {"code": "timeout", "message": "gave up after 0.3 s (--timeout)"}}
    assert time.monotonic() - started < 2


def raise_on_marked_files(path: str, data: bytes, timeout: float = 0, explain: bool = False) -> dict:
    if "raise" in Path(path).name:
        raise ValueError("boom")
    return {"error": {"code": "empty", "message": "stand-in"}}


def test_a_worker_that_raises_costs_only_its_own_file(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("a", encoding="utf-8")
    (src / "b_raise.txt").write_text("b", encoding="utf-8")
    monkeypatch.setattr(engines, "extract_one", raise_on_marked_files)
    tasks = [engines.Task(str(p), p.name, p.read_bytes()) for p in sorted(src.iterdir())]
    results = {task.key: result["error"]["code"] for task, result in engines.run_local(tasks, 2)}
    assert results == {"a.txt": "empty", "b_raise.txt": "internal"}
