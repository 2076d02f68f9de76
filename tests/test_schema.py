"""Every document the extractor emits validates against schemas/report.schema.json."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, extract

from extractor.readers import sniff

READABLE = {"text", "html", "pdf", "docx"}
REPORTS = sorted(p for p in FIXTURES.rglob("*") if p.is_file()
                 and p.suffix in (".txt", ".md", ".html", ".pdf", ".docx")
                 and p.name not in ("INDEX.md", "README.md") and sniff(p, p.read_bytes()[:4096]) in READABLE)


def test_schema_is_valid_2020_12(schema):
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name[:40])
def test_document_validates(report: Path, schema):
    jsonschema.Draft202012Validator(schema).validate(extract(report))


def test_schema_rejects_a_broken_document(schema):
    doc = dict(extract(REPORTS[0]))
    doc["tables"] = {"proactive": {"status": "done", "rows": {}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(doc)
