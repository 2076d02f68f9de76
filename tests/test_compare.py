"""`extract compare` on a dataset of the real reports: the figures journalists
quote, with the labelled numbers, and no figure where the report gives none."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import CORPUS, SEED
from lxml import html as lxml_html
from test_batch import batch
from typer.testing import CliRunner

from extractor.compare.cli import app
from extractor.compare.figures import FIGURES, load_rows

runner = CliRunner()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "dataset"
    batch(out, inputs=[str(CORPUS / "github"), str(CORPUS / "kiro"), str(SEED)])
    return out


def compare_csv(*args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_one_agency_across_years_matched_by_normalised_name(dataset):
    # The reports print 平潭综合实验区; the user types the committee's full name.
    rows = compare_csv(str(dataset), "--agency", "平潭综合实验区管委会")
    assert [int(r["year"]) for r in rows] == list(range(2019, 2026))
    # Each year shows its best read report: the portal page where there is one.
    assert [Path(r["source"]).name[:3] for r in rows] == ["002", "003", "004", "016", "015", "014", "013"]
    y2025 = rows[-1]
    # INDEX.md spot values for 平潭 2025: 154 received, 148 processed, 6 carried forward;
    # review 25/3/8/0/36; lawsuits 3/3/0/0/6 direct and 3/0/0/0/3 after review.
    assert (y2025["received"], y2025["processed"], y2025["carried_forward"]) == ("154", "148", "6")
    assert (y2025["received_natural_person"], y2025["received_commercial_enterprise"]) == ("151", "3")
    assert (y2025["reviews"], y2025["reviews_corrected_pct"]) == ("36", "8.3")
    assert (y2025["lawsuits"], y2025["lawsuits_corrected_pct"]) == ("9", "33.3")
    assert y2025["adds_up"] == "true" and y2025["cross_year_warnings"] == "1"
    # 平潭 2020: the report's own outcome rows do not add up to its total.
    y2020 = rows[1]
    assert (y2020["adds_up"], y2020["checks_failed"]) == ("false", "2")


def test_shares_of_the_processed_applications(dataset):
    (seed,) = compare_csv(str(dataset), "--agency", "朝阳市商务局")
    # The seed: 3 processed, 0 granted in full, 1 partly, 0 refused, 1 not held.
    assert (seed["processed"], seed["granted_pct"], seed["partly_granted_pct"], seed["refused_pct"],
            seed["not_held_pct"]) == ("3", "0", "33.3", "0", "33.3")
    assert seed["fee_yuan"] == "0" and seed["notes"] == ""


def test_blank_cells_give_no_figure_and_say_why(dataset):
    (shanghai,) = compare_csv(str(dataset), "--agency", "上海市人民政府办公厅", "--year", "2019")
    # Shanghai 2019 prints the 总计 column blank on the outcome rows: no share is made up.
    assert shanghai["received"] == "859" and shanghai["processed"] == "805"
    assert shanghai["granted_pct"] == shanghai["refused_pct"] == ""
    assert "「(一)予以公开 / 总计」空白，同行数字不能表明为0" in shanghai["notes"]
    assert shanghai["adds_up"] == "false"


def test_by_agency_for_one_year_sorted(dataset):
    rows = compare_csv(str(dataset), "--by", "agency", "--year", "2023", "--sort", "received")
    assert [(r["agency"], r["received"]) for r in rows] == [("平潭综合实验区", "81"), ("沭阳县发展和改革局", "26"),
                                                            ("洪泽区人民政府", "21"), ("朝阳市商务局", "3")]
    rows = compare_csv(str(dataset), "--by", "agency", "--sort", "received", "--asc")
    assert [r["received"] for r in rows][:2] == ["3", "26"]
    assert {r["agency"]: r["year"] for r in rows}["平潭综合实验区"] == "2025"  # its latest year


def test_markdown_and_a_self_contained_html_page(dataset, tmp_path):
    result = runner.invoke(app, [str(dataset), "--year", "2025"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# 2025年度") and "| 平潭综合实验区 | 2025 | 154 |" in result.stdout
    page = tmp_path / "compare.html"
    assert runner.invoke(app, [str(dataset), "-o", str(page)]).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text
    assert " src=" not in text and "<link" not in text
    tree = lxml_html.fromstring(text)
    charted = [f for f in FIGURES if f.chart]
    captions = [c.text_content() for c in tree.xpath("//figcaption")]
    bars = [c for c in captions if "历年" not in c]
    assert len(bars) == len(charted)
    # A year-by-year chart for each measure: 平潭 and 洪泽区 have several years.
    assert sum("（历年）" in c for c in captions) == len(charted)
    # Every chart has an axis with its unit; a share's axis runs to 100 %.
    for figure in tree.xpath("//figure"):
        labels = [t.text for t in figure.xpath(".//text")]
        assert any(unit in labels for unit in ("件", "%", "元")), figure.xpath("string(figcaption)")
    share = next(f for f in tree.xpath("//figure") if f.xpath("string(figcaption)").startswith("予以公开 %"))
    assert "100" in [t.text for t in share.xpath(".//text")]
    assert len(tree.xpath("//tbody/tr")) == len(load_rows(dataset))
    assert tree.xpath("//script") and "sort" in tree.xpath("//script")[0].text


def test_a_body_printed_with_and_without_its_city_is_one_agency(dataset):
    # 洪泽区 titles its 2023 report 洪泽区人民政府 and its 2024 report 淮安市洪泽区人民政府.
    for asked in ("洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府"):
        rows = compare_csv(str(dataset), "--agency", asked)
        assert [(r["agency"], r["year"], r["received"]) for r in rows] == [
            ("洪泽区人民政府", "2023", "21"), ("淮安市洪泽区人民政府", "2024", "95")]


def test_clear_errors(dataset, tmp_path):
    result = runner.invoke(app, [str(dataset), "--agency", "平潭"])
    assert result.exit_code == 2 and "did you mean 平潭综合实验区" in result.output
    result = runner.invoke(app, [str(tmp_path)])
    assert result.exit_code == 2 and "extract batch" in result.output
    result = runner.invoke(app, [str(dataset), "--year", "1999"])
    assert result.exit_code == 2 and "2019" in result.output
    result = runner.invoke(app, [str(dataset), "--sort", "nonsense"])
    assert result.exit_code == 2 and "received" in result.output
