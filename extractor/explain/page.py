"""The explain page: one self-contained HTML file for checking a report by eye.

Its styles, script, data and page images are inline: it opens from disk
with no network, in any browser, and can be mailed or archived as it is.
Fonts are the system's (a Chinese sans-serif where one is installed).
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from .. import __version__
from ..codebook import codebook_rows, column_label, row_label
from ..export.csv_out import locator
from ..model import Document
from ..tables.values import number_text
from ..templates import TABLES, data_file
from .evidence import Evidence
from .pdf_pages import pixel_box, render_pages

# The order a cell's state is decided in: the first that applies.
STATES = ("inferred", "ocr_doubt", "ambiguous", "unreadable", "ocr", "split", "blank", "read")


@cache
def _asset(name: str) -> str:
    """The page's style sheet or script, beside this module."""
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


@cache
def words() -> dict:
    return data_file("explain.json")


def explain_page(doc: dict, document: Document, data: bytes) -> str:
    """The page for one report: its document (docs/output.md), the document
    model it was read into, and the file's bytes."""
    evidence = Evidence(doc, document, data)
    failed = [c for c in doc["checks"] if not c["ok"]]
    in_failed = {name for c in failed for name in c.get("cells", [])}
    ambiguous_rows = {w["where"] for w in doc["warnings"] if w["code"] == "ambiguous_cells"}
    cells: dict[str, dict] = {}
    for table in TABLES:
        for row, columns in doc["tables"][table]["rows"].items():
            for column, cell in columns.items():
                name = f"{table}.{row}.{column}"
                cells[name] = _cell(name, table, row, column, cell, doc, evidence, ambiguous_rows, name in in_failed)
    pages = _pdf_pages(doc, data, cells) if doc["source"]["format"] == "pdf" else {}
    payload = {"cells": cells, "pages": pages, "states": words()["states"]}
    body = "\n".join([
        _header(doc),
        '<div id="layout"><main>',
        _legend(),
        *(_table(doc, table, cells) for table in TABLES),
        _checks(failed, cells),
        _warnings(doc, cells),
        _metadata(doc),
        '</main><aside id="panel"><div id="detail"><p class="hint">点击单元格查看它印在哪里。'
        'Click a cell to see where it is printed.</p></div></aside></div>',
    ])
    title = f"{doc['report']['agency'] or ''} {doc['report']['year'] or ''} · 核对 explain".strip()
    data_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="extractor {html.escape(__version__)}">'
            f"<title>{html.escape(title)}</title><style>{_asset('review.css')}</style></head>\n<body>\n{body}\n"
            f'<script type="application/json" id="data">{data_json}</script>\n'
            f"<script>{_asset('review.js')}</script>\n</body></html>\n")


# -- cells ----------------------------------------------------------------------------------


@cache
def _labels() -> dict[str, dict[str, str]]:
    return {r["key"]: r for r in codebook_rows() if r["kind"] == "cell"}


@cache
def _layouts() -> dict:
    return data_file("layouts.json")["tables"]


def _label(table: str, layout: str | None, row: str, column: str) -> tuple[str, str]:
    """(row label, column label) as the national template prints them."""
    try:
        row_text = row_label(_layouts(), table, row)
    except (StopIteration, KeyError):
        row_text = row
    try:
        column_text = column_label(_layouts(), table, layout or "2021", column)
    except (StopIteration, KeyError):
        column_text = column
    return row_text, column_text


def _cell(name: str, table: str, row: str, column: str, cell: dict, doc: dict, evidence: Evidence,
          ambiguous_rows: set[str], failed: bool) -> dict:
    layout = doc["tables"][table].get("layout")
    row_text, column_text = _label(table, layout, row, column)
    source = cell.get("source")
    return {
        "id": name, "row_label": row_text, "column_label": column_text,
        "en": _labels().get(name, {}).get("label_en", ""),
        "value": cell["value"], "shown": _shown(cell), "raw": cell["raw"],
        "state": _state(cell, f"{table}.{row}" in ambiguous_rows), "failed": failed,
        "locator": locator(source), "confidence": cell.get("confidence"), "doubt": cell.get("ocr_doubt", ""),
        "evidence": evidence.of(source, cell["raw"]),
    }


def _state(cell: dict, ambiguous_row: bool) -> str:
    source = cell.get("source") or {}
    if cell["inferred"]:
        return "inferred"
    if cell.get("ocr") and cell.get("ocr_doubt"):
        return "ocr_doubt"
    if source.get("kind") == "undetermined" or (cell["value"] is None and cell["raw"].strip()
                                                  and source.get("kind") == "lost"):
        return "ambiguous" if ambiguous_row else "unreadable"
    if cell.get("ocr"):
        return "ocr"
    if source.get("token"):
        return "split"
    if cell["value"] is None:
        return "blank"
    return "read"


def _shown(cell: dict) -> str:
    if cell["value"] is not None:
        return number_text(cell["value"])
    raw = cell["raw"].strip()
    return raw if len(raw) <= 10 else raw[:9] + "…"


def _pdf_pages(doc: dict, data: bytes, cells: dict[str, dict]) -> dict[str, dict]:
    """Render the pages the cells are on; put each box in their pixels."""
    parts = [part for c in cells.values() for part in _pdf_parts(c["evidence"])]
    rendered = render_pages(data, {p["page"] for p in parts})
    for part in parts:
        page = rendered.get(part["page"])
        if page is not None:
            part["box_px"] = pixel_box(page, part.get("box"))
            part["cell_px"] = pixel_box(page, part.get("cell"))
    return {str(n): {"src": p["src"], "width": p["width"], "height": p["height"]} for n, p in rendered.items()}


def _pdf_parts(evidence: dict | None) -> list[dict]:
    if not evidence:
        return []
    if evidence["type"] == "pdf":
        return evidence["parts"]
    if evidence["type"] == "printed":
        return [p for item in evidence["items"] for p in _pdf_parts(item)]
    return []


# -- the page's sections ------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _header(doc: dict) -> str:
    report = doc["report"]
    valid = doc["valid"]
    badge = ('<span class="badge ok">有效 valid</span>' if valid else
             '<span class="badge bad">未通过 not valid</span>')
    facts = " · ".join(_e(x) for x in (report["agency"] or "（机关未知 agency unknown）",
                                       report["year"] or "（年度未知 year unknown）",
                                       f"发布 published {report['published'] or '—'}",
                                       f"模板 template {report['template'] or '—'}",
                                       f"{doc['source']['format']} · {Path(doc['source']['path']).name}"))
    failed = sum(1 for c in doc["checks"] if not c["ok"])
    counts = (f"{len(doc['checks'])} 项核对 checks, {failed} 项未通过 failed · {len(doc['warnings'])} 条警告 "
              f"warnings")
    return (f'<header><h1>{_e(report["title"] or "（无标题 untitled）")}</h1>'
            f'<p class="facts">{facts} {badge}</p><p class="facts">{counts}</p>'
            '<nav><a href="#t-proactive">表二</a><a href="#t-applications">表三</a>'
            '<a href="#t-review_litigation">表四</a><a href="#checks">核对 checks</a>'
            '<a href="#warnings">警告 warnings</a><a href="#metadata">元数据 metadata</a></nav></header>')


def _legend() -> str:
    items = "".join(f'<span class="key s-{state}">{_e(zh)}</span><span class="key-en">{_e(en)}</span>'
                    for state, (zh, en) in words()["states"].items() if state != "failed")
    zh, en = words()["states"]["failed"]
    items += f'<span class="key failed">{_e(zh)}</span><span class="key-en">{_e(en)}</span>'
    return f'<div class="legend">{items}</div>'


def _table(doc: dict, table: str, cells: dict[str, dict]) -> str:
    spec = doc["tables"][table]
    title = words()["tables"][table]
    head = (f'<section class="table" id="t-{table}"><h2>{_e(title)} <small>{table} · {_e(spec["status"])}'
            f'{" · " + _e(spec["layout"]) if spec.get("layout") else ""}</small></h2>')
    rows = spec["rows"]
    if not rows:
        why = [w["message"] for w in doc["warnings"] if w["code"] == "table_missing" and w["where"] == table]
        return head + f'<p class="missing">未找到 not found{": " + _e(why[0]) if why else ""}</p></section>'
    column_sets = {tuple(cols) for cols in rows.values()}
    if len(column_sets) == 1:
        (columns,) = column_sets
        header = "".join(f"<th>{_e(cells[f'{table}.{next(iter(rows))}.{c}']['column_label'])}</th>" for c in columns)
        body = "".join(
            f'<tr><th class="label">{_e(cells[f"{table}.{row}.{columns[0]}"]["row_label"])}</th>'
            + "".join(_td(cells[f"{table}.{row}.{c}"], caption=False) for c in cols) + "</tr>"
            for row, cols in rows.items())
        return head + f'<table class="grid"><thead><tr><th></th>{header}</tr></thead><tbody>{body}</tbody></table>' \
                      "</section>"
    body = "".join(
        f'<tr><th class="label">{_e(cells[f"{table}.{row}.{next(iter(cols))}"]["row_label"])}</th>'
        + "".join(_td(cells[f"{table}.{row}.{c}"], caption=True) for c in cols) + "</tr>"
        for row, cols in rows.items())
    return head + f'<table class="grid rows"><tbody>{body}</tbody></table></section>'


def _td(cell: dict, caption: bool) -> str:
    classes = f"c s-{cell['state']}" + (" failed" if cell["failed"] else "")
    title = f"{cell['row_label']} / {cell['column_label']} · {cell['id']}"
    label = f'<span class="cap">{_e(cell["column_label"])}</span>' if caption else ""
    return (f'<td class="{classes}" data-cell="{_e(cell["id"])}" tabindex="0" title="{_e(title)}">'
            f'{label}<span class="v">{_e(cell["shown"])}</span></td>')


def _chip(name: str, cells: dict[str, dict]) -> str:
    cell = cells.get(name)
    text = f"{cell['row_label']} / {cell['column_label']} = {cell['shown'] or '空白'}" if cell else name
    return f'<a class="chip" href="#cell={_e(name)}" data-goto="{_e(name)}" title="{_e(name)}">{_e(text)}</a>'


def _checks(failed: list[dict], cells: dict[str, dict]) -> str:
    if not failed:
        return '<section id="checks"><h2>核对 Checks</h2><p>所有等式都成立。Every identity holds.</p></section>'
    items = "".join(
        f'<li class="check" data-cells="{_e(" ".join(c.get("cells", [])))}"><code>{_e(c["id"])}</code> '
        f'<span class="msg">{_e(c["message"])}</span><div>{"".join(_chip(n, cells) for n in c.get("cells", []))}'
        "</div></li>" for c in failed)
    return (f'<section id="checks"><h2>核对未通过 Failed checks ({len(failed)})</h2>'
            f'<p class="hint">每项列出等式、印出的数值和应有的合计；点击单元格查看来源。Each names the identity, the '
            f"values printed and the sum expected; click a cell to see where it is printed.</p><ol>{items}</ol>"
            "</section>")


def _warnings(doc: dict, cells: dict[str, dict]) -> str:
    if not doc["warnings"]:
        return '<section id="warnings"><h2>警告 Warnings</h2><p>没有警告。No warnings.</p></section>'
    meaning = words()["warnings"]
    rows = []
    for w in doc["warnings"]:
        where = w.get("where") or ""
        named = [n for n in cells if where and (n == where or n.startswith(where + "."))]
        link = (f'<a href="#cell={_e(named[0])}" data-goto="{_e(named[0])}" data-cells="{_e(" ".join(named))}">'
                f"{_e(where)}</a>" if named else _e(where))
        rows.append(f'<tr><td><code>{_e(w["code"])}</code></td><td>{_e(meaning.get(w["code"], ""))}</td>'
                    f'<td>{_e(w["message"])}</td><td>{link}</td></tr>')
    return (f'<section id="warnings"><h2>警告 Warnings ({len(doc["warnings"])})</h2><table class="list">'
            "<thead><tr><th>code</th><th>说明</th><th>message</th><th>where</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _metadata(doc: dict) -> str:
    report = doc["report"]
    sources = report.get("metadata_sources", {})
    names = words()["metadata_sources"]
    values = {"title": report["title"], "agency": report["agency"], "year": report["year"],
              "published": report["published"],
              "fee": (f"{number_text(doc['fees']['information_processing_fee_yuan'])} 元"
                      if doc["fees"]["information_processing_fee_yuan"] is not None else None)}
    rows = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(values[field]) if values[field] is not None else '—'}</td>"
        f"<td>{_e(names.get(sources[field], sources[field])) if field in sources else '未找到 not found'}</td></tr>"
        for field, label in words()["metadata_fields"].items())
    return (f'<section id="metadata"><h2>元数据 Metadata</h2><table class="list"><thead><tr><th>字段 field</th>'
            f"<th>值 value</th><th>来源 read from</th></tr></thead><tbody>{rows}</tbody></table></section>")
