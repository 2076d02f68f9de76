"""What a report that was read does not hold, said in warnings: a national
table that is missing (and, where its words are printed, why it could not be
rebuilt), sections of the national outline that are absent, a text that
stops early."""

from __future__ import annotations

import re

from .sections import Section
from .tables.result import ReportWarning, TableResult
from .tables.units import Evidence, Unit

_TABLE_NAMES = {"proactive": "二 (主动公开)", "applications": "三 (收到和处理申请)",
                "review_litigation": "四 (复议诉讼)"}
_SECTION_OF_TABLE = {"proactive": 2, "applications": 3, "review_litigation": 4}
_NUMERALS = "一二三四五六七八九十"
# How a complete text ends: a sentence, a date, a bracket, or the furniture a
# crawler keeps after a report (2022年1月13日印发 附件下载).
_ENDS_WHOLE = re.compile(r"(?:[。!?;.)\]\"'》日]|日印发|附件下载|下载附件|打印本页|关闭窗口|\[关闭\])\s*$")
# Longer than any ending above: the pattern is searched in this much of the
# text's end, not along the whole text.
_LONGEST_END = 8
# The first report year of the national tables.
_TABLES_SINCE = 2019


def template_of(tables: dict[str, TableResult], year: int | None, layout_template: str) -> str | None:
    """"freeform" only for a report from before the national tables; a later
    (or undated) report whose tables were not found has no template."""
    if layout_template != "freeform":
        return layout_template
    return "freeform" if year is not None and year < _TABLES_SINCE else None


def missing_warnings(tables: dict[str, TableResult], units: list[Unit], evidence: Evidence,
                     sections: list[Section], template: str | None, body: str) -> list[ReportWarning]:
    # Reports before 2019 follow older outlines: only one that has not reached
    # its problems section can have been cut short.
    ends_early = _ends_early(sections, body, complete_from=5 if template == "freeform" else 6)
    out = [ends_early] if ends_early else []
    if template == "freeform":
        return out
    last_section = max((s.number for s in sections), default=0)
    numbers = {s.number for s in sections}
    for name, table in tables.items():
        if table.status != "missing":
            continue
        labelled = sum(1 for u in units if u.table == name and u.mark is not None)
        headers = len(evidence.headers.get(name, ()))
        if labelled or headers:
            why = (f"{labelled} of its row labels and {headers} of its header words are printed, but too few "
                   "values could be read with them" if labelled else
                   f"its header is printed ({headers} header words) but no row of values follows")
        elif ends_early and _SECTION_OF_TABLE[name] > last_section:
            why = "the text stops before its section"
        elif _SECTION_OF_TABLE[name] in numbers:
            why = "its section's heading is printed but the table is not in the text (an image or an attachment?)"
        else:
            why = "neither the table nor its section is in the text"
        out.append(ReportWarning("table_missing", f"table {_TABLE_NAMES[name]} ({name}) was not found: {why}",
                                 name))
    absent = [n for n in range(1, last_section) if n not in numbers]
    if absent:
        out.append(ReportWarning(
            "sections_missing", "sections " + "、".join(_NUMERALS[n - 1] for n in absent) + " of the national "
            "outline were not found", "sections"))
    return out


def _ends_early(sections: list[Section], body: str, complete_from: int) -> ReportWarning | None:
    """The text is cut off: it ends mid-sentence (or in a broken character)
    before the last sections of the outline."""
    tail = body.rstrip()
    last = max((s.number for s in sections), default=0)
    if not tail or last >= complete_from or (_ENDS_WHOLE.search(tail[-_LONGEST_END:]) and not tail.endswith("\ufffd")):
        return None
    shown = tail[-30:].replace("\n", " ")
    where = (f"in section {_NUMERALS[last - 1]} of six, mid-sentence" if last
             else "before the first section of the report")
    return ReportWarning("text_ends_early", f"the text stops {where} ('…{shown}'): what follows is not in the file",
                         "sections")
