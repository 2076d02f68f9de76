"""The build's update of a stored document's warnings, in its text (jsontext.replace_top_value)."""

from __future__ import annotations

import json

from extractor.batch.jsontext import replace_top_value
from extractor.batch.store import to_json


def test_replacing_a_top_level_value_writes_what_encoding_the_changed_dict_writes():
    doc = {"source": {"path": "a", "warnings": []}, "text": "x\n \"warnings\": []", "warnings": [],
           "valid": True}
    text = to_json(doc)
    for new in ([], [{"code": "cross_year", "message": "汉 \"q\"\n", "where": None}], [{"a": [1.5, {}]}]):
        assert replace_top_value(text, "warnings", [], new) == to_json({**doc, "warnings": new})
    last = {"valid": True, "warnings": [{"code": "c"}]}
    assert replace_top_value(to_json(last), "warnings", [{"code": "c"}], []) == to_json({**last, "warnings": []})


def test_a_value_other_than_the_stored_one_is_not_replaced():
    text = to_json({"warnings": [{"code": "c"}], "valid": True})
    assert replace_top_value(text, "warnings", [], [1]) is None
    assert replace_top_value(text, "warnings", [{"code": "d"}], [1]) is None
    assert replace_top_value(text, "absent", [], [1]) is None
    assert json.loads(text) == {"warnings": [{"code": "c"}], "valid": True}
