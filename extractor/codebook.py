"""The codebook: every canonical key of both national templates, with its
table, the templates it is in, its Chinese label as printed, an English
label, its unit and the identities it takes part in; then every indicator
with its definition. Written to docs/codebook.csv, by `extract codebook`,
and into every batch dataset."""

from __future__ import annotations

import csv
import io
from functools import cache

from .indicators import indicators
from .templates import TABLES, Templates, data_file, load

COLUMNS = ["key", "kind", "table", "row", "column", "templates", "label_zh", "label_en", "unit", "identities",
           "definition"]


@cache
def codebook_rows() -> tuple[dict[str, str], ...]:
    templates = load()
    names = data_file("codebook.json")
    layouts = data_file("layouts.json")["tables"]
    found: dict[str, dict[str, str]] = {}
    for name in ("2021", "2019"):
        for table in TABLES:
            for spec in templates.layout(table, name).rows:
                for column in spec.columns:
                    key = f"{table}.{spec.key}.{column}"
                    if key in found:
                        found[key]["templates"] += f";{name}"
                        continue
                    column_en, unit = names["columns"][column]
                    if column in spec.money:
                        unit = spec.money[column]
                    label_zh = f"{row_label(layouts, table, spec.key)} / {column_label(layouts, table, name, column)}"
                    found[key] = {
                        "key": key, "kind": "cell", "table": table, "row": spec.key, "column": column,
                        "templates": name, "label_zh": label_zh,
                        "label_en": f"{names['rows'][spec.key]}: {column_en}",
                        "unit": unit, "identities": ";".join(_identities(templates, table, spec.key, column)),
                        "definition": ""}
    rows = list(found.values())
    for ind in indicators():
        rows.append({"key": f"indicator.{ind.key}", "kind": "indicator", "table": "", "row": "", "column": "",
                     "templates": "2021;2019", "label_zh": ind.zh, "label_en": ind.en, "unit": "%",
                     "identities": "", "definition": ind.definition()})
    return tuple(rows)


def codebook_csv() -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(codebook_rows())
    return buf.getvalue()


def row_label(layouts: dict, table: str, row: str) -> str:
    spec = layouts[table]
    if table == "review_litigation":
        return next(b["labels"][0] for b in spec["blocks"] if b["key"] == row)
    rows = spec["rows"] if table == "applications" else [r for lay in spec["layouts"].values() for r in lay["rows"]]
    found = next(r for r in rows if r["key"] == row)
    label = f"{found.get('number') or ''}{found['labels'][0]}"
    group = found.get("group")
    # 三、本年度办理结果 spans every outcome row: a row is known by its own group (（三）不予公开 …).
    if group and group != "results":
        g = next(g for g in spec["groups"] if g["key"] == group)
        label = f"{g['number']}{g['labels'][0]} {label}"
    return label


def column_label(layouts: dict, table: str, layout: str, column: str) -> str:
    spec = layouts[table]
    if table == "proactive":
        return spec["layouts"][layout]["columns"][column][0]
    columns = spec["columns"] if table == "applications" else spec["block_columns"]
    return next(c["labels"][0] for c in columns if c["key"] == column)


def _identities(templates: Templates, table: str, row: str, column: str) -> list[str]:
    """The identities of docs/keys.md a cell takes part in, by id."""
    out = []
    for identity in templates.identities:
        if identity.table != table:
            continue
        members = set(identity.left) | (set(identity.right) if isinstance(identity.right, tuple) else set())
        if identity.right == "@outcome":
            members |= {r.key for name in ("2021", "2019") for r in templates.layout(table, name).rows if r.outcome}
        if (identity.each == "column" and row in members) or (identity.each == "row" and column in members):
            out.append(identity.id)
    return out
