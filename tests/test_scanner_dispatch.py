"""The scanner tries each position only against the marks that can start
with its character (tables/scan.py): it must find exactly what one regex of
every mark, tried at every position in order, finds. Checked on every
paragraph and cell of the fixture reports, whole crawler dumps, and the same
texts cut at random places (synthetic)."""

from __future__ import annotations

import random
import re

from conftest import CORPUS, FIXTURES

from extractor.model import Grid, Paragraph, Row
from extractor.readers import read_document
from extractor.tables.scan import Mark, Scanner
from extractor.templates import load
from extractor.templates.labels import to_simplified


def reference_marks(scanner: Scanner, text: str) -> list[tuple[int, int, Mark]]:
    """(start, end, mark) as the single alternation of every mark finds them."""
    entries = scanner._entries
    starts = sorted(set().union(*(e.starts for e in entries)))
    regex = re.compile("(?=[" + "".join(re.escape(c) for c in starts) + "])(?:"
                       + "|".join(f"(?P<m{i}>{e.regex})" for i, e in enumerate(entries)) + ")")
    return [(m.start(), m.end(), scanner._marks[int(m.lastgroup[1:])]) for m in regex.finditer(to_simplified(text))]


def dispatched_marks(scanner: Scanner, text: str) -> list[tuple[int, int, Mark]]:
    """(start, end, mark) of each mark the scanner's own scan finds."""
    return [(*piece.spans[0], piece.mark) for piece in scanner._scan(text) if piece.mark is not None]


def texts() -> list[str]:
    found = []
    for path in sorted(CORPUS.rglob("*")) + sorted((FIXTURES / "seed").glob("*.txt")):
        if path.suffix not in (".txt", ".md", ".html", ".pdf", ".docx") or "labels" in path.parts:
            continue
        try:
            doc = read_document(path, path.read_bytes())
        except Exception:
            continue
        for block in doc.blocks:
            if isinstance(block, Paragraph):
                found.append(block.text)
            elif isinstance(block, Row):
                found += block.cells
            elif isinstance(block, Grid):
                found += [cell.text for row in block.rows for cell in row]
    return [t for t in dict.fromkeys(found) if t]


def test_dispatch_finds_what_one_regex_finds():
    scanner = Scanner(load())
    corpus = texts()
    assert len(corpus) > 1500
    rng = random.Random(15)
    cut = ["".join(rng.sample(corpus, 3))[rng.randrange(50):][: rng.randrange(20, 400)] for _ in range(300)]
    for text in corpus + cut:
        assert dispatched_marks(scanner, text) == reference_marks(scanner, text), text[:80]


def test_a_digit_is_tried_only_where_a_row_numbering_stop_follows_it():
    # Digits begin marks only as printed row numbers ("7." "2、"): the
    # digits of values, years and counts are passed over, and what is found
    # stays what every mark tried everywhere finds.
    scanner = Scanner(load())
    text = to_simplified("2024年收到申请35件，00000007.属于行政执法案卷 2、其他法律行政法规禁止公开 12 3")
    tried = [text[m.start()] for m in scanner._starts.finditer(text) if text[m.start()].isdigit()]
    assert tried == ["7", "2"]
    found = dispatched_marks(scanner, text)
    assert found == reference_marks(scanner, text)
    assert [mark.key for _, _, mark in found] == ["denied_enforcement_file", "denied_prohibited_by_law"]
