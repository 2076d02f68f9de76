"""The flattening styles real pages get turned into, each rendering the
seed report's real values (synthetic renderings, built by tests/synth.py):
every cell comes back right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, SEED_LABEL, value_of
from synth import STYLES, render_glued, render_lines, render_pipe_rows, render_tab_rows

from extractor.evaluate import score
from extractor.model import Row
from extractor.pipeline import extract_file
from extractor.readers.text import parse_text

SEED_CELLS = json.loads(SEED_LABEL.read_text(encoding="utf-8"))["cells"]


def extract_text(tmp_path: Path, text: str, name: str = "report.txt") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_seed_values_in_every_style(tmp_path: Path, style: str):
    doc = extract_text(tmp_path, STYLES[style](SEED_CELLS))
    result = score(doc, {"cells": SEED_CELLS})
    assert result.right == 200, result.wrong_cells
    assert doc["valid"] is True
    assert doc["report"]["agency"] == "示例市测试局"
    assert doc["fees"]["information_processing_fee_yuan"] == 0


def test_gbk_encoded_text(tmp_path: Path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(render_lines(SEED_CELLS).replace("“", '"').replace("”", '"').encode("gbk"))
    doc = extract_file(path)
    assert score(doc, {"cells": SEED_CELLS}).right == 200


@pytest.mark.parametrize("render", [render_pipe_rows, render_tab_rows], ids=["pipes", "tabs"])
def test_blank_cells_in_rows_of_separated_cells_are_null(tmp_path: Path, render):
    cells = dict(SEED_CELLS)
    for column in ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org",
                   "other_org"):
        for row in ("new_received", "carried_over", "total_processed"):
            cells[f"applications.{row}.{column}"] = None
    doc = extract_text(tmp_path, render(cells))
    apps = doc["tables"]["applications"]["rows"]
    assert apps["new_received"]["natural_person"]["value"] == 3
    assert value_of(apps["new_received"]["commercial_enterprise"]) == {"value": None, "raw": "", "inferred": False}
    assert score(doc, {"cells": cells}).right == 200
    assert not {w["code"] for w in doc["warnings"]} & {"ambiguous_cells", "cells_vanished"}


def test_tabs_in_running_text_leave_it_running_text(tmp_path: Path):
    """A tab between a signature's name and date, or in a contact line, is
    spacing: the line stays a paragraph (the agency and date are read from it)."""
    text = render_lines(SEED_CELLS) + "联系电话：\t0591-12345678\n示例市测试局\t2024年1月20日\n"
    doc = extract_text(tmp_path, text)
    assert score(doc, {"cells": SEED_CELLS}).right == 200
    assert doc["report"]["agency"] == "示例市测试局"
    assert "0591-12345678" in doc["sections"][-1]["text"]


def test_glued_cells_are_split_by_the_identities(tmp_path: Path):
    doc = extract_text(tmp_path, render_glued(SEED_CELLS))
    assert score(doc, {"cells": SEED_CELLS}).right == 200
    # The glued runs were read: the report says how.
    assert doc["tables"]["applications"]["rows"]["new_received"]["total"]["raw"] == "3"


# -- a markdown table's rows joined into one line --------------------------------------


def _joined_tables(text: str, sep: str) -> str:
    """Each run of a markdown export's pipe lines (one table) joined into
    one line by `sep`, as a crawler that turns a table's line breaks into
    spaces writes it (synthetic, from the real report)."""
    out, run = [], []
    for line in text.split("\n"):
        if line.startswith("|"):
            run.append(line)
            continue
        if run:
            out.append(sep.join(run))
            run = []
        out.append(line)
    if run:
        out.append(sep.join(run))
    return "\n".join(out)


@pytest.mark.parametrize("report", sorted(CORPUS.glob("kiro/0*.md")), ids=lambda p: p.name[:12])
@pytest.mark.parametrize("sep", [" ", ""], ids=["one-space", "glued"])
def test_markdown_rows_joined_into_one_line_are_rows(tmp_path: Path, report: Path, sep: str):
    """The real markdown reports with every table's rows on one line (the
    rows' pipes meeting as "| |" or "||"; blank cells "|  |", separator
    rules "|---|" and a "— 5 —" footer in between): each row is parted where
    a rule ends it, where two rows' pipes meet (after as many cells as the
    rule above has) or where a label follows a value, and every cell reads
    as from the report's own lines (they were 20 of 200 right, the rest
    flagged)."""
    text = report.read_text(encoding="utf-8")
    label = json.loads((report.parent / "labels" / (report.name[:3] + ".json")).read_text(encoding="utf-8"))
    before = extract_file(report)
    after = extract_text(tmp_path, _joined_tables(text, sep), report.name)
    assert score(after, label).right == score(before, label).right >= 196
    assert {w["code"] for w in after["warnings"]} <= {w["code"] for w in before["warnings"]}


def test_joined_markdown_rows_with_a_full_width_pipe_part_alike():
    """A full-width "｜" among the joined rows' pipes (normalised to "|"): the
    raw line's pieces still line up with the cells, so the rows part where
    they do with every pipe half-width (before, the pieces were dropped and
    blank cells were taken for junctions)."""
    text = _joined_tables(next(CORPUS.glob("kiro/003_*.md")).read_text(encoding="utf-8"), " ")
    at = text.index("|", text.index("一、本年新收"))
    full = text[:at] + "｜" + text[at + 1:]
    assert [b.cells for b in parse_text(full).blocks if isinstance(b, Row)] == [
        b.cells for b in parse_text(text).blocks if isinstance(b, Row)]
