"""Agency names matched across reports.

The same body prints its name in slightly different ways from year to year
(full-width brackets, traditional characters, 人民政府 or 政府, with or
without 管委会). Reports are grouped by a key that folds those differences;
the name shown to users is always the one a report printed.
"""

from __future__ import annotations

import re

from .templates.labels import fold

_DROP = re.compile(r"[\s\"'`()\[\]{}<>《》〈〉,，、.。:：;；!！?？/\\|_~·…*#+=-]")
# Folded in order: the long forms first so that 人民政府办公厅 keeps 办公厅.
_SYNONYMS = (("人民政府", "政府"), ("管理委员会", "管委会"))
# A body printed with or without its committee suffix is one body
# (平潭综合实验区管委会 and 平潭综合实验区).
_SUFFIXES = ("管委会",)


def agency_key(name: str | None) -> str | None:
    """The grouping key of an agency name; None when there is no name."""
    if not name:
        return None
    key = _DROP.sub("", fold(name))
    for long, short in _SYNONYMS:
        key = key.replace(long, short)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    return key or None
