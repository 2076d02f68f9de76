"""Decoding bytes of text and HTML files: BOM (or UTF-16 without one),
declared charset, then UTF-8, then GB18030 (a superset of GBK and GB2312) or Big5.

A file damaged in a few bytes (a flipped byte, a download cut inside a
character) is still read: once the encoding is known, the bytes it cannot
decode become U+FFFD, and a note says how many and where (`decode_notes`).
Text holding U+FFFD is damaged text, and the tables flag the cells read from
it. A file that is mostly undecodable is in no encoding this tool reads.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from ..errors import ExtractError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}
_LEGACY = ("gb18030", "big5hkscs")
REPLACEMENT = "\ufffd"
# Beyond this share of the file's bytes, a reading is not the file's encoding.
MAX_UNDECODABLE_SHARE = 0.02
# A file that is UTF-8 but for this share of its non-ASCII bytes is damaged
# UTF-8 (a GB18030 or Big5 file is undecodable in most of its non-ASCII bytes).
_NEAR_UTF8_SHARE = 0.02
# Offsets listed in a note; the count covers them all.
_SHOWN = 5
_HEAD = 1 << 16
_NEWLINE = b"\n"


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first KB: not text."""
    head = data[:4096]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


# In UTF-16 the ASCII characters (digits, punctuation, line breaks) have a NUL
# high byte, on one side of the pairs (a Chinese character has a NUL low
# byte once in 256); and the text decodes to no control character. Binary
# data has its NULs anywhere.
_ONE_SIDED = 0.75
_UTF16_TEXT = re.compile(r"[\u4e00-\u9fff]")


def utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for the head of a UTF-16 text written
    without a byte-order mark (by tools that leave it out), else None."""
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd + even < 8:
        return None
    name = "utf-16-le" if odd >= _ONE_SIDED * (odd + even) else "utf-16-be" if even >= _ONE_SIDED * (odd + even) \
        else None
    if name is None:
        return None
    text = head[: len(head) // 2 * 2].decode(name, "replace")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    return name if controls == 0 and _UTF16_TEXT.search(text) else None


# -- notes --------------------------------------------------------------------

_NOTES: ContextVar[list[tuple[str, str]] | None] = ContextVar("decode_notes", default=None)


@contextmanager
def decode_notes() -> Iterator[list[tuple[str, str]]]:
    """Collect, as (code, message), what `decode` replaced while reading one file."""
    notes: list[tuple[str, str]] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


# -- decoding -----------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    text: str
    name: str
    spans: list[tuple[int, int]]  # byte ranges replaced by U+FFFD

    @property
    def bad_bytes(self) -> int:
        return sum(end - start for start, end in self.spans)


class _TooDamaged(Exception):
    """More undecodable bytes than the reading allows: stop decoding."""


@dataclass(slots=True)
class _Replaced:
    limit: int  # undecodable bytes allowed
    spans: list[tuple[int, int]]
    count: int = 0


_REPLACED: ContextVar[_Replaced] = ContextVar("undecodable_spans")


def _replace_and_record(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    replaced = _REPLACED.get()
    replaced.spans.append((exc.start, exc.end))
    replaced.count += exc.end - exc.start
    if replaced.count > replaced.limit:
        raise _TooDamaged
    return REPLACEMENT, exc.end


codecs.register_error("extractor-replace", _replace_and_record)


def _lenient(data: bytes, name: str, limit: int) -> _Reading | None:
    """The data decoded with replacement; None when the codec is unknown or
    more than `limit` bytes cannot be decoded. A long file is tried on its
    head first, so that the wrong encoding is given up early."""
    if len(data) > 2 * _HEAD:
        # Its share of the limit, and room for a character cut at the end.
        head_limit = limit * _HEAD // len(data) + 4
        if _lenient(data[:_HEAD], name, head_limit) is None:
            return None
    replaced = _Replaced(limit, [])
    token = _REPLACED.set(replaced)
    try:
        return _Reading(data.decode(name, "extractor-replace"), name, replaced.spans)
    except (LookupError, UnicodeError, _TooDamaged):
        return None
    finally:
        _REPLACED.reset(token)


def _strict(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except (LookupError, UnicodeError):
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Raises ExtractError when no encoding reads the
    file but for a few damaged bytes."""
    limit = int(len(data) * MAX_UNDECODABLE_SHARE)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _accept(_lenient(data, name, limit), data)
    if utf16 := utf16_without_bom(data[:4096]):
        return _accept(_lenient(data, utf16, limit), data)
    candidates = []
    if declared:
        name = declared.strip().lower()
        candidates.append(_ALIASES.get(name, name))
    for name in [*candidates, "utf-8"]:
        text = _strict(data, name)
        if text is not None:
            return text, name
    # UTF-8 with a few damaged bytes is still UTF-8, even where a legacy
    # encoding happens to decode every byte (into other characters).
    non_ascii = len(data) - len(data.translate(None, bytes(range(128))))
    utf8 = _lenient(data, "utf-8", min(limit, int(non_ascii * _NEAR_UTF8_SHARE)))
    if utf8 is not None:
        return _accept(utf8, data)
    # GB18030 and Big5 both decode many byte strings without error; the one
    # that reads as a report uses the words of the national template.
    readings = []
    for name in _LEGACY:
        text = _strict(data, name)
        if text is not None:
            readings.append((_vocabulary_hits(text), name, text))
    if readings:
        _, name, text = max(readings)
        return text, name
    # Nothing decodes cleanly: the reading that uses the template's words,
    # with its few damaged bytes replaced.
    lenient = [r for name in dict.fromkeys([*candidates, "utf-8", *_LEGACY])
               if (r := _lenient(data, name, limit)) is not None]
    if lenient:
        best = max(lenient, key=lambda r: (_vocabulary_hits(r.text), -r.bad_bytes))
        return _accept(best, data)
    raise _unreadable()


def _unreadable() -> ExtractError:
    return ExtractError("the file is not in a text encoding this tool reads (tried UTF-8, GB18030, Big5)",
                        code="encoding")


def _accept(reading: _Reading | None, data: bytes) -> tuple[str, str]:
    """The reading's text, its replaced bytes noted."""
    if reading is None:
        raise _unreadable()
    if reading.spans:
        notes = _NOTES.get()
        if notes is not None:
            notes.append(("undecodable_bytes", _describe(reading, data)))
    return reading.text, reading.name


def _describe(reading: _Reading, data: bytes) -> str:
    spans: list[tuple[int, int]] = []
    for start, end in reading.spans:  # adjacent stretches read as one place
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    n = reading.bad_bytes
    # Line numbers count newline bytes: not in UTF-16, where a byte 0x0A may
    # be half of another character.
    lines = not reading.name.startswith("utf-16")
    shown = ", ".join(
        (f"byte {start}" if end - start == 1 else f"bytes {start}-{end - 1}")
        + (f" (line {data.count(_NEWLINE, 0, start) + 1})" if lines else "")
        for start, end in spans[:_SHOWN])
    more = f" and {len(spans) - _SHOWN} more places" if len(spans) > _SHOWN else ""
    return (f"{n} byte{'s' if n != 1 else ''} cannot be decoded as {reading.name.removesuffix('-sig')} "
            f"(damaged or cut off) and {'were' if n != 1 else 'was'} read as U+FFFD: {shown}{more}; "
            "table cells read from that text are flagged")


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
