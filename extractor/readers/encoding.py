"""Decoding bytes of text and HTML files: BOM, declared charset, then UTF-8,
then GB18030 (a superset of GBK and GB2312)."""

from __future__ import annotations

import codecs
import re
from functools import cache

from ..errors import ExtractError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first KB: not text."""
    head = data[:4096]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Raises ExtractError when nothing decodes cleanly."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    candidates = []
    if declared:
        name = declared.strip().lower()
        candidates.append(_ALIASES.get(name, name))
    for name in [*candidates, "utf-8"]:
        try:
            return data.decode(name), name
        except (UnicodeError, LookupError):
            # UnicodeError: a declared codec that refuses all input ("undefined").
            continue
    # GB18030 and Big5 both decode many byte strings without error; the one
    # that reads as a report uses the words of the national template.
    readings = []
    for name in ("gb18030", "big5hkscs"):
        try:
            readings.append((_vocabulary_hits(data.decode(name)), name))
        except UnicodeDecodeError:
            continue
    if readings:
        _, name = max(readings)
        return data.decode(name), name
    raise ExtractError("the file is not in a text encoding this tool reads (tried UTF-8, GB18030, Big5)",
                       code="encoding")


@cache
def _vocabulary() -> frozenset[str]:
    from ..templates import data_file

    words = data_file("traditional.json")
    return frozenset(words["traditional"] + words["simplified"])


def _vocabulary_hits(text: str) -> int:
    vocabulary = _vocabulary()
    return sum(1 for ch in text[:20000] if ch in vocabulary)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def declared_html_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii") if m else None
