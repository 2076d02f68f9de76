"""Word reports (not yet supported in this build)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExtractError
from ..model import Document


def read_docx(data: bytes) -> Document:
    raise ExtractError("Word input is not supported yet", code="unsupported")


def read_legacy_word(path: Path, data: bytes) -> Document:
    raise ExtractError("legacy Word (.doc) input is not supported yet", code="unsupported")
