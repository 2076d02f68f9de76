"""What a batch reads: file lists with paths that do not exist, folders that
cannot be listed, and one file named two ways. Every input named is in the
inputs table, and every table names an input the same way."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from conftest import SEED
from test_batch import query
from typer.testing import CliRunner

from extractor.batch.cli import app
from extractor.batch.inputs import collect, is_file_list


def invoke(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


def reports(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"r{i}.txt"
        path.write_bytes(SEED.read_bytes() + b"\n" * (i + 1))
        paths.append(path)
    return paths


def test_a_file_list_with_a_missing_path_is_a_list_and_the_path_is_recorded(tmp_path):
    a, b = reports(tmp_path / "in", 2)
    gone = tmp_path / "in" / "moved_away.html"
    listing = tmp_path / "list.txt"
    listing.write_text(f"{a}\n{gone}\n{b}\n", encoding="utf-8")
    assert is_file_list(listing)
    out = tmp_path / "out"
    result = invoke(listing, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert query(out, "select source, status from inputs order by source") == [
        (str(gone), "failed"), (str(a), "report"), (str(b), "report")]
    assert query(out, "select source, code from errors") == [(str(gone), "missing")]
    assert "list.txt" in query(out, "select message from errors")[0][0]


def test_files_from_paths_that_do_not_exist_reach_errors_and_inputs(tmp_path):
    (a,) = reports(tmp_path / "in", 1)
    listing = tmp_path / "paths"
    listing.write_text(f"# downloads\n{a}\n{tmp_path / 'nowhere.pdf'}\nhttps://example.org/r.html\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("--files-from", listing, "-o", out)
    assert result.exit_code == 0, result.output
    errors = dict(query(out, "select source, message from errors"))
    assert set(errors) == {str(tmp_path / "nowhere.pdf"), "https://example.org/r.html"}
    assert "not downloaded" in errors["https://example.org/r.html"]
    assert query(out, "select count(*) from inputs")[0][0] == 3
    assert "failed files: 2 (missing 2)" in result.output
    # Nothing but missing paths: nothing to do, and said why.
    listing.write_text(f"{tmp_path / 'nowhere.pdf'}\n", encoding="utf-8")
    result = invoke("--files-from", listing, "-o", tmp_path / "out2")
    assert result.exit_code == 2 and "no such file" in result.output


def test_a_report_is_not_taken_for_a_file_list(tmp_path):
    assert not is_file_list(SEED)
    # A report whose lines happen to hold slashes and suffixes is still a report.
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("附件：2023年报.pdf\n申请 3 件/次\n一、总体情况\n", encoding="utf-8")
    assert not is_file_list(mixed)
    html = tmp_path / "page.html"
    html.write_text("<html>\n</html>\n", encoding="utf-8")
    assert not is_file_list(html)


def test_an_unreadable_folder_is_recorded(tmp_path, monkeypatch):
    reports(tmp_path / "in", 1)
    locked = tmp_path / "in" / "locked"
    reports(locked, 1)
    scandir = os.scandir

    def no_permission(path="."):
        if isinstance(path, str | os.PathLike) and Path(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", no_permission)  # the tests run as root, for whom chmod 000 is no bar
    found = collect([str(tmp_path / "in")])
    assert [Path(f).name for f in found.files] == ["r0.txt"]
    assert found.failed == {str(locked): {"code": "io", "message": "cannot list the folder (Permission denied); "
                                                                   "the reports in it are not read"}}
    out = tmp_path / "out"
    result = invoke(tmp_path / "in", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert query(out, "select source, code from errors") == [(str(locked), "io")]


def test_one_folder_spelled_several_ways_is_one_set_of_inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reports(tmp_path / "dir", 2)
    out = tmp_path / "out"
    assert invoke("dir/", "-o", out, "-q").exit_code == 0
    for spelling in ("./dir", str(tmp_path / "dir"), "dir//", f"../{tmp_path.name}/dir"):
        result = invoke(spelling, "-o", out, "--resume")
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output, spelling  # the same inputs: nothing to do
    names = {str(tmp_path / "dir" / "r0.txt"), str(tmp_path / "dir" / "r1.txt")}
    for table in ("inputs", "reports", "cells"):
        assert {r[0] for r in query(out, f"select distinct source from {table}")} == names, table
    # Given twice in one run, a file is one input, not a duplicate of itself.
    found = collect(["dir/r0.txt", "./dir/r0.txt", str(tmp_path / "dir" / "r0.txt")])
    assert found.files == [str(tmp_path / "dir" / "r0.txt")]


def test_moved_files_are_named_where_they_are_now(tmp_path):
    reports(tmp_path / "old", 2)
    out = tmp_path / "out"
    assert invoke(tmp_path / "old", "-o", out, "-q").exit_code == 0
    (tmp_path / "old").rename(tmp_path / "new")
    result = invoke(tmp_path / "new", "-o", out, "--resume")
    assert result.exit_code == 0 and "0 extracted now" in result.output
    joined = query(out, "select count(*) from reports r join inputs i using (source)")[0][0]
    assert joined == 2
    assert {r[0] for r in query(out, "select distinct source from cells")} == {
        str(tmp_path / "new" / "r0.txt"), str(tmp_path / "new" / "r1.txt")}


def test_nothing_to_read_is_one_line_and_makes_no_folder(tmp_path):
    result = invoke(tmp_path / "nowhere", "-o", tmp_path / "new" / "out")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no input files found: " in lines[0] and "nowhere" in lines[0]
    assert not (tmp_path / "new").exists()
