"""The comparison table as CSV, Markdown or one self-contained HTML page.

The HTML page needs no network: its style, its sorting script and its charts
(inline SVG) are in the file. Each measure has one chart with one scale for
every agency in it, an axis with its unit (件, %, 元) and shares always on
0–100 %; where agencies have several years, a year-by-year chart follows.
"""

from __future__ import annotations

import csv
import io
import math
from html import escape
from itertools import pairwise

from ..export.csv_out import format_value
from .figures import COLUMNS, FIGURES, Figure

# Bars drawn at most per chart (the largest); the table holds every row.
MAX_BARS = 40
# Agencies drawn at most in a year-by-year chart (those with the most years).
MAX_LINES = 8
_COLOURS = ("#3b6ea8", "#d9822b", "#3a9a5b", "#c23b3b", "#7d5ba6", "#8c6d31", "#d462a6", "#5f7f8f")


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


_LEGEND = ("空白（—）：报告中该单元格没有、无法读取，或空白而同行数字不能表明为0，见“说明”；"
           "同行数字表明为0的空白按0计。百分比以办理结果总计为分母，纠错率以已审结（总计减尚未审结）为分母。")


def to_markdown(rows: list[dict], title: str) -> str:
    shown = [f for f in FIGURES if f.key not in ("source", "template")]
    lines = [f"# {title}", "", "| " + " | ".join(f.label for f in shown) + " |",
             "|" + "|".join("---:" if f.kind in ("count", "pct", "money") else "---" for f in shown) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell_text(f, row.get(f.key)).replace("|", "\\|") or "—" for f in shown)
                     + " |")
    lines += ["", _LEGEND, ""]
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",
sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1{font-size:20px}h2{font-size:16px;margin-top:1.6em}.note{color:#555;font-size:12px;max-width:60em}
.wrap{overflow-x:auto;max-width:100%;border:1px solid #ddd}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;padding:2px 5px}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0;font-weight:600;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}tr.bad td{background:#fff4f4}
td.k-agency{white-space:nowrap;position:sticky;left:0;background:#fff}tr.bad td.k-agency{background:#fff4f4}
td.k-year{white-space:nowrap}td.k-source{max-width:12em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
td.k-notes{min-width:40em;max-width:56em;font-size:11px;color:#555}td.k-notes span{border-bottom:1px dotted #aaa}
.charts{display:flex;flex-wrap:wrap;gap:28px}figure{margin:0}figcaption{font-weight:600;margin-bottom:2px}
svg text{font-family:inherit}
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


def nice_scale(figure: Figure, values: list[float]) -> tuple[float, list[float]]:
    """The axis of a measure: its top and its ticks. Shares run 0–100 %; a
    count's axis ends at a round number no lower than 10 (a value of 2 does
    not fill the chart), money's no lower than 100."""
    if figure.kind == "pct":
        return 100.0, [0, 25, 50, 75, 100]
    top = max([*values, 10 if figure.kind == "count" else 100])
    magnitude = 10 ** math.floor(math.log10(top))
    step = next(m * magnitude for m in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10) if top / (m * magnitude) <= 5)
    ticks = [step * i for i in range(math.ceil(top / step) + 1)]
    return ticks[-1], ticks


def _tick(value: float) -> str:
    return format_value(int(value) if float(value).is_integer() else round(value, 2))


def _row_name(row: dict) -> str:
    return f"{row.get('agency') or '?'} {row.get('year') or ''}".strip()


def bar_chart(figure: Figure, rows: list[dict]) -> str:
    """One bar per row on the measure's own axis, with its unit."""
    drawn = [r for r in rows if r.get(figure.key) is not None]
    drawn = sorted(drawn, key=lambda r: r[figure.key], reverse=True)[:MAX_BARS]
    missing = len(rows) - len([r for r in rows if r.get(figure.key) is not None])
    label_w, bar_w, row_h, top_pad = 200, 280, 18, 4
    top, ticks = nice_scale(figure, [float(r[figure.key]) for r in drawn])
    height = top_pad + row_h * max(len(drawn), 1) + 30
    width = label_w + bar_w + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(figure.label)}">']
    axis_y = top_pad + row_h * max(len(drawn), 1)
    for tick in ticks:
        x = label_w + bar_w * tick / top
        parts.append(f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{axis_y}" stroke="#e4e4e4"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 13}" font-size="10" text-anchor="middle" fill="#555">'
                     f'{_tick(tick)}</text>')
    parts.append(f'<line x1="{label_w}" y1="{axis_y}" x2="{label_w + bar_w}" y2="{axis_y}" stroke="#888"/>')
    parts.append(f'<text x="{label_w + bar_w + 24}" y="{axis_y + 13}" font-size="10" fill="#555">'
                 f'{escape(figure.unit)}</text>')
    for i, row in enumerate(drawn):
        y = top_pad + i * row_h
        value = float(row[figure.key])
        bar = max(bar_w * value / top, 0.5)
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end">'
                     f'{escape(_row_name(row))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar:.1f}" height="{row_h - 6}" fill="#3b6ea8">'
                     f'<title>{escape(_row_name(row))}: {escape(cell_text(figure, row[figure.key]))}'
                     f'{escape(figure.unit)}</title></rect>')
        parts.append(f'<text x="{label_w + bar + 4:.1f}" y="{y + 12}" font-size="11">'
                     f'{escape(cell_text(figure, row[figure.key]))}</text>')
    parts.append("</svg>")
    notes = []
    if len(drawn) < len(rows) - missing:
        notes.append(f"最大的{len(drawn)}个")
    if missing:
        notes.append(f"{missing}行没有此项数字")
    caption = escape(figure.label) + (f'<span class="note">（{"；".join(notes)}）</span>' if notes else "")
    return f"<figure><figcaption>{caption}</figcaption>{''.join(parts)}</figure>"


def year_chart(figure: Figure, rows: list[dict]) -> str | None:
    """The measure year by year, a line per agency (the agencies with the most years)."""
    by_agency: dict[str, dict[int, float]] = {}
    names: dict[str, str] = {}
    for row in rows:
        key = row.get("agency_key") or row.get("agency")
        if key is None or row.get("year") is None:
            continue
        names.setdefault(key, row.get("agency") or key)
        if row.get(figure.key) is not None:
            by_agency.setdefault(key, {})[int(row["year"])] = float(row[figure.key])
    years = sorted({int(r["year"]) for r in rows if r.get("year") is not None})
    shown = sorted((k for k, v in by_agency.items() if len(v) >= 2), key=lambda k: -len(by_agency[k]))[:MAX_LINES]
    if len(years) < 2 or not shown:
        return None
    left, plot_w, plot_h, top_pad = 48, 380, 150, 22
    top, ticks = nice_scale(figure, [v for k in shown for v in by_agency[k].values()])
    width, height = left + plot_w + 20, top_pad + plot_h + 40 + 16 * len(shown)

    def x_of(year: int) -> float:
        return left + plot_w * (years.index(year) / (len(years) - 1))

    def y_of(value: float) -> float:
        return top_pad + plot_h * (1 - value / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(figure.label)} 历年">']
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="10" text-anchor="end" fill="#555">'
                     f'{_tick(tick)}</text>')
    parts.append(f'<text x="{left - 4}" y="{top_pad - 10}" font-size="10" text-anchor="end" fill="#555">'
                 f'{escape(figure.unit)}</text>')
    base = top_pad + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#888"/>')
    for year in years:
        parts.append(f'<text x="{x_of(year):.1f}" y="{base + 13}" font-size="10" text-anchor="middle" fill="#555">'
                     f'{year}</text>')
    for i, key in enumerate(shown):
        colour = _COLOURS[i % len(_COLOURS)]
        points = sorted(by_agency[key].items())
        for (y0, v0), (y1, v1) in pairwise(points):
            # A year without a figure between two points: dashed, so no trend is drawn through it.
            dash = "" if years.index(y1) - years.index(y0) == 1 else ' stroke-dasharray="4 3"'
            parts.append(f'<line x1="{x_of(y0):.1f}" y1="{y_of(v0):.1f}" x2="{x_of(y1):.1f}" y2="{y_of(v1):.1f}" '
                         f'stroke="{colour}" stroke-width="2"{dash}/>')
        for year, value in points:
            parts.append(f'<circle cx="{x_of(year):.1f}" cy="{y_of(value):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(names[key])} {year}: {escape(cell_text(figure, value))}'
                         f'{escape(figure.unit)}</title></circle>')
        ly = base + 30 + 16 * i
        parts.append(f'<rect x="{left}" y="{ly - 8}" width="12" height="3" fill="{colour}"/>'
                     f'<text x="{left + 18}" y="{ly - 3}" font-size="11">{escape(names[key])}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(figure.label)}（历年）</figcaption>{''.join(parts)}</figure>"


def _notes_cell(row: dict) -> str:
    notes = row.get("note_keys") or []
    if not notes:
        return escape(row.get("notes") or "")
    return "；".join(f'<span title="{escape(key)}">{escape(text)}</span>' for text, key in notes)


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
            if f.key == "notes":
                cells.append(f'<td class="{css}" data-v="{escape(text)}">{_notes_cell(row) or "—"}</td>')
                continue
            shown = text.rsplit("/", 1)[-1] if f.key == "source" else text  # the file name; the path on hover
            cells.append(f'<td class="{css}" data-v="{escape(sort_value)}" title="{escape(text)}">'
                         f'{escape(shown) or "—"}</td>')
        bad = ' class="bad"' if row.get("adds_up") is False else ""
        body.append(f"<tr{bad}>{''.join(cells)}</tr>")
    charted = [f for f in FIGURES if f.chart]
    bars = "".join(bar_chart(f, rows) for f in charted)
    years = [c for c in (year_chart(f, rows) for f in charted) if c]
    year_section = (f'<h2>历年变化</h2><div class="charts">{"".join(years)}</div>' if years else "")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>"
            f'<p class="note">点击表头排序；表头和说明上停留可见对应的键名。{_LEGEND}'
            f"标红的行：报告自身的数字不相符。</p>"
            f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
            f'{year_section}<h2>各项对比（同一指标同一刻度）</h2><div class="charts">{bars}</div>'
            f"<script>{_SCRIPT}</script></body></html>\n")
