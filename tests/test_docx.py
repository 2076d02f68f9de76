"""Word reports: the official blank 2021 form (real), the same form filled
with the synthetic report's numbers (synthetic, labelled so), damaged files,
and legacy .doc/.wps through LibreOffice (never required by the tests)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import CORPUS, extract, value_of
from docx.table import _Cell
from lxml import etree

from extractor.errors import ExtractError
from extractor.evaluate import load_label, score
from extractor.model import Grid
from extractor.pipeline import extract_bytes, extract_file
from extractor.readers import docx as docx_reader
from extractor.readers import read_document
from extractor.templates import load

TEMPLATE = CORPUS / "github" / "012_template2021_blank_official_format.docx"
TRUTH = CORPUS / "synthetic" / "sample_report_2021_template.truth.json"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_blank_official_form_has_every_row_and_column_all_null():
    doc = extract(TEMPLATE)
    assert doc["source"]["format"] == "docx"
    assert doc["report"]["template"] == "2021"
    templates = load()
    for table in ("proactive", "applications", "review_litigation"):
        layout = templates.layout(table, "2021")
        got = doc["tables"][table]
        assert got["status"] == "complete" and got["layout"] == "2021"
        assert {row: list(cells) for row, cells in got["rows"].items()} == {
            spec.key: list(spec.columns) for spec in layout.rows}
        assert all(value_of(cell) == {"value": None, "raw": "", "inferred": False}
                   for cells in got["rows"].values() for cell in cells.values())
    assert [s["key"] for s in doc["sections"]] == ["overview", "proactive", "applications", "review_litigation",
                                                    "problems", "other_matters"]
    # An empty form is not a valid report, and says why; it names no body.
    assert doc["valid"] is False
    assert [w["code"] for w in doc["warnings"]] == ["agency_not_found", "blank_form"]


def test_blank_form_merged_cells_are_expanded_with_their_origin():
    grids = [b for b in read_document(TEMPLATE, TEMPLATE.read_bytes()).blocks if isinstance(b, Grid)]
    assert [len(g.rows) for g in grids] == [14, 28, 4]
    apps = grids[1]
    assert {len(row) for row in apps.rows} == {10}
    # The vertical group label spans the 22 outcome rows (vMerge): one origin.
    label = {row[0].origin for row in apps.rows[5:27]}
    assert label == {(5, 0)} and apps.rows[5][0].text == "三、本年度办理结果"
    # 法人或其他组织 spans five columns (gridSpan).
    assert [c.text for c in apps.rows[1][4:9]] == ["法人或其他组织"] * 5
    assert len({c.origin for c in apps.rows[1][4:9]}) == 1


def _filled_form(tmp_path: Path) -> Path:
    """Synthetic: the official blank form with its blank value cells filled,
    in order, with the synthetic report's numbers (truth.json)."""
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    templates = load()
    word = docx.Document(str(TEMPLATE))
    for tbl, table in zip(word.tables, ("proactive", "applications", "review_litigation"), strict=True):
        layout = templates.layout(table, "2021")
        numbers = [truth[table][spec.key][col] for spec in layout.rows for col in spec.columns]
        blanks = []
        for tc in tbl._tbl.iter(f"{_W}tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            if not continued and not "".join(tc.itertext()).strip(" \u3000"):
                blanks.append(tc)
        assert len(blanks) == len(numbers)
        for tc, number in zip(blanks, numbers, strict=True):
            _Cell(tc, tbl).text = "" if number is None else str(number)
    path = tmp_path / "filled_form.docx"
    word.save(str(path))
    return path


def test_filled_form_every_cell_right(tmp_path: Path):
    doc = extract_file(_filled_form(tmp_path))
    result = score(doc, load_label(TRUTH))
    assert result.cells == 200 and result.right == 200, result.wrong_cells
    assert doc["tables"]["proactive"]["rows"]["licensing"]["decisions"]["value"] == 3562  # spans 3 columns
    assert all(check["ok"] for check in doc["checks"]) and doc["valid"] is True


def test_tables_and_rows_inside_content_controls(tmp_path: Path):
    """Synthetic: the filled form with table 三 inside a content control
    (w:sdt) and one of its rows inside another: nothing is lost."""
    word = docx.Document(str(_filled_form(tmp_path)))
    tbl = word.tables[1]._tbl

    def wrap(element) -> None:
        sdt = etree.SubElement(element.getparent(), f"{_W}sdt")
        element.addprevious(sdt)
        content = etree.SubElement(sdt, f"{_W}sdtContent")
        content.append(element)

    wrap(tbl.findall(f"{_W}tr")[6])  # （二）部分公开
    wrap(tbl)
    path = tmp_path / "wrapped.docx"
    word.save(str(path))
    doc = extract_file(path)
    assert score(doc, load_label(TRUTH)).right == 200
    assert values_of(doc, "partially_granted") == [35, 5, 0, 1, 2, 0, 43]


def _frame(element) -> None:
    """Put the element into the one cell of a new table in its place (a box drawn around it)."""
    outer = etree.Element(f"{_W}tbl")
    element.addprevious(outer)
    cell = etree.SubElement(etree.SubElement(outer, f"{_W}tr"), f"{_W}tc")
    cell.append(element)
    etree.SubElement(cell, f"{_W}p")  # Word ends every cell with a paragraph


@pytest.mark.parametrize("framed", ["each_table", "whole_report"])
def test_tables_inside_a_layout_table(tmp_path: Path, framed: str):
    """Synthetic: the filled form with each table, or the whole report, inside
    a one-cell table (a frame, as WPS and Word users box a page): the tables
    inside are read, not one cell's text."""
    word = docx.Document(str(_filled_form(tmp_path)))
    body = word.element.body
    if framed == "each_table":
        for tbl in list(body.iter(f"{_W}tbl")):
            _frame(tbl)
    else:
        first = body[0]
        _frame(first)
        cell = body[0].find(f"{_W}tr/{_W}tc")
        for element in list(body)[1:]:
            if element.tag != f"{_W}sectPr":
                cell.insert(len(cell) - 1, element)
    path = tmp_path / "framed.docx"
    word.save(str(path))
    doc = extract_file(path)
    assert score(doc, load_label(TRUTH)).right == 200
    assert values_of(doc, "partially_granted") == [35, 5, 0, 1, 2, 0, 43]
    assert [s["key"] for s in doc["sections"]][:2] == ["overview", "proactive"]


def test_hidden_text_is_not_read(tmp_path: Path):
    """Synthetic: the filled form with a hidden run (<w:vanish/>: Word does not
    print it) of other digits in every value cell of table 三, and in the cell
    of 43 its 3 in a run hidden and shown again (<w:vanish w:val="0"/>)."""
    path = _filled_form(tmp_path)
    word = docx.Document(str(path))
    for tc in word.tables[1]._tbl.iter(f"{_W}tc"):
        p = tc.find(f"{_W}p")
        text = "".join(tc.itertext()).strip()
        if p is None or not text.isdigit():
            continue
        if text == "43":
            p.find(f".//{_W}t").text = "4"
            run = etree.SubElement(p, f"{_W}r")
            etree.SubElement(etree.SubElement(run, f"{_W}rPr"), f"{_W}vanish").set(f"{_W}val", "0")
            etree.SubElement(run, f"{_W}t").text = "3"
        run = etree.SubElement(p, f"{_W}r")
        etree.SubElement(etree.SubElement(run, f"{_W}rPr"), f"{_W}vanish")
        etree.SubElement(run, f"{_W}t").text = "9"
    word.save(str(path))
    doc = extract_file(path)
    assert score(doc, load_label(TRUTH)).right == 200
    assert values_of(doc, "partially_granted") == [35, 5, 0, 1, 2, 0, 43]


def _png(width: int, height: int) -> bytes:
    """A white PNG image of the size (pixels), written by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    rows = b"".join(b"\x00" + b"\xff" * (3 * width) for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_table_pasted_as_a_picture_is_said(tmp_path: Path):
    """Synthetic: the filled form with table 三 replaced by a picture (as a
    screenshot of the table is pasted): the table is missing, and a warning
    says the document shows a picture; a small logo is not counted."""
    word = docx.Document(str(_filled_form(tmp_path)))
    table = word.tables[1]._tbl
    holder = word.add_paragraph()
    holder.add_run().add_picture(io.BytesIO(_png(60, 40)), width=docx.shared.Cm(15))
    logo = word.add_paragraph()
    logo.add_run().add_picture(io.BytesIO(_png(8, 8)), width=docx.shared.Cm(1))
    table.addprevious(holder._p)
    table.addprevious(logo._p)
    table.getparent().remove(table)
    path = tmp_path / "pictured.docx"
    word.save(str(path))
    doc = extract_file(path)
    assert doc["tables"]["applications"]["status"] == "missing"
    note = next(w for w in doc["warnings"] if w["code"] == "picture_not_read")
    assert note["message"].startswith("the document shows an image")
    assert "picture_not_read" not in [w["code"] for w in extract_file(_filled_form(tmp_path))["warnings"]]


def values_of(doc: dict, row: str) -> list:
    return [cell["value"] for cell in doc["tables"]["applications"]["rows"][row].values()]


def _zip(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _damaged_document_xml() -> bytes:
    with zipfile.ZipFile(TEMPLATE) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/document.xml"] = files["word/document.xml"][:20_000]
    return _zip(files)


@pytest.mark.parametrize(("data", "code"), [
    (TEMPLATE.read_bytes()[:6000], "docx"),  # cut off
    (_damaged_document_xml(), "docx"),
    (_zip({"notes.txt": "not a report"}), "not_docx"),
], ids=["truncated", "broken-xml", "other-zip"])
def test_bad_word_files_are_refused_with_a_clear_error(data: bytes, code: str):
    with pytest.raises(ExtractError) as err:
        read_document(Path("report.docx"), data)
    assert err.value.code == code


# -- legacy .doc / .wps ---------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the header of a legacy Word/WPS file


def test_legacy_word_without_libreoffice_names_what_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(docx_reader.shutil, "which", lambda name: None)
    with pytest.raises(ExtractError) as err:
        read_document(Path("report.doc"), _OLE)
    assert err.value.code == "needs_libreoffice"
    assert "LibreOffice" in str(err.value) and "soffice" in str(err.value)


def test_cli_legacy_word_without_libreoffice_exits_2(tmp_path: Path):
    path = tmp_path / "report.wps"
    path.write_bytes(_OLE)
    env = {**os.environ, "PATH": str(tmp_path)}  # no soffice on this PATH
    run = subprocess.run([sys.executable, "-m", "extractor", str(path)], capture_output=True, text=True, env=env)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "LibreOffice" in run.stderr


def test_legacy_word_is_converted_by_soffice_when_installed(tmp_path: Path, monkeypatch):
    """A stand-in soffice (LibreOffice is not a test dependency) that checks
    the command line and 'converts' by copying the blank form."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f"""#!{sys.executable}
import shutil, sys
from pathlib import Path
args = sys.argv[1:]
assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx", args
assert any(a.startswith("-env:UserInstallation=file://") for a in args), args
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
shutil.copy({str(TEMPLATE)!r}, out / (Path(args[-1]).stem + ".docx"))
""")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ.get("PATH", ""))
    doc = extract_bytes(_OLE, Path("report.doc"))
    assert doc["source"]["format"] == "docx"
    assert doc["tables"]["applications"]["status"] == "complete"


def test_legacy_word_conversions_of_a_thread_share_one_profile(tmp_path: Path, monkeypatch):
    """A stand-in soffice that writes down the profile it was given and fails
    where the file says so: a thread's conversions reuse its profile (a
    fresh one costs LibreOffice a quarter of a second), another thread gets
    its own, and after a failed conversion the next starts a new one."""
    log = tmp_path / "profiles.txt"
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f"""#!{sys.executable}
import shutil, sys
from pathlib import Path
args = sys.argv[1:]
profile = next(a for a in args if a.startswith("-env:UserInstallation="))
with open({str(log)!r}, "a") as f:
    f.write(profile + "\\n")
if Path(args[-1]).read_bytes().endswith(b"fail"):
    sys.exit(1)
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
shutil.copy({str(TEMPLATE)!r}, out / (Path(args[-1]).stem + ".docx"))
""")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(docx_reader, "_PROFILES", threading.local())
    read_document(Path("a.doc"), _OLE)
    read_document(Path("b.doc"), _OLE)
    other = threading.Thread(target=read_document, args=(Path("c.doc"), _OLE))
    other.start()
    other.join()
    with pytest.raises(ExtractError):
        read_document(Path("d.doc"), _OLE + b"fail")
    read_document(Path("e.doc"), _OLE)
    first, second, threaded, failed, after = log.read_text().splitlines()
    assert first == second and threaded != first and failed == first and after != first


def test_legacy_word_that_libreoffice_cannot_convert(tmp_path: Path, monkeypatch):
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f"#!{sys.executable}\nimport sys\nsys.exit(1)\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    with pytest.raises(ExtractError) as err:
        read_document(Path("report.doc"), _OLE)
    assert err.value.code == "conversion"


# -- other ZIP archives: OpenDocument text, OFD, spreadsheets ---------------------

ODT = CORPUS.parent / "odt" / "cell_notes-00.odt"


def test_an_opendocument_text_is_read_through_libreoffice():
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("an .odt converts with LibreOffice, which is not installed")
    from matrixgen.samples import truth_path

    truth = json.loads(truth_path("cell_notes-00").read_text(encoding="utf-8"))
    doc = extract_file(ODT)
    result = score(doc, truth)
    assert (result.right, result.cells, result.silent) == (200, 200, 0)
    assert doc["source"]["format"] == "docx"  # (read as LibreOffice's .docx of it)
    assert doc["tables"]["applications"]["rows"]["new_received"]["natural_person"]["value"] == 64


def test_an_opendocument_text_is_sent_to_libreoffice_as_odt(tmp_path: Path, monkeypatch):
    """A stand-in soffice: the file it is given keeps its kind (.odt), and
    its conversion is read as a .docx."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f"""#!{sys.executable}
import shutil, sys
from pathlib import Path
args = sys.argv[1:]
assert args[-1].endswith(".odt"), args
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
shutil.copy({str(TEMPLATE)!r}, out / (Path(args[-1]).stem + ".docx"))
""")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    doc = extract_bytes(ODT.read_bytes(), Path("report.zip"))  # (the name says nothing: the content does)
    assert doc["tables"]["applications"]["status"] == "complete"
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    with pytest.raises(ExtractError) as err:
        read_document(Path("report.odt"), ODT.read_bytes())
    assert err.value.code == "needs_libreoffice" and "OpenDocument" in str(err.value)


@pytest.mark.parametrize(("files", "says"), [
    ({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"}, "an OFD document"),
    ({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}, "an Excel workbook"),
    ({"2023年报告.pdf": b"%PDF-1.7", "2024年报告.pdf": b"%PDF-1.7"}, "holds 2 files (2023年报告.pdf, 2024年报告.pdf)"),
], ids=["ofd", "xlsx", "archive of reports"])
def test_a_zip_archive_that_is_no_word_file_is_refused_saying_what_it_is(files: dict, says: str):
    # (Archives made here, of the parts that tell each kind: synthetic.)
    with pytest.raises(ExtractError) as err:
        read_document(Path("report.docx"), _zip(files))
    assert err.value.code == "not_docx"
    assert says in str(err.value)
