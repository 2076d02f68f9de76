"""The national table layouts (docs/keys.md), loaded from `layouts.json`.

Everything the rebuilder knows about the tables comes from the data file:
row keys and their printed labels, column keys and header words, the printed
numbering, which rows are outcomes, and the identities the numbers satisfy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .labels import fold_label

TABLES = ("proactive", "applications", "review_litigation")


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    labels: tuple[str, ...]  # folded label cores, longest first
    columns: tuple[str, ...]
    number: str | None = None  # printed numbering, e.g. "一、", "(一)", "1."
    group: str | None = None
    requires_number: bool = False
    outcome: bool = False
    money: dict[str, str] = field(default_factory=dict)  # money column -> its unit (元 or 万元)
    signed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Layout:
    """One table in one template: the rows in printed order."""

    table: str
    name: str  # "2021" | "2019"
    rows: tuple[RowSpec, ...]
    signature: tuple[str, ...] = ()
    column_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def row(self, key: str) -> RowSpec:
        for spec in self.rows:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def cell_count(self) -> int:
        return sum(len(r.columns) for r in self.rows)


@dataclass(frozen=True, slots=True)
class Identity:
    id: str
    table: str
    each: str  # "column": for every column, over rows; "row": for every row, over columns
    left: tuple[str, ...]
    right: tuple[str, ...] | str  # a list of keys, or "@outcome" for every outcome row
    describe: str


@dataclass(frozen=True, slots=True)
class Templates:
    layouts: dict[str, dict[str, Layout]]  # table -> layout name -> Layout
    applications_columns: tuple[str, ...]
    column_labels: dict[str, dict[str, tuple[str, ...]]]  # table -> column -> folded header words
    groups: tuple[tuple[str, tuple[str, ...], str], ...]  # (key, folded labels, number)
    review_blocks: tuple[tuple[str, tuple[str, ...]], ...]
    review_columns: tuple[str, ...]
    review_header_words: tuple[str, ...]
    titles: dict[str, str]
    identities: tuple[Identity, ...]

    def layout(self, table: str, name: str) -> Layout:
        return self.layouts[table][name]


def _folded(labels: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold_label(x) for x in labels}, key=len, reverse=True))


def _row(spec: dict, columns: tuple[str, ...] | None = None) -> RowSpec:
    return RowSpec(
        key=spec["key"],
        labels=_folded(spec["labels"]),
        columns=tuple(spec.get("columns") or columns or ()),
        number=spec.get("number"),
        group=spec.get("group"),
        requires_number=bool(spec.get("requires_number")),
        outcome=bool(spec.get("outcome")),
        money=dict(spec.get("money", {})),
        signed=frozenset(spec.get("signed", ())),
    )


@cache
def data_file(name: str) -> dict:
    """One of the JSON data files beside this module. (A path, not
    importlib.resources: the package is always files on disk, and
    importlib.resources costs a tenth of the start-up.)"""
    return json.loads((Path(__file__).parent / name).read_text("utf-8"))


def section_specs() -> list[dict]:
    return data_file("sections.json")["sections"]


@cache
def load() -> Templates:
    data = data_file("layouts.json")
    tables = data["tables"]
    layouts: dict[str, dict[str, Layout]] = {}

    proactive = tables["proactive"]
    layouts["proactive"] = {
        name: Layout(
            table="proactive",
            name=name,
            rows=tuple(_row(r) for r in spec["rows"]),
            signature=_folded(spec["signature"]),
            column_labels={k: _folded(v) for k, v in spec["columns"].items()},
        )
        for name, spec in proactive["layouts"].items()
    }

    apps = tables["applications"]
    app_columns = tuple(c["key"] for c in apps["columns"])
    layouts["applications"] = {
        name: Layout(
            table="applications",
            name=name,
            rows=tuple(_row(r, app_columns) for r in apps["rows"] if r.get("only", name) == name),
            signature=_folded(spec["signature"]),
        )
        for name, spec in apps["layouts"].items()
    }

    review = tables["review_litigation"]
    block_columns = tuple(c["key"] for c in review["block_columns"])
    review_rows = tuple(
        RowSpec(key=b["key"], labels=_folded(b["labels"]), columns=block_columns) for b in review["blocks"]
    )
    # Table 四 is the same in both templates.
    layouts["review_litigation"] = {
        name: Layout(table="review_litigation", name=name, rows=review_rows) for name in ("2021", "2019")
    }

    return Templates(
        layouts=layouts,
        applications_columns=app_columns,
        column_labels={
            "applications": {c["key"]: _folded(c["labels"]) for c in apps["columns"]},
            "review_litigation": {c["key"]: _folded(c["labels"]) for c in review["block_columns"]},
        },
        groups=tuple((g["key"], _folded(g["labels"]), g["number"]) for g in apps["groups"]),
        review_blocks=tuple((b["key"], _folded(b["labels"])) for b in review["blocks"]),
        review_columns=block_columns,
        review_header_words=_folded(review["header_words"]),
        titles={k: v["title"] for k, v in tables.items()},
        identities=tuple(
            Identity(
                id=i["id"],
                table=i["table"],
                each=i["each"],
                left=tuple(i["left"]),
                right=i["right"] if isinstance(i["right"], str) else tuple(i["right"]),
                describe=i["describe"],
            )
            for i in data["identities"]
        ),
    )
