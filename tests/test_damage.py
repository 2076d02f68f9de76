"""Each kind of damage real pages do to the tables, on snippets of the real
reports in tests/fixtures (where a snippet is rebuilt or altered, the test
says so)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, SEED, SEED_LABEL, extract, value_of
from synth import APPLICATION_COLUMNS, APPLICATIONS_2021, render_lines

from extractor.evaluate import flagged, score
from extractor.pipeline import extract_file
from extractor.tables.solve import RowShape, read_row
from extractor.tables.units import Token
from extractor.tables.values import parse_cell
from extractor.templates import data_file

APPLICATIONS_ROW = RowShape(7, ((6, (0, 1, 2, 3, 4, 5)),))
REVIEW_ROW = RowShape(15, tuple((b * 5 + 4, tuple(range(b * 5, b * 5 + 4))) for b in range(3)))
SEED_CELLS = json.loads(SEED_LABEL.read_text(encoding="utf-8"))["cells"]


def values(reading) -> list[list]:
    return [[c.value for c in cand] for cand in reading.candidates]


def glued(*texts: str) -> list[Token]:
    return [Token(t, glued=True) for t in texts]


def extract_text(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


# -- glued digits (平潭 crawler dumps) -------------------------------------------


def test_glued_row_splits_one_way():
    # 004_pingtan_2021: 一、本年新收政府信息公开申请数量640020470
    assert values(read_row(glued("640020470"), APPLICATIONS_ROW, exact=False)) == [[64, 0, 0, 2, 0, 4, 70]]


def test_glued_table_four_splits_one_way():
    # 004_pingtan_2021: table 四 printed as one 17-digit run for 15 cells
    assert values(read_row(glued("10203120001200000"), REVIEW_ROW, exact=False)) == [
        [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]]


def test_spaces_in_a_dump_are_cell_boundaries():
    # 003_pingtan_2020: 一、本年新收…数量200 000121 and （七）总计20 0 00 0 121
    assert values(read_row(glued("200", "000121"), APPLICATIONS_ROW, exact=False)) == [[20, 0, 0, 0, 0, 1, 21]]
    assert values(read_row(glued("20", "0", "00", "0", "121"), APPLICATIONS_ROW, exact=False)) == [
        [20, 0, 0, 0, 0, 1, 21]]


def test_row_with_two_splits_is_settled_by_the_column_identities():
    doc = extract(CORPUS / "github" / "004_pingtan_2021.txt")
    granted = doc["tables"]["applications"]["rows"]["granted"]
    assert [granted[c]["value"] for c in granted] == [27, 0, 0, 2, 0, 1, 30]
    assert [granted[c]["raw"] for c in granted] == ["27", "0", "0", "2", "0", "1", "30"]
    note = next(w for w in doc["warnings"] if w["code"] == "split_by_identities" and w["where"].endswith("granted"))
    assert "2/7/0/0/20/1/30" in note["message"]


def test_ambiguous_glued_row_is_null_with_every_reading_listed():
    doc = extract(CORPUS / "github" / "004_pingtan_2021.txt")
    row = doc["tables"]["proactive"]["rows"]["normative_documents"]
    assert all(cell["value"] is None and cell["raw"] == "693665" for cell in row.values())
    note = next(w for w in doc["warnings"] if w["where"] == "proactive.normative_documents")
    assert note["code"] == "ambiguous_cells" and "10 ways" in note["message"] and "69/3/665" in note["message"]


def test_a_cell_the_same_in_every_reading_is_kept():
    # 003_pingtan_2020: 行政处罚2648-18538 (a sign may only start 本年增/减)
    doc = extract(CORPUS / "github" / "003_pingtan_2020.txt")
    penalty = doc["tables"]["proactive"]["rows"]["penalty"]
    assert penalty["prev_year_items"]["value"] == 2648
    assert penalty["change"]["value"] is None and penalty["decisions"]["value"] is None


def test_glued_readings_are_always_flagged():
    doc = extract(CORPUS / "github" / "008_pingtan_2025.txt")
    note = next(w for w in doc["warnings"] if w["code"] == "glued_cells_split" and w["where"] == "applications")
    assert "new_received" in note["message"]
    assert flagged(doc, "applications", "new_received", "natural_person")


# -- tokens that are not plain numbers ---------------------------------------------


@pytest.mark.parametrize("text,value", [
    ("251000元", 251000),  # 009_shanghai: 政府集中采购 采购总金额
    ("55(含自然失效29件)", 55),  # kiro 004: a number with a note
    ("5949.088667", 5949.088667),  # 006_pingtan_2023: 收费 in 万元
    ("12件", 12), ("3条", 3), ("7项", 7), ("2批次", 2), ("1.5万元", 1.5),
    ("+12", 12), ("-185", -185), ("减少2", -2), ("增加3", 3),
    ("1,234", 1234), ("１２", 12), ("  8 ", 8),
    ("无变化", 0), ("持平", 0),
    ("/", None), ("—", None), ("-", None), ("无", None), ("", None), ("见附件", None),
])
def test_cell_text_to_value(text: str, value):
    from extractor.normalize import normalize

    assert parse_cell(normalize(text)).value == value


def test_units_and_padding_in_a_flattened_page(tmp_path: Path):
    # The seed's real values, one cell per line, some with a unit, some padded (synthetic).
    text = render_lines(SEED_CELLS)
    text = text.replace("\n\n3\n\n", "\n\n3件\n\n", 1).replace("\n\n1\n\n", "\n\n\u3000 1 \n\n", 1)
    assert score(extract_text(tmp_path, text), {"cells": SEED_CELLS}).right == 200


# -- vanished blank cells ---------------------------------------------------------


def _shanghai_2019_flattened() -> tuple[str, dict]:
    """The real 009_shanghai_gov_office_2019 table 三 (2019 layout: one
    （六）其他处理 row), printed one cell per line as a text dump would: its
    blank cells leave no line."""
    label = json.loads((CORPUS / "github" / "labels" / "009.json").read_text(encoding="utf-8"))
    cells = {k: v for k, v in label["cells"].items() if k.startswith("applications.")}
    rows = [(printed, key) for printed, key in APPLICATIONS_2021
            if (key and not key.startswith("other_")) or printed == "(六)其他处理"]
    lines = ["2019年上海市人民政府办公厅政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for printed, key in rows:
        lines.append(printed)
        printed_cells = [cells[f"applications.{key or 'other'}.{c}"] for c in APPLICATION_COLUMNS]
        lines += [str(v) for v in printed_cells if v is not None]
    lines += ["五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n", cells


def test_vanished_blank_cells_are_placed_or_flagged(tmp_path: Path):
    text, cells = _shanghai_2019_flattened()
    doc = extract_text(tmp_path, text)
    result = score(doc, {"cells": cells})
    assert result.silent == 0, result.silent_cells
    apps = doc["tables"]["applications"]["rows"]
    # A row with every cell blank is all null; a lone value on a row whose
    # 总计 is blank fits no reading and stays null, flagged.
    assert all(cell["value"] is None for cell in apps["denied_prohibited_by_law"].values())
    assert apps["granted"]["natural_person"]["value"] is None
    assert flagged(doc, "applications", "granted", "natural_person")
    # 18 → 72 (上年结转 → 结转下年度) could sit in any applicant column as far as
    # the surviving identities tell: flagged, not guessed.
    assert flagged(doc, "applications", "carried_forward", "natural_person")
    assert result.right >= 125


def test_bare_pipe_lines_that_are_row_separators(tmp_path: Path):
    # Synthetic: the seed's values one per line, blank cells as "|" lines and
    # a "|" line after every row as well (a "|" that stands for no cell).
    text = render_lines(SEED_CELLS, blank_marker="|")
    out = []
    for line in text.split("\n\n"):
        out.append(line)
        if line.startswith(("一、本年新收", "(七)总计")):
            continue
    text = text.replace("\n\n(二)部分公开", "\n\n|\n\n(二)部分公开").replace("\n\n(七)总计", "\n\n|\n\n(七)总计")
    assert score(extract_text(tmp_path, text), {"cells": SEED_CELLS}).right == 200


def test_whole_table_of_values_gone(tmp_path: Path):
    # The seed with every number of table 三 removed (synthetic damage).
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("一、本年新收"), text.index("四、政府信息公开行政复议")
    body = "\n".join(line for line in text[start:end].splitlines() if not line.strip().isdigit())
    doc = extract_text(tmp_path, text[:start] + body + text[end:])
    assert doc["tables"]["applications"]["status"] == "missing"
    assert doc["tables"]["applications"]["rows"] == {}
    assert any(w["code"] == "values_missing" for w in doc["warnings"])
    assert doc["tables"]["proactive"]["status"] == "complete"


def test_table_two_with_one_row_of_values_under_its_header_is_the_table(tmp_path: Path):
    """The seed with table 二 printed blank but for 规章 (synthetic: the values
    of its other rows taken out; a table printed without ruling lines, its
    blank cells leaving no text). One row of values under the table's header,
    every row label there in order: the table, 规章 read, the other rows
    blank and said to have left no text; before, "too few values" left the
    whole table missing and 规章's printed values with it."""
    cells = {k: (v if not k.startswith("proactive.") or k.startswith("proactive.regulations.") else None)
             for k, v in SEED_CELLS.items()}
    text = render_lines(cells)
    doc = extract_text(tmp_path, text)
    proactive = doc["tables"]["proactive"]
    assert [c["value"] for c in proactive["rows"]["regulations"].values()] == [
        SEED_CELLS[f"proactive.regulations.{c}"] for c in ("issued", "repealed", "in_force")]
    assert score(doc, {"cells": cells}).right == 200
    vanished = " ".join(w["message"] for w in doc["warnings"] if w["code"] == "cells_vanished")
    assert all(f"proactive.{row}" in vanished for row in ("normative_documents", "licensing", "fees"))
    # A label-value pair alone, with no header, is still running text.
    alone = "示例市测试局2023年政府信息公开工作年度报告\n\n规章\n\n3\n\n行政许可\n\n5\n\n本年度未收取信息处理费。\n"
    assert extract_text(tmp_path, alone)["tables"]["proactive"]["status"] == "missing"


# -- damaged labels ------------------------------------------------------------------


def test_label_with_a_wrong_character(tmp_path: Path):
    # The hzq reports print "2.其他法律行政止公开" (kiro labels/001 notes); here in the seed's page.
    text = SEED.read_text(encoding="utf-8").replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    doc = extract_text(tmp_path, text)
    assert score(doc, {"cells": SEED_CELLS}).right == 200


def test_row_the_agency_added_is_kept_out_of_the_canonical_rows(tmp_path: Path):
    # Synthetic: an extra row "9.其他情形" under （三）不予公开 in the seed's page.
    text = SEED.read_text(encoding="utf-8")
    anchor = "8.属于行政查询事项\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n"
    assert anchor in text
    text = text.replace(anchor, anchor + "9.其他情形\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n")
    doc = extract_text(tmp_path, text)
    assert score(doc, {"cells": SEED_CELLS}).right == 200
    apps = doc["tables"]["applications"]
    assert apps["extra_rows"] == [{"label": "9.其他情形", "cells": [{"value": 0, "raw": "0"}] * 7}]
    assert any(w["code"] == "row_not_in_template" for w in doc["warnings"])


def test_traditional_characters_in_a_big5_page(tmp_path: Path):
    # The seed's page as a big5 portal serves it: simplified characters turned
    # traditional with the project's own table (synthetic conversion).
    table = data_file("traditional.json")
    to_traditional = str.maketrans(table["simplified"], table["traditional"])
    text = render_lines(SEED_CELLS).replace("“", '"').replace("”", '"').translate(to_traditional)
    assert "規章" in text and "申請" in text
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5hkscs", errors="replace"))  # narrative characters big5 lacks become "?"
    doc = extract_file(path)
    assert score(doc, {"cells": SEED_CELLS}).right == 200


def test_header_printed_one_character_per_line(tmp_path: Path):
    text = render_lines(SEED_CELLS)
    text = text.replace("结果维持", "\n\n".join("结果维持"), 1)
    doc = extract_text(tmp_path, text)
    assert score(doc, {"cells": SEED_CELLS}).right == 200


def test_neighbours_of_an_unreadable_row_stay_right(tmp_path: Path):
    # The seed with 三个 stray numbers where （二）部分公开 printed its seven (synthetic damage).
    text = SEED.read_text(encoding="utf-8")
    start = text.index("(二)部分公开")
    stop = text.index("(三)不予公开")
    text = text[:start] + "(二)部分公开(区分处理的,只计这一情形,不计其他情形)\n\n5\n\n9\n\n2\n\n" + text[stop:]
    doc = extract_text(tmp_path, text)
    result = score(doc, {"cells": SEED_CELLS})
    assert result.silent == 0
    apps = doc["tables"]["applications"]["rows"]
    assert apps["granted"]["total"]["value"] == 0
    assert apps["denied_state_secret"]["total"]["value"] == 0
    assert all(cell["value"] is None for cell in apps["partially_granted"].values())


@pytest.mark.parametrize("printed,value,code", [
    ("251000元", 251000, None),  # as 009_shanghai prints it
    ("25.1万元", 251000, "unit_converted"),
    ("251000", 251000, "unit_unknown"),
])
def test_procurement_amount_in_yuan(tmp_path: Path, printed: str, value: int, code: str | None):
    # Synthetic: table 二 in the 2019 layout, the 政府集中采购 row of 009_shanghai with its unit varied.
    text = "\n".join([
        "2019年示例局政府信息公开工作年度报告", "二、主动公开政府信息情况",
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "| 规章 | 13 | 13 | 524 |", "| 规范性文件 | 60 | 60 | 368 |",
        "| 信息内容 | 采购项目数量 | 采购总金额 |", f"| 政府集中采购 | 6 | {printed} |",
        "三、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况", "无。"])
    doc = extract_text(tmp_path, text)
    cell = doc["tables"]["proactive"]["rows"]["procurement"]["amount"]
    assert (cell["value"], cell["raw"]) == (value, printed)
    codes = [w["code"] for w in doc["warnings"] if w["where"] == "proactive.procurement.amount"]
    assert codes == ([code] if code else [])


def test_negative_count_is_kept_and_said(tmp_path: Path):
    # Synthetic: the seed's 行政许可 printed "-5".
    text = SEED.read_text(encoding="utf-8").replace("行政许可\n\n0", "行政许可\n\n-5", 1)
    doc = extract_text(tmp_path, text)
    cell = doc["tables"]["proactive"]["rows"]["licensing"]["decisions"]
    assert value_of(cell) == {"value": -5, "raw": "-5", "inferred": False}
    assert text[cell["source"]["start"]:cell["source"]["end"]] == "-5"
    assert [w["code"] for w in doc["warnings"]] == ["negative_count"]


def test_a_row_with_too_many_readings_is_not_trusted(monkeypatch):
    # A glued run split under no identity: with the enumeration capped at 3, the
    # listed readings could agree by chance; the row must come out unreadable.
    import extractor.tables.solve as solve

    monkeypatch.setattr(solve, "MAX_CANDIDATES", 3)
    reading = read_row(glued("123456"), RowShape(3), exact=False)
    assert reading.candidates == [] and "more than 3" in reading.note
