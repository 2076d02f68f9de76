"""The dataset's JSON text, as `json.dumps(data, ensure_ascii=False,
indent=1)` writes it, nearly three times as fast.

With an indent, Python 3.11's json module encodes in pure Python, one
generator step per value: 1.3 ms for a typical report document, the
largest share of what a batch does per file outside the extraction. This
encoder writes the same text with one call per container and C for the
strings, and a container of scalars alone (a cell's source, a check's
cells) with json's C encoder, its separator carrying the line break and
indent of the depth (a sixth less time for a report); for anything but plain dicts, lists, tuples, strings, numbers,
booleans and None (a subclass among them) it hands the whole of `data` to
json.dumps, so the text is the same in every case.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from json.encoder import encode_basestring as _string  # C where there is the C accelerator

_CONSTANTS = {True: "true", False: "false", None: "null"}
# A container holding only these (not subclasses) is written by the C encoder in one call.
_SCALARS = frozenset({str, int, float, bool, type(None)})


class _Unusual(Exception):
    """A value this encoder leaves to json.dumps."""


def dumps(data: object) -> str:
    parts: list[str] = []
    try:
        _encode(data, parts, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(parts)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    kind = type(key)
    if kind is str:
        return _string(key)
    if kind is int:
        return _string(int.__repr__(key))  # type: ignore[arg-type]
    if kind is float:
        return _string(_float(key))  # type: ignore[arg-type]
    if key is True or key is False or key is None:
        return _string(_CONSTANTS[key])
    raise _Unusual


@cache
def _flat_encoder(inner: str) -> Callable[[object, int], list[str]] | None:
    """json's C encoder with items separated as at the depth whose lines start with `inner`."""
    if c_make_encoder is None:  # no C accelerator
        return None
    return c_make_encoder(None, None, _string, None, ": ", "," + inner, False, False, True)


def _flat(value: object, inner: str) -> str:
    """The items of a non-empty dict or list of scalars (what goes between its
    brackets and the lines they stand on), as json.dumps writes them: keys
    and floats as _key and _float write them, strings with the same function."""
    encoder = _flat_encoder(inner)
    if encoder is None:
        raise _Unusual
    try:
        text = "".join(encoder(value, 0))
    except TypeError:  # a key json.dumps would refuse
        raise _Unusual from None
    return text[1:-1]


def _encode(value: object, parts: list[str], newline: str) -> None:
    """`value` at the depth whose lines start with `newline` (a newline and
    one space per level). Strings, integers and constants inside a container
    are written with their key or separator, saving a call each."""
    append = parts.append
    kind = type(value)
    if kind is dict:
        if not value:
            append("{}")
            return
        inner = newline + " "
        if _SCALARS.issuperset(map(type, value.values())):  # type: ignore[attr-defined]
            append("{" + inner + _flat(value, inner) + newline + "}")
            return
        separator = "{" + inner
        for key, item in value.items():  # type: ignore[attr-defined]
            name = _string(key) if type(key) is str else _key(key)
            item_kind = type(item)
            if item_kind is str:
                append(separator + name + ": " + _string(item))
            elif item_kind is int:
                append(separator + name + ": " + int.__repr__(item))
            elif item is None or item is True or item is False:
                append(separator + name + ": " + _CONSTANTS[item])
            else:
                append(separator + name + ": ")
                _encode(item, parts, inner)
            separator = "," + inner
        append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            append("[]")
            return
        inner = newline + " "
        if _SCALARS.issuperset(map(type, value)):  # type: ignore[arg-type]
            append("[" + inner + _flat(value, inner) + newline + "]")
            return
        separator = "[" + inner
        for item in value:  # type: ignore[attr-defined]
            item_kind = type(item)
            if item_kind is str:
                append(separator + _string(item))
            elif item_kind is int:
                append(separator + int.__repr__(item))
            else:
                append(separator)
                _encode(item, parts, inner)
            separator = "," + inner
        append(newline + "]")
    elif kind is str:
        append(_string(value))
    elif kind is int:
        append(int.__repr__(value))  # type: ignore[arg-type]
    elif kind is float:
        append(_float(value))  # type: ignore[arg-type]
    elif value is None or value is True or value is False:
        append(_CONSTANTS[value])
    else:
        raise _Unusual


def replace_top_value(text: str, key: str, old: object, new: object) -> str | None:
    """`text`, as dumps() wrote a dict, with the value `old` of its top-level
    `key` replaced by `new`: the text dumps() would write with `new` there,
    without decoding and encoding the rest again. None if `old` is not what
    the text holds there (or a value is one dumps leaves to json.dumps)."""
    # Only a top-level key starts a line with one space: a string's line break is written \n.
    marker = "\n " + _string(key) + ": "
    at = text.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    try:
        before, after = _nested(old), _nested(new)
    except (_Unusual, RecursionError):
        return None
    if not text.startswith(before, start):
        return None
    end = start + len(before)
    if not (text.startswith(",\n ", end) or text.startswith("\n}", end)):  # the whole value, not a prefix
        return None
    return text[:start] + after + text[end:]


def _nested(value: object) -> str:
    """`value` as dumps() writes it as a top-level dict's value."""
    parts: list[str] = []
    _encode(value, parts, "\n ")
    return "".join(parts)
