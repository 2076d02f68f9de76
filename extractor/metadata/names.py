"""The reporting body's name: what a name of a body looks like, and where a
report prints its own (a title, a compiler credit, a contact line, the opening
sentence of a section, the signature).

A wrong agency is a silent error (datasets, cross-year checks and comparisons
group by it), so a candidate is kept only when it looks like the name of a
body: it ends with a body word (局, 委员会, 人民政府, 街道办事处, 镇 …), is
none of the generic words (政府, 本机关 …) and holds no breadcrumb, sentence
or page furniture.
"""

from __future__ import annotations

import re

from ..templates.labels import to_simplified
from .data import vocabulary

_MAX_NAME = 40
_PUNCTUATION = re.compile(r"[\s,。;:!?、()\[\]<>《》\"'|/\\>»›→{}…·•]")
_DIGITS = re.compile(r"[0-9０-９]")
# "(以下简称县政府办公室)", "(下称《条例》)": asides that split a name from what follows it.
# A report names itself in its first paragraphs.
_OPENING = 2500
_SECOND_NAME = re.compile(r"\([^()\s,。;:]{2,20}\)")
_ASIDE = re.compile(r"\((?:以下简称|以下称|下称|简称)[^()]{0,30}\)")


def is_agency(name: str | None) -> bool:
    """Does this look like the name of a body?"""
    if not name:
        return False
    v = vocabulary()
    # A merged body prints its second name in brackets: 区发展和改革委员会(区粮食和物资储备局).
    simple = _SECOND_NAME.sub("", to_simplified(name))
    if not 2 <= len(simple) <= _MAX_NAME or _PUNCTUATION.search(simple) or _DIGITS.search(simple):
        return False
    if simple in v.generic_names or simple.startswith(v.generic_heads):
        return False
    if v.not_in_name.search(simple):
        return False
    return simple.endswith(v.body_words)


def clean_name(text: str) -> str:
    """A candidate name without what sticks to it on a page: breadcrumbs, a
    field name, asides, quotes, and the words of the report's title after it
    (政府信息公开工作 …)."""
    v = vocabulary()
    name = _ASIDE.sub("", text).strip()
    parts = v.breadcrumb.split(name)
    name = parts[-1].strip()
    name = v.breadcrumb_head.sub("", name)
    name = _strip_brackets(name)
    changed = True
    # Most names end in no generic tail and start with no title prefix: one test each, not one per word.
    while changed and (name.endswith(v.generic_tails) or name.startswith(v.title_prefixes)):
        changed = False
        for tail in v.generic_tails:
            if name.endswith(tail) and len(name) > len(tail):
                name, changed = name[: -len(tail)], True
        for head in v.title_prefixes:
            if name.startswith(head) and len(name) > len(head):
                name, changed = name[len(head):], True
    return _strip_brackets(name)


def _strip_brackets(name: str) -> str:
    """Quotes and brackets around a name, but not the brackets of a second
    name it prints (区发展和改革委员会(区粮食和物资储备局))."""
    name = name.strip(" \"'《》「」“”[]:-")
    while name.endswith(")") and name.count(")") > name.count("("):
        name = name[:-1].rstrip()
    while name.startswith("(") and name.count("(") > name.count(")"):
        name = name[1:].lstrip()
    if name.startswith("(") and name.endswith(")") and name.count("(") == 1:
        name = name[1:-1]
    return name.strip(" \"'《》「」“”[]:-")


def bureau_of(name: str, government_office: bool = False) -> str:
    """The body an internal office belongs to, for the office a contact line
    or a compiler credit names (硚口区教育局局党政办公室 → 硚口区教育局). A
    government's own office is a body of its own (阳山县人民政府办公室) unless
    `government_office`: in a credit it compiles or answers for its government."""
    for office in vocabulary().internal_offices:
        if name.endswith(office) and len(name) > len(office):
            rest = name[: -len(office)]
            if is_agency(rest) and (government_office or not rest.endswith("政府")):
                return rest
    return name


def named_in_text(text: str) -> list[tuple[str, str]]:
    """(name, "self_reference") for each body the report's opening text
    names as itself: as the report's subject, as its compiler or contact,
    at the start of a sentence about its work; in that order."""
    v = vocabulary()
    text = _ASIDE.sub("", text[:_OPENING])
    found: list[tuple[str, str]] = []
    kinds = ((v.agency_subjects, False), (v.agency_credits, True), ((v.agency_sentence_starts,), False))
    for patterns, credit in kinds:
        for pattern in patterns:
            for m in pattern.finditer(text):
                name = clean_name(m.group("name"))
                name = bureau_of(name, government_office=credit)
                if is_agency(name):
                    found.append((name, "self_reference"))
                    break
    return found


_SIGNATURE_DATE = re.compile(
    r"(?:19|20)\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日"
    r"|[〇零○一二三四五六七八九]{4}\s?年\s?[一二三四五六七八九十]{1,3}\s?月\s?[一二三四五六七八九十]{1,3}\s?日")
_NAME_START = re.compile(r"[^\s,。;:、()《》\"]{2,40}$")
_TAIL = 400


def signed_by(tail_text: str) -> str | None:
    """The body that signs the report: the name printed before the date at its end."""
    tail = tail_text[-_TAIL:]
    for m in _SIGNATURE_DATE.finditer(tail):
        before = _NAME_START.search(tail[max(0, m.start() - 41):m.start()].rstrip())
        name = clean_name(before.group(0)) if before else ""
        if is_agency(name):
            return name
    return None
