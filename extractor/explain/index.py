"""explain/index.html of a batch run with --explain: every report with a link
to its review page, the ones that need a look first (not valid, then by
failed checks), and every file that could not be read, with why."""

from __future__ import annotations

import html
from pathlib import Path

# The dataset's tables this page is made from (written by the build).
_REPORT_COLUMNS = ["report_id", "source", "agency", "year", "template", "valid", "checks_failed", "warnings"]
_ERROR_COLUMNS = ["source", "code", "message"]


def index_page(root: Path, pages: set[str]) -> str:
    """The index of the dataset at `root`; `pages`: the report ids that have a review page."""
    import pyarrow.parquet as pq

    reports = _rows(pq, root / "reports.parquet", _REPORT_COLUMNS)
    errors = _rows(pq, root / "errors.parquet", _ERROR_COLUMNS)
    reports.sort(key=lambda r: (bool(r["valid"]), -(r["checks_failed"] or 0), r["agency"] or "", r["year"] or 0))
    rows = []
    for r in reports:
        rid = r["report_id"]
        link = (f'<a href="{_e(rid)}.html">{_e(r["agency"] or "（机关未知）")}</a>' if rid in pages
                else _e(r["agency"] or "（机关未知）"))
        rows.append(f'<tr class="{"ok" if r["valid"] else "bad"}"><td>{link}</td><td>{_e(r["year"] or "—")}</td>'
                    f'<td>{_e(r["template"] or "—")}</td><td>{"有效 valid" if r["valid"] else "未通过 not valid"}</td>'
                    f'<td>{_e(r["checks_failed"])}</td><td>{_e(r["warnings"])}</td>'
                    f'<td class="src">{_e(Path(r["source"]).name)}</td></tr>')
    failed = "".join(f'<tr><td class="src">{_e(e["source"])}</td><td><code>{_e(e["code"])}</code></td>'
                     f'<td>{_e(e["message"])}</td></tr>' for e in errors)
    valid = sum(1 for r in reports if r["valid"])
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>核对 explain · 索引 index</title>'
        f"<style>{_CSS}</style></head><body><h1>核对页索引 Review pages</h1>"
        f"<p>{len(reports)} 份报告 reports ({valid} 有效 valid, {len(reports) - valid} 未通过 not valid), "
        f"{len(errors)} 个文件无法读取 files not read. 未通过的排在前面 Reports that are not valid come first.</p>"
        "<table><thead><tr><th>机关 agency</th><th>年度 year</th><th>模板 template</th><th>状态 status</th>"
        "<th>核对未通过 failed checks</th><th>警告 warnings</th><th>文件 file</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        + (f"<h2>无法读取的文件 Files not read ({len(errors)})</h2><table><thead><tr><th>文件 file</th><th>code</th>"
           f"<th>原因 why</th></tr></thead><tbody>{failed}</tbody></table>" if errors else "")
        + "</body></html>\n")


def _rows(pq, path: Path, columns: list[str]) -> list[dict]:
    if not path.exists():
        return []
    return pq.read_table(path, columns=columns).to_pylist()


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


_CSS = ('body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",sans-serif;'
        "margin:20px;font-size:14px}table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:3px 8px;"
        "text-align:left}tr.bad td:nth-child(4){color:#cf222e}tr.ok td:nth-child(4){color:#1a7f37}"
        ".src{color:#656d76;font-size:12px}")
