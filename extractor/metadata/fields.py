"""The portal's metadata block: the fields a portal prints around a report
(索引号, 发布机构, 发布日期, 来源 …) in every layout seen: "k: v", "k | v |",
several fields on one line, bullets, keys spaced out (索 引 号) and values
glued to their keys (发布机构市自然资源和规划局), and the date line a portal
prints under a title ("2022年01月18日来源:1")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, Document, Grid, Paragraph, Row
from .data import vocabulary
from .dates import date_alone

# Where the header of a page ends: the body's first numbered heading, or a
# long paragraph of running text.
_BODY_HEADING = re.compile(r"^\s?[一二三四五六七八九十]\s?[、.]")
_LONG_PARAGRAPH = 300
_HEADER_BLOCKS = 40
_BULLETS = re.compile(r"^[\s•·●▪◆■□◇○*\-|]+")
# A value ends where page furniture starts ("【字体: 大 中 小】", "[打印]"),
# or where the bracket it is printed in closes ("【发布时间:2024-01-12】").
_VALUE_END = re.compile(r"[【\[】\]]")
# Field names count where they start a line or follow a blank, a bar, a
# bullet, an opening bracket or the date a portal prints before them.
_BEFORE_KEY = re.compile(r"[\s|•·:日\d【\[]")


@dataclass(frozen=True, slots=True)
class Field:
    kind: str  # "title" | "agency" | "published" | "dated" | "other"
    name: str  # the field's name, spaces removed
    value: str
    origin: str  # "page": found by the reader (crawler header, <meta>, <title>); "header": printed on the page


# The head of a page a crawler printed on one line, where its title and fields are.
_PAGE_HEAD = 240


def page_head(line: str) -> str | None:
    """The head of a long line that starts with a page's breadcrumbs
    ("当前位置: 首页 …"): a page printed on one line, whose head holds what the
    header lines of a page hold (its title, its fields) before the body runs
    on. Cut at a space (a cut piece is left out). None for any other line."""
    if not vocabulary().breadcrumb_head.match(line):
        return None
    head = line[:_PAGE_HEAD]
    return head if len(line) <= _PAGE_HEAD else head.rpartition(" ")[0]


def header_lines(doc: Document) -> list[str]:
    """The lines printed before the report's body: the page's furniture and
    its metadata block (rows of cells joined by " | ")."""
    lines: list[str] = [_BULLETS.sub("", line) for line in doc.preamble]
    for block in doc.blocks[:_HEADER_BLOCKS]:
        text = _block_text(block)
        if text is None:
            continue
        stripped = _BULLETS.sub("", text)
        if _BODY_HEADING.match(stripped) or (len(text) > _LONG_PARAGRAPH and not starts_with_field(stripped)):
            if head := page_head(stripped):  # (a page printed on one line: its head is its header)
                lines.append(head)
            break
        lines.append(stripped)
    return lines


def _block_text(block: Block) -> str | None:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Row):
        return " | ".join(block.cells)
    if isinstance(block, Grid):
        return " | ".join(cell.text for row in block.rows[:1] for cell in row) if len(block.rows) == 1 else None
    return None


def starts_with_field(line: str) -> bool:
    m = vocabulary().field_key.match(line)
    return bool(m)


def portal_fields(doc: Document, lines: list[str] | None = None) -> list[Field]:
    """Every field of the page: what the reader found (a crawler's header, the
    page's <meta> and <title>) first, then what the page prints (`lines`: its
    header_lines, where the caller has them)."""
    kinds = vocabulary().field_kinds
    out = [Field(kinds.get(name, "other"), name, value, "page") for name, value in doc.meta.items() if value]
    for line in header_lines(doc) if lines is None else lines:
        out.extend(fields_of_line(line))
    return out


def _keys(line: str) -> list[re.Match[str]]:
    """The field names of a line: at its start, after a blank, a bar, a
    bullet or a date, or right after another field name (an empty field)."""
    keys: list[re.Match[str]] = []
    for m in vocabulary().field_key.finditer(line):
        if m.start() == 0 or _BEFORE_KEY.match(line, m.start() - 1) or (keys and keys[-1].end() == m.start()):
            keys.append(m)
    return keys


def fields_of_line(line: str) -> list[Field]:
    v = vocabulary()
    keys = _keys(line)
    out = []
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
        value = line[m.end():end]
        cut = _VALUE_END.search(value)
        value = (value[: cut.start()] if cut else value).strip(" :|\t")
        name = re.sub(r"\s", "", m.group(0))
        out.append(Field(v.field_kinds.get(name, "other"), name, value, "header"))
    return out


def header_date(lines: list[str]) -> str | None:
    """A date printed on a line of its own in the page's header, or before the
    fields of a line ("2022年01月18日来源:1"): the portal's publication date."""
    for line in lines:
        keys = _keys(line)
        head = line[: keys[0].start()] if keys else line
        found = date_alone(head.strip(" |")) if head.strip() else None
        if found:
            return found
    return None
