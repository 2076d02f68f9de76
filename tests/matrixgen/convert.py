"""The producers: LibreOffice (DOCX to PDF and to legacy .doc) and
Chromium's print to PDF, run headless and offline."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# LibreOffice's filter names for the two targets.
FILTERS = {"pdf": "pdf:writer_pdf_Export", "doc": "doc:MS Word 97"}
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--no-pdf-header-footer",
                  "--disable-extensions", "--mute-audio")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def convert(files: list[Path], target: str, outdir: Path, jobs: int = 2, batch: int = 25) -> None:
    """Convert the files with LibreOffice, `batch` files per process and `jobs`
    processes side by side (each with its own profile)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    chunks = [files[i:i + batch] for i in range(0, len(files), batch)]

    def run(chunk: list[Path]) -> None:
        with tempfile.TemporaryDirectory(prefix="matrix-lo-") as profile:
            command = [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                       "--convert-to", FILTERS[target], "--outdir", str(outdir), *map(str, chunk)]
            subprocess.run(command, capture_output=True, timeout=60 + 30 * len(chunk), check=False)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, chunks))


def print_html(html: Path, pdf: Path, timeout: float = 120) -> bool:
    """Chromium's print to PDF of a local page (no network: a file URL)."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="matrix-chromium-") as profile:
        command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                   html.resolve().as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return False
    return pdf.is_file() and pdf.stat().st_size > 0
