"""The information-processing fee (信息处理费) a report says it collected, in
yuan: an amount stated in a sentence, a sentence saying none was charged, or
the small fee table many reports print in section 六 (通知收取件数 | 通知收取
金额 | 实际收取金额), read for its 实际收取金额."""

from __future__ import annotations

import re

from ..tables.solve import RowShape, read_row
from ..tables.units import Token
from ..tables.values import split_values
from ..templates.labels import fold_label, to_simplified
from .data import vocabulary

_SENTENCE_END = re.compile(r"(?<=[。;\n])")
# Longer than a sentence: a table a crawler glued together (its row labels
# name fees: 申请人逾期未按收费通知要求缴纳费用).
_LONGEST_SENTENCE = 250
_TABLE_WINDOW = 100


def fee_in(texts: list[str]) -> tuple[float | int | None, str | None, str | None]:
    """(yuan, the text it was read from, source) from the first text that states it."""
    for text in texts:
        found = _fee_table(text)
        if found:
            return found
        for sentence in _SENTENCE_END.split(text):
            found = _fee_sentence(sentence) if len(sentence) <= _LONGEST_SENTENCE else None
            if found:
                return found
    return None, None, None


def _fee_sentence(sentence: str) -> tuple[float | int, str, str] | None:
    if "费" not in sentence:
        return None  # every phrasing names a fee (处理费, 收费, 费用)
    v = vocabulary()
    simple = to_simplified(sentence)
    for pattern in v.fee_amount:
        m = pattern.search(simple)
        if m:
            value = float(m.group("num")) * (10000 if m.group("unit") == "万元" else 1)
            return (int(value) if value.is_integer() else value), sentence.strip(), "fee_sentence"
    if any(pattern.search(simple) for pattern in v.fee_zero):
        return 0, sentence.strip(), "fee_sentence"
    return None


def _fee_table(text: str) -> tuple[float | int, str, str] | None:
    """The values printed after the fee table's header: 实际收取金额 is its
    third cell. Glued digits are split as table cells are; where several
    splits fit, the fee is read only if they all agree on it."""
    header = vocabulary().fee_table_header
    at = text.find("实际收取")
    if at < 0:
        return None
    # The header (its first words before 实际收取) and the values after it.
    simple = to_simplified(text[max(0, at - _TABLE_WINDOW):at + _TABLE_WINDOW])
    folded = fold_label(simple)
    if not all(word in folded for word in header):
        return None
    last = simple.find(header[-1])
    if last < 0:
        return None
    tail = simple[last + len(header[-1]):]
    tail = re.sub(r"^\s?\((?:元|万元)\)", "", tail)
    runs = split_values(tail.lstrip(" |)")[:80])
    values = next((items for kind, items in runs if kind == "values"), None)
    if values is None or (runs[0][0] != "values" and len(runs[0][1][0].strip()) > 12):
        return None
    reading = read_row([Token(t, glued=True) for t in values], RowShape(n=3, money=frozenset({1, 2})), exact=False)
    actual = {cand[2].value for cand in reading.candidates}
    if len(actual) != 1 or None in actual:
        return None
    (value,) = actual
    raw = " ".join(values)
    return (int(value) if float(value).is_integer() else value), f"{header[-1]} {raw}", "fee_table"
