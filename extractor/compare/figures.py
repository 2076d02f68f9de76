"""The figures journalists quote, computed from a batch dataset.

One row per agency-year: the report that stands for it (the best read one
when an agency has several for a year, see batch/cross_year.py) gives
applications received (and by applicant type), the shares of the processed
applications granted in full, partly granted, refused and "not held",
carried forward, administrative reviews and lawsuits with the share
corrected, the fee collected, and whether the report's own numbers add up.

A figure is never made up: a cell that is blank or could not be read gives
no figure (None), and the row's `notes` says which cell and why. Shares are
percentages of 办理结果总计 (applications.total_processed.total).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..agency import agency_key, within
from ..batch.cross_year import undetermined_cell

APPLICANTS = (("natural_person", "自然人"), ("commercial_enterprise", "商业企业"),
              ("research_institution", "科研机构"), ("social_welfare_org", "社会公益组织"),
              ("legal_service_org", "法律服务机构"), ("other_org", "其他"))
DENIED_ROWS = ("denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party",
               "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_inquiry")


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str  # as a journalist reads it
    kind: str  # "count" | "pct" | "money" | "text" | "flag"
    chart: bool = True


FIGURES: tuple[Figure, ...] = (
    Figure("agency", "机关", "text", chart=False),
    Figure("year", "年度", "text", chart=False),
    Figure("received", "本年新收申请", "count"),
    *(Figure(f"received_{key}", f"其中{label}", "count") for key, label in APPLICANTS),
    Figure("processed", "办理结果总计", "count"),
    Figure("granted_pct", "予以公开 %", "pct"),
    Figure("partly_granted_pct", "部分公开 %", "pct"),
    Figure("refused_pct", "不予公开 %", "pct"),
    Figure("not_held_pct", "本机关不掌握 %", "pct"),
    Figure("carried_forward", "结转下年度", "count"),
    Figure("reviews", "行政复议", "count"),
    Figure("reviews_corrected_pct", "复议纠正 %", "pct"),
    Figure("lawsuits", "行政诉讼", "count"),
    Figure("lawsuits_corrected_pct", "诉讼纠正 %", "pct"),
    Figure("fee_yuan", "信息处理费（元）", "money"),
    Figure("adds_up", "自身数字相符", "flag", chart=False),
    Figure("checks_failed", "未通过的校验", "count", chart=False),
    Figure("cross_year_warnings", "跨年度不一致", "count", chart=False),
    Figure("template", "模板", "text", chart=False),
    Figure("source", "来源文件", "text", chart=False),
    Figure("notes", "说明", "text", chart=False),
)
COLUMNS = [f.key for f in FIGURES]

_WANTED_ROWS = {
    "applications": ("new_received", "total_processed", "granted", "partially_granted", "unable_not_held",
                     "carried_forward", *DENIED_ROWS),
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


class _Cells:
    """Read cells for figures, remembering why a figure could not be given."""

    def __init__(self, cells: dict[str, dict]) -> None:
        self.cells = cells
        self.notes: dict[str, None] = {}

    def get(self, key: str) -> float | None:
        cell = self.cells.get(key)
        if cell is None:
            self.notes[f"{key} not in the report"] = None
            return None
        if undetermined_cell(cell):
            self.notes[f"{key} could not be read ({cell['raw']})"] = None
            return None
        if cell["value"] is None:
            self.notes[f"{key} blank"] = None
            return None
        if cell["inferred"]:
            self.notes[f"{key} inferred from the table's sums"] = None
        return cell["value"]

    def total(self, *keys: str) -> float | None:
        values = [self.get(k) for k in keys]
        return None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]


def _pct(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


def figures(cells: dict[str, dict], *, fee_yuan: float | None, checks: int, checks_failed: int) -> dict:
    c = _Cells(cells)
    apps = "applications.{}.total".format
    processed = c.get(apps("total_processed"))
    reviews = c.get("review_litigation.review.total")
    lawsuits = c.total("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total")
    row: dict = {
        "received": c.get(apps("new_received")),
        **{f"received_{key}": c.get(f"applications.new_received.{key}") for key, _ in APPLICANTS},
        "processed": processed,
        "granted_pct": _pct(c.get(apps("granted")), processed),
        "partly_granted_pct": _pct(c.get(apps("partially_granted")), processed),
        "refused_pct": _pct(c.total(*(apps(r) for r in DENIED_ROWS)), processed),
        "not_held_pct": _pct(c.get(apps("unable_not_held")), processed),
        "carried_forward": c.get(apps("carried_forward")),
        "reviews": reviews,
        "reviews_corrected_pct": _pct(c.get("review_litigation.review.corrected"), reviews),
        "lawsuits": lawsuits,
        "lawsuits_corrected_pct": _pct(c.total("review_litigation.litigation_direct.corrected",
                                               "review_litigation.litigation_after_review.corrected"), lawsuits),
        "fee_yuan": fee_yuan,
        "adds_up": None if not checks else checks_failed == 0,
        "checks_failed": checks_failed,
    }
    if processed == 0:
        c.notes["no application processed: no shares"] = None
    if fee_yuan is None:
        c.notes["the report states no fee"] = None
    row["notes"] = "; ".join(c.notes)
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
