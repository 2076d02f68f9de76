"""Finding template labels, headers and headings in table text.

One scanner serves every input style: a grid cell, a line of a one-cell-per-
line page, a pipe-joined row and a paragraph in which a crawler glued a whole
table together all go through `Scanner.scan`, which returns the marks it
recognised and the value tokens between them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from ..sections import HEADING_PREFIX, heading_pattern
from ..templates import Templates, load, section_specs
from ..templates.labels import (
    NUMBERING_STOP,
    fold,
    fold_label,
    label_pattern,
    number_pattern,
    numeral,
    split_numbering,
    to_simplified,
)
from .values import split_value_runs

# Words printed around the tables that carry no value and no row: the
# 第二十条 markers that open table 二, table titles, and header furniture.
_STRUCTURE_WORDS = {
    "proactive": {
        "marker": ["第二十条第(一)项", "第二十条第(五)项", "第二十条第(六)项", "第二十条第(八)项", "第二十条第(九)项"],
        "title": ["主动公开政府信息情况"],
        "structure": ["信息内容"],
    },
    "applications": {
        "title": ["收到和处理政府信息公开申请情况"],
        "structure": ["申请人情况", "法人或其他组织", "本列数据的勾稽关系为", "第一项加第二项之和",
                      "等于第三项加第四项之和"],
    },
    "review_litigation": {
        "title": ["政府信息公开行政复议、行政诉讼情况"],
    },
}
# The Chinese characters a line ends with and the next starts with, where a
# label broken over the two may be.
_WRAP_TAIL, _WRAP_HEAD = 24, 12
_CJK_TAIL = re.compile(r"[\u4e00-\u9fff]+$")
_CJK_HEAD = re.compile(r"^[\u4e00-\u9fff]+")
# Quotes a label prints ("三安全一稳定" in “”) that its folded core does not hold.
_QUOTES = re.compile(r"[\"'“”‘’「」]")
# Header words printed by more than one table: they do not tell which table we are in.
_SHARED_WORDS = {"总计", "合计", "其他"}


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # "row" | "group" | "header" | "section"
    table: str | None
    key: str  # row key, group key, column key or section number
    layouts: frozenset[str] = frozenset()
    fuzzy: bool = False


@dataclass(slots=True, unsafe_hash=True)
class Piece:
    """One recognised mark, or a run of value tokens, or leftover text.
    Not frozen, only by convention immutable (cached scans share their
    pieces): a frozen dataclass costs four times as much to make, and a
    glued dump's scan makes thousands."""

    mark: Mark | None = None
    values: tuple[str, ...] = ()
    text: str = ""
    # Where each value (or the mark, or the text) is in the scanned text.
    spans: tuple[tuple[int, int], ...] = ()


_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class _Entry:
    literal: str  # the folded core, for ordering and fuzzy matching
    regex: str
    mark: Mark
    starts: frozenset[str]  # characters a match can begin with
    numbering: str = ""  # the numeral the pattern may begin with (its printed row number)


def _cjk_tail(text: str, chars: int) -> str:
    """The Chinese characters the last `chars` of a line end with (folded,
    quotes left out), where a label broken at the line's end may begin."""
    tail = _CJK_TAIL.search(to_simplified(_QUOTES.sub("", text[-chars:])))
    return tail.group(0) if tail else ""


def _heading_entry(titles: list[str], mark: Mark) -> _Entry:
    """One section's heading: any numeral, then any of its titles (longest
    first), in one alternative: the numeral and the subject before a title
    are written once, which keeps the scanner's pattern small to compile."""
    titles = sorted(dict.fromkeys(titles), key=lambda t: len(fold_label(t)), reverse=True)
    body = "|".join(heading_pattern(t) for t in titles)
    return _Entry(fold_label(titles[0]), rf"[{_NUMERALS}]\s?[、.,]\s?(?:{HEADING_PREFIX})?(?:{body})", mark,
                  frozenset(_NUMERALS))


def _entry(core: str, mark: Mark, number: str | None = None, required: bool = False) -> _Entry:
    """A mark's pattern: its core with optional separators between the
    characters, after its printed numbering (optional unless required)."""
    starts = set()
    if number:
        n = numeral(number) or ""
        starts |= {n[:1]} if number[0].isdigit() else {"(", n[:1]}
    if not (number and required):
        starts.add(core[:1])
    return _Entry(core, number_pattern(number, optional=not required) + label_pattern(core), mark, frozenset(starts),
                  numeral(number) or "" if number else "")


class Scanner:
    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        entries: list[_Entry] = []

        for table, layouts in templates.layouts.items():
            if table == "review_litigation":
                continue
            seen: dict[str, set[str]] = {}
            specs = {}
            for name, layout in layouts.items():
                for row in layout.rows:
                    seen.setdefault(row.key, set()).add(name)
                    specs[row.key] = row
            for key, names in seen.items():
                row = specs[key]
                mark = Mark("row", table, key, frozenset(names))
                entries += [_entry(label, mark, row.number, row.requires_number) for label in row.labels]
            for layout in layouts.values():
                for column, words in layout.column_labels.items():
                    entries += [_entry(word, Mark("header", table, column)) for word in words]

        for key, labels, number in templates.groups:
            entries += [_entry(label, Mark("group", "applications", key), number) for label in labels]
        for table in ("applications", "review_litigation"):
            for column, words in templates.column_labels[table].items():
                for word in words:
                    owner = None if word in _SHARED_WORDS else table
                    entries.append(_entry(word, Mark("header", owner, column)))
        entries += [_entry(w, Mark("header", "review_litigation", w)) for w in templates.review_header_words]
        for table, kinds in _STRUCTURE_WORDS.items():
            for kind, words in kinds.items():
                entries += [_entry(fold_label(word), Mark("header", table, kind)) for word in words]
        # Section headings are known by their wording whatever numeral they
        # carry: some reports renumber them (a Shanghai outline puts the
        # tables under 一/二/三).
        section_titles = []
        for section in section_specs():
            section_titles += [(section["number"], fold_label(t)) for t in section["titles"]]
            entries.append(_heading_entry(section["titles"], Mark("section", None, str(section["number"]))))

        # Longer literals first, so that 行政规范性文件 wins over 规范性文件 and
        # 其他结果 over 其他 where both match at the same place (sections
        # count their numeral).
        entries.sort(key=lambda e: len(e.literal) + (e.mark.kind == "section"), reverse=True)
        self._entries = entries
        self._marks = [e.mark for e in entries]
        # Where a mark can start, each position is tried only against the
        # marks that can start with its character (a pattern per character,
        # compiled when first needed, the marks in their order). The
        # headings, which start with any numeral, have one pattern of their
        # own: no numbered row label reads as a heading, so at a numeral the
        # two never compete.
        self._starts = _start_pattern(entries)
        self._by_start: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            if e.mark.kind != "section":
                for c in e.starts:
                    self._by_start.setdefault(c, []).append(i)
        self._patterns: dict[str, re.Pattern[str] | None] = {}
        self._headings = self._alternation([i for i, e in enumerate(entries) if e.mark.kind == "section"])
        self._row_labels = [(e.literal, e.mark) for e in entries if e.mark.kind == "row"]
        self._fuzzy: dict[str | None, list[tuple[str, Mark, Counter[str]]]] = {}
        self._literals = [e.literal for e in entries]
        self._wrapped = frozenset(e.literal for e in entries if e.mark.kind in ("row", "header", "group")
                                  and len(e.literal) >= 4)
        # Their heads (every proper prefix): a line's tail that is none is no
        # start of a label running on into the next line.
        self._wrapped_heads = frozenset(w[:k] for w in self._wrapped for k in range(1, len(w)))
        openers = {core[1:] for number, core in section_titles if number in (2, 3, 4)}
        openers |= {e.literal[:4] for e in entries if e.mark.key == "marker"}
        # A table printed without its section's heading starts at its own first row or header.
        openers |= {e.literal for e in entries if e.mark.key in ("new_received", "未经复议直接起诉")}
        self._openers = re.compile("|".join(label_pattern(o) for o in sorted(openers)))
        self._numbers = {}
        for layouts in templates.layouts.values():
            for layout in layouts.values():
                for row in layout.rows:
                    self._numbers[(layout.table, row.key)] = row.number

    def may_open(self, text: str) -> bool:
        """A cheap test: can this text hold a mark that opens the table zone
        (a 第二十条 marker or the heading of sections 二 to 四)?"""
        return bool(self._openers.search(to_simplified(text)))

    def scan(self, text: str) -> list[Piece]:
        """Marks and value runs of one stretch of (normalised) text, in order.
        Short texts (cells, lines) repeat across reports, all printing the
        same template: their scans are cached."""
        if len(text) <= 80:
            return list(self._scan_cached(text))
        return self._scan(text)

    @lru_cache(maxsize=8192)  # noqa: B019 - one scanner lives for the process
    def _scan_cached(self, text: str) -> tuple[Piece, ...]:
        return tuple(self._scan(text))

    def _alternation(self, indices: list[int]) -> re.Pattern[str] | None:
        if not indices:
            return None
        return re.compile("|".join(f"(?P<m{i}>{self._entries[i].regex})" for i in indices))

    def _pattern(self, char: str) -> re.Pattern[str] | None:
        try:
            return self._patterns[char]
        except KeyError:
            pattern = self._patterns[char] = self._alternation(self._by_start.get(char, []))
            return pattern

    def _scan(self, text: str) -> list[Piece]:
        folded = to_simplified(text)
        pieces: list[Piece] = []
        append, marks, patterns, headings = pieces.append, self._marks, self._patterns, self._headings
        search = self._starts.search
        pos = at = 0
        while (start := search(folded, at)) is not None:
            # The first mark, in the marks' order, that matches here.
            here = start.start()
            char = folded[here]
            pattern = patterns[char] if char in patterns else self._pattern(char)
            m = pattern.match(folded, here) if pattern is not None else None
            if m is None and char in _NUMERALS and headings is not None:
                m = headings.match(folded, here)
            if m is None:
                at = here + 1
                continue
            if here > pos:
                pieces.extend(self._gap(folded, pos, here))
            # (Fields by position: faster to make.)
            append(Piece(marks[int(m.lastgroup[1:])], (), m.group(0), (m.span(),)))
            pos = at = m.end()
        if pos < len(folded):
            pieces.extend(self._gap(folded, pos, len(folded)))
        return pieces

    def _gap(self, folded: str, start: int, end: int) -> list[Piece]:
        out = []
        for kind, items, spans in split_value_runs(folded[start:end]):
            if kind == "values":
                out.append(Piece(None, tuple(items), "", tuple([(start + a, start + b) for a, b in spans])))
                continue
            text = items[0].strip()
            if text:
                a = start + spans[0][0] + (len(items[0]) - len(items[0].lstrip()))
                out.append(Piece(None, (), text, ((a, a + len(text)),)))
        return out

    def is_fragment(self, text: str, strict: bool = True) -> bool:
        """Is this text a piece of some template label or header (the kind of
        piece a label wrapped over lines or cells leaves)? Strict: a short
        piece counts only as a label's head; loose (a label cell of a printed
        row, where any piece of a wrapped label may land): any piece."""
        core = fold_label(text)
        if not core:
            return True
        if strict and len(core) < 5:
            return any(literal.startswith(core) for literal in self._literals)
        n = 5 if strict else 3
        return any(core[:n] in literal or core[-n:] in literal for literal in self._literals)

    def label_across(self, before: str, after: str) -> bool:
        """Does a template label or header (of four characters at least) run
        across the end of `before` into the start of `after`, as where a page
        broke a line inside it?"""
        t, head = _cjk_tail(before, _WRAP_TAIL), _CJK_HEAD.match(to_simplified(_QUOTES.sub("", after[:_WRAP_HEAD])))
        if not t or head is None:
            return False
        h = head.group(0)
        wrapped, heads = self._wrapped, self._wrapped_heads
        for i in range(1, len(t) + 1):
            piece = t[-i:]
            if piece in heads and any(piece + h[:j] in wrapped for j in range(1, len(h) + 1)):
                return True
        return False

    def label_goes_on(self, before: str, after: str) -> bool:
        """Is `after` (a short line of Chinese characters alone) the middle
        of a template label that `before` ends with the start of, which
        the next lines go on with (a label a narrow cell wrapped a few
        characters a line: "2.其他" / "法" / "律行政法规" / "禁止公开")?"""
        h = to_simplified(_QUOTES.sub("", after.strip()))
        if len(h) > _WRAP_HEAD or not (h == "" or _CJK_HEAD.fullmatch(h)) or not after.strip():
            return False
        t, heads = _cjk_tail(before, 2 * _WRAP_HEAD), self._wrapped_heads
        if not t:
            return False
        # (A line of quotes alone, "“", goes on with any label begun.)
        return any(t[-i:] in heads and t[-i:] + h in heads for i in range(1, len(t) + 1))

    def within_label(self, text: str) -> bool:
        """Is this text, folded, a stretch of some template label or header?"""
        core = fold_label(text)
        return any(core in literal for literal in self._literals)

    def _fuzzy_labels(self, table: str | None) -> list[tuple[str, Mark, Counter[str]]]:
        """The row labels fuzzy_row weighs for a table (all where None), with their characters counted."""
        found = self._fuzzy.get(table)
        if found is None:
            found = self._fuzzy[table] = [(label, mark, Counter(label)) for label, mark in self._row_labels
                                          if not (table and mark.table != table) and len(label) >= 4]
        return found

    def fuzzy_row(self, text: str, table: str | None = None) -> Mark | None:
        """The row a damaged label most likely is (one wrong or missing
        character, a wrapped fragment), or None when no row is close enough
        or two rows are equally close."""
        number, rest = split_numbering(fold(text))
        core = fold_label(rest)
        if len(core) < 4:
            return None
        scored: dict[tuple[str, str], tuple[float, Mark]] = {}
        # The text is the matcher's second sequence: difflib caches its index.
        # difflib's two upper bounds of the ratio (real_quick_ratio: from the
        # lengths; quick_ratio: from the characters in common, counted here
        # from each label's counts made once) skip most labels before it.
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(core)
        core_counts = Counter(core)
        n = len(core)
        for label, mark, counts in self._fuzzy_labels(table):
            if core.startswith(label) or (n >= 6 and label.startswith(core)):
                ratio = 0.9
            else:
                both = len(label) + n
                if 2.0 * min(len(label), n) / both < 0.75:
                    continue
                common = sum(min(k, core_counts[ch]) for ch, k in counts.items() if ch in core_counts)
                if 2.0 * common / both < 0.75:
                    continue
                matcher.set_seq1(label)
                ratio = matcher.ratio()
            if number and numeral(number) == numeral(self._numbers.get((mark.table, mark.key))):
                ratio += 0.05
            key = (mark.table, mark.key)
            if ratio > scored.get(key, (0.0, mark))[0]:
                scored[key] = (ratio, mark)
        ranked = sorted(scored.values(), key=lambda x: x[0], reverse=True)
        if not ranked or ranked[0][0] < 0.8:
            return None
        if len(ranked) > 1 and ranked[1][0] >= ranked[0][0] - 0.05:
            return None
        best = ranked[0][1]
        return Mark(best.kind, best.table, best.key, best.layouts, fuzzy=True)


def _start_pattern(entries: list[_Entry]) -> re.Pattern[str]:
    """Where a mark may start: a character some mark can begin with. A
    digit begins a mark only as a row's printed number ("1." "2、", as
    number_pattern writes it), so a digit is a start only where a numbering
    stop follows it: the digits of values and dates, most of a dump's digits,
    are not tried against the marks one by one."""
    starts = set().union(*(e.starts for e in entries))
    numerals: dict[str, set[str]] = {}
    for e in entries:
        if e.numbering[:1].isdigit():
            numerals.setdefault(e.numbering[0], set()).add(e.numbering)
    # (A digit some label or header itself begins with stays a plain start.)
    numbered = {c: max(len(n) for n in ns) for c, ns in numerals.items()
                if not any(c in e.starts and e.numbering[:1] != c for e in entries)}
    plain = "".join(re.escape(c) for c in sorted(starts - set(numbered)))
    ahead = []
    for k in sorted(set(numbered.values())):  # the digits by the longest numeral they begin
        digits = "".join(sorted(c for c, n in numbered.items() if n == k))
        more = rf"\d{{0,{k - 1}}}" if k > 1 else ""
        ahead.append(rf"[{digits}](?={more}\s?{NUMBERING_STOP})")
    return re.compile("|".join([f"[{plain}]", *ahead]))


@cache
def scanner() -> Scanner:
    return Scanner(load())
