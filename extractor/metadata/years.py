"""The year a report covers, where the report says it when its title does
not: the statistics period (统计期限自2021年1月1日起…), a sentence naming
the report or the year's work (编制的2018年度政府信息公开工作年度报告,
我局2022年政府信息公开工作, 截至2021年12月31日), the year the overview
section opens with ("2024年,教育局深入贯彻…")."""

from __future__ import annotations

from ..sections import Section
from .data import vocabulary

_OPENING = 6000  # characters of the body the year is looked for in


def year_in_text(opening: str, sections: list[Section]) -> tuple[int, str] | None:
    """(year, source) from the report's own words, most reliable first."""
    v = vocabulary()
    m = v.statistics_period.search(opening)
    if m:
        return int(m.group("year")), "statistics_period"
    for pattern in v.year_references:
        m = pattern.search(opening[:_OPENING])
        if m:
            return int(m.group("year")), "self_reference"
    overview = next((s.text for s in sections if s.number == 1), "")
    m = v.overview_year.search(overview)
    if m:
        return int(m.group("year")), "overview"
    return None
