"""Screenshots for the docs, photographed by headless Chromium (Debian's
`chromium`): `extract compare`'s page over a dataset of the bundled reports
and one agency's years; `extract explain`'s page of three reports (a web
page, a PDF, a crawler's text with the tables glued into one line), each
opened at a cell. Run: .venv/bin/python docs/screenshots.py"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
EXTRACT = Path(sys.executable).parent / "extract"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars"]


# extract explain's pages: (report, the cell opened, the picture).
EXPLAINED = [
    (FIXTURES / "corpus" / "github" / "015_pingtan_2023_page.html", "applications.granted.total", "explain-html.png"),
    (FIXTURES / "corpus" / "github" / "001_huaian_city_2024.pdf", "applications.new_received.natural_person",
     "explain-pdf.png"),
    (FIXTURES / "corpus" / "pingtan-depts" / "004_guanweihuibangongshi-2025.txt",
     "applications.partially_granted.natural_person", "explain-glued.png"),
]


def shoot(page: Path, png: Path, size: str, work: Path, fragment: str = "") -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("docs/screenshots.py: chromium is not installed (apt-get install chromium)")
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}", f"--window-size={size}",
                    f"--screenshot={png}", page.as_uri() + fragment], check=True, capture_output=True, timeout=120)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = [FIXTURES / "corpus" / "github", FIXTURES / "corpus" / "kiro", FIXTURES / "seed"]
        subprocess.run([str(EXTRACT), "batch", *map(str, inputs), "-o", str(work / "ds"), "-q"], check=True)
        pages = {"compare.png": ([], "1300,1900"),
                 "compare-years.png": (["--agency", "平潭综合实验区", "--agency", "洪泽区人民政府"], "1300,1500")}
        for png, (args, size) in pages.items():
            page = work / (png[:-4] + ".html")
            subprocess.run([str(EXTRACT), "compare", str(work / "ds"), *args, "-o", str(page)], check=True,
                           capture_output=True)
            shoot(page, REPO / "docs" / png, size, work)
            print(f"docs/{png}")
        for report, cell, png in EXPLAINED:
            page = work / (png[:-4] + ".html")
            subprocess.run([str(EXTRACT), "explain", str(report), "-o", str(page), "-q"], check=True)
            shoot(page, REPO / "docs" / png, "1500,1500", work, f"#cell={cell}")
            print(f"docs/{png}")


if __name__ == "__main__":
    main()
