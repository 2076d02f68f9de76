"""Property: whatever the flattening style and the damage, every value the
extractor emits is either right or flagged (never silently wrong)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from damage import damaged_reports
from hypothesis import HealthCheck, given, settings

from extractor.evaluate import score
from extractor.pipeline import extract_file


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_reports())
def test_every_value_is_right_or_flagged(case):
    style, damage, cells, text = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        doc = extract_file(path)
    result = score(doc, {"cells": cells})
    assert result.silent == 0, (style, damage, result.silent_cells[:5])
