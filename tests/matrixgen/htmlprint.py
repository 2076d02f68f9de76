"""The corpus's real HTML reports through Chromium's print to PDF, with the
print styles producers and users apply (paper, orientation, fonts, a page
without table borders)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .convert import print_html
from .labelsets import label_sets

# name -> CSS added to the page
STYLES = {
    "a4": "@page { size: A4; margin: 15mm; }",
    "letter_landscape": "@page { size: Letter landscape; margin: 12mm; }",
    "a5_small": "@page { size: A5; margin: 8mm; } body, td, th, p { font-size: 9pt !important; }",
    "kai_font": "* { font-family: 'AR PL UKai CN' !important; }",
    "no_borders": "table, tr, td, th { border: none !important; border-collapse: collapse; }",
}


@dataclass(frozen=True, slots=True)
class Print:
    id: str
    label_set: str
    style: str
    pdf: Path


def html_reports() -> list[tuple[str, Path]]:
    """(label set, page) of every labelled HTML report."""
    out = []
    for labels in label_sets():
        folder, number = labels.name.split("/")
        page = next((p for p in sorted((Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / folder)
                                       .glob(f"{number}_*")) if p.suffix in (".html", ".htm")), None)
        if page is not None:
            out.append((labels.name, page))
    return out


def styled(page: Path, css: str) -> bytes:
    """The page's bytes with a style sheet added at the end of its head (or
    its start, for a page without one)."""
    data = page.read_bytes()
    tag = f"<style>{css}</style>".encode()
    match = re.search(rb"</head\s*>", data, re.I)
    if match:
        return data[: match.start()] + tag + data[match.start():]
    return tag + data


def print_all(folder: Path) -> list[Print]:
    out = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, page in html_reports():
        for style, css in STYLES.items():
            ident = f"chromium-{name.replace('/', '_')}-{style}"
            pdf = folder / f"{ident}.pdf"
            if not pdf.is_file():
                html = folder / f"{ident}{page.suffix}"
                html.write_bytes(styled(page, css))
                if not print_html(html, pdf):
                    continue
            out.append(Print(ident, name, style, pdf))
    return out
