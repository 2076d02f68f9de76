"""extractor: Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) into validated data.

    from extractor import extract, read_dataset
    report = extract("report.pdf")
    report.valid, report.report["agency"], report.cells()

See `extractor.api` and the README.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Dataset", "ExtractError", "Report", "__version__", "extract", "read_dataset"]

if TYPE_CHECKING:
    from .api import Dataset, Report, extract, read_dataset
    from .errors import ExtractError


def __getattr__(name: str) -> Any:
    # Imported on first use: `import extractor` (and the command line's start)
    # stays cheap.
    if name in ("extract", "read_dataset", "Report", "Dataset"):
        from . import api

        return getattr(api, name)
    if name == "ExtractError":
        from .errors import ExtractError

        return ExtractError
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
