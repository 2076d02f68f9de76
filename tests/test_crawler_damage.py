"""What crawlers and CMS exports do to a report's text, applied to real
reports at seeded places inside the tables: a line printed twice, two
adjacent lines swapped, a line of page furniture put in, a value or a row's
label dropped, digits printed 全角 or with thousands separators, blank lines
removed, table 三's line breaks turned into spaces. Every cell whose printed
text the damage left alone is read as before or flagged (evaluate's rules);
a cell whose text was dropped comes out null or flagged, never another
cell's value. The cells judged are the report's labelled ones and those its
undamaged reading does not flag. In a dump with no separators a "line" is a run of digits or of
other characters; there two digit runs the damage puts side by side print a
different number, and their cells are not judged."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import CORPUS, SEED, SEED_LABEL

from extractor.evaluate import flagged, load_label, same
from extractor.pipeline import extract_bytes

REPORTS = [
    SEED,  # one cell a line
    CORPUS / "pingtan-depts" / "011_jingjifazhanju-2019.txt",  # one paragraph, cells spaced
    CORPUS / "pingtan-depts" / "004_guanweihuibangongshi-2025.txt",  # one paragraph, cells glued
    CORPUS / "kiro" / "004_shanghai-office-sample-source.md",  # markdown rows
]
FURNITURE = ["打印本页", "【字体：大 中 小】", "分享到：", "关闭窗口", "第2页", "- 3 -",
             "https://www.pingtan.gov.cn/zwgk/zfxxgk/t20200102_80565.htm", "来源：xx市人民政府"]
PLACES = 3
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def read(text: str, path: Path) -> dict:
    return extract_bytes(text.encode("utf-8"), path)


def cells(doc: dict) -> dict[str, dict]:
    return {f"{t}.{r}.{c}": cell for t, table in doc["tables"].items()
            for r, row in table["rows"].items() for c, cell in row.items()}


def spans(doc: dict) -> dict[str, tuple[int, int]]:
    return {key: (c["source"]["start"], c["source"]["end"]) for key, c in cells(doc).items()
            if (c.get("source") or {}).get("kind") == "text" and "start" in c["source"]}


def units(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int]], str]:
    """The places damage is done to between lo and hi: lines, or in a
    one-paragraph dump its spaced tokens, or where even those are few, its
    runs of digits and of other characters."""
    if text.count("\n", lo, hi) >= 10:
        start = text.rfind("\n", 0, lo) + 1
        found = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:hi])]
        return [(a, b) for a, b in found if text[a:b].strip()], "lines"
    found = [(lo + m.start(), lo + m.end()) for m in re.finditer(r"\S+", text[lo:hi])]
    if len(found) >= 20:
        return found, "tokens"
    return [(lo + m.start(), lo + m.end()) for m in re.finditer(r"-?[0-9.]+|[^\s0-9.-]+|-", text[lo:hi])], "glued"


def damaged(text: str, doc: dict, seed: int):
    """(kind, damaged text, keys whose text is gone, keys not judged)."""
    sp = spans(doc)
    lo, hi = min(a for a, _ in sp.values()), max(b for _, b in sp.values())
    us, mode = units(text, lo, hi)
    inside = [{k for k, (a, b) in sp.items() if u[0] <= a and b <= u[1]} for u in us]
    sep = {"lines": "\n", "tokens": " ", "glued": ""}[mode]
    for place in range(PLACES):
        rng = random.Random(seed * 100 + place)
        j = rng.randrange(len(us) - 1)
        (a1, b1), (a2, b2) = us[j], us[j + 1]
        near = range(max(0, j - 1), min(len(us), j + 3)) if mode == "glued" else (j, j + 1)
        yield ("duplicate", text[:b1] + sep + text[a1:b1] + text[b1:], set(),
               inside[j] if mode == "glued" else set())
        yield ("swap", text[:a1] + text[a2:b2] + text[b1:a2] + text[a1:b1] + text[b2:], set(),
               {k for n in near for k in inside[n]})
        line = rng.choice(FURNITURE)
        put = "\n" + line if mode == "lines" else rng.choice([" " + line, "\n" + line + "\n", line])
        yield "furniture", text[:b1] + put + text[b1:], set(), set()
        runs = [(lo + m.start(), lo + m.end()) for m in re.finditer(r"[0-9][0-9.]*", text[lo:hi])]
        a, b = rng.choice([r for r in runs if any(r[0] <= s and e <= r[1] for s, e in sp.values())])
        gone = {k for k, (s, e) in sp.items() if a <= s and e <= b}
        start, end = text.rfind("\n", 0, a) + 1, text.find("\n", b)
        if mode == "lines" and text[start:end].strip() == text[a:b]:
            yield "value dropped", text[:start] + text[end + 1:], gone, set()
        else:
            yield "value dropped", text[:a] + text[b:], gone, set()
        labels = [n for n in range(len(us) - 1) if not inside[n] and inside[n + 1]
                  and re.search(r"[\u4e00-\u9fff]", text[us[n][0]:us[n][1]])]
        n = rng.choice(labels)
        a, b = us[n]
        first = min(inside[n + 1], key=lambda k: sp[k][0])
        row = first.rsplit(".", 1)[0] + "."
        end = b if mode != "lines" else text.find("\n", b) + 1
        yield ("label dropped", text[:a] + text[end:], {k for k in sp if k.startswith(row)},
               inside[n - 1] if mode == "glued" and n else set())
    for table in ("proactive", "applications", "review_litigation"):
        ts = [s for k, s in sp.items() if k.startswith(table + ".")]
        a, b = min(s for s, _ in ts), max(e for _, e in ts)
        yield "fullwidth", text[:a] + text[a:b].translate(FULLWIDTH) + text[b:], set(), set()
    out = text
    for a, b in sorted({s for s in sp.values() if re.fullmatch(r"\d{4,}", text[s[0]:s[1]])}, reverse=True):
        out = out[:a] + f"{int(out[a:b]):,}" + out[b:]
    yield "thousands", out, set(), set()
    if mode == "lines":
        yield "blank lines removed", re.sub(r"\n\s*\n", "\n", text), set(), set()
        ts = [s for k, s in sp.items() if k.startswith("applications.")]
        a, b = min(s for s, _ in ts), max(e for _, e in ts)
        a = text.rfind("三、", 0, a)
        yield "table 三 one paragraph", text[:a] + re.sub(r"\s*\n\s*", " ", text[a:b]) + text[b:], set(), set()


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name[:24])
def test_crawler_damage_to_a_real_report_is_read_or_flagged(report: Path):
    text = report.read_text(encoding="utf-8")
    before = read(text, report)
    label = SEED_LABEL if report == SEED else report.parent / "labels" / (report.name[:3] + ".json")
    trusted = {k: c["value"] for k, c in cells(before).items() if not flagged(before, *k.split(".", 2))}
    trusted |= load_label(label)["cells"]  # a glued dump's split cells are flagged as such
    assert len(trusted) >= 40
    kinds = set()
    for kind, text_after, gone, not_judged in damaged(text, before, sum(map(ord, report.name))):
        kinds.add(kind)
        after = read(text_after, report)
        got = cells(after)
        silent = []
        for key, want in trusted.items():
            if key in not_judged:
                continue
            value = got[key]["value"] if key in got else None
            if same(value, want) or (key in gone and value is None) or flagged(after, *key.split(".", 2)):
                continue
            silent.append(f"{key}: want {want!r}, got {value!r}")
        assert not silent, (kind, silent[:5])
    assert {"duplicate", "swap", "furniture", "value dropped", "label dropped", "fullwidth"} <= kinds


@pytest.mark.parametrize("line", ["打印本页", "【字体：大 中 小】", "分享到：", "关闭窗口", "[打印]",
                                  "https://www.pingtan.gov.cn/zwgk/zfxxgk/t20200102_80565.htm",
                                  "来源：朝阳市商务局"])
def test_page_furniture_on_a_line_of_its_own_between_table_rows_is_skipped(line: str):
    """A portal's furniture a crawler left on its own line inside the tables
    (here between two value lines of table 三's 4.保护第三方合法权益 row, between
    table 二's label and value, and before table 四's values) is not read as a
    row label: before, the rest of the row went to an unknown row and the
    row's cells were left null (flagged)."""
    text = SEED.read_text(encoding="utf-8")
    before = read(text, SEED)
    for anchor in ("4.保护第三方合法权益\n\n0\n\n0\n", "行政许可\n", "尚未审结\n\n总计\n\n"):
        at = text.index(anchor) + len(anchor)
        after = read(text[:at] + line + "\n" + text[at:], SEED)
        assert {k: c["value"] for k, c in cells(after).items()} == {k: c["value"] for k, c in cells(before).items()}
        assert after["warnings"] == before["warnings"] and after["valid"]
