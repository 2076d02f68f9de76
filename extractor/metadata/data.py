"""The metadata vocabulary (`templates/metadata.json`), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..templates import data_file


@dataclass(frozen=True, slots=True)
class Vocabulary:
    title_suffixes: tuple[str, ...]
    field_kinds: dict[str, str]  # field name -> "title" | "agency" | "published" | "dated" | "other"
    field_key: re.Pattern[str]  # any field name, spaces allowed between its characters
    breadcrumb: re.Pattern[str]  # a breadcrumb separator
    breadcrumb_head: re.Pattern[str]  # "当前位置:" and its variants at the start of a line
    chrome_words: tuple[str, ...]
    title_prefixes: tuple[str, ...]
    title_wrapper: re.Pattern[str]  # the part of a title before its year: publisher (outer) and body (inner)
    title_tail: re.Pattern[str]  # what may follow a title's suffix (的通知, (2023年度))
    link_line: re.Pattern[str]  # "上一篇:" and its variants at the start of a line
    flipbook_page: re.Pattern[str]
    body_words: tuple[str, ...]
    generic_names: frozenset[str]
    generic_heads: tuple[str, ...]
    forbidden_in_name: tuple[str, ...]
    # Any of forbidden_in_name or chrome_words: a name holding one is none (one search, not one per word).
    not_in_name: re.Pattern[str]
    generic_tails: tuple[str, ...]
    internal_offices: tuple[str, ...]
    agency_subjects: tuple[re.Pattern[str], ...]
    agency_credits: tuple[re.Pattern[str], ...]
    agency_sentence_starts: re.Pattern[str]
    statistics_period: re.Pattern[str]
    year_references: tuple[re.Pattern[str], ...]
    overview_year: re.Pattern[str]
    fee_amount: tuple[re.Pattern[str], ...]
    fee_zero: tuple[re.Pattern[str], ...]
    fee_table_header: tuple[str, ...]


def _spaced(word: str) -> str:
    """A field name as portals print it, possibly with spaces between its characters."""
    return r"\s?".join(re.escape(ch) for ch in word)


def _longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def _any_of(words: list[str]) -> re.Pattern[str]:
    """A pattern that finds any of the words (none: a pattern that finds nothing)."""
    return re.compile("|".join(re.escape(w) for w in _longest_first(words)) or "(?!)")


@cache
def vocabulary() -> Vocabulary:
    data = data_file("metadata.json")
    kinds = {name: kind for kind, names in data["fields"].items() for name in names}
    separators = "|".join(re.escape(s) for s in _longest_first(data["breadcrumb_separators"]))
    heads = "|".join(re.escape(h) for h in _longest_first(data["breadcrumb_heads"]))
    return Vocabulary(
        title_suffixes=tuple(data["title_suffixes"]),
        field_kinds=kinds,
        field_key=re.compile("|".join(_spaced(name) for name in _longest_first(list(kinds)))),
        breadcrumb=re.compile(separators),
        breadcrumb_head=re.compile(rf"^\s?(?:{heads})\s?[:]"),
        chrome_words=tuple(_longest_first(data["chrome_words"])),
        title_prefixes=tuple(data["title_prefixes"]),
        title_wrapper=re.compile(data["title_wrapper"]),
        title_tail=re.compile("|".join(f"(?:{tail})" for tail in data["title_tails"])),
        link_line=re.compile(rf"^\s?(?:{_any_of(data['link_lines']).pattern})"),
        flipbook_page=re.compile(data["flipbook_page"]),
        body_words=tuple(_longest_first(data["body_words"])),
        generic_names=frozenset(data["generic_names"]),
        generic_heads=tuple(data["generic_heads"]),
        forbidden_in_name=tuple(data["forbidden_in_name"]),
        not_in_name=_any_of(data["forbidden_in_name"] + data["chrome_words"]),
        generic_tails=tuple(data["generic_tails"]),
        internal_offices=tuple(_longest_first(data["internal_offices"])),
        agency_subjects=tuple(re.compile(p) for p in data["agency_references"]["subject"]),
        agency_credits=tuple(re.compile(p) for p in data["agency_references"]["credit"]),
        agency_sentence_starts=re.compile(data["agency_sentence_starts"]),
        statistics_period=re.compile(data["statistics_period"]),
        year_references=tuple(re.compile(p) for p in data["year_references"]),
        overview_year=re.compile(data["overview_year"]),
        fee_amount=tuple(re.compile(p) for p in data["fee_amount"]),
        fee_zero=tuple(re.compile(p) for p in data["fee_zero"]),
        fee_table_header=tuple(data["fee_table_header"]),
    )
