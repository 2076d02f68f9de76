"""Web pages saved as one file (MHTML, a browser's "save as web archive"):
real corpus pages packed into an archive here, as browsers pack them (the
packing is synthetic, the pages are real), read as the pages themselves."""

from __future__ import annotations

import re
import subprocess
import sys
from email import encoders
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from pathlib import Path

import pytest
from conftest import CORPUS

from extractor.errors import ExtractError
from extractor.pipeline import extract_bytes, extract_file
from extractor.readers import read_document, sniff

PAGE = CORPUS / "github" / "016_pingtan_2022_page.html"


def archive(page: bytes, charset: str | None, encoding: str = "quoted-printable", html: bool = True) -> bytes:
    """A web archive of the page and a picture, as Chromium saves one (its headers)."""
    message = MIMEMultipart("related", type="text/html")
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = "https://www.pingtan.gov.cn/report.htm"
    message["Subject"] = "平潭综合实验区2022年政府信息公开工作年度报告"
    part = MIMENonMultipart("text", "html" if html else "plain", **({"charset": charset} if charset else {}))
    part.set_payload(page)
    (encoders.encode_base64 if encoding == "base64" else encoders.encode_quopri)(part)
    message.attach(part)
    picture = MIMENonMultipart("image", "png")
    picture.set_payload(b"\x89PNG\r\n\x1a\n" + bytes(64))
    encoders.encode_base64(picture)
    message.attach(picture)
    return message.as_bytes()


def cells(doc: dict) -> dict:
    return {(t, r, c): v.get("value") for t, table in doc["tables"].items()
            for r, row in table["rows"].items() for c, v in row.items()}


@pytest.fixture(scope="module")
def page_itself() -> dict:
    return extract_file(PAGE)


def test_a_web_archive_reads_as_its_page(page_itself: dict) -> None:
    data = archive(PAGE.read_bytes(), "utf-8")
    assert sniff(Path("report.mht"), data) == "mhtml"
    doc = extract_bytes(data, Path("report.mht"))
    assert cells(doc) == cells(page_itself) and len(cells(doc)) == 200
    assert doc["tables"]["applications"]["rows"]["new_received"]["natural_person"]["value"] == \
        page_itself["tables"]["applications"]["rows"]["new_received"]["natural_person"]["value"]
    assert doc["report"]["year"] == page_itself["report"]["year"] == 2022
    assert doc["report"]["agency"] == page_itself["report"]["agency"]
    assert doc["report"]["published"] == page_itself["report"]["published"]


def test_a_web_archive_whose_page_names_no_charset_is_read_in_its_encoding(page_itself: dict) -> None:
    # The page re-encoded in GB18030 with its own <meta charset> taken out,
    # base64 in the archive.
    text = re.sub(r"<meta[^>]*charset[^>]*>", "", PAGE.read_text(encoding="utf-8"), flags=re.I)
    data = archive(text.encode("gb18030"), "gb18030", encoding="base64")
    assert cells(extract_bytes(data, Path("report.mhtml"))) == cells(page_itself)


def test_a_web_archive_without_a_page_is_refused_saying_so() -> None:
    data = archive(b"just notes", "utf-8", html=False)
    with pytest.raises(ExtractError) as err:
        read_document(Path("report.mht"), data)
    assert "MHTML" in str(err.value) and err.value.code == "html"


def test_the_command_reads_a_web_archive(tmp_path: Path) -> None:
    path = tmp_path / "report.mht"
    path.write_bytes(archive(PAGE.read_bytes(), "utf-8"))
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, "-m", "extractor", str(path), "-o", str(out)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert '"natural_person"' in out.read_text(encoding="utf-8")
