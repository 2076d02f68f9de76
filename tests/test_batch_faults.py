"""`extract batch` under faults: a build that dies, two runs on one folder, a
killed batch's workers, a full disk, an unexpected error. Whatever happens,
the next run works and a dataset is never published half-built."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from conftest import SEED
from test_batch import _tree, batch, query
from typer.testing import CliRunner

from extractor.batch import assemble
from extractor.batch.cli import app

TABLES = {"reports", "cells", "checks", "sections", "warnings", "errors", "inputs", "cross_year"}

# Runs `extract batch` with every file taking at least 0.2 s, so that a test
# can act while the run is busy (workers are forked: they inherit the patch).
SLOW_BATCH = """
import sys, time
from extractor.batch import engines
extract_one = engines.extract_one
def slow(path, data, timeout=0):
    time.sleep(0.2)
    return extract_one(path, data, timeout)
engines.extract_one = slow
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


def children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with suppress(OSError, IndexError):
                if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry))
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
