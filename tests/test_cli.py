"""The single-file command's edges: what it reads (regular files up to a
size), what it writes (the formats it knows), and its one-line errors."""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import hostile
import pytest
from conftest import SEED, extract

from extractor import __version__
from extractor.cli import summary


def run(*args: str | Path, prefix: tuple[str, ...] = (), timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "extractor", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def refused(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one stderr line of a refusal (exit 2), which says all of `words`."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("extract"), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- what it reads ---------------------------------------------------------------


def test_a_url_is_not_fetched_and_the_message_says_what_to_do():
    line = refused(run("https://example.org/2023/report.html"), "https://example.org/2023/report.html",
                   "does not fetch URLs", "download")
    assert "no such file" not in line


def test_a_named_pipe_is_refused_at_once(tmp_path: Path):
    # Before: the open blocked for ever, waiting for a writer.
    fifo = tmp_path / "report.html"
    os.mkfifo(fifo)
    refused(run(fifo, timeout=20), "named pipe", "not a file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_at_once():
    # Before: /dev/zero was read until the memory ran out (3.7 GB and on).
    refused(run("/dev/zero", timeout=20), "character device")


def test_inputs_beyond_the_size_limit_are_refused_and_the_limit_can_be_raised(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: 201 MB that take no disk space, and are not read
        f.truncate(201 << 20)
    refused(run(big, timeout=20), "201 MB", "200 MB", "--max-size")
    refused(run(SEED, "--max-size", "4KB"), "--max-size", "4 KB")
    assert run(SEED, "--max-size", "1MB", "-q").returncode == 0
    refused(run(SEED, "--max-size", "lots"), "--max-size", "not a size")


def test_a_file_is_read_whole_when_its_size_is_wrong():
    # A file that says it is shorter than it is (one growing while read, or
    # /proc's, which say 0): read to its end, up to the limit and one byte more.
    import io

    from extractor.source import _read_all

    data = bytes(range(256)) * 5000  # 1.28 MB: more than one chunk
    assert _read_all(io.BytesIO(data).read, 0, 10 << 20) == data
    assert _read_all(io.BytesIO(data).read, 100, 10 << 20) == data
    assert _read_all(io.BytesIO(data).read, len(data), 10 << 20) == data
    assert len(_read_all(io.BytesIO(data).read, 0, 1000)) == 1001  # over the limit: refused after


def test_a_file_is_read_whole_when_a_read_is_cut_short():
    # A descriptor's read may return less than it was asked (a signal, a
    # network file system): the file is read on to its end, whatever its size says.
    import io

    from extractor.source import _read_all

    data = bytes(range(256)) * 5000
    stream = io.BytesIO(data)

    def short_read(n: int) -> bytes:
        return stream.read(min(n, 4096))

    assert _read_all(short_read, len(data), 10 << 20) == data
    stream.seek(0)
    assert len(_read_all(short_read, len(data), 100_000)) == 100_001  # and still no further than the limit


@functools.cache
def _without_root_privileges() -> tuple[str, ...] | None:
    """How to run a command without the root privilege of reading anything:
    nothing to do for a normal user; for root, setpriv dropping the
    capabilities that bypass file permissions (None when that is not
    possible here)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set", "-dac_override,-dac_read_search")
    with tempfile.NamedTemporaryFile() as f:
        os.chmod(f.name, 0)
        probe = subprocess.run([*prefix, "test", "-r", f.name], capture_output=True)
    return prefix if probe.returncode == 1 else None


def _permissions_enforced() -> tuple[str, ...]:
    prefix = _without_root_privileges()
    if prefix is None:
        pytest.skip("running as root without setpriv able to drop root's file-permission override")
    return prefix


def test_a_file_without_read_permission_is_one_line(tmp_path: Path):
    # Before: typer's three-line usage error.
    prefix = _permissions_enforced()
    report = tmp_path / "report.txt"
    shutil.copy(SEED, report)
    report.chmod(0)
    refused(run(report, prefix=prefix), "permission denied", "not readable")


def test_a_report_in_a_folder_without_search_permission_is_one_line(tmp_path: Path):
    # Before: a PermissionError traceback, exit 1.
    prefix = _permissions_enforced()
    folder = tmp_path / "locked"
    folder.mkdir()
    shutil.copy(SEED, folder / "report.txt")
    folder.chmod(stat.S_IRUSR | stat.S_IWUSR)  # no x: its entries cannot be reached
    try:
        refused(run(folder / "report.txt", prefix=prefix), "permission denied", "cannot be searched")
    finally:
        folder.chmod(0o700)


# -- what it writes --------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.xlsx", "out.parquet", "out.weird"])
def test_an_output_suffix_it_does_not_write_is_refused(tmp_path: Path, name: str):
    # Before: JSON was written under any of these names.
    out = tmp_path / name
    refused(run(SEED, "-o", out), name, ".json", ".csv", "--format")
    assert not out.exists()


def test_an_explicit_format_is_written_whatever_the_suffix(tmp_path: Path):
    out = tmp_path / "cells.txt"
    assert run(SEED, "-o", out, "-f", "csv", "-q").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("source,agency,year")
    assert run(SEED, "-o", tmp_path / "doc", "-q").returncode == 0  # no suffix: JSON, as to stdout
    assert (tmp_path / "doc").read_text(encoding="utf-8").startswith("{")


def test_compare_refuses_an_output_suffix_it_does_not_write(tmp_path: Path):
    # Before: Markdown was written to c.xlsx.
    out = tmp_path / "c.xlsx"
    proc = run("compare", tmp_path, "-o", out)
    assert proc.returncode == 2 and ".xlsx" in proc.stderr and ".md" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()


# -- the command itself ----------------------------------------------------------


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"extract {__version__}"


def test_one_warning_is_singular():
    # Before: "1 warnings".
    doc = extract(SEED)
    warning = {"code": "row_label_lost", "message": "…", "where": "applications.granted"}
    assert ", 1 warning," in summary({**doc, "warnings": [warning]})
    assert ", 2 warnings," in summary({**doc, "warnings": [warning, warning]})
    assert ", 200 cells," in summary(doc)


@pytest.mark.parametrize("args,words", [
    ((), ("REPORT", "--help")),
    ((SEED, "--no-such-option"), ("--no-such-option", "--help")),
    ((SEED, "--format", "xlsx"), ("--format", "xlsx")),
], ids=["no-report", "unknown-option", "unknown-format"])
def test_usage_errors_are_one_line(args: tuple, words: tuple[str, ...]):
    refused(run(*args), *words)


def test_help_lists_the_options():
    proc = run("--help")
    assert proc.returncode == 0
    for option in ("--output", "--format", "--strict", "--max-size", "--version", "batch"):
        assert option in proc.stdout


def test_the_single_file_command_does_not_import_typer():
    # typer imports pydantic and rich: most of the command's start-up time.
    code = ("import sys; from extractor.cli import extract_command; "
            f"extract_command([{str(SEED)!r}, '-q', '-o', {os.devnull!r}]); "
            "print(sorted(m for m in ('typer', 'click', 'pydantic', 'rich') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_an_extraction_gives_up_at_its_time_limit(tmp_path: Path):
    # Before: single-file mode had no time limit at all.
    report = tmp_path / "long.txt"
    report.write_bytes(hostile.table3_copies(1500))
    line = refused(run(report, "--timeout", "0.3", timeout=60), "gave up after 0.3 s", "--timeout")
    assert line.startswith(f"extract: {report}")
    assert run(SEED, "--timeout", "30", "-q").returncode == 0
