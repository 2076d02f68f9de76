"""Shared helpers: the fixture folders, a cached extraction and label loading."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from extractor.evaluate import find_reports, label_files, load_label
from extractor.pipeline import extract_file

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
SEED = FIXTURES / "seed" / "000_7862af51daa0dff0.txt"
SEED_LABEL = FIXTURES / "seed" / "000_7862af51daa0dff0.expected.json"
SCHEMA = Path(__file__).parent.parent / "schemas" / "report.schema.json"

# Reports whose flattening does not say where a few cells belong (the label
# itself records two readings): those cells must be flagged, never guessed.
NOT_ALL_DETERMINED = {"004_shanghai-office-sample-source.md": 4}


@cache
def extract(path: Path) -> dict:
    """Extract once per test session; tests must not modify the result."""
    return extract_file(path)


def labelled_reports(suffixes: tuple[str, ...]) -> list[tuple[Path, Path]]:
    """(report, label) pairs of the fixtures whose report has one of the suffixes."""
    pairs = []
    for label_path in label_files([FIXTURES]):
        label = load_label(label_path)
        if not label.get("cells") and label.get("template") != "freeform":
            continue
        for report in find_reports(label_path, label):
            if report.suffix.lower() in suffixes:
                pairs.append((report, label_path))
    return pairs


def pair_id(pair: tuple[Path, Path]) -> str:
    return pair[0].name[:40]


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def value_of(cell: dict) -> dict:
    """A cell's value, raw text and inferred flag: the cell without its source."""
    return {k: v for k, v in cell.items() if k != "source"}
