"""Agency names matched across reports.

The same body prints its name in slightly different ways from year to year
(full-width brackets, traditional characters, 人民政府 or 政府, with or
without 管委会). Reports are grouped by a key that folds those differences;
the name shown to users is always the one a report printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


# A body below a city is often printed with and without its city: 淮安市洪泽区人民政府 and
# 洪泽区人民政府 in consecutive years. The short form joins the long one only when the
# dataset has exactly one long form for it (北京市朝阳区 and 长春市朝阳区 keep a bare 朝阳区 apart).
_PARENT = re.compile(r"^.{1,8}?(?:省|市|自治区|自治州|地区|盟)$")
_LOCAL_UNIT = re.compile(r"^.{1,12}?(?:区|县|旗|市|镇|乡|街道)")


def within(short: str, long: str) -> bool:
    """Is `long` the same body as `short` with its parent administration printed before it?"""
    return (len(long) > len(short) and long.endswith(short) and bool(_PARENT.match(long[: -len(short)]))
            and bool(_LOCAL_UNIT.match(short)))


def unify(keys: Iterable[str]) -> dict[str, str]:
    """key -> the key its reports are grouped under (itself, or its one longer form)."""
    keys = sorted(set(keys))
    out = {}
    for key in keys:
        longer = [other for other in keys if within(key, other)]
        out[key] = longer[0] if len(longer) == 1 else key
    # A long form that itself joins a longer one (rare): follow the chain.
    for key, target in out.items():
        while out.get(target, target) != target:
            target = out[target]
        out[key] = target
    return out
