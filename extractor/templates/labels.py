"""Folding and matching of printed labels against the template's labels.

Labels are compared on a folded form: normalised, traditional characters
mapped to simplified, numbering split off, spaces and punctuation dropped.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from ..normalize import normalize

_PUNCT = re.compile(r"[\s\"'`()\[\]{}<>《》〈〉,，、.。:：;；!！?？/\\|_~·…*#+=-]")
_NUMBERING = re.compile(
    r"^\s*(?:"
    r"\(\s*(?P<paren>[一二三四五六七八九十]{1,3})\s*\)"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})\s*[、.,]"
    r"|(?P<digit>\d{1,2})\s*[.、,](?!\d)"
    r")\s*"
)


@cache
def _t2s() -> tuple[re.Pattern[str], dict[str, str]]:
    """The traditional characters (as one class) and what each becomes. A
    regex finds the few characters that change: str.translate with a table
    looks every character up (about 220 ns each)."""
    data = json.loads((Path(__file__).parent / "traditional.json").read_text("utf-8"))
    table = dict(zip(data["traditional"], data["simplified"], strict=True))
    table = {t: s for t, s in table.items() if t != s}
    return re.compile("[" + "".join(re.escape(ch) for ch in table) + "]"), table


def fold(text: str) -> str:
    """Normalised text with traditional characters mapped to simplified ones."""
    return to_simplified(normalize(text))


def to_simplified(text: str) -> str:
    """Traditional characters of the template's vocabulary mapped to their
    simplified forms; one character for one, so positions are kept."""
    pattern, table = _t2s()
    if text.isascii() or pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: table[m.group(0)], text)


def split_numbering(text: str) -> tuple[str | None, str]:
    """("(一)", rest) for "（一）予以公开"; numbering in a canonical form."""
    m = _NUMBERING.match(text)
    if not m:
        return None, text
    if m.group("paren"):
        num = f"({m.group('paren')})"
    elif m.group("cn"):
        num = f"{m.group('cn')}、"
    else:
        num = f"{m.group('digit')}."
    return num, text[m.end():]


def strip_punct(text: str) -> str:
    return _PUNCT.sub("", text)


def fold_label(text: str) -> str:
    """The core a label is compared by: no numbering, no spaces, no punctuation."""
    _, rest = split_numbering(fold(text))
    return strip_punct(rest)


def numeral(number: str | None) -> str | None:
    """The bare numeral of a numbering ("七" for "(七)" and "七、")."""
    if not number:
        return None
    return number.strip("()、.")


def number_pattern(number: str | None, optional: bool = True) -> str:
    """A regex for a printed numbering in any of its bracket styles."""
    if not number:
        return ""
    n = re.escape(numeral(number) or "")
    body = rf"{n}\s?{NUMBERING_STOP}\s?" if number[0].isdigit() else rf"\(\s?{n}\s?\)\s?|{n}\s?{NUMBERING_STOP}\s?"
    return f"(?:{body})" + ("?" if optional else "")


# What may sit between the characters of a label, and after a numbering.
# The same sets as [\s"'()\[\],、.:;/] and [.、,], written so that they
# compile fast: a class holding a character beyond Latin-1 (、) compiles into
# a 65,536-entry map, and the scanner held about 1,200 of them (a third of
# a second at every start). `、{1}` keeps the parser from folding the
# alternation back into one class; the matches are the same.
SEPARATOR = r"(?:[\s\"'()\[\],.:;/]|、{1}){0,2}"
NUMBERING_STOP = r"(?:[.,]|、{1})"


def label_pattern(core: str) -> str:
    """A regex finding a folded label core in folded running text, where
    spaces, quotes and brackets may sit between its characters."""
    return SEPARATOR.join(re.escape(ch) for ch in core)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
