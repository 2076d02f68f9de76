"""PDF reports (not yet supported in this build)."""

from __future__ import annotations

from ..errors import ExtractError
from ..model import Document


def read_pdf(data: bytes) -> Document:
    raise ExtractError("PDF input is not supported yet", code="unsupported")
