"""Cross-year checks on the real 平潭 reports, 2019-2025: one agency, seven
consecutive years, the 2019 template until 2020 and the 2021 one from 2021."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest
from conftest import CORPUS
from test_batch import batch, query

from extractor.batch.cross_year import Facts, check_pair, facts

GITHUB = CORPUS / "github"
DUMPS = sorted(GITHUB.glob("00[2-8]_pingtan_20*.txt"))  # the text dumps, 2019..2025
COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org", "total")


def label(path: Path) -> dict:
    return json.loads((GITHUB / "labels" / f"{path.name[:3]}.json").read_text(encoding="utf-8"))["cells"]


@pytest.fixture(scope="module")
def pingtan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pingtan") / "dataset"
    batch(out, inputs=[str(p) for p in DUMPS])
    return out


def rows(dataset: Path) -> list[dict]:
    with (dataset / "cross_year.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_pair_of_consecutive_years_is_checked(pingtan):
    assert len(DUMPS) == 7
    table = rows(pingtan)
    pairs = sorted({(int(r["year"]), int(r["prev_year"])) for r in table})
    assert pairs == [(y, y - 1) for y in range(2020, 2026)]
    for year in range(2020, 2026):
        checks = {r["check_id"] for r in table if int(r["year"]) == year}
        assert checks == {f"carried_over.{c}" for c in COLUMNS} | {"in_force.regulations",
                                                                   "in_force.normative_documents"}
    assert {r["agency"] for r in table} == {"平潭综合实验区"}


def test_carried_over_against_last_years_carried_forward_with_the_labelled_numbers(pingtan):
    table = {(int(r["year"]), r["check_id"]): r for r in rows(pingtan)}
    for earlier, later in itertools.pairwise(DUMPS):
        year = int(later.stem[-4:])
        for column in COLUMNS:
            row = table[(year, f"carried_over.{column}")]
            this = label(later)[f"applications.carried_over.{column}"]
            last = label(earlier)[f"applications.carried_forward.{column}"]
            assert (float(row["actual"]), float(row["expected"])) == (this, last)
            assert row["result"] == ("ok" if this == last else "failed")
    # The one non-zero carry in these years: 1 application (a natural person's) from 2021 into 2022.
    assert table[(2022, "carried_over.total")]["actual"] == "1"
    assert table[(2022, "carried_over.natural_person")]["expected"] == "1"
    assert table[(2022, "carried_over.total")]["result"] == "ok"


def test_in_force_only_where_both_years_use_the_2021_template(pingtan):
    table = {(int(r["year"]), r["check_id"]): r for r in rows(pingtan)}
    for year in (2020, 2021):  # 2019->2020 both 2019 template; 2020->2021 crosses the templates
        for row in ("regulations", "normative_documents"):
            assert table[(year, f"in_force.{row}")]["result"] == "not_comparable"
    for year in range(2022, 2026):
        regulations = table[(year, "in_force.regulations")]
        assert (regulations["result"], regulations["actual"], regulations["expected"]) == ("ok", "0", "0")
        # The text dumps glue the 行政规范性文件 row into digits that split several ways: left unread,
        # so the check says it cannot be evaluated instead of guessing.
        documents = table[(year, "in_force.normative_documents")]
        assert documents["result"] == "not_evaluable" and "could not be read" in documents["message"]
        assert documents["actual"] == ""


def test_no_warnings_when_everything_holds(pingtan):
    assert query(pingtan, "select count(*) from warnings where code = 'cross_year'") == [(0,)]


def test_a_real_in_force_gap_is_a_warning_on_the_later_report(tmp_path):
    # The portal pages of 2022 and 2023 print 行政规范性文件 in full: 698 in force at the end
    # of 2022; in 2023 77 issued and 132 repealed, so 643 expected, but 470 printed.
    pages = [GITHUB / "016_pingtan_2022_page.html", GITHUB / "015_pingtan_2023_page.html"]
    out = tmp_path / "dataset"
    batch(out, inputs=[str(p) for p in pages])
    (row,) = [r for r in rows(out) if r["check_id"] == "in_force.normative_documents"]
    l22, l23 = label(pages[0]), label(pages[1])
    expected = (l22["proactive.normative_documents.in_force"] + l23["proactive.normative_documents.issued"]
                - l23["proactive.normative_documents.repealed"])
    assert expected == 643
    assert (row["result"], float(row["actual"]), float(row["expected"])) == ("failed", 470, expected)
    assert row["source"] == str(pages[1]) and row["prev_source"] == str(pages[0])

    doc = json.loads(next(p for p in (out / "reports").glob("*.json")
                          if str(pages[1]) in p.read_text(encoding="utf-8")).read_text(encoding="utf-8"))
    (warning,) = [w for w in doc["warnings"] if w["code"] == "cross_year"]
    assert warning["where"] == "proactive.normative_documents.in_force"
    assert "470" in warning["message"] and "643" in warning["message"]
    assert query(out, "select report_id, location from warnings where code = 'cross_year'") == [
        (row["report_id"], "proactive.normative_documents.in_force")]
    assert query(out, f"select cross_year_failed from reports where source = '{pages[1]}'") == [(1,)]
    # The earlier report gets no warning; the numbers themselves are kept as printed.
    assert query(out, f"select cross_year_failed from reports where source = '{pages[0]}'") == [(0,)]
    assert doc["tables"]["proactive"]["rows"]["normative_documents"]["in_force"]["value"] == 470


def _facts(**cells) -> Facts:
    f = Facts(report_id="x", source="x", agency="a", key="a", year=2022, template="2021",
              proactive_layout="2021")
    f.set_cells({k.replace("__", "."): v for k, v in cells.items()})
    return f


def test_blank_cells_count_as_zero_and_say_so_and_unread_cells_are_not_guessed():
    blank = {"value": None, "raw": "", "inferred": False}
    later = _facts(applications__carried_over__total=blank)
    earlier = _facts(applications__carried_forward__total={"value": 2, "raw": "2", "inferred": False})
    earlier.year = 2021
    result = next(r for r in check_pair(later, earlier) if r.check_id == "carried_over.total")
    assert (result.result, result.actual, result.expected) == ("failed", 0, 2)
    assert "blank, counted as 0" in result.message
    unread = _facts(applications__carried_over__total={"value": None, "raw": "1203", "inferred": False})
    result = next(r for r in check_pair(unread, earlier) if r.check_id == "carried_over.total")
    assert result.result == "not_evaluable" and "could not be read from '1203'" in result.message


def test_free_form_reports_are_not_compared(tmp_path):
    # 平潭 2018 is a pre-2019 free-form report: nothing to compare 2019 against.
    out = tmp_path / "dataset"
    batch(out, inputs=[str(GITHUB / "010_pingtan_2018_pre2019.txt"), str(DUMPS[0])])
    assert rows(out) == []
    assert facts("x", json.loads(next((out / "reports").glob("*.json")).read_text(encoding="utf-8"))).key == \
        "平潭综合实验区"


def test_a_body_printed_with_and_without_its_city_is_checked_across_years(tmp_path):
    # 洪泽区: 2023 titled 洪泽区人民政府, 2024 淮安市洪泽区人民政府 (both PDFs, 2021 table 二).
    kiro = CORPUS / "kiro"
    pdfs = [kiro / "001_hzq2023_working.pdf", kiro / "002_hzq2024_working.pdf"]
    out = tmp_path / "dataset"
    batch(out, inputs=[str(p) for p in pdfs])
    table = {r["check_id"]: r for r in rows(out)}
    assert {(r["year"], r["prev_year"]) for r in table.values()} == {("2024", "2023")}
    labels = [json.loads((kiro / "labels" / f"{p.name[:3]}.json").read_text(encoding="utf-8"))["cells"]
              for p in pdfs]
    row = table["in_force.normative_documents"]
    expected = (labels[0]["proactive.normative_documents.in_force"] + labels[1]["proactive.normative_documents.issued"]
                - labels[1]["proactive.normative_documents.repealed"])
    assert (float(row["actual"]), float(row["expected"])) == (labels[1]["proactive.normative_documents.in_force"],
                                                              expected)
    assert row["result"] == "ok"
    assert (table["carried_over.total"]["actual"], table["carried_over.total"]["expected"]) == (
        str(labels[1]["applications.carried_over.total"]), str(labels[0]["applications.carried_forward.total"]))
    assert query(out, "select count(distinct agency_key) from reports") == [(1,)]
