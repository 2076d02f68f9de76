"""The report's title, wherever the page prints it, without the furniture
around it: breadcrumbs (首页 > … > 年报), a field name (标题), a site name
after "_" or " - ", a flip-book's "Page 2 -", a leading 关于."""

from __future__ import annotations

import re

from ..templates.labels import to_simplified
from .data import vocabulary
from .fields import page_head
from .names import clean_name, is_agency

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s?年\s?度?")
_MAX_TITLE = 70
# A title line, with the breadcrumbs and fields a page prints beside it, is
# short; a crawler's whole page on one line is not one.
_LONGEST_LINE = 240
_SITE_TAIL = re.compile(r"\s?[_|]\s?.*$")
_TRAILING_NOTE = re.compile(r"\s?\([^()]{1,12}\)$")
_DASH_PARTS = re.compile(r"\s-\s|(?<=[告报])-")
_FIELD_PREFIX = re.compile(r"^(?:标\s?题|名\s?称|题\s?名|文章标题|页面标题)\s?[:|]?\s?")
# Where a title line joins the next: a line with a field or a breadcrumb in it
# is furniture, not the first half of a wrapped title.
_NOT_JOINABLE = re.compile(r"[:|>»›]")


def clean_title(text: str) -> str:
    v = vocabulary()
    title = text.strip(" #\t")
    parts = v.breadcrumb.split(title)
    title = parts[-1].strip()
    title = v.breadcrumb_head.sub("", title)
    title = v.flipbook_page.sub("", title)
    title = _FIELD_PREFIX.sub("", title)
    for prefix in v.title_prefixes:
        if title.startswith(prefix):
            title = title[len(prefix):]
    if _SITE_TAIL.search(title) and is_title(_SITE_TAIL.sub("", title)):
        title = _SITE_TAIL.sub("", title)
    # "报告-网站名" or "网站 - 报告": keep the part that is the title.
    pieces = [p for p in _DASH_PARTS.split(title) if is_title(p)]
    if pieces:
        title = pieces[0]
    # The fields a page prints on the title's line ("… 发布时间:2024-01-10 来源:…").
    for m in v.field_key.finditer(title):
        if m.start() and title[m.start() - 1] == " " and is_title(title[: m.start()]):
            title = title[: m.start()]
            break
    # A note after the title: "(全文)", "(简版)".
    if _TRAILING_NOTE.search(title) and is_title(_TRAILING_NOTE.sub("", title)):
        title = _TRAILING_NOTE.sub("", title)
    return title.strip(" \"'《》。.")


_CN_DIGIT = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
             "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=\s?年)")


def digit_years(text: str) -> str:
    """二〇二三年 → 2023年, as some titles print the year."""
    if "年" not in text:
        return text
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[ch] for ch in m.group(0)), text)


def is_title(text: str) -> bool:
    if "报" not in text and "報" not in text:
        return False  # every title suffix ends in 报告 or 年报
    squeezed = digit_years(to_simplified(text)).replace(" ", "").rstrip("。.")
    v = vocabulary()
    # (The suffix may be followed by the notice it is published in, or by its year.)
    return (len(squeezed) <= _MAX_TITLE and v.title_tail.sub("", squeezed).endswith(v.title_suffixes)
            and bool(_YEAR.search(squeezed)))


def title_in_lines(lines: list[str]) -> str | None:
    """A line that is the report's title, or two that are (a title wrapped
    after the body's name)."""
    # Every title suffix holds 报 (报告, 年报): lines without it are cleaned only
    # as the first half of a wrapped title.
    lines = [piece for line in lines for piece in _title_lines(line)]
    # Cleaned as the search reaches them (a title is most often the first line).
    cleaned: dict[int, str] = {}

    link_line = vocabulary().link_line

    def clean(i: int) -> str:
        if i not in cleaned:
            after = lines[i + 1] if i + 1 < len(lines) else ""
            # (A link to the article before or after this one names another report.)
            cleaned[i] = (clean_title(lines[i]) if ("报" in lines[i] or "报" in after) and not link_line.match(lines[i])
                          else "")
        return cleaned[i]

    for i in range(len(lines)):
        line = clean(i)
        if "报" in line and is_title(line):
            return line
        if i + 1 < len(lines) and "报" in lines[i + 1] and _joinable(lines[i], line, clean(i + 1)):
            return line + clean(i + 1)
    return None


def _title_lines(line: str) -> list[str]:
    """The line as lines a title may be: itself; nothing for a long line; the
    pieces of the head of a page printed on one line (its breadcrumbs, the
    body's name, the title, the fields, each between blanks)."""
    if len(line) <= _LONGEST_LINE:
        return [line]
    head = page_head(line)
    return head.split(" ") if head else [""]


def _joinable(raw: str, line: str, following: str) -> bool:
    if not line or len(line) > 40 or _NOT_JOINABLE.search(raw) or not is_title(line + following):
        return False
    # The next line is a title by itself: join only a body's name to it.
    return not is_title(following) or is_agency(clean_name(line))


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    """The body and the year a title names: "XX局2023年政府信息公开工作年度报告",
    "2023年XX局政府信息公开…", "XX局政府信息公开工作2023年度报告"."""
    text = digit_years(title).replace(" ", "")
    m = _YEAR.search(text)
    if not m:
        return None, None
    year = int(m.group(1))
    before, after = text[: m.start()], text[m.end():]
    # "X关于印发《Y2023年…》的通知": the body is Y, or X where Y is empty;
    # "Y政府信息公开工作年度报告(2023年度)": Y.
    if wrapped := vocabulary().title_wrapper.match(before):
        before = wrapped.group("inner") or wrapped.group("outer") or ""
    before = _before_suffix(before.rstrip("("))
    agency = before.strip("《》\"' ")
    if not agency:
        agency = _before_suffix(after)
    agency = clean_name(agency)
    return (agency if is_agency(agency) else None), year


def _before_suffix(text: str) -> str:
    """The text before the title suffix it holds (all of it where it holds none)."""
    simple = to_simplified(text)
    for suffix in vocabulary().title_suffixes:
        idx = simple.find(suffix)
        if idx > 0:
            return text[:idx]
    return text
