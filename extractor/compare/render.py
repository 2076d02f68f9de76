"""The comparison table as CSV, Markdown or one self-contained HTML page.

The HTML page needs no network: its style, its sorting script and its charts
(one inline SVG bar chart per figure) are in the file.
"""

from __future__ import annotations

import csv
import io
from html import escape

from ..export.csv_out import format_value
from .figures import COLUMNS, FIGURES, Figure


def cell_text(figure: Figure, value: object) -> str:
    """A figure as people read it: empty when there is none."""
    if value is None:
        return ""
    if figure.kind == "flag":
        return "是" if value else "否"
    if figure.kind == "pct":
        return f"{value:.1f}"
    return format_value(value)


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([format_value(row.get(key)) for key in COLUMNS])
    return buf.getvalue()


def to_markdown(rows: list[dict], title: str) -> str:
    shown = [f for f in FIGURES if f.key not in ("source", "template")]
    lines = [f"# {title}", "", "| " + " | ".join(f.label for f in shown) + " |",
             "|" + "|".join("---:" if f.kind in ("count", "pct", "money") else "---" for f in shown) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell_text(f, row.get(f.key)).replace("|", "\\|") or "—" for f in shown)
                     + " |")
    lines += ["", "空白（—）：报告中该单元格为空或无法读取，见“说明”。百分比以办理结果总计为分母。", ""]
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}td.n{text-align:right}
tr.bad td{background:#fff4f4}td.k-agency,td.k-year{white-space:nowrap}
td.k-source{max-width:16em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
td.k-notes{min-width:24em;font-size:11px;color:#555}.charts{display:flex;flex-wrap:wrap;gap:24px;margin-top:2em}
figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}.note{color:#666;font-size:12px}
"""

_SCRIPT = """
document.querySelectorAll('th').forEach(function(th, i){th.addEventListener('click', function(){
  var body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
  var down = th.dataset.dir !== 'desc'; th.dataset.dir = down ? 'desc' : 'asc';
  rows.sort(function(a, b){
    var x = a.cells[i].dataset.v, y = b.cells[i].dataset.v;
    if (x === '') return 1; if (y === '') return -1;
    var p = parseFloat(x), q = parseFloat(y);
    var c = (!isNaN(p) && !isNaN(q)) ? p - q : x.localeCompare(y, 'zh');
    return down ? -c : c;});
  rows.forEach(function(r){body.appendChild(r);});});});
"""


def _bar_chart(figure: Figure, rows: list[dict]) -> str:
    label_w, bar_w, row_h = 190, 260, 18
    values = [row.get(figure.key) for row in rows]
    top = max((v for v in values if v is not None), default=0) or 1
    if figure.kind == "pct":
        top = max(top, 100)
    height = row_h * len(rows) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 70}" height="{height}" '
             f'role="img" aria-label="{escape(figure.label)}">']
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = i * row_h + 3
        name = escape(f"{row.get('agency') or '?'} {row.get('year') or ''}")
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end">{name}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 12}" font-size="11" fill="#999">—</text>')
            continue
        width = max(bar_w * float(value) / float(top), 0.5)
        parts.append(f'<rect x="{label_w}" y="{y}" width="{width:.1f}" height="{row_h - 5}" fill="#3b6ea8"/>')
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 12}" font-size="11">'
                     f'{escape(cell_text(figure, value))}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(figure.label)}</figcaption>{''.join(parts)}</figure>"


def to_html(rows: list[dict], title: str) -> str:
    head = "".join(f'<th title="{f.key}">{escape(f.label)}</th>' for f in FIGURES)
    body = []
    for row in rows:
        cells = []
        for f in FIGURES:
            value = row.get(f.key)
            text = cell_text(f, value)
            numeric = f.kind in ("count", "pct", "money")
            sort_value = "" if value is None else (str(float(value)) if numeric else text)
            css = "n" if numeric else f"k-{f.key}"
            shown = text.rsplit("/", 1)[-1] if f.key == "source" else text  # the file name; the path on hover
            cells.append(f'<td class="{css}" data-v="{escape(sort_value)}" title="{escape(text)}">'
                         f'{escape(shown) or "—"}</td>')
        bad = ' class="bad"' if row.get("adds_up") is False else ""
        body.append(f"<tr{bad}>{''.join(cells)}</tr>")
    charts = "".join(_bar_chart(f, rows) for f in FIGURES if f.chart)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>"
            f'<p class="note">点击表头排序。空白（—）：报告中该单元格为空或无法读取，见“说明”。'
            f"百分比以办理结果总计为分母。标红的行：报告自身的数字不相符。</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f'<div class="charts">{charts}</div><script>{_SCRIPT}</script></body></html>\n')
