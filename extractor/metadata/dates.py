"""Dates as reports and portals print them: 2024-01-19, 2024/1/19, 2024.01.19,
2024年1月19日 (spaced out by PDF text layers) and 二〇二四年一月十九日."""

from __future__ import annotations

import re
from datetime import date

_DIGIT_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s?(?:[-/.]|年)\s?(?P<m>\d{1,2})\s?(?:[-/.]|月)\s?(?P<d>\d{1,2})(?!\d)\s?日?")
_CN_DIGITS = "〇零○Ｏ0一二三四五六七八九"
_CN_VALUE = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(rf"(?P<y>[{_CN_DIGITS}]{{4}})\s?年\s?(?P<m>[一二三四五六七八九十]{{1,3}})\s?月\s?"
                      r"(?P<d>[一二三四五六七八九十]{1,3})\s?日")
# What may stand beside a date on a line of its own: brackets, a time of day
# ("[2024-01-12]", "(2024-01-12 10:20)"). Not the day of the week: a date
# with one is the portal's clock in its top bar (2025年12月30日 星期二, the
# day the page was fetched), never the report's.
_AROUND_DATE = re.compile(r"^(?:[\s()\[\]【】]|\d{1,2}:\d{2}(?::\d{2})?)*$")
# A date printed without separators (20240112): read only as a date field's value.
_COMPACT_DATE = re.compile(r"^\s?(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)")


def valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    """一 … 三十一 for months and days."""
    if "十" not in text:
        return _CN_VALUE.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_VALUE.get(tens, 0) if tens else 1) * 10 + (_CN_VALUE.get(ones, 0) if ones else 0)


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first valid date in the text, with its match."""
    for pattern in (_DIGIT_DATE, _CN_DATE):
        for m in pattern.finditer(text):
            if pattern is _DIGIT_DATE:
                found = valid(int(m["y"]), int(m["m"]), int(m["d"]))
            else:
                year = int("".join(str(_CN_VALUE[ch]) for ch in m["y"]))
                found = valid(year, _cn_number(m["m"]), _cn_number(m["d"]))
            if found:
                return found, m
    return None


def parse_date(text: str) -> str | None:
    found = find_date(text)
    return found[0] if found else None


def field_date(value: str) -> str | None:
    """The date a portal's date field holds, printed in any of the ways
    parse_date reads or without separators (发布日期: 20240112)."""
    found = parse_date(value)
    if found is None and (m := _COMPACT_DATE.match(value)):
        found = valid(int(m["y"]), int(m["m"]), int(m["d"]))
    return found


def date_alone(text: str) -> str | None:
    """The date when the text is a date and nothing else (a time of day allowed)."""
    found = find_date(text)
    if not found:
        return None
    iso, m = found
    return iso if _AROUND_DATE.match(text[: m.start()]) and _AROUND_DATE.match(text[m.end():]) else None
