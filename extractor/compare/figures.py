"""The figures journalists quote, computed from a batch dataset.

One row per agency-year: the report that stands for it (the best read one
when an agency has several for a year, see batch/cross_year.py) gives
applications received (and by applicant type), the shares of the processed
applications granted in full, partly granted, refused, not provided and not
processed, carried forward, administrative reviews and lawsuits with the
share corrected, the fee collected, and whether the report's own numbers add
up.

The shares are the indicators of docs/output.md, computed by
`extractor.indicators` under its blank-versus-zero rule (a blank counts as 0
only where its row shows it is one); a figure is never made up: a cell that
is not in the report, could not be read or is an unknown blank gives no
figure (None), and the row's `notes` say which cell and why, in Chinese (the
cell's key beside each note in `note_keys`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..agency import agency_key, within
from ..codebook import codebook_rows
from ..indicators import Result, cell_number, compute, row_index

APPLICANTS = (("natural_person", "自然人"), ("commercial_enterprise", "商业企业"),
              ("research_institution", "科研机构"), ("social_welfare_org", "社会公益组织"),
              ("legal_service_org", "法律服务机构"), ("other_org", "其他"))
DENIED_ROWS = ("denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party",
               "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_inquiry")
UNABLE_ROWS = ("unable_not_held", "unable_needs_creation", "unable_unclear")
REJECTED_ROWS = ("rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
                 "rejected_confirmation")


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str  # as a journalist reads it
    kind: str  # "count" | "pct" | "money" | "text" | "flag"
    chart: bool = True
    indicator: str | None = None  # the indicator a share is

    @property
    def unit(self) -> str:
        return {"count": "件", "pct": "%", "money": "元"}.get(self.kind, "")


FIGURES: tuple[Figure, ...] = (
    Figure("agency", "机关", "text", chart=False),
    Figure("year", "年度", "text", chart=False),
    Figure("received", "本年新收申请", "count"),
    *(Figure(f"received_{key}", f"其中{label}", "count", chart=False) for key, label in APPLICANTS),
    Figure("processed", "办理结果总计", "count"),
    Figure("granted_pct", "予以公开 %", "pct", indicator="grant_rate"),
    Figure("partly_granted_pct", "部分公开 %", "pct", indicator="partial_grant_rate"),
    Figure("refused_pct", "不予公开 %", "pct", indicator="refusal_rate"),
    Figure("unable_pct", "无法提供 %", "pct", indicator="unable_rate"),
    Figure("not_held_pct", "本机关不掌握 %", "pct", indicator="not_held_rate"),
    Figure("not_processed_pct", "不予处理 %", "pct", indicator="not_processed_rate"),
    Figure("carried_forward", "结转下年度", "count"),
    Figure("reviews", "行政复议", "count"),
    Figure("reviews_corrected_pct", "复议纠错 %", "pct", indicator="review_correction_rate"),
    Figure("lawsuits", "行政诉讼", "count"),
    Figure("lawsuits_corrected_pct", "诉讼纠错 %", "pct", indicator="litigation_correction_rate"),
    Figure("fee_yuan", "信息处理费（元）", "money"),
    Figure("adds_up", "自身数字相符", "flag", chart=False),
    Figure("checks_failed", "未通过的校验", "count", chart=False),
    Figure("cross_year_warnings", "跨年度不一致", "count", chart=False),
    Figure("template", "模板", "text", chart=False),
    Figure("source", "来源文件", "text", chart=False),
    Figure("notes", "说明", "text", chart=False),
)
COLUMNS = [f.key for f in FIGURES]
BY_KEY = {f.key: f for f in FIGURES}

_WANTED_ROWS = {
    "applications": ("new_received", "total_processed", "granted", "partially_granted", "carried_forward",
                     *DENIED_ROWS, *UNABLE_ROWS, *REJECTED_ROWS),
    "review_litigation": ("review", "litigation_direct", "litigation_after_review"),
}


class CompareError(Exception):
    """One clear line for the user."""


def load_rows(dataset: Path) -> list[dict]:
    """Every agency-year of the dataset (its standing report), with its figures."""
    import duckdb

    db = dataset / "dataset.duckdb"
    if not db.is_file():
        raise CompareError(f"{dataset}: no dataset.duckdb here; make the dataset first with "
                           f"`extract batch REPORTS/ -o {dataset}`")
    con = duckdb.connect(str(db), read_only=True)
    try:
        reports = con.execute(
            'SELECT report_id, agency, agency_key, year, template, source, fee_yuan, checks, checks_failed, '
            'cross_year_failed FROM reports WHERE "primary" ORDER BY agency_key, year').fetchall()
        conditions = " OR ".join(f"(\"table\" = '{t}' AND \"row\" IN ({', '.join(repr(r) for r in rows)}))"
                                 for t, rows in _WANTED_ROWS.items())
        cells: dict[str, dict[str, dict]] = {}
        query = (f'SELECT c.report_id, c."table", c."row", c."column", c.value, c.raw, c.inferred FROM cells c '
                 f'JOIN reports r USING (report_id) WHERE r."primary" AND ({conditions})')
        for rid, table, row, column, value, raw, inferred in con.execute(query).fetchall():
            cells.setdefault(rid, {})[f"{table}.{row}.{column}"] = {"value": value, "raw": raw,
                                                                      "inferred": inferred}
    finally:
        con.close()
    out = []
    for rid, agency, key, year, template, source, fee, n_checks, failed, cross in reports:
        row = figures(cells.get(rid, {}), fee_yuan=fee, checks=n_checks, checks_failed=failed)
        row.update(agency=agency, agency_key=key, year=year, template=template, source=source,
                   cross_year_warnings=cross, report_id=rid)
        out.append(row)
    return out


@cache
def _labels() -> dict[str, str]:
    return {r["key"]: r["label_zh"] for r in codebook_rows()}


class _Cells:
    """Cells as numbers for figures, remembering, in Chinese, why a figure
    could not be given or what it took for granted."""

    def __init__(self, cells: dict[str, dict]) -> None:
        self.cells = cells
        self.rows = row_index(cells)
        self.notes: dict[str, str] = {}  # note -> the cell key it concerns

    def note(self, key: str, reason: str) -> None:
        label = f"「{_labels().get(key, key)}」"
        raw = (self.cells.get(key) or {}).get("raw", "")
        text = {"absent": f"{label}报告中没有", "unread": f"{label}无法读取（原文：{raw}）",
                "blank_unknown": f"{label}空白，同行数字不能表明为0", "blank_zero": f"{label}空白，按0计",
                "inferred": f"{label}由表内勾稽关系推出"}[reason]
        self.notes.setdefault(text, key)

    def get(self, key: str) -> float | None:
        number = cell_number(self.cells, key, self.rows)
        # A blank its row shows to be 0 is the rule (see the page's legend), not news.
        if number.reason and number.reason != "blank_zero":
            self.note(key, number.reason)
        if (self.cells.get(key) or {}).get("inferred"):
            self.note(key, "inferred")
        return number.value

    def total(self, *keys: str) -> float | None:
        values = [self.get(k) for k in keys]
        return None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]

    def share(self, result: Result) -> float | None:
        if result.value is None and result.cell:
            self.note(result.cell, result.reason)
        return result.value


def figures(cells: dict[str, dict], *, fee_yuan: float | None, checks: int, checks_failed: int) -> dict:
    c = _Cells(cells)
    apps = "applications.{}.total".format
    processed = c.get(apps("total_processed"))
    reviews = c.get("review_litigation.review.total")
    lawsuits = c.total("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total")
    shares = compute(cells)
    row: dict = {
        "received": c.get(apps("new_received")),
        **{f"received_{key}": c.get(f"applications.new_received.{key}") for key, _ in APPLICANTS},
        "processed": processed,
        **{f.key: c.share(shares[f.indicator]) for f in FIGURES if f.indicator},
        "carried_forward": c.get(apps("carried_forward")),
        "reviews": reviews,
        "lawsuits": lawsuits,
        "fee_yuan": fee_yuan,
        "adds_up": None if not checks else checks_failed == 0,
        "checks_failed": checks_failed,
    }
    if processed == 0:
        c.notes.setdefault("无办理结果，不计比例", apps("total_processed"))
    if fee_yuan is None:
        c.notes.setdefault("报告未说明信息处理费", "fees.information_processing_fee_yuan")
    row["notes"] = "；".join(c.notes)
    row["note_keys"] = list(c.notes.items())
    return row


def select(rows: list[dict], *, by: str, year: int | None, agencies: list[str]) -> list[dict]:
    """The rows asked for: one agency-year each, or one per agency (its given or latest year)."""
    if agencies:
        wanted = {agency_key(a) or "" for a in agencies}
        known = {r["agency_key"] for r in rows if r["agency_key"]}
        for name in agencies:
            if not any(_same_body(agency_key(name) or "", k) for k in known):
                raise CompareError(_unknown_agency(name, rows))
        rows = [r for r in rows if r["agency_key"] and any(_same_body(w, r["agency_key"]) for w in wanted)]
    if year is not None:
        years = sorted({r["year"] for r in rows if r["year"] is not None})
        rows = [r for r in rows if r["year"] == year]
        if not rows:
            raise CompareError(f"no report for {year}" + (f"; years there: {', '.join(map(str, years))}"
                                                          if years else " (the dataset has no reports)"))
    if by == "agency":
        latest: dict[str, dict] = {}
        for r in rows:
            if r["agency_key"] not in latest or r["year"] > latest[r["agency_key"]]["year"]:
                latest[r["agency_key"]] = r
        rows = list(latest.values())
    return rows


def _same_body(asked: str, key: str) -> bool:
    """The dataset's key (already grouped, see agency.unify) for the name a user typed,
    with or without the parent administration."""
    return asked == key or within(asked, key) or within(key, asked)


def _unknown_agency(name: str, rows: list[dict]) -> str:
    import difflib

    names = sorted({r["agency"] for r in rows if r["agency"]})
    key = agency_key(name) or ""
    close = [n for n in names if key and (key in (agency_key(n) or "") or (agency_key(n) or "") in key)]
    close += [n for n in difflib.get_close_matches(name, names, n=5, cutoff=0.5) if n not in close]
    hint = f"; did you mean {', '.join(close[:5])}?" if close else f"; agencies in the dataset: {len(names)}"
    return f"no agency {name!r} in the dataset{hint}"


def sort_rows(rows: list[dict], key: str | None, descending: bool) -> list[dict]:
    """Sorted by a figure (missing values last, whatever the direction), then agency and year."""
    rows = sorted(rows, key=lambda r: (r["agency_key"] or "", r["year"] or 0))
    if key is None:
        return rows
    if key not in COLUMNS:
        raise CompareError(f"cannot sort by {key!r}; choose one of: {', '.join(COLUMNS)}")
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    return sorted(present, key=lambda r: r[key], reverse=descending) + missing
