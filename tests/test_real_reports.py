"""Every labelled real report (and the synthetic HTML page) against its
checked values: every cell right, or, where the source itself does not say,
flagged; never silently wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOT_ALL_DETERMINED, SEED, SEED_LABEL, extract, labelled_reports, pair_id, value_of

from extractor.evaluate import load_label, score

READABLE = (".txt", ".md", ".html", ".pdf", ".docx")
PAIRS = labelled_reports(READABLE)


def test_the_corpus_is_there():
    names = {report.name for report, _ in PAIRS}
    assert "000_7862af51daa0dff0.txt" in names
    assert "009_shanghai_gov_office_2019.html" in names
    assert {"001_huaian_city_2024.pdf", "001_hzq2023_working.pdf", "002_hzq2024_working.pdf",
            "sample_report_2021_template.libreoffice.pdf", "sample_report_2021_template.chromium.pdf"} <= names
    assert len(PAIRS) >= 23


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_every_cell_right_or_flagged(pair: tuple[Path, Path]):
    report, label_path = pair
    result = score(extract(report), load_label(label_path))
    assert result.silent == 0, result.silent_cells
    assert result.cells - result.right == NOT_ALL_DETERMINED.get(report.name, 0), result.wrong_cells
    assert result.meta_right == result.meta, result.meta_wrong


def test_seed_report():
    doc = extract(SEED)
    assert doc["report"] == {"title": "朝阳市商务局2023年政府信息公开工作年度报告", "agency": "朝阳市商务局",
                             "year": 2023, "published": "2024-01-28", "template": "2021",
                             "metadata_sources": {"title": "title_line", "agency": "title", "year": "title",
                                                  "published": "portal_field", "fee": "fee_sentence"}}
    assert doc["fees"]["information_processing_fee_yuan"] == 0
    assert doc["valid"] is True
    assert score(doc, load_label(SEED_LABEL)).right == 200
    rows = doc["tables"]["applications"]["rows"]
    assert value_of(rows["new_received"]["natural_person"]) == {"value": 3, "raw": "3", "inferred": False}
    assert rows["unable_not_held"]["total"]["value"] == 1
    assert rows["other_other"]["natural_person"]["value"] == 1
    assert [s["key"] for s in doc["sections"]] == ["overview", "proactive", "applications", "review_litigation",
                                                    "problems", "other_matters"]


def test_shanghai_2019_blank_cells_are_null_and_fail_checks_as_printed():
    doc = extract(next(r for r, _ in PAIRS if r.name.startswith("009_shanghai")))
    assert doc["report"]["template"] == "2019"
    apps = doc["tables"]["applications"]["rows"]
    assert apps["granted"]["natural_person"]["value"] == 258
    assert value_of(apps["granted"]["total"]) == {"value": None, "raw": "", "inferred": False}
    assert apps["other"]["natural_person"]["value"] is None  # （六）其他处理 printed blank
    proactive = doc["tables"]["proactive"]["rows"]
    assert value_of(proactive["procurement"]["amount"]) == {"value": 251000, "raw": "251000元", "inferred": False}
    failed = {c["id"]: c["message"] for c in doc["checks"] if not c["ok"]}
    assert "applications.row_total.granted" in failed
    assert "blank cells counted as 0" in failed["applications.row_total.granted"]
    assert "272" in failed["applications.row_total.granted"]  # what the row adds up to
    assert doc["valid"] is False


def test_pingtan_2020_source_error_is_a_failed_check_not_a_repair():
    doc = extract(next(r for r, _ in PAIRS if r.name.startswith("003_pingtan_2020")))
    apps = doc["tables"]["applications"]["rows"]
    assert apps["total_processed"]["total"]["value"] == 21
    failed = {c["id"]: c["message"] for c in doc["checks"] if not c["ok"]}
    assert set(failed) == {"applications.outcomes.natural_person", "applications.outcomes.total"}
    assert "27" in failed["applications.outcomes.total"] and "21" in failed["applications.outcomes.total"]


def test_kiro_blank_legal_person_columns_are_null():
    doc = extract(next(r for r, _ in PAIRS if r.name.startswith("006_沭阳县发展")))
    apps = doc["tables"]["applications"]["rows"]
    assert apps["new_received"]["natural_person"]["value"] == 26
    assert apps["new_received"]["commercial_enterprise"]["value"] is None
    assert doc["tables"]["review_litigation"]["rows"]["review"]["pending"]["value"] == 1
    assert doc["report"]["published"] == "2024-01-17"


def test_pre_2019_reports_are_freeform_not_forced_into_a_template():
    for prefix in ("010_pingtan_2018", "011_pingtan_landtax_2013"):
        report = next(r for r, _ in PAIRS if r.name.startswith(prefix))
        doc = extract(report)
        assert doc["report"]["template"] == "freeform"
        assert all(t["status"] == "missing" for t in doc["tables"].values())
        assert doc["valid"] is False
