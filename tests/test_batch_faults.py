"""`extract batch` under faults: a build that dies, two runs on one folder, a
killed batch's workers, a full disk, an unexpected error. Whatever happens,
the next run works and a dataset is never published half-built."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import duckdb
import pytest
from conftest import SEED
from test_batch import _tree, batch, query
from typer.testing import CliRunner

from extractor.batch import assemble, runner, store
from extractor.batch.cli import app

TABLES = {"reports", "cells", "checks", "sections", "warnings", "errors", "inputs", "cross_year"}

# Runs `extract batch` with every file taking at least 0.2 s, so that a test
# can act while the run is busy (workers are forked: they inherit the patch).
SLOW_BATCH = """
import sys, time
from extractor.batch import engines
extract_one = engines.extract_one
def slow(path, data, timeout=0, explain=False):
    time.sleep(0.2)
    return extract_one(path, data, timeout, explain)
engines.extract_one = slow
if __name__ == "__main__":
    from extractor.cli import main
    sys.argv = ["extract", "batch", *sys.argv[1:]]
    main()
"""


def make_inputs(folder: Path, n: int) -> Path:
    """n distinct inputs: the seed report with a different run of trailing newlines each."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:02d}.txt").write_bytes(SEED.read_bytes() + b"\n" * (i + 1))
    return folder


def invoke(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def start_slow_batch(tmp_path: Path, *args: str | Path) -> subprocess.Popen:
    script = tmp_path / "slow_batch.py"
    script.write_text(SLOW_BATCH, encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), *map(str, args)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def descendants(pid: int) -> set[int]:
    """The process's children, theirs, and so on (workers may be forked by a fork server)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with suppress(OSError, IndexError):
                parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {p for p, pp in parents.items() if pp == parent and running(p)}
        todo += children - found
        found |= children
    return found


def running(pid: int) -> bool:
    """The process exists and is not a zombie (an orphan's corpse waits for PID 1 to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# -- 1. a build that dies leaves nothing that stops the next run -----------------------------

def test_leftovers_of_a_dead_build_are_cleaned(tmp_path):
    src, out = make_inputs(tmp_path / "in", 2), tmp_path / "out"
    batch(out, inputs=[str(src)])
    # What a build killed at various moments leaves: its staging folder (with
    # DuckDB's files), and a report being written.
    staging = out / ".staging.partial"
    staging.mkdir()
    (staging / "cells.csv").write_text("source\n", encoding="utf-8")
    (staging / "dataset.duckdb.partial").write_bytes(b"\0" * 100)
    (staging / "dataset.duckdb.partial.wal").write_bytes(b"\0" * 100)
    (out / "reports" / "0123456789abcdef.json.partial").write_text("{", encoding="utf-8")
    (out / "cells.csv").unlink()  # so that --resume builds again

    result = invoke(src, "-o", out, "--resume", "-q")
    assert result.exit_code == 0, result.output
    assert not list(out.rglob("*.partial")) and not staging.exists()
    assert {r[0] for r in query(out, "show tables")} >= TABLES
    staging.mkdir()
    result = invoke(src, "-o", out, "--overwrite", "-q")
    assert result.exit_code == 0, result.output
    assert not staging.exists()


def test_ctrl_c_during_the_build_then_resume(tmp_path, monkeypatch):
    src, out, whole = make_inputs(tmp_path / "in", 3), tmp_path / "out", tmp_path / "whole"
    batch(whole, inputs=[str(src)])

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(assemble, "load_duckdb", interrupted)
        result = invoke(src, "-o", out, "-q", "-j", "1")
    assert result.exit_code == 130 and "--resume" in result.stderr
    assert (out / ".staging.partial").is_dir()  # what the user found

    result = invoke(src, "-o", out, "--resume", "-q")
    assert result.exit_code == 0, result.output
    assert not (out / ".staging.partial").exists()
    assert _tree(out) == _tree(whole)


# -- 2. one run at a time on a folder; never a half-built dataset said up to date -------------

def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    src, out = make_inputs(tmp_path / "in", 30), tmp_path / "out"
    first = start_slow_batch(tmp_path, src, "-o", out, "-j", "1", "-q")
    try:
        wait_for(lambda: any((out / "reports").glob("*.json")))
        second = subprocess.run([sys.executable, "-m", "extractor", "batch", str(src), "-o", str(out), "--resume"],
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 2, second.stderr
        line = one_line(second.stderr)
        assert f"PID {first.pid}" in line and str(out) in line
        assert first.poll() is None  # the first run was left alone
    finally:
        with suppress(ProcessLookupError):
            os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    # The lock of a run that died does not hold up the next one.
    result = invoke(src, "-o", out, "--resume", "-q")
    assert result.exit_code == 0, result.output
    assert query(out, "select count(*) from reports")[0][0] == 30


def test_a_stale_pid_file_does_not_block(tmp_path):
    src, out = make_inputs(tmp_path / "in", 1), tmp_path / "out"
    batch(out, inputs=[str(src)])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (out / ".extract-batch.pid").write_text(f"{dead}\n", encoding="utf-8")
    result = invoke(src, "-o", out, "--resume")
    assert result.exit_code == 0 and "up to date" in result.output


def test_a_damaged_dataset_is_never_said_up_to_date(tmp_path):
    src, out = make_inputs(tmp_path / "in", 2), tmp_path / "out"
    batch(out, inputs=[str(src)])
    # What two runs racing once left: a database without the tables.
    (out / "dataset.duckdb").unlink()
    duckdb.connect(str(out / "dataset.duckdb")).close()
    result = invoke(src, "-o", out, "--resume")
    assert result.exit_code == 0, result.output
    assert "up to date" not in result.output
    assert {r[0] for r in query(out, "show tables")} >= TABLES
    assert "up to date" in invoke(src, "-o", out, "--resume").output


def test_a_build_that_dies_while_publishing_is_built_again(tmp_path, monkeypatch):
    src, out = make_inputs(tmp_path / "in", 2), tmp_path / "out"
    batch(out, inputs=[str(src)])
    (out / "cells.parquet").unlink()  # so that --resume builds again
    replace = os.replace
    published = []

    def dies_after_cells_parquet(a, b):
        if Path(a).parent.name == ".staging.partial" != Path(b).parent.name:
            if published == ["cells.parquet"]:
                raise KeyboardInterrupt
            published.append(Path(b).name)
        replace(a, b)

    with monkeypatch.context() as patch:
        patch.setattr(store.os, "replace", dies_after_cells_parquet)
        with pytest.raises(KeyboardInterrupt):
            batch(out, inputs=[str(src)], resume=True)
    assert (out / "cells.parquet").exists()  # every output is there, not all of this build
    assert batch(out, inputs=[str(src)], resume=True).built


# -- 3. workers die with the batch ---------------------------------------------------------------

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_workers_of_a_killed_batch_end_too(tmp_path):
    src, out = make_inputs(tmp_path / "in", 30), tmp_path / "out"
    proc = start_slow_batch(tmp_path, src, "-o", out, "-j", "2", "-q")
    workers: set[int] = set()
    try:
        wait_for(lambda: len(descendants(proc.pid)) >= 2 and any((out / "reports").glob("*.json")))
        workers = descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if running(w)], "workers outlived the batch"
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the batch's own group: its workers if they survived
        proc.wait()


# -- 4. a full disk ------------------------------------------------------------------------------

def test_a_full_disk_during_extraction_is_one_line_and_resume_works(tmp_path, monkeypatch):
    src, out, whole = make_inputs(tmp_path / "in", 4), tmp_path / "out", tmp_path / "whole"
    batch(whole, inputs=[str(src)])
    write_atomic = store.write_atomic
    written = []

    def full_after_two_reports(path: Path, text: str) -> None:
        if path.parent.name == "reports":
            if len(written) == 2:
                tmp = path.with_name(path.name + ".partial")
                tmp.write_text(text[:100], encoding="utf-8")
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
            written.append(path)
        write_atomic(path, text)

    with monkeypatch.context() as patch:
        patch.setattr(store, "write_atomic", full_after_two_reports)
        result = invoke(src, "-o", out, "-q", "-j", "1")
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert "No space left on device" in line and "--resume" in line

    result = invoke(src, "-o", out, "--resume", "-q")
    assert result.exit_code == 0, result.output
    assert _tree(out) == _tree(whole)


def test_a_build_over_the_file_size_limit_is_one_line_and_resume_works(tmp_path):
    """`ulimit -f`: the reports fit, dataset.duckdb (over 1 MB) does not."""
    src, out = make_inputs(tmp_path / "in", 3), tmp_path / "out"
    limit = 512 * 1024

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "extractor", "batch", str(src), "-o", str(out), "-j", "1", "-q"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert proc.returncode == 2, proc.stderr
    assert "File too large" in one_line(proc.stderr)
    assert len(list((out / "reports").glob("*.json"))) == 3

    proc = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not list(out.rglob("*.partial"))
    assert query(out, "select count(*) from reports")[0][0] == 3


# -- --debug and unexpected errors ---------------------------------------------------------------

def test_an_internal_error_is_one_line_or_a_traceback_with_debug(tmp_path, monkeypatch):
    src = make_inputs(tmp_path / "in", 1)

    def bug(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(runner, "plan", bug)
    result = invoke(src, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 3
    line = one_line(result.stderr)
    assert "internal error (ValueError: boom)" in line and "--debug" in line
    result = invoke(src, "-o", tmp_path / "out2", "-q", "--debug")
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "ValueError: boom" in result.stderr


def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path):
    src = make_inputs(tmp_path / "in", 1)
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    result = invoke(src, "-o", tmp_path / "a_file" / "out", "-q")
    assert result.exit_code == 2
    assert "cannot write" in one_line(result.stderr)


def test_the_completion_record_names_every_output(tmp_path):
    src, out = make_inputs(tmp_path / "in", 1), tmp_path / "out"
    batch(out, inputs=[str(src)])
    built = json.loads((out / ".extract-batch").read_text(encoding="utf-8"))["built"]
    assert set(built["outputs"]) == set(store.OUTPUTS)
    assert all(built["outputs"][name] == (out / name).stat().st_size for name in store.OUTPUTS)
