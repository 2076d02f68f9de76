"""The six numbered sections of a report and their text.

Headings are found in order (一 before 二 …), by their wording with any
numeral, anywhere in a line: crawler dumps glue headings to the text around
them. Where a report words a heading freely, a numbered line holding the
section's keywords is taken instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .model import Document, Paragraph
from .templates import section_specs
from .templates.labels import SEPARATOR as _SEPARATOR
from .templates.labels import fold, label_pattern, strip_punct, to_simplified

_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    key: str
    title: str
    text: str

    def as_dict(self) -> dict:
        return {"number": self.number, "key": self.key, "title": self.title, "text": self.text}


@cache
def _patterns() -> list[tuple[dict, re.Pattern[str], re.Pattern[str]]]:
    out = []
    for section in section_specs():
        num = _NUMERALS[section["number"] - 1]
        titles = "|".join(heading_pattern(t) for t in section["titles"])
        exact = re.compile(rf"(?P<num>[{_NUMERALS}])\s?[、.,]\s?(?:{HEADING_PREFIX})?(?:{titles})")
        keywords = "|".join("".join(f"(?=[^\\n]{{0,40}}{re.escape(w)})" for w in words)
                            for words in section["keywords"])
        loose = re.compile(rf"(?m)^\s?{num}\s?[、.,](?:{keywords})[^\n]{{1,40}}$")
        out.append((section, exact, loose))
    return out


# Reports word a heading with or without its connectives (行政复议、行政诉讼 /
# 行政复议与行政诉讼 / 行政复议和行政诉讼; 问题及改进 / 问题和改进) and with or
# without a subject before it (五、政府信息公开存在的问题…). A title marks
# with a connective where one may stand.
_CONNECTIVES = "与和及或的、"
HEADING_PREFIX = "|".join(label_pattern(p) for p in ("政府信息公开工作", "政府信息公开", "政务公开工作", "本机关"))


def heading_pattern(title: str) -> str:
    """A regex for a section title in folded text: at each of its
    connectives any connective or none, elsewhere what a label allows."""
    out: list[str] = []
    slot = False
    for ch in fold(title):
        if ch in _CONNECTIVES or not strip_punct(ch):
            slot = bool(out)
            continue
        if out:
            out.append(_CONNECTIVE_SLOT if slot else _SEPARATOR)
        out.append(re.escape(ch))
        slot = False
    return "".join(out)


# [\s"'()\[\],、.:;/与和及或的]{0,2}, written to compile fast (as labels.label_pattern's
# separator: a class holding characters beyond Latin-1 compiles into a 65,536-entry map).
_CONNECTIVE_SLOT = r"(?:[\s\"'()\[\],.:;/]|" + "|".join(f"{ch}{{1}}" for ch in dict.fromkeys(_CONNECTIVES)) + "){0,2}"


def body_text(doc: Document) -> str:
    """The running text of the report, one paragraph a line (tables left out)."""
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))


def find_sections(text: str) -> list[Section]:
    """Sections of the body text. Headings are searched in the folded text,
    which has the same length, and the text is cut from the original."""
    folded = to_simplified(text)
    found: list[tuple[int, int, int, str]] = []  # (number, heading start, heading end, title)
    pos = 0
    for section, exact, loose in _patterns():
        match = _first_after(exact, folded, pos, prefer=_NUMERALS[section["number"] - 1])
        if match is None:
            match = loose.search(folded, pos)
        if match is None:
            continue
        found.append((section["number"], match.start(), match.end(), text[match.start():match.end()].strip()))
        pos = match.end()
    sections = []
    keys = {s["number"]: s["key"] for s in section_specs()}
    for i, (number, _, end, title) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(text)
        sections.append(Section(number, keys[number], title, text[end:stop].strip()))
    return sections


def _first_after(pattern: re.Pattern[str], text: str, pos: int, prefer: str) -> re.Match[str] | None:
    """The first match after pos with the expected numeral, else the first with any."""
    first_any = None
    for m in pattern.finditer(text, pos):
        if m.group("num") == prefer:
            return m
        if first_any is None:
            first_any = m
    return first_any
