"""Table labels as the recogniser read them, put back to the template's
wording where one character or two were misread.

A label cell of a scan reads like the template's label but for a character
(予 read as 子, 果 as 集): the rebuilder would not know the row, or would
take the label for a row the agency added. A label close to exactly one
template label (row labels, group headers, column headers), and much closer
to it than to any other, is given that label's wording after its own
printed numbering. Anything else is left as read.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import cache

from ...templates import load
from ...templates.labels import fold, fold_label, numeral, split_numbering

# How close (difflib's ratio) a reading must be to a label, and how much
# closer than to the next one.
_CLOSE = 0.75
_MARGIN = 0.1
_SHORTEST = 3  # characters: shorter readings are not put back


@cache
def _vocabulary() -> tuple[tuple[str, str], ...]:
    """(label core, its numeral or "") of every label of the templates."""
    templates = load()
    out: set[tuple[str, str]] = set()
    for layouts in templates.layouts.values():
        for layout in layouts.values():
            for row in layout.rows:
                out.update((label, numeral(row.number) or "") for label in row.labels)
            for words in layout.column_labels.values():
                out.update((w, "") for w in words)
    for _, labels, number in templates.groups:
        out.update((label, numeral(number) or "") for label in labels)
    for columns in templates.column_labels.values():
        for words in columns.values():
            out.update((w, "") for w in words)
    out.update((w, "") for w in templates.review_header_words)
    return tuple(sorted(out))


def snap(text: str) -> str:
    """The label in the template's wording, or the text as read."""
    number, rest = split_numbering(fold(text))
    core = fold_label(rest)
    if len(core) < _SHORTEST:
        return text
    vocabulary = _vocabulary()
    if any(core == label for label, _ in vocabulary):
        return text
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(core)
    scores: list[tuple[float, str, str]] = []
    for label, label_numeral in vocabulary:
        for form in (label, label_numeral + label) if label_numeral and number is None else (label,):
            matcher.set_seq1(form)
            if matcher.real_quick_ratio() >= _CLOSE and matcher.quick_ratio() >= _CLOSE:
                scores.append((matcher.ratio(), label, label_numeral if form != label else ""))
    if not scores:
        return text
    scores.sort(reverse=True)
    best, label, lost_numeral = scores[0]
    others = [score for score, other, _ in scores[1:] if other != label]
    if best < _CLOSE or (others and others[0] > best - _MARGIN):
        return text
    # A numeral read as part of the label (三本年度… for 三、本年度…) is
    # printed as the numbering.
    prefix = number or (f"{lost_numeral}、" if lost_numeral else "")
    return prefix + label
