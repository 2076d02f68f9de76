"""Is this text an annual report, whole or cut off?

A text is a report when it holds one of the national tables or the report's
own vocabulary: a 年度报告 title, a sentence that cites the 政府信息公开条例
as the report's basis (本报告根据《条例》编制), an announcement (现将…报告如下,
现公布…年度报告), a statistics period, or the numbered sections of the
national outline. A file that holds none of it (a portal's list of report
links, an unrelated article, a login or error page, navigation alone) is
refused, with what was looked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .errors import ExtractError
from .metadata import Metadata
from .metadata.data import vocabulary
from .metadata.titles import agency_and_year, clean_title, is_title
from .sections import Section
from .tables.result import TableResult

_LAW = r"《(?:中华人民共和国)?(?:政府信息公开)?条例》"
_CITES_LAW = re.compile(rf"(?:根据|依据|按照|依照|遵照)[^。]{{0,80}}?{_LAW}[^。]{{0,160}}?(?:报告|年报|编制)"
                        rf"|本(?:年度)?(?:报告|年报)[^。]{{0,30}}?(?:根据|依据|按照){_LAW}")
_MENTIONS_LAW = re.compile(r"《(?:中华人民共和国)?政府信息公开条例》")
_ANNOUNCES = re.compile(r"现将[^。]{0,60}?(?:报告|公布)如下"
                        r"|(?:特|现|兹)?向社会(?:公布|公开)[^。]{0,60}?(?:年度报告|年报)"
                        r"|现(?:予)?公布[^。]{0,60}?(?:年度报告|年报)")
# Rows read with their own values that make a table, not words in running text.
_TABLE_ROWS = 3
_LIST_TITLES = 2
# The date a portal's list prints after each title.
_LISTED_DATE = re.compile(r"[\s(]*(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[)]?\s*$")


def evidence(meta: Metadata, sections: list[Section], tables: dict[str, TableResult], opening: str) -> Iterator[str]:
    """What makes the text a report, strongest first, each looked for only
    when asked for (a table read makes the searches of the text needless)."""
    if any(_holds_table(t) for t in tables.values()):
        yield "a national table"
    if meta.title and meta.sources.get("title") != "file_name":
        yield "a report title"
    if _CITES_LAW.search(opening):
        yield "a sentence citing the 政府信息公开条例 as its basis"
    if _ANNOUNCES.search(opening):
        yield "an announcement of the report"
    if vocabulary().statistics_period.search(opening):
        yield "a statistics period"
    if len(sections) >= 2 or (sections and _MENTIONS_LAW.search(opening)):
        yield "the numbered sections of the national outline"


def _holds_table(table: TableResult) -> bool:
    read = [cols for cols in table.rows.values() if any(c is not None and c.value is not None for c in cols.values())]
    if table.table == "review_litigation":
        return sum(1 for cols in read for c in cols.values() if c is not None and c.value is not None) >= 10
    return table.status != "missing" and (len(read) >= _TABLE_ROWS or len(table.rows) >= 3 * _TABLE_ROWS)


def listed_reports(paragraphs: list[str]) -> list[str]:
    """Lines that are each the title of a different report: a portal's list
    (none where fewer than two lines could be titles: a list needs two)."""
    # Every title suffix holds 报 (报告, 年报).
    lines = [line for line in paragraphs[:200] if "报" in line and len(line) <= 120]
    if len(lines) < _LIST_TITLES:
        return []
    seen: dict[tuple[str | None, int | None], str] = {}
    for line in lines:
        title = clean_title(_LISTED_DATE.sub("", line))
        if is_title(title):
            agency, year = agency_and_year(title)
            if not any(y == year and (a is None or agency is None or a == agency) for a, y in seen):
                seen[(agency, year)] = title
    return list(seen.values())


def check_is_report(meta: Metadata, sections: list[Section], tables: dict[str, TableResult], opening: str,
                    paragraphs: list[str]) -> None:
    """Raise ExtractError (not_a_report) when the text is not a report."""
    titled = False
    for found in evidence(meta, sections, tables, opening):
        if found != "a report title":
            return  # more than a title: a report, whatever lines it lists
        titled = True
    listed = listed_reports(paragraphs)
    if len(listed) >= _LIST_TITLES:
        raise ExtractError(f"this is a list of {len(listed)} reports ({listed[0]}, {listed[1]}…), not a report: "
                           "extract each report's own page", code="not_a_report")
    if not titled:
        raise ExtractError("this does not look like a government information-disclosure annual report (no 年度报告 "
                           "title, no sentence citing the 政府信息公开条例, no statistics period, no numbered "
                           "sections, no national table)", code="not_a_report")
