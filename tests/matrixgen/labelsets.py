"""The label sets the matrix fills the template with: every label file of the
github and kiro corpus folders with a full grid (200, 198 or 186 cells), its
layout, and the report's own section text (a snapshot in
tests/fixtures/matrix/sections.json, so that the generator does not change
when the extractor does)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = FIXTURES / "corpus"
SECTIONS = FIXTURES / "matrix" / "sections.json"
TEMPLATE = CORPUS / "github" / "012_template2021_blank_official_format.docx"
FOLDERS = ("github", "kiro")
# Sections whose text is the report's own prose (二, 三, 四 are the tables),
# by the extractor's section key (the numbering of some reports differs).
PROSE_SECTIONS = {1: "overview", 5: "problems", 6: "other_matters"}
# A paragraph longer than this (a crawler dump's whole section) is cut at
# sentence ends.
_LONG = 320


@dataclass(frozen=True, slots=True)
class LabelSet:
    name: str  # "github/001"
    layout: str  # "2021" | "2019" | "hybrid"
    agency: str
    year: int
    published: str | None
    cells: dict[str, int | float | None]
    sections: dict[int, list[str]]  # section number -> paragraphs

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"


def _label_paths() -> list[Path]:
    return [p for folder in FOLDERS for p in sorted((CORPUS / folder / "labels").glob("*.json"))]


@cache
def label_sets() -> tuple[LabelSet, ...]:
    sections = json.loads(SECTIONS.read_text(encoding="utf-8"))
    out = []
    for path in _label_paths():
        label = json.loads(path.read_text(encoding="utf-8"))
        if len(label.get("cells") or {}) < 186:
            continue  # pre-2019 free-form reports: no tables
        name = f"{path.parent.parent.name}/{path.stem}"
        out.append(LabelSet(name=name, layout=label["template"], agency=label["agency"], year=label["year"],
                            published=label.get("published"), cells=dict(label["cells"]),
                            sections={int(k): v for k, v in sections[name].items()}))
    return tuple(out)


def by_name(name: str) -> LabelSet:
    return next(s for s in label_sets() if s.name == name)


# -- the snapshot ------------------------------------------------------------------

_FURNITURE = re.compile(r"^(?:-\s?\d+\s?-|附件下载|第\s?\d+\s?页.*)$")
_STARTS_PARAGRAPH = re.compile(
    r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|[一二三四五六七八九十]是|\d+[.．、])")


def paragraphs(text: str) -> list[str]:
    """A section's text as paragraphs: lines a PDF or a markdown export wrapped
    are joined back (a paragraph ends with 。 ： ； or at a numbering)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _FURNITURE.match(line):
            continue
        if out and not out[-1].endswith(("。", "：", ":", "；", ";")) and not _STARTS_PARAGRAPH.match(line):
            out[-1] += line
        else:
            out.append(line)
    return [piece for p in out for piece in _cut(p)]


def _cut(paragraph: str) -> list[str]:
    pieces = [""]
    for sentence in re.findall(r"[^。]*(?:。|$)", paragraph):
        if pieces[-1] and len(pieces[-1]) + len(sentence) > _LONG:
            pieces.append("")
        pieces[-1] += sentence
    return [p for p in pieces if p]


def snapshot() -> dict[str, dict[str, list[str]]]:
    """The prose sections of every label set's report, as the extractor reads
    them today (run by `bench/matrix.py --snapshot`)."""
    from extractor.evaluate import find_reports, load_label
    from extractor.pipeline import extract_file

    out: dict[str, dict[str, list[str]]] = {}
    for path in _label_paths():
        label = load_label(path)
        if len(label.get("cells") or {}) < 186:
            continue
        doc = extract_file(find_reports(path, label)[0])
        texts = {s["key"]: s["text"] for s in doc["sections"]}
        out[f"{path.parent.parent.name}/{path.stem}"] = {
            str(n): paragraphs(texts.get(key, ""))[:12] for n, key in PROSE_SECTIONS.items()}
    return out
