"""The batch's fast paths write what the slow ones did: the JSON text of a
document, and the rows that pyarrow's CSV reader turns back into Parquet."""

from __future__ import annotations

import json
from collections import OrderedDict

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import SEED

from extractor.batch.rows import arrow_text, csv_text, render
from extractor.batch.store import to_json
from extractor.batch.writers import ParquetTable
from extractor.pipeline import extract_bytes


def stdlib(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


class Text(str):
    pass


def test_the_json_text_is_json_dumps_with_indent_one():
    doc = extract_bytes(SEED.read_bytes(), SEED)
    assert to_json(doc) == stdlib(doc)
    odd = [{"a": 1.5, "b": [1, 2.0, -0.0, 1e300, float("nan"), float("inf"), -float("inf")], 7: "x", 2.5: [],
            True: {}, None: [[]], "c": (1, "2"), "d": "\u2028\"\\\n\x00é汉"}, [], {}, "s", 3, None, [{"a": []}],
           {"x": True, "y": False, "z": None}, {"a": Text("x")}, OrderedDict(a=1), [Text("y")]]
    for value in odd:
        assert to_json(value) == stdlib(value)


def test_parquet_rows_read_back_as_written(tmp_path):
    schema = pa.schema([("s", pa.string()), ("i", pa.int32()), ("f", pa.float64()), ("b", pa.bool_())])
    rows = [['a"b\r\nc,', 1, 0.30000000000000004, True], [None, None, None, None], ["", -3, 1e-05, False],
            ["NA", 2, 5.0, None], ["null", None, -0.0, True]]
    table = ParquetTable(tmp_path / "t.parquet", schema, batch_rows=2)
    table.add_text(arrow_text(rows[:3]), 3)
    table.add(rows[3])
    table.add(rows[4])
    table.close()
    back = pq.read_table(tmp_path / "t.parquet")
    assert back.schema == schema
    assert [list(r.values()) for r in back.to_pylist()] == rows
    assert [g.num_rows for g in map(pq.ParquetFile(tmp_path / "t.parquet").metadata.row_group,
                                    range(3))] == [2, 2, 1]


def test_a_report_renders_the_same_whoever_renders_it():
    doc = extract_bytes(SEED.read_bytes(), SEED)
    rid = doc["source"]["sha256"][:16]
    first, again = render(rid, json.loads(to_json(doc)), "here.txt"), render(rid, doc, "here.txt")
    assert first.cells_csv == again.cells_csv and first.report == again.report and first.stored_path == str(SEED)
    assert first.cells > 0 and first.cells_arrow == first.cells_csv


def test_csv_lines_are_as_the_csv_module_writes_them():
    import csv
    import io

    rows = [["a", "b"], ["a,b", "c"], ['say "x"', ""], ["two\nlines", "x"], ["cr\ronly", "y"], [""], ["", ""],
            ["x"], [None, "n"], [3, 4.5], ["汉字", " lead"]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    assert csv_text(rows) == buffer.getvalue()
