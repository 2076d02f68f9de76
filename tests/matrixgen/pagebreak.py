"""Where table 三 of a matrix PDF breaks: the first of its rows printed on
the next page (measured from the PDF's text, for the bench's coverage
table)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

# A phrase of each printed row of table 三 (2021 rows; 其他处理 stands for
# the 2019 layout's single row), in order.
ROW_MARKERS = ("本年新收", "上年结转", "予以公开", "部分公开", "国家秘密", "禁止公开", "三安全一稳定",
               "第三方合法权益", "内部事务信息", "过程性信息", "行政执法案卷", "行政查询事项", "不掌握相关",
               "另行制作", "仍不明确", "信访举报", "重复申请", "公开出版物", "大量反复", "重新出具",
               "逾期不补正|其他处理", "缴纳费用", "3.其他", "七\\)总计|七）总计", "结转下年度")


def table_break(pdf_path: Path) -> int | None:
    """The index (in ROW_MARKERS) of the first row of table 三 that is not on
    the page where the table starts; None when the table fits on one page
    (or is not found)."""
    pdf = pdfium.PdfDocument(pdf_path.read_bytes())
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(re.sub(r"\s+", "", textpage.get_text_range()))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    start = next((i for i, t in enumerate(texts) if "勾稽关系" in t), None)
    if start is None:
        return None
    page = texts[start][texts[start].index("勾稽关系"):]
    # Stop at the next heading: table 四's words must not count.
    page = page.split("四、政府信息公开行政复议")[0]
    for index, marker in enumerate(ROW_MARKERS):
        if not re.search(marker, page):
            if marker.startswith("缴纳") and re.search("其他处理", page) and not re.search("逾期不补正", page):
                continue  # the 2019 layout has no such row
            if marker == "3.其他" and not re.search("逾期不补正", page) and re.search("其他处理", page):
                continue
            return index
    return None
