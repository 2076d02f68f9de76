"""A small, seeded fuzz of the fixtures: byte and character mutants of a
report of each format (synthetic damage to real files, in memory). Each
mutant is read or refused: a result, or one line saying why (exit 2),
never a traceback or an internal error."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS
from pdfgen import Page, build

from extractor.errors import ExtractError
from extractor.pipeline import extract_bytes

FIXTURES = {
    "txt": CORPUS / "github" / "004_pingtan_2021.txt",
    "html": CORPUS / "github" / "013_pingtan_2025_page.html",
    "pdf": CORPUS / "synthetic" / "sample_report_2021_template.chromium.pdf",
    "docx": CORPUS / "github" / "012_template2021_blank_official_format.docx",
}
MUTANTS = 12
# Characters a damaged page shows: digits, label characters, table and markup punctuation.
_CHARACTERS = "0123456789０１一二三四（）()、，。:|<>/&;\n \t\ufffd\u3000本年新收申请公开政府信息总计其他"


def byte_mutant(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(out))
        kind = rng.choice(["flip", "insert", "delete", "copy", "cut"])
        if kind == "flip":
            out[at] = rng.randrange(256)
        elif kind == "insert":
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif kind == "delete":
            del out[at:at + rng.randint(1, 16)]
        elif kind == "copy":
            source = rng.randrange(len(out))
            out[at:at] = out[source:source + rng.randint(1, 400)]
        else:
            del out[max(at, 1):]
    return bytes(out) or b"x"


def character_mutant(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(chars))
        kind = rng.choice(["replace", "insert", "delete"])
        if kind == "replace":
            chars[at] = rng.choice(_CHARACTERS)
        elif kind == "insert":
            chars.insert(at, rng.choice(_CHARACTERS))
        else:
            del chars[at:at + rng.randint(1, 8)]
    return "".join(chars)


def _docx_text_mutant(data: bytes, rng: random.Random) -> bytes:
    """The Word file with characters of its document.xml changed: an archive
    that opens, holding damaged XML or damaged text."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            body = old.read(info.filename)
            if info.filename == "word/document.xml":
                body = character_mutant(body.decode("utf-8"), rng).encode("utf-8")
            new.writestr(info.filename, body)
    return out.getvalue()


def _pdf_text_mutant(rng: random.Random) -> bytes:
    """A synthetic table page whose content-stream operators have characters
    changed (the stream is not compressed, so the damage reaches the operators)."""
    page = Page()
    page.text(72, 72, "二、主动公开政府信息情况")
    for row, (label, values) in enumerate([("信息内容", "本年制发件数 本年废止件数 现行有效件数"), ("规章", "3 0 12"),
                                           ("行政规范性文件", "20 1 15")]):
        top = 100 + 20 * row
        page.text(72, top, label)
        for col, value in enumerate(values.split()):
            page.text(200 + 90 * col, top, value)
        page.line(70, top - 4, 480, top - 4)
    page.ops = character_mutant("\n".join(page.ops), rng).split("\n")
    return build([page])


def mutants(kind: str, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(f"{kind}-{seed}")
    data = FIXTURES[kind].read_bytes()
    out = [(f"bytes-{i}", byte_mutant(data, rng)) for i in range(MUTANTS)]
    for i in range(MUTANTS):
        if kind in ("txt", "html"):
            mutant = character_mutant(data.decode("utf-8"), rng).encode("utf-8")
        elif kind == "docx":
            mutant = _docx_text_mutant(data, rng)
        else:
            mutant = _pdf_text_mutant(rng)
        out.append((f"characters-{i}", mutant))
    return out


@pytest.mark.parametrize("kind", sorted(FIXTURES))
def test_every_mutant_is_read_or_refused_in_one_line(kind: str):
    refused = 0
    for name, data in mutants(kind, seed=1):
        try:
            doc = extract_bytes(data, Path(f"mutant.{kind}"))
        except ExtractError as exc:
            refused += 1
            message = str(exc)
            assert message and "\n" not in message, (name, message)
        except Exception as exc:  # an internal error (exit 3): what this test is for
            pytest.fail(f"{kind} {name}: {type(exc).__name__}: {exc}")
        else:
            assert set(doc["tables"]) == {"proactive", "applications", "review_litigation"}, name
    assert refused < 2 * MUTANTS  # some mutants must still be read


@pytest.mark.parametrize("kind", sorted(FIXTURES))
def test_mutants_through_the_command_are_one_line_when_refused(tmp_path: Path, kind: str):
    for name, data in mutants(kind, seed=2)[::8]:  # a few: each is a process
        path = tmp_path / f"mutant.{kind}"
        path.write_bytes(data)
        proc = subprocess.run([sys.executable, "-m", "extractor", str(path), "-q", "-o", str(tmp_path / "out.json")],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 2), (name, proc.returncode, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == (0 if proc.returncode == 0 else 1), (name, proc.stderr)
