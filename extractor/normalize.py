"""Text normalisation applied before any matching.

Real pages mix full-width and half-width forms, Kangxi radicals from PDF text
layers (⼈⺠ for 人民), curly and straight quotes, dash variants and every kind
of space. Everything downstream matches on the normalised form; the raw text
of a cell is kept separately for the output.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement code points that NFKC leaves alone but PDF text
# layers use in place of the ordinary ideograph (Kangxi radicals U+2F00..
# are already folded by NFKC).
_RADICALS = {
    "⺁": "厂", "⺜": "日", "⺝": "月", "⺠": "民", "⺩": "王", "⺼": "月",
    "⻁": "虎", "⻄": "西", "⻅": "见", "⻆": "角", "⻉": "贝", "⻋": "车",
    "⻓": "长", "⻔": "门", "⻘": "青", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟",
    "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙",
    "⻳": "龟",
}

_QUOTES = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
           "「": '"', "」": '"', "『": '"', "』": '"', "〝": '"', "〞": '"'}
# Dashes and minus signs folded to ASCII hyphen-minus; the long dash "—" used
# for "no value" cells is folded too and recognised by the value parser.
_DASHES = {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "－": "-",
           "﹣": "-", "⁃": "-", "─": "-", "━": "-"}
# NFKC turns full-width brackets and punctuation into ASCII; a few CJK forms
# it keeps are folded here so that labels compare equal.
_PUNCT = {"、": "、", "．": ".", "。": "。", "〔": "[", "〕": "]", "【": "[", "】": "]",
          "﹙": "(", "﹚": ")", "⑴": "(1)", "⑵": "(2)", "⑶": "(3)"}

_FOLDS = {**_RADICALS, **_QUOTES, **_DASHES, **_PUNCT}
# The characters the folds change, found by a regex: most text has none, and
# str.translate would look every character up.
_FOLDED = re.compile("[" + "".join(re.escape(ch) for ch in _FOLDS) + "]")
_SPACE = r"[\s\u00a0\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"
_SPACES = re.compile(_SPACE + "+")


def _fold(m: re.Match[str]) -> str:
    return _FOLDS[m.group(0)]


_CHAR_FOLDS: dict[str, str] = {}


def fold_char(ch: str) -> str:
    """One character as normalize() folds it (whitespace: one space)."""
    folded = _CHAR_FOLDS.get(ch)
    if folded is None:
        folded = _FOLDED.sub(_fold, unicodedata.normalize("NFKC", ch))
        if _SPACES.fullmatch(folded):
            folded = " "
        _CHAR_FOLDS[ch] = folded
    return folded


def _char_class(chars: list[str]) -> str:
    """A regex character class's inside for these characters, runs as ranges."""
    codes = sorted({ord(ch) for ch in chars})
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return "".join(parts)


def _alone(ch: str) -> bool:
    """Does NFKC turn this character into the same text wherever it stands?
    It does when neither it nor what it becomes can reorder or compose with a
    neighbour: no combining marks, and nothing below U+2000 but ASCII (the
    characters that compose with a preceding one without being combining
    marks, Hangul jamo and a few Indic vowel signs, all lie there or beyond
    the basic plane)."""
    if unicodedata.combining(ch):
        return False
    if unicodedata.is_normalized("NFKC", ch):
        return True  # (most: itself, a BMP character above U+2000 that is no combining mark)
    return all(ord(x) < 0x80 or (0x2000 <= ord(x) <= 0xFFFF and unicodedata.combining(x) == 0)
               for x in unicodedata.normalize("NFKC", ch))


# The punctuation, symbol and full-width blocks of Chinese text, and of those
# the characters NFKC folds alone. A text of ASCII, ideographs and these is
# normalised one character at a time (the same as NFKC of the whole, which
# costs some 70 ns a character in a line of thousands), replacing only the
# characters that change.
_BLOCKS = [*range(0x2000, 0x2C00), *range(0x2E80, 0x2FE0), *range(0x3000, 0x3040), *range(0x3200, 0x3400),
           *range(0xFE10, 0xFE70), *range(0xFF00, 0xFFF0)]
_ALONE = [chr(cp) for cp in _BLOCKS if _alone(chr(cp))]
_CHANGES = {ch: to for ch in _ALONE if (to := fold_char(ch)) != ch}
# Any character not known to fold alone: the text goes through NFKC whole.
_NOT_ALONE = re.compile(f"[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff{_char_class(_ALONE)}]")
_CHANGING = re.compile(f"[{_char_class(list(_CHANGES))}]")


def _change(m: re.Match[str]) -> str:
    return _CHANGES[m.group(0)]


def normalize(text: str) -> str:
    """NFKC plus the folds above; whitespace runs become one ASCII space."""
    if text.isascii():
        return _SPACES.sub(" ", text).strip()
    if _NOT_ALONE.search(text) is None:
        text = _CHANGING.sub(_change, text)
    else:
        text = _FOLDED.sub(_fold, unicodedata.normalize("NFKC", text))
    return _SPACES.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Normalised text with every space removed: the form labels are compared in."""
    return _SPACES.sub("", normalize(text))


def source_offsets(raw: str, length: int | None = None) -> list[int] | None:
    """For each character of normalize(raw) (`length` long, where the caller
    knows), the index in `raw` of the character it came from, and one more
    entry: len(raw). None where the text does not normalise character by
    character (a combining sequence)."""
    if _UNCHANGED.fullmatch(raw) and (length is None or length == len(raw)):
        return list(range(len(raw) + 1))
    # Most characters fold to one character: only whitespace runs (one space)
    # and the few that fold to several (or none) move the offsets, and a
    # regex finds those, so a line of a megabyte is not walked in Python.
    # ASCII and the unified ideographs never change length; the few others are looked at.
    others = _ONE_TO_ONE.sub("", "".join(set(raw)))
    changing = [ch for ch in others if len(fold_char(ch)) != 1 and not _SPACES.match(ch)]
    pattern = _SPACE_RUN if not changing else re.compile(
        f"(?P<space>{_MOVING_SPACES})|[{''.join(re.escape(ch) for ch in changing)}]")
    kept: list[int] = []
    at = 0
    for m in pattern.finditer(raw):
        start, end = m.span()
        kept.extend(range(at, start))
        if m.lastgroup == "space":
            if start > 0 and end < len(raw):  # normalize() strips the ends
                kept.append(start)
        else:
            kept.extend([start] * len(fold_char(raw[start])))
        at = end
    kept.extend(range(at, len(raw)))
    if len(kept) != (len(normalize(raw)) if length is None else length):
        return _offsets_by_character(raw)
    return [*kept, len(raw)]


# The whitespace that moves offsets: a run at either end (stripped) or of two
# or more (one space). A single one inside the text becomes one space in its
# place, so it is passed over with the characters around it.
_MOVING_SPACES = f"^{_SPACE}+|{_SPACE}+$|{_SPACE}{{2,}}"
_SPACE_RUN = re.compile(f"(?P<space>{_MOVING_SPACES})")
# A line each of whose characters normalises to one character in its place:
# ASCII, the unified ideographs, CJK and full-width punctuation, dashes and
# quotes, single spaces between them (most lines of a text report).
_SAME_PLACE = r"[\x21-\x7e\u4e00-\u9fff\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff5e\u2010-\u2015\u2018-\u201f]+"
_UNCHANGED = re.compile(f"(?:{_SAME_PLACE} )*{_SAME_PLACE}|")
_ONE_TO_ONE = re.compile(r"[\x00-\x7f\u4e00-\u9fff]+")


def _offsets_by_character(raw: str) -> list[int] | None:
    """source_offsets() one character at a time, for text the fast way does not fit."""
    text: list[str] = []
    kept: list[int] = []
    space = False  # the last character kept is a space
    for i, ch in enumerate(raw):
        folded = ch if ch.isascii() and not ch.isspace() else fold_char(ch)
        for out in folded:
            if out == " " or (not out.isascii() and _SPACES.match(out)):
                # Whitespace runs become one space, as normalize() does.
                if space or not text:
                    continue
                out = " "
                space = True
            else:
                space = False
            text.append(out)
            kept.append(i)
    if space:
        text.pop()
        kept.pop()
    if "".join(text) != normalize(raw):
        return None
    return [*kept, len(raw)]
