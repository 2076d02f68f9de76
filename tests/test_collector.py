"""An extraction and Python's cycle collector: what one report leaves for the
collector (nothing: the solver's and readers' recursive helpers are unbound
when done) and the collector's threshold, raised while reports are read and
put back after, whatever happens (pipeline._fewer_collections)."""

from __future__ import annotations

import gc
import inspect
import threading
import weakref
from pathlib import Path

import pytest
from conftest import CORPUS

from extractor import pipeline
from extractor.errors import ExtractError
from extractor.pipeline import extract_file

GLUED_DUMP = CORPUS / "github" / "002_pingtan_2019.txt"  # a crawler dump: table 三 one glued line
PAGE = CORPUS / "github" / "016_pingtan_2022_page.html"
PDF = CORPUS / "github" / "001_huaian_city_2024.pdf"


def left_for_the_collector(path: Path) -> list:
    """What the collector finds unreachable after extracting the file (once
    before, so that the modules it imports and the caches it fills are not
    counted; earlier garbage collected first)."""
    extract_file(path)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        extract_file(path)
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


@pytest.mark.parametrize("path", [GLUED_DUMP, PAGE], ids=["glued dump", "html page"])
def test_an_extraction_leaves_no_reference_cycles(path: Path) -> None:
    # Before: the glued-digit search's nested functions (holding each other,
    # the row's cells and spans) left hundreds of objects per report.
    left = left_for_the_collector(path)
    assert not left, f"{len(left)} objects left to the cycle collector"


def test_a_pdf_extraction_leaves_no_function_of_ours_in_a_cycle() -> None:
    # (ctypes makes pointer types of its own that live in cycles; none of ours.)
    left = left_for_the_collector(PDF)
    assert [f.__qualname__ for f in left if inspect.isfunction(f) and f.__module__.startswith("extractor")] == []


def test_the_collector_threshold_is_raised_while_reading_and_put_back_after(monkeypatch) -> None:
    during: list[tuple[int, int, int]] = []
    read = pipeline.extract_document

    def spy(*args, **kwargs):
        during.append(gc.get_threshold())
        return read(*args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_document", spy)
    before = gc.get_threshold()
    try:
        gc.set_threshold(5_000, 7, 9)  # a caller's own setting
        extract_file(GLUED_DUMP)
        assert during == [(pipeline._EXTRACTING_THRESHOLD, 7, 9)]
        assert gc.get_threshold() == (5_000, 7, 9)
        gc.set_threshold(0)  # a caller that turned collection off by threshold: left off
        extract_file(GLUED_DUMP)
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_the_collector_threshold_is_put_back_after_a_refused_file(tmp_path: Path) -> None:
    before = gc.get_threshold()
    path = tmp_path / "notes.txt"
    path.write_text("今天天气很好。\n" * 50, encoding="utf-8")
    with pytest.raises(ExtractError):
        extract_file(path)
    assert gc.get_threshold() == before


def test_threads_extracting_at_once_put_the_threshold_back() -> None:
    before = gc.get_threshold()
    raised: list[tuple[int, int, int]] = []
    start = threading.Barrier(3)

    def work() -> None:
        start.wait()
        for _ in range(3):
            extract_file(GLUED_DUMP)
            raised.append(gc.get_threshold())

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(raised) == 9
    assert gc.get_threshold() == before


class _WatchedBlocks(list):
    """A document's blocks that can be watched for being freed (a list subclass takes weak references)."""


def test_the_document_is_freed_before_the_threshold_is_put_back(monkeypatch) -> None:
    # The collection that putting the threshold back sets off scans every young
    # object still alive: the document read (a PDF's every character) should
    # be gone by then, not scanned for nothing. (Before: it lived until
    # extract_bytes returned, after the threshold was put back.)
    watched: list[weakref.ref] = []
    alive_at_restore: list[bool] = []
    read = pipeline.read_document

    def reading(*args, **kwargs):
        doc = read(*args, **kwargs)
        doc.blocks = _WatchedBlocks(doc.blocks)
        watched.append(weakref.ref(doc.blocks))
        return doc

    set_threshold = gc.set_threshold

    def restoring(*args: int) -> None:
        if watched and args[0] != pipeline._EXTRACTING_THRESHOLD:
            alive_at_restore.append(watched[-1]() is not None)
        set_threshold(*args)

    monkeypatch.setattr(pipeline, "read_document", reading)
    monkeypatch.setattr(pipeline.gc, "set_threshold", restoring)
    before = gc.get_threshold()
    try:
        result = extract_file(PDF)
    finally:
        set_threshold(*before)
    assert result["tables"]["applications"]["status"] == "complete"
    assert alive_at_restore == [False]
