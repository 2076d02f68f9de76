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

import pytest
from conftest import SEED


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
