"""Bad input gets one clear line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, SEED


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def assert_refused(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert words in lines[0], lines[0]
    assert proc.stdout == ""


def test_empty_file(tmp_path: Path):
    f = tmp_path / "empty.html"
    f.write_bytes(b"")
    assert_refused(run(f), "empty")


def test_whitespace_only_file(tmp_path: Path):
    f = tmp_path / "blank.txt"
    f.write_bytes(b" \n\r\n\t ")
    assert_refused(run(f), "empty")


def test_binary_junk(tmp_path: Path):
    f = tmp_path / "junk.txt"
    f.write_bytes(bytes(range(256)) * 20)
    assert_refused(run(f), "binary")


def test_unreadable_encoding(tmp_path: Path):
    # 0x80 is a lead byte in none of UTF-8, GB18030 and Big5.
    f = tmp_path / "bad.txt"
    f.write_bytes("政府信息公开工作年度报告".encode() + b"\x80\x80\x80 abc")
    assert_refused(run(f), "encoding")


def test_page_that_is_not_an_annual_report(tmp_path: Path):
    f = tmp_path / "news.html"
    f.write_text("<html><head><title>新闻</title></head><body><nav><a href='/'>首页</a></nav>"
                 "<p>今天天气晴，气温二十度。</p><p>市民出行注意防晒。</p></body></html>", encoding="utf-8")
    assert_refused(run(f), "does not look like")


def test_missing_file_and_folder(tmp_path: Path):
    assert_refused(run(tmp_path / "nope.html"), "no such file")
    assert_refused(run(tmp_path), "extract batch")


def test_truncated_table_is_partial_with_what_was_read(tmp_path: Path):
    # Synthetic: the real seed report, cut off inside table 三 (after 8.属于行政查询事项).
    text = SEED.read_text(encoding="utf-8")
    cut = text.index("(四)无法提供")
    f = tmp_path / "truncated.txt"
    f.write_text(text[:cut], encoding="utf-8")
    proc = run(f)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    apps = doc["tables"]["applications"]
    assert apps["status"] == "partial"
    assert apps["rows"]["new_received"]["natural_person"]["value"] == 3
    assert apps["rows"]["denied_inquiry"]["total"]["value"] == 0
    assert "unable_not_held" not in apps["rows"]  # nothing invented
    assert doc["tables"]["review_litigation"]["status"] == "missing"
    assert any(w["code"] == "rows_missing" for w in doc["warnings"])
    assert doc["valid"] is False
    assert run(f, "--strict").returncode == 1


def test_checks_that_fail_still_exit_0_and_strict_exits_1():
    report = CORPUS / "github" / "003_pingtan_2020.txt"
    assert run(report, "-q").returncode == 0
    assert run(report, "-q", "--strict").returncode == 1


@pytest.mark.parametrize("fmt,first", [("json", "{"), ("csv", "source,agency,year,template,table,row,column,value,raw,"
                                                                 "inferred,report_id,page,locator\n"),
                                       ("wide", "report_id,source,agency,year,published")])
def test_output_formats_to_stdout(fmt: str, first: str):
    proc = run(SEED, "--format", fmt, "-q")
    assert proc.returncode == 0
    assert proc.stdout.startswith(first)
    assert proc.stderr == ""


def test_output_file_and_summary(tmp_path: Path):
    out = tmp_path / "sub" / "out.csv"
    proc = run(SEED, "-o", out)
    assert proc.returncode == 0
    assert "朝阳市商务局 2023" in proc.stderr and "valid" in proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 201  # header + 200 cells
    # ... the report id, no page (a text file) and where the cell is printed
    assert lines[1].endswith("proactive,regulations,issued,0,0,false,cfc4b375c4d1dcf2,,line=31 start=883 end=884")


def test_a_portal_list_of_reports_is_not_a_report(tmp_path: Path):
    f = tmp_path / "list.html"
    f.write_text("<html><head><title>政府信息公开年报_平潭</title></head><body><ul>"
                 "<li><a href='1.htm'>平潭综合实验区2025年度政府信息公开工作年度报告</a> 2026-03-10</li>"
                 "<li><a href='2.htm'>平潭综合实验区2024年度政府信息公开工作年度报告</a> 2025-03-10</li>"
                 "</ul><p>信息公开 年报 栏目</p></body></html>", encoding="utf-8")
    assert_refused(run(f), "does not look like")
