"""Reading the number a table cell prints.

A cell's value is the number it states (units, signs, thousands separators and
trailing notes allowed), or None when it is blank, a dash, "无" or any other
text. The raw text is always kept beside it by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Units real cells carry after the number; 万元 converts only where the
# column is money in yuan (2019 procurement).
_UNITS = ("万元", "元", "件", "条", "项", "批次", "个", "次", "家", "人", "份", "宗", "起", "%")
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_NUMBER = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?"
_CELL = re.compile(
    rf"^(?P<word>减少|增加|新增|增|减)?\s?(?P<num>{_NUMBER})\s?(?P<unit>{_UNIT_RE})?\s?(?P<note>\([^()]*\))?$"
)
_NULL_TEXT = {"", "/", "-", "--", "无", "空", "/ /", "-/-", "x", "×", "——"}
# Words that state a change of zero in the 2019 本年增/减 column.
_NO_CHANGE = {"无变化", "持平", "不变", "无增减", "未变化", "0变化"}


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed once made; not frozen: see model.py
class CellValue:
    value: int | float | None
    kind: str  # "number" | "blank" | "dash" | "text"
    unit: str | None = None
    note: str | None = None


@lru_cache(maxsize=4096)
def parse_cell(text: str) -> CellValue:
    """The value a cell's text states (cached: tables repeat "0" endlessly)."""
    t = text.strip()
    if not t:
        return CellValue(None, "blank")
    if t in _NULL_TEXT:
        return CellValue(None, "dash")
    if t in _NO_CHANGE:
        return CellValue(0, "number", note=t)
    m = _CELL.match(t)
    if not m:
        return CellValue(None, "text")
    num = m.group("num").replace(",", "")
    value: int | float = float(num) if "." in num else int(num)
    if isinstance(value, float) and value.is_integer() and not re.search(r"\.\d*[1-9]", num):
        # "0.00" is printed money; keep it a float so 0 and 0.0 stay comparable.
        value = float(value)
    word = m.group("word")
    if word in ("减少", "减"):
        value = -abs(value)
    return CellValue(value, "number", unit=m.group("unit"), note=m.group("note"))


# A run of value-like tokens in flattened text: what may follow a row label.
# A note in brackets after a number ("55（含自然失效29件）"), but not the
# numbering of the next row ("(八)").
_NOTE = r"\((?![一二三四五六七八九十]{1,3}\))[^()]*\)"
# "无" (none) is a value standing alone; right after a row's or group's
# numbering ("(四)无", "4.无") it is the head of a label a line break cut
# ("(四)无 / 法提供", "4.无 / 正当理由大量反复申请").
VALUE_TOKEN = (
    rf"(?:(?:减少|增加|新增)\s?)?(?<!第)(?:{_NUMBER})\s?(?:{_UNIT_RE})?(?:\s?{_NOTE})?"
    r"|(?<![\w])[/](?![\w])|(?<![\w])-(?![\w\d])|(?<!\))(?<!\d\.)(?<!\d、)无(?=\s|$)"
)
VALUE_SPLIT = re.compile(rf"{VALUE_TOKEN}")
# The characters a value token can begin with. re's search tries the whole
# alternation at every position of the text; jumping from one of these to
# the next and matching there finds the same tokens about four times faster
# in the long Chinese stretches of a glued dump.
_TOKEN_START = re.compile(r"[减增新+\-/无\d]")


def _value_tokens(text: str) -> Iterator[re.Match[str]]:
    """VALUE_SPLIT.finditer(text), the same matches, found faster."""
    search, match = _TOKEN_START.search, VALUE_SPLIT.match
    pos = 0
    while (start := search(text, pos)) is not None:
        m = match(text, start.start())
        if m is None:
            pos = start.start() + 1
        else:
            yield m
            pos = m.end()  # a token is never empty


def number_text(value: float) -> str:
    """A number as it reads in messages and CSV: 3, not 3.0; 5949.088667 in full."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


_MAY_HOLD_VALUE = re.compile(r"[\d/无-]")


def looks_like_value(text: str) -> bool:
    t = text.strip()
    return not t or parse_cell(t).kind != "text"


# What may follow a value run directly, with no space: the numbering of the
# next row or heading ("0000000四、政府…", "(七)总计"), where a crawler glued
# the table's cells to what comes after them.
_NUMBERING_AHEAD = re.compile(r"[(\[]|[一二三四五六七八九十]{1,2}、")
# A row number glued after the run's digits: "00000007.属于…" is the row
# "0000000" and the numbering "7." of an unrecognised label.
_GLUED_ROW_NUMBER = re.compile(r"(?<=\d)(10|[1-9])$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


Run = tuple[str, list[str], list[tuple[int, int]]]  # (kind, items, the span of each in the text)


def split_values(text: str) -> list[tuple[str, list[str]]]:
    """A stretch of flattened text between two labels as alternating runs:
    ("text", [text]) and ("values", tokens). A run of values inside the
    stretch counts only where a blank, a bracket, the numbering of what
    follows or the end follows it, so that "2021年" or "第1项" stay text; in a
    run of spaced tokens only the last one can be glued to such a word."""
    return [(kind, items) for kind, items, _ in split_value_runs(text)]


def split_value_runs(text: str) -> list[Run]:
    """split_values, each item with its (start, end) in `text`."""
    if not _MAY_HOLD_VALUE.search(text):
        return [("text", [text], [(0, len(text))])] if text.strip() else []
    out: list[Run] = []
    pos = 0
    run: list[tuple[str, int, int]] = []  # (token, start, end)
    for m in _value_tokens(text):
        if run and text[run[-1][2]:m.start()].strip():
            pos = _close_run(text, out, pos, run)
            run = []
        token = m.group(0).strip()
        # A space the token's optional unit let it take is a boundary, not part of it.
        run.append((token, m.start(), m.start() + len(m.group(0).rstrip())))
    if run:
        pos = _close_run(text, out, pos, run)
    if text[pos:].strip():
        out.append(("text", [text[pos:]], [(pos, len(text))]))
    return out


def _close_run(text: str, out: list[Run], pos: int, run: list[tuple[str, int, int]]) -> int:
    """Append the run (and the text before it) to `out` unless it is part of
    the text; return where the unread text starts."""
    token, start, end = run[-1]
    after = text[end:end + 1]
    if after == "." and _CJK.match(text, end + 1) and (number := _GLUED_ROW_NUMBER.search(token)):
        token, end = token[: number.start()], end - len(number.group(0))
        run = [*run[:-1], (token, start, end)] if token else run[:-1]
    elif after and not after.isspace() and not _NUMBERING_AHEAD.match(text, end):
        run = run[:-1]  # glued to the word after it: part of the text
    elif after.isspace() and text[end:].lstrip()[:1] in _COUNTED_SET:
        run = run[:-1]  # "2024 年": a PDF text layer spaces out the digits of running text
    if not run:
        return pos
    start, end = run[0][1], run[-1][2]
    if text[pos:start].strip():
        out.append(("text", [text[pos:start]], [(pos, start)]))
    kept = [(t, a, b) for t, a, b in run if t]
    out.append(("values", [t for t, _, _ in kept], [(a, b) for _, a, b in kept]))
    return end


# Characters that make the digits before them part of the text: dates, counts
# and amounts in running text ("2025年", "5名", "3万余").
_COUNTED = "年月日时号起名个次条件项批家份宗元万亿余多人天周届期倍岁户所间台场篇类种套部页版"
_LEADING_DIGITS = re.compile(rf"^(\d+)(?=[\u4e00-\u9fff])(?P<counted>[{_COUNTED}])?")
_YEAR = re.compile(r"(?:19|20)\d\d$")
_COUNTED_SET = frozenset(_COUNTED)


def leading_values(text: str) -> tuple[str, str] | None:
    """The digits a crawler glued to the head of the words after a row:
    ("10000100000000000", "我局严格…"), or, before a year, the digits that
    are not the year: ("2000002", "2025年，我局…"). None when the digits
    belong to the text ("5名工作人员", "2021年")."""
    m = _LEADING_DIGITS.match(text)
    if not m:
        return None
    digits = m.group(1)
    if m.group("counted") is None:
        return digits, text[m.end(1):]
    if m.group("counted") == "年" and len(digits) > 4 and _YEAR.search(digits):
        return digits[:-4], text[len(digits) - 4:]
    return None
