"""Title, agency, report year, publication date and the information-
processing fee of a report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from .model import Document, Paragraph
from .sections import Section
from .templates import data_file
from .templates.labels import to_simplified


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    fee_yuan: float | int | None = None
    fee_raw: str | None = None


@cache
def _data() -> dict:
    return data_file("metadata.json")


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s?年\s?度?")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s?[-/.年]\s?(\d{1,2})\s?[-/.月]\s?(\d{1,2})\s?日?(?!\d)")
_CN_DATE_LINE = re.compile(r"^[\s(]*((?:19|20)\d{2})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?日[\s)]*$")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计周期)[^。]{0,12}?((?:19|20)\d{2})\s?年\s?1\s?月\s?1\s?日")
# A site name appended to the page title: "报告_栏目_网站" or "报告-网站".
_TITLE_SITE = re.compile(r"\s?[_|｜]\s?.*$")


def read_metadata(doc: Document, sections: list[Section]) -> Metadata:
    meta = Metadata()
    meta.title = _title(doc)
    if meta.title:
        meta.agency, meta.year = _agency_and_year(meta.title)
    if meta.year is None:
        meta.year = _year_from_period(doc)
    meta.published = _published(doc)
    meta.fee_yuan, meta.fee_raw = _fee(doc, sections)
    return meta


def _title(doc: Document) -> str | None:
    """The report's title: a line near the top that ends with 年度报告 (or a
    variant) and names a year, possibly wrapped over two lines; else the
    page's own title."""
    suffixes = _data()["title_suffixes"]
    lines = [b.text.strip(" #") for b in doc.blocks[:15] if isinstance(b, Paragraph)]

    def is_title(text: str) -> bool:
        squeezed = to_simplified(text).replace(" ", "").rstrip("。.")
        return len(squeezed) <= 60 and squeezed.endswith(tuple(suffixes)) and bool(_YEAR.search(squeezed))

    for i, line in enumerate(lines):
        if is_title(line):
            return line
        if i + 1 < len(lines) and len(line) <= 40 and is_title(line + lines[i + 1]):
            return line + lines[i + 1]
    for key in ("标题", "页面标题"):
        value = doc.meta.get(key)
        if value and any(s in to_simplified(value) for s in suffixes):
            title = _TITLE_SITE.sub("", value)
            # "报告-网站名": keep the part that holds the report's title.
            parts = [p for p in re.split(r"\s?-\s?", title) if any(s in to_simplified(p) for s in suffixes)]
            return parts[0] if parts else title
    return None


def _agency_and_year(title: str) -> tuple[str | None, int | None]:
    text = title.replace(" ", "")
    m = _YEAR.search(text)
    if not m:
        return None, None
    year = int(m.group(1))
    before, after = text[: m.start()], text[m.end():]
    agency = before.strip("《》\"'() ")
    if not agency:
        agency = after
    for suffix in _data()["title_suffixes"]:
        idx = to_simplified(agency).find(suffix)
        if idx > 0:
            agency = agency[:idx]
            break
    agency = agency.strip("《》\"'() ")
    return (agency or None), year


def _year_from_period(doc: Document) -> int | None:
    """"统计期限自2021年1月1日起至2021年12月31日止" when the title has no year."""
    for block in doc.blocks[:30]:
        if isinstance(block, Paragraph):
            m = _PERIOD.search(block.text)
            if m:
                return int(m.group(1))
    return None


def _valid_date(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _published(doc: Document) -> str | None:
    fields = _data()["date_fields"]
    # A labelled date in the page's own metadata or in the body's first lines.
    for key in fields:
        value = doc.meta.get(key)
        if value:
            m = _ISO_DATE.search(value)
            if m and (found := _valid_date(*m.groups())):
                return found
    label = "|".join(re.escape(f) for f in fields)
    labelled = re.compile(rf"(?:{label})\s?[:：]?\s?" + _ISO_DATE.pattern)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    for text in paragraphs[:12]:
        m = labelled.search(text)
        if m and (found := _valid_date(*m.groups())):
            return found
    # A date on a line of its own at the end (the signature) or under the title.
    for text in paragraphs[::-1][:6] + paragraphs[:6]:
        m = _CN_DATE_LINE.match(text)
        if m and (found := _valid_date(*m.groups())):
            return found
    return None


def _fee(doc: Document, sections: list[Section]) -> tuple[float | int | None, str | None]:
    """The information-processing fee the report says was collected, in yuan,
    read from section 六 (or the whole text when it has no section 六)."""
    texts = [s.text for s in sections if s.number == 6]
    if not texts:
        texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    data = _data()
    for text in texts:
        for sentence in re.split(r"(?<=[。;;\n])", text):
            simple = to_simplified(sentence)
            for pattern in data["fee_amount"]:
                m = re.search(pattern, simple)
                if m:
                    value = float(m.group("num"))
                    if m.group("unit") == "万元":
                        value *= 10000
                    return (int(value) if value.is_integer() else value), sentence.strip()
            for pattern in data["fee_zero"]:
                if re.search(pattern, simple):
                    return 0, sentence.strip()
    return None, None
