"""Start-up: the scanner's patterns compile fast and match exactly as the
plain character classes they replace (bench/SCALING.md has the times)."""

from __future__ import annotations

import random
import re

from extractor.tables.scan import scanner
from extractor.templates.labels import fold, label_pattern, number_pattern, strip_punct

# The patterns as they were written before: one class holding 、.
_OLD_SEPARATOR = r"[\s\"'()\[\],、.:;/]{0,2}"


def _old_label_pattern(core: str) -> str:
    return _OLD_SEPARATOR.join(re.escape(ch) for ch in core)


def _old_number_pattern(number: str) -> str:
    n = re.escape(number.strip("()、."))
    body = rf"{n}\s?[.、,]\s?" if number[0].isdigit() else rf"\(\s?{n}\s?\)\s?|{n}\s?[、.,]\s?"
    return f"(?:{body})?"


def test_label_and_number_patterns_match_what_they_always_matched():
    rng = random.Random(21)
    cores = ["予以公开", "本年新收政府信息公开申请数量", "其他"]
    noise = [*"予以公开本年新收其他数量申请", " ", "、", ",", ".", "(", ")", "\"", "/", ":", "\u3000", "x", "1"]
    for core in cores:
        for number in ("(一)", "1.", "二、"):
            new = re.compile(number_pattern(number) + label_pattern(core))
            old = re.compile(_old_number_pattern(number) + _old_label_pattern(core))
            for _ in range(300):
                # A printed label with random separators, inside random noise.
                label = "".join(ch + "".join(rng.choices(noise[-12:], k=rng.choice([0, 0, 1, 2, 3])))
                                for ch in core)
                text = "".join(rng.choices(noise, k=rng.randint(0, 6))) + number + label + "".join(
                    rng.choices(noise, k=rng.randint(0, 6)))
                assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text


def test_section_heading_patterns_match_what_they_always_matched():
    # Connectives (与, 和, 及, 的, 、) stand only where the title prints one (f7ee1c2): there, the pattern
    # matches what the earlier one (a connective anywhere) matched; spaces and brackets anywhere.
    from extractor.sections import _CONNECTIVES, heading_pattern

    def old_heading_pattern(title: str) -> str:
        core = "".join(ch for ch in strip_punct(fold(title)) if ch not in _CONNECTIVES)
        sep = rf"[\s\"'()\[\],、.:;/{_CONNECTIVES}]{{0,2}}"
        return sep.join(re.escape(ch) for ch in core)

    rng = random.Random(22)
    separators = [" ", ",", "(", ")", "\u3000"]
    for title in ("收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"):
        new, old = re.compile(heading_pattern(title)), re.compile(old_heading_pattern(title))
        words = [w for w in re.split(f"[{_CONNECTIVES}]", title) if w]
        for _ in range(300):
            printed = []
            for i, word in enumerate(words):
                spaced = (ch + "".join(rng.choices(separators, k=rng.choice([0, 0, 0, 1]))) for ch in word)
                printed.append("".join(spaced))
                if i + 1 < len(words):
                    printed.append("".join(rng.choices([*_CONNECTIVES, " "], k=rng.choice([0, 1, 1, 2]))))
            text = "".join(rng.choices([*separators, "x", "1"], k=rng.randint(0, 5))) + "".join(printed)
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text
    # Inside a word a connective is no separator: 行政复议 is not 行政与复议.
    assert not re.search(heading_pattern("政府信息公开行政复议、行政诉讼情况"), "政府信息公开行政与复议行政诉讼情况")


def _wide_classes(pattern: str) -> int:
    """Character classes holding a character beyond Latin-1: each compiles
    into a 65,536-entry map."""
    return len(re.findall(r"(?<!\\)\[(?:\\.|[^\]\\])*?[^\x00-\xff](?:\\.|[^\]\\])*\]", pattern))


def test_the_scanner_compiles_few_classes_beyond_latin1():
    # Before: 1,194 (a separator between every two characters of every label),
    # a third of a second at every start; the section headings' separators
    # added 301 more.
    s = scanner()
    patterns = "|".join(e.regex for e in s._entries)
    assert _wide_classes(patterns) + _wide_classes(s._openers.pattern) < 100
