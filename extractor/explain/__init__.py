"""`extract explain`: a report's data on one self-contained page, for
checking it by eye.

The three tables as the national template prints them (Chinese labels),
each cell coloured by how it was read and linked to where it is printed: a
crop of the rendered PDF page with the text's box drawn, the source lines
of a text file or an HTML page with the characters highlighted, the row of
a Word table. Failed checks (naming their cells), warnings in Chinese and
English, and where each metadata field was read.
"""

from __future__ import annotations

from pathlib import Path

from ..pipeline import read_and_extract
from ..source import DEFAULT_MAX_SIZE, read_input
from .page import explain_page

__all__ = ["explain_bytes", "explain_file", "explain_page"]


def explain_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> tuple[dict, str]:
    """(the report's document, its explain page); ExtractError when the file is not a report."""
    return explain_bytes(read_input(path, max_size), path)


def explain_bytes(data: bytes, path: Path) -> tuple[dict, str]:
    document, doc = read_and_extract(data, path)
    return doc, explain_page(doc, document, data)
