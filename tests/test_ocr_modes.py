"""How scanned pages are treated whether or not the `ocr` extra is installed:
which pages are scans, --ocr never and always, and the messages of a scan
that is not read (synthetic PDFs from `pdfgen`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfgen import Page, build

from extractor.errors import ExtractError
from extractor.readers import ocr, read_document
from extractor.readers.ocr.scope import is_scan
from extractor.readers.pdf.parse import read_page


def _scan_pdf(pages: int = 1) -> bytes:
    scan = Page()
    scan.scan()
    return build([scan] * pages)


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the ocr extra were not installed."""
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setenv("EXTRACTOR_OCR", "auto")


def test_which_pages_are_scans():
    stamped = Page()
    stamped.scan()
    stamped.text(280, 800, "- 3 -")  # a page number printed over the scan
    text = Page()
    text.text(72, 72, "一、总体情况")
    pdf = pdfium.PdfDocument(build([stamped, text, Page()]))
    try:
        found = []
        for index in range(len(pdf)):
            page = pdf[index]
            found.append(is_scan(page, read_page(page, index + 1)))
            page.close()
    finally:
        pdf.close()
    assert found == [True, False, False]


def test_without_the_extra_a_scan_names_the_extra(no_extra):
    with pytest.raises(ExtractError) as err:
        read_document(Path("scan.pdf"), _scan_pdf())
    assert err.value.code == "scanned"
    assert str(err.value) == ('the PDF is a scanned image with no text layer; OCR is not installed (install the OCR '
                              'extra: pip install -e ".[ocr]"), so it cannot be read')


def test_without_the_extra_ocr_always_is_an_error(no_extra, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EXTRACTOR_OCR", "always")
    with pytest.raises(ExtractError) as err:
        read_document(Path("scan.pdf"), _scan_pdf())
    assert err.value.code == "ocr" and "pip install" in str(err.value)


def test_ocr_never_leaves_a_scan_unread(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_scan_pdf(2))
    run = subprocess.run([sys.executable, "-m", "extractor", str(path), "--ocr", "never"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip() == (f"extract: {path}: the PDF is a scanned image with no text layer; OCR is turned "
                                  "off (--ocr never), so it cannot be read")


def test_a_bad_ocr_mode_is_a_usage_error(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_scan_pdf())
    run = subprocess.run([sys.executable, "-m", "extractor", str(path), "--ocr", "sometimes"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "--ocr" in run.stderr and "Traceback" not in run.stderr


def test_the_mode_is_kept_for_worker_processes(monkeypatch: pytest.MonkeyPatch):
    # Set first, so that monkeypatch puts back what was there (set_mode writes os.environ).
    monkeypatch.setenv("EXTRACTOR_OCR", "auto")
    monkeypatch.delenv("EXTRACTOR_OCR")
    assert ocr.mode() == "auto"
    ocr.set_mode("never")
    assert ocr.mode() == "never"
    with pytest.raises(ValueError):
        ocr.set_mode("sometimes")
