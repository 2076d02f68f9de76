"""What researchers and journalists open: the Python API, the codebook, the
dataset's tables and indicators, CSV files Excel reads."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS, SEED
from test_batch import batch, query
from typer.testing import CliRunner

import extractor
from extractor import ExtractError, extract, read_dataset
from extractor.batch.cli import app as batch_app
from extractor.codebook import codebook_csv, codebook_rows
from extractor.indicators import compute, document_cells, indicators
from extractor.templates import TABLES, load

REPO = Path(__file__).parent.parent
README = REPO / "README.md"


def readme_python_example() -> str:
    """The README's Python example, as printed (the block after "## Python")."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Python"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readmes_python_example_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    code = readme_python_example()
    assert "from extractor import extract" in code
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["report"].report["agency"] == "朝阳市商务局"


def test_extract_from_a_path_or_bytes():
    report = extract(str(SEED))
    assert report.valid is True
    assert report.report["agency"] == "朝阳市商务局" and report.report["year"] == 2023
    assert report.value("applications.new_received.natural_person") == 3
    assert report.fee_yuan == 0
    assert report.to_dict()["source"]["sha256"] == extract(SEED.read_bytes(), filename="seed.txt").to_dict()[
        "source"]["sha256"]
    cells = report.cells()
    assert len(cells) == 200
    first = cells[0]
    assert set(first) == {"source", "agency", "year", "template", "table", "row", "column", "value", "raw",
                          "inferred", "report_id", "page", "locator"}
    assert first["report_id"] == report.to_dict()["source"]["sha256"][:16]
    # A text report's cells are located by line and offsets in the decoded file.
    text = SEED.read_text(encoding="utf-8")
    located = next(c for c in cells if c["raw"])
    where = dict(part.split("=", 1) for part in located["locator"].split())
    assert located["page"] is None
    assert text[int(where["start"]):int(where["end"])] == located["raw"]
    assert text.count("\n", 0, int(where["start"])) + 1 == int(where["line"])
    assert report.indicators()["partial_grant_rate"].value == 33.3
    frame = report.to_pandas()
    assert len(frame) == 200 and frame["value"].sum() > 0


def test_extract_refuses_what_is_not_a_report(tmp_path):
    with pytest.raises(ExtractError):
        extract(b"<html><body>404 page not found</body></html>", filename="x.html")


def test_version():
    assert extractor.__version__ == "0.1.0"


# -- the codebook -----------------------------------------------------------------------


def test_the_codebook_lists_every_key_of_both_templates():
    templates = load()
    keys = {f"{t}.{row.key}.{column}" for name in ("2021", "2019") for t in TABLES
            for row in templates.layout(t, name).rows for column in row.columns}
    rows = [r for r in codebook_rows() if r["kind"] == "cell"]
    assert {r["key"] for r in rows} == keys
    assert len(rows) == len(keys)
    by_key = {r["key"]: r for r in rows}
    assert by_key["applications.granted.total"]["label_zh"] == "(一)予以公开 / 总计"
    assert by_key["applications.granted.total"]["identities"] == "outcomes;row_total"
    assert by_key["applications.new_received.natural_person"]["identities"] == "balance;row_total"
    assert by_key["proactive.fees.amount_10k_yuan"]["unit"] == "万元"
    assert by_key["proactive.procurement.amount"]["templates"] == "2019"
    assert by_key["applications.other.total"]["templates"] == "2019"
    assert by_key["applications.new_received.total"]["templates"] == "2021;2019"
    assert all(r["label_en"] and r["unit"] for r in rows)
    assert {r["key"] for r in codebook_rows() if r["kind"] == "indicator"} == {
        f"indicator.{i.key}" for i in indicators()}


def test_docs_codebook_is_the_generated_one():
    assert (REPO / "docs" / "codebook.csv").read_text(encoding="utf-8") == codebook_csv()


# -- indicators -------------------------------------------------------------------------


def cell(value, raw=None):
    return {"value": value, "raw": str(value) if raw is None and value is not None else (raw or ""),
            "inferred": False}


def test_the_blank_versus_zero_rule():
    # A blank in a row whose total holds with it as 0 is 0, and counted: 4 | blank … | 4.
    columns = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
               "legal_service_org", "other_org", "total")
    cells = {f"applications.new_received.{c}": cell(4 if c in ("natural_person", "total") else None)
             for c in columns}
    result = compute(cells)["applicants_commercial_enterprise"]
    assert (result.value, result.blank_cells) == (0.0, 1)
    # A whole row blank is a row of zeros.
    row = {f"applications.granted.{c}": cell(None) for c in columns}
    result = compute({**row, "applications.total_processed.total": cell(4)})["grant_rate"]
    assert (result.value, result.blank_cells) == (0.0, 1)
    # A blank total in a row that prints other numbers (Shanghai 2019 leaves 总计 blank) is unknown.
    row["applications.granted.natural_person"] = cell(3)
    result = compute({**row, "applications.total_processed.total": cell(4)})["grant_rate"]
    assert result.value is None and "blank in a row that does not show it is 0" in result.note
    # Printed but unreadable, or not in the report: no value.
    cells = {"applications.granted.total": cell(None, raw="1 2"), "applications.total_processed.total": cell(4)}
    assert "could not be read" in compute(cells)["grant_rate"].note
    assert "not in the report" in compute({"applications.total_processed.total": cell(4)})["grant_rate"].note
    # Nothing processed: no share.
    assert compute({"applications.granted.total": cell(0), "applications.total_processed.total": cell(0)})[
        "grant_rate"].value is None


def test_correction_rates_take_decided_cases_only():
    # 平潭 2025 (tests/fixtures/corpus/github/008): review 25/3/8/0/36.
    doc = extract(CORPUS / "github" / "008_pingtan_2025.txt").to_dict()
    results = compute(document_cells(doc))
    assert results["review_correction_rate"].value == round(100 * 3 / 36, 1)
    assert results["review_correction_rate"].denominator == 36


# -- the dataset -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data") / "dataset"
    batch(out, inputs=[str(CORPUS / "github"), str(SEED)])
    return out


def test_every_table_is_published_and_joins_on_report_id(dataset):
    for name in ("reports", "checks", "warnings", "sections", "indicators", "codebook", "cells"):
        assert (dataset / f"{name}.parquet").is_file(), name
    for name in ("cells.csv", "reports.csv", "indicators.csv", "codebook.csv"):
        with (dataset / name).open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert "report_id" in header or name == "codebook.csv", name
    # The wide CSV's report_id is the JSON file's name and the DuckDB reports table's id.
    with (dataset / "reports.csv").open(encoding="utf-8") as f:
        ids = {row["report_id"] for row in csv.DictReader(f)}
    assert ids == {p.stem for p in (dataset / "reports").glob("*.json")}
    assert ids == {r[0] for r in query(dataset, "select report_id from reports")}
    joined = query(dataset, "select count(*) from cells c join reports r using (report_id)")[0][0]
    assert joined == query(dataset, "select count(*) from cells")[0][0]


def test_indicators_in_the_dataset(dataset):
    (value,) = query(dataset, f"select value from indicators where source = '{SEED}' and indicator = "
                              "'partial_grant_rate'")[0]
    assert value == 33.3
    n = query(dataset, "select count(distinct indicator) from indicators")[0][0]
    assert n == len(indicators())
    assert query(dataset, "select count(*) from codebook where kind = 'indicator'")[0][0] == n


def test_read_dataset(dataset):
    with read_dataset(dataset) as ds:
        assert {"reports", "cells", "indicators", "codebook"} <= set(ds.tables)
        reports = ds.table("reports")
        assert "朝阳市商务局" in set(reports["agency"])
        frame = ds.query("select agency, year from reports where agency = ?", ["朝阳市商务局"])
        assert frame.to_dict("records") == [{"agency": "朝阳市商务局", "year": 2023}]
        with pytest.raises(KeyError):
            ds.table("nope")
    with pytest.raises(ExtractError):
        read_dataset(dataset / "reports")


# -- CSV files people open ----------------------------------------------------------------


@pytest.mark.parametrize("flag,codec,bom", [(["--excel"], "utf-8-sig", b"\xef\xbb\xbf"),
                                            (["--encoding", "gb18030"], "gb18030", b"")])
def test_csv_files_for_excel_and_gb18030(tmp_path, flag, codec, bom):
    out = tmp_path / "dataset"
    result = CliRunner().invoke(batch_app, [str(SEED), "-o", str(out), "-q", *flag])
    assert result.exit_code == 0, result.output
    data = (out / "cells.csv").read_bytes()
    assert data.startswith(bom)
    text = data.decode(codec)
    assert "朝阳市商务局" in text
    # utf-8 files do not start with a BOM
    if not bom:
        assert not data.startswith(b"\xef\xbb\xbf")
    # A run asking another encoding rebuilds the files (it is not "up to date").
    result = CliRunner().invoke(batch_app, [str(SEED), "-o", str(out), "-q", "--resume"])
    assert result.exit_code == 0
    assert not (out / "cells.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_an_unknown_csv_encoding_is_one_line(tmp_path):
    result = CliRunner().invoke(batch_app, [str(SEED), "-o", str(tmp_path / "d"), "--encoding", "latin9"])
    assert result.exit_code == 2
    assert "latin9" in result.output and "Traceback" not in result.output


def _calc() -> bool:
    """LibreOffice with its spreadsheet (Calc) installed."""
    soffice = shutil.which("soffice")
    return bool(soffice) and any((Path(soffice).resolve().parent / name).exists() for name in ("libsclo.so", "scalc"))


@pytest.mark.skipif(not _calc(), reason="LibreOffice Calc (soffice with libreoffice-calc) is not installed")
def test_an_excel_csv_opens_in_libreoffice_with_the_chinese_intact(tmp_path):
    out = tmp_path / "dataset"
    assert CliRunner().invoke(batch_app, [str(SEED), "-o", str(out), "-q", "--excel"]).exit_code == 0
    csv_path = tmp_path / "reports.csv"
    shutil.copy(out / "reports.csv", csv_path)
    # CSV → xlsx → CSV through Calc: what Calc read is what it writes back. Calc is told the file
    # is Unicode, as its import dialog is by the byte-order mark (headless, it has no dialog).
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    utf8 = "Text - txt - csv (StarCalc):44,34,76"
    steps = ((["--infilter=" + utf8], "xlsx", csv_path, tmp_path / "xlsx"),
             ([], "csv:" + utf8, tmp_path / "xlsx" / "reports.xlsx", tmp_path / "back"))
    for infilter, target, source, folder in steps:
        subprocess.run(["soffice", profile, "--headless", *infilter, "--convert-to", target, "--outdir", str(folder),
                        str(source)], check=True, capture_output=True, timeout=180)
    back = (tmp_path / "back" / "reports.csv").read_text(encoding="utf-8")
    assert "朝阳市商务局" in back
    # The byte-order mark is read as such, not as part of the first column's name.
    assert next(csv.reader(io.StringIO(back)))[0] == "report_id"


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    import sys

    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, timeout=120)


def test_single_report_csv_for_excel_and_gb18030(tmp_path):
    out = tmp_path / "seed.csv"
    assert run_cli(str(SEED), "-o", str(out), "--excel", "-q").returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "朝阳市商务局" in out.read_text(encoding="utf-8-sig")
    proc = run_cli(str(SEED), "--format", "wide", "--encoding", "gb18030", "-q")
    assert proc.returncode == 0 and "朝阳市商务局" in proc.stdout.decode("gb18030")
    proc = run_cli(str(SEED), "--excel")  # JSON is always UTF-8: said in one line
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1


def test_extract_codebook(tmp_path):
    proc = run_cli("codebook")
    assert proc.returncode == 0 and proc.stdout.decode() == codebook_csv()
    out = tmp_path / "codebook.csv"
    assert run_cli("codebook", "-o", str(out), "--excel").returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_compare_csv_for_excel(dataset, tmp_path):
    out = tmp_path / "compare.csv"
    assert run_cli("compare", str(dataset), "-o", str(out), "--excel").returncode == 0
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and "朝阳市商务局" in text.decode("utf-8-sig")
