"""Damage to the file itself: a flipped byte, a download cut inside a
character. What can be read is read, and what could not be is said. Damaged
inputs are built here from the fixtures, seeded."""

from __future__ import annotations

import random

import pytest
from conftest import SEED, extract

from extractor.errors import ExtractError
from extractor.model import Cell
from extractor.pipeline import extract_bytes
from extractor.readers.encoding import MAX_UNDECODABLE_SHARE
from extractor.tables.damage import MARKUP, SHORT, grid_row_damage, text_damage


def cells_of(doc: dict) -> dict[str, object]:
    return {f"{t}.{r}.{c}": cell["value"] for t, table in doc["tables"].items()
            for r, cols in table["rows"].items() for c, cell in cols.items()}


def warnings_of(doc: dict, code: str) -> list[dict]:
    return [w for w in doc["warnings"] if w["code"] == code]


# -- 7: damaged bytes in UTF-8 text and HTML ------------------------------------


def test_a_damaged_byte_in_a_text_report_is_read_and_said():
    data = SEED.read_bytes()
    row = data.index("(二)部分公开".encode())
    cell = data.index(b"\n1\n", row) + 1
    doc = extract_bytes(data[:cell] + b"\xff" + data[cell + 1:], SEED)
    (note,) = warnings_of(doc, "undecodable_bytes")
    line = data.count(b"\n", 0, cell) + 1
    assert f"byte {cell} (line {line})" in note["message"]


def test_a_download_cut_inside_a_character_is_read():
    data = SEED.read_bytes()
    cut = data.rindex("商务局".encode()) + 2  # inside 商, two of its three bytes kept
    doc = extract_bytes(data[:cut], SEED)
    (note,) = warnings_of(doc, "undecodable_bytes")
    assert "2 bytes" in note["message"] and f"bytes {cut - 2}-{cut - 1}" in note["message"]
    undamaged = extract(SEED)
    assert cells_of(doc) == cells_of(undamaged)
    assert doc["valid"] is undamaged["valid"] is True


def test_a_file_undecodable_in_more_than_a_few_percent_of_its_bytes_is_refused():
    data = bytearray(SEED.read_bytes())
    rng = random.Random(7)
    for pos in rng.sample(range(len(data)), int(len(data) * MAX_UNDECODABLE_SHARE * 2)):
        data[pos] = 0xFF
    with pytest.raises(ExtractError) as refused:
        extract_bytes(bytes(data), SEED)
    assert refused.value.code == "encoding"


# -- 14: markup printed as a cell's text ----------------------------------------


@pytest.mark.parametrize("text", ['132 style="padding: 0px 7px" valign="center"> 470', "&lt;td&gt;5",
                                  "0</", '3 <td width="43">', "12 align=center> 3"])
def test_markup_in_a_cell_is_damage(text: str):
    assert MARKUP in text_damage([text], markup=True)


@pytest.mark.parametrize("text", ['3.危及"三安全一稳定"', "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
                                  "55(含自然失效29件)", "251000元", "本年收费金额(单位:万元)", "a=b 无"])
def test_template_text_is_not_markup(text: str):
    assert text_damage([text], markup=True) == {}


# -- 16: a row printed with a cell missing ------------------------------------------


def test_a_grid_row_short_of_cells_is_marked():
    row = [Cell("规章", (0, 0)), Cell("1", (0, 1)), Cell("", (0, 2), missing=True)]
    assert grid_row_damage(row, None, set()) == {SHORT: "2 of the table's 3 columns"}
    assert grid_row_damage([Cell("", (0, 0), missing=True)] * 3, None, set()) == {}
