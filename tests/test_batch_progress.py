"""What `extract batch` shows while it works: every phase says what it does
(start-up and the build too, not only the extraction), and the bar and the
summary give the same rate."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

from conftest import SEED

from extractor.batch import progress
from extractor.batch.progress import Progress, Status


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_every_phase_shows_progress_and_the_rates_agree(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"r{i}.txt").write_bytes(SEED.read_bytes() + b"\n" * (i + 1))
    proc = subprocess.run([sys.executable, "-m", "extractor", "batch", str(src), "-o", str(tmp_path / "out"),
                           "-j", "1"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == "scanning inputs: 3 files, hashing them"  # "scanning inputs..." is for terminals
    bar = next(i for i, line in enumerate(lines) if line.startswith("[####"))
    steps = [line for line in lines[bar + 1:] if line.startswith("building dataset: ")]
    assert steps == ["building dataset: cross-year checks",
                     "building dataset: cells.csv, reports.csv, Parquet tables",
                     "building dataset: dataset.duckdb"]
    # One definition of the rate (files finished per second since the extraction started), one figure.
    bar_rate = re.search(r" 3/3 files, ([\d.]+)/s,", lines[bar]).group(1)
    summary_rate = re.search(r"3 extracted now \(([\d.]+) files/s", proc.stderr).group(1)
    assert bar_rate == summary_rate
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert f"{summary['files_per_second']:.1f}" == bar_rate
    assert summary["build_seconds"] > 0 and f"built in {summary['build_seconds']:.1f} s" in proc.stderr
    # --quiet: nothing at all.
    proc = subprocess.run([sys.executable, "-m", "extractor", "batch", str(src), "-o", str(tmp_path / "out"),
                           "--resume", "-q"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""


def test_the_rate_is_files_over_the_time_to_the_last_file(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress.time, "monotonic", clock)
    stream = io.StringIO()
    bar = Progress(4, stream=stream)
    for _ in range(4):
        clock.now += 0.5
        bar.advance(failed=False)
    clock.now += 60  # what comes after the last file is not extraction time
    assert bar.seconds == 2.0 and bar.rate() == 2.0
    assert stream.getvalue().splitlines()[-1] == "[########################] 4/4 files, 2.0/s, 0 failed"


def test_a_step_counts_in_a_log_and_redraws_on_a_terminal(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress.time, "monotonic", clock)
    log = io.StringIO()
    status = Status(stream=log, log_every=10)
    status.step("building dataset: tables", 100)
    for _ in range(100):
        clock.now += 0.25
        status.advance()
    assert log.getvalue().splitlines() == ["building dataset: tables", "building dataset: tables 40/100",
                                           "building dataset: tables 80/100"]
    terminal = Terminal()
    status = Status(stream=terminal)
    status.step("building dataset: dataset.duckdb", 8)
    for _ in range(8):
        status.advance()  # no time passes: no redraw until the end
    status.close()
    assert terminal.getvalue() == ("\rbuilding dataset: dataset.duckdb\x1b[K"
                                   "\rbuilding dataset: dataset.duckdb 8/8\x1b[K\n")
    # A transient step: erased on a terminal, not written to a log.
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        status = Status(stream=stream)
        status.step("scanning inputs...", transient=True)
        status.close()
    assert terminal.getvalue() == "\rscanning inputs...\x1b[K\r\x1b[K" and log.getvalue() == ""
    quiet = io.StringIO()
    status = Status(stream=quiet, enabled=False)
    status.step("scanning inputs...")
    status.close()
    assert quiet.getvalue() == ""
