"""Table text the source damaged, and the rows read from it.

Some damage leaves text that still reads as numbers, so that a wrong value
would go out unflagged: characters that could not be decoded (U+FFFD), HTML
markup printed as a cell's text (a lost `</td><td`), a page whose text could
not all be read (a broken font), a grid row printed with fewer cells than its
table (a lost cell), a scanned cell the OCR is not sure of. The unit builder marks each row unit read from such
text (`block_damage`, `grid_row_damage`); once the tables are rebuilt,
`damaged_rows.damage_warnings` names every table row a marked unit was read
into.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Block, Cell, Paragraph, Row
from ..readers.encoding import REPLACEMENT

UNDECODABLE = "undecodable_text"
MARKUP = "markup_in_cell"
PAGE_UNREAD = "page_text_unread"
SHORT = "row_short"
OCR_UNSURE = "ocr_uncertain"
NUMBER_BROKEN = "number_broken"
ACROSS_BORDER = "text_across_border"
OVERPRINTED = "text_overprinted"
# Warnings that say a table cell was read from damaged text.
CELL_DAMAGE = frozenset({UNDECODABLE, MARKUP, PAGE_UNREAD, SHORT, OCR_UNSURE, NUMBER_BROKEN, ACROSS_BORDER,
                         OVERPRINTED})

# Markup as text: a tag (<td, </p>, <br/>), the end of one ("center">), an
# attribute (style="…", width=43) or an entity left undecoded (&lt;, &nbsp;).
_MARKUP = re.compile(
    r"</?[a-z][a-z0-9]*(?![a-z0-9])|</"
    r"|[\"']\s*/?>"
    r"|(?<![a-z0-9_-])[a-z][a-z0-9_-]*\s*=\s*[\"']"
    r"|(?<![a-z0-9_-])(?:style|class|align|valign|width|height|colspan|rowspan|border|bgcolor|nowrap)\s*=\s*\w"
    r"|&(?:[a-z]{2,8}|#[0-9]{2,7}|#x[0-9a-f]{2,6});",
    re.I | re.A)
_SNIPPET = 30

Damage = dict[str, str]  # code -> what was seen


def _snippet(text: str, at: int) -> str:
    start = max(at - _SNIPPET // 2, 0)
    piece = text[start:start + _SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + _SNIPPET < len(text) else "")


def text_damage(texts: Iterable[str], markup: bool = False) -> Damage:
    """Undecodable characters (and, in table cells, markup) in these texts."""
    damage: Damage = {}
    texts = list(texts)
    joined = "".join(texts)  # most rows hold neither: one test of the row, not one per cell
    if REPLACEMENT not in joined and not (markup and ("<" in joined or ">" in joined or "=" in joined
                                                      or "&" in joined)):
        return damage
    for text in texts:
        if UNDECODABLE not in damage and (at := text.find(REPLACEMENT)) >= 0:
            damage[UNDECODABLE] = _snippet(text, at)
        # Every kind of markup holds one of these characters; most cells hold none (the regex is slow to fail).
        if markup and MARKUP not in damage and ("<" in text or ">" in text or "=" in text or "&" in text) \
                and (m := _MARKUP.search(text)):
            damage[MARKUP] = _snippet(text, m.start())
    return damage


def _page_damage(page: int | None, unread_pages: set[int]) -> Damage:
    return {PAGE_UNREAD: f"page {page}"} if page is not None and page in unread_pages else {}


def block_damage(block: Paragraph | Row, unread_pages: set[int]) -> Damage:
    """Damage in a paragraph or a row of "|"-joined cells. Markup is not
    looked for: text exports keep <br> and the like in undamaged text."""
    return {**text_damage(_texts(block)), **_page_damage(block.page, unread_pages)}


def _texts(block: Paragraph | Row) -> list[str]:
    return [block.text] if isinstance(block, Paragraph) else block.cells


def blocks_may_be_damaged(blocks: Iterable[Block], unread_pages: set[int]) -> bool:
    """Can any paragraph or row of these blocks hold block damage (a page
    went unread, or some text holds U+FFFD)? Most files: no, and no block
    need be tested."""
    return bool(unread_pages) or any(
        REPLACEMENT in text for b in blocks if isinstance(b, (Paragraph, Row)) for text in _texts(b))


def grid_row_damage(row: list[Cell], page: int | None, unread_pages: set[int]) -> Damage:
    """Damage in one row of a real table."""
    damage = text_damage((cell.text for cell in row if not cell.missing), markup=True)
    missing = sum(1 for cell in row if cell.missing)
    if missing and missing < len(row):
        damage[SHORT] = f"{len(row) - missing} of the table's {len(row)} columns"
    # A scanned cell the recogniser is not sure of (OCR).
    doubts = [cell.ocr.doubt for cell in row if cell.ocr is not None and cell.ocr.doubt]
    if doubts:
        damage[OCR_UNSURE] = "; ".join(dict.fromkeys(doubts))
    # What the reader saw in a cell (a PDF cell's text across its border, or printed over other text).
    for cell in row:
        if cell.damage and not cell.missing and cell.damage not in damage:
            damage[cell.damage] = cell.text[:_SNIPPET]
    return {**damage, **_page_damage(page, unread_pages)}
