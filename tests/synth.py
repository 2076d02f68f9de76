"""Synthetic reports for tests: real table values (or generated ones)
rendered in the flattening styles real portals produce.

Everything built here is synthetic and labelled as such; the layouts follow
the real reports in tests/fixtures (the seed's one-cell-per-line page, the
平潭 crawler dumps with glued cells, markdown exports of PDFs).
"""

from __future__ import annotations

from collections.abc import Callable

# The printed labels of the 2021 national form, in order (official wording).
PROACTIVE_2021 = [
    ("第二十条第(一)项", None),
    ("信息内容", ["本年制发件数", "本年废止件数", "现行有效件数"]),
    ("规章", "regulations"),
    ("行政规范性文件", "normative_documents"),
    ("第二十条第(五)项", None),
    ("信息内容", ["本年处理决定数量"]),
    ("行政许可", "licensing"),
    ("第二十条第(六)项", None),
    ("信息内容", ["本年处理决定数量"]),
    ("行政处罚", "penalty"),
    ("行政强制", "coercion"),
    ("第二十条第(八)项", None),
    ("信息内容", ["本年收费金额(单位:万元)"]),
    ("行政事业性收费", "fees"),
]
PROACTIVE_COLUMNS = {
    "regulations": ["issued", "repealed", "in_force"],
    "normative_documents": ["issued", "repealed", "in_force"],
    "licensing": ["decisions"], "penalty": ["decisions"], "coercion": ["decisions"],
    "fees": ["amount_10k_yuan"],
}
APPLICATION_COLUMNS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                       "legal_service_org", "other_org", "total"]
APPLICATION_HEADER = ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织",
                      "法律服务机构", "其他"]
# (printed label, row key or None for a group heading)
APPLICATIONS_2021 = [
    ("一、本年新收政府信息公开申请数量", "new_received"),
    ("二、上年结转政府信息公开申请数量", "carried_over"),
    ("三、本年度办理结果", None),
    ("(一)予以公开", "granted"),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "partially_granted"),
    ("(三)不予公开", None),
    ("1.属于国家秘密", "denied_state_secret"),
    ("2.其他法律行政法规禁止公开", "denied_prohibited_by_law"),
    ("3.危及“三安全一稳定”", "denied_security_stability"),
    ("4.保护第三方合法权益", "denied_third_party"),
    ("5.属于三类内部事务信息", "denied_internal_affairs"),
    ("6.属于四类过程性信息", "denied_process_info"),
    ("7.属于行政执法案卷", "denied_enforcement_file"),
    ("8.属于行政查询事项", "denied_inquiry"),
    ("(四)无法提供", None),
    ("1.本机关不掌握相关政府信息", "unable_not_held"),
    ("2.没有现成信息需要另行制作", "unable_needs_creation"),
    ("3.补正后申请内容仍不明确", "unable_unclear"),
    ("(五)不予处理", None),
    ("1.信访举报投诉类申请", "rejected_petition"),
    ("2.重复申请", "rejected_duplicate"),
    ("3.要求提供公开出版物", "rejected_publication"),
    ("4.无正当理由大量反复申请", "rejected_excessive"),
    ("5.要求行政机关确认或重新出具已获取信息", "rejected_confirmation"),
    ("(六)其他处理", None),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),
    ("3.其他", "other_other"),
    ("(七)总计", "total_processed"),
    ("四、结转下年度继续办理", "carried_forward"),
]
OUTCOME_ROWS = [key for _, key in APPLICATIONS_2021
                if key and key not in ("new_received", "carried_over", "total_processed", "carried_forward")]
_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW_HEADER = ["行政复议", "行政诉讼", *_RESULTS, "未经复议直接起诉", "复议后起诉", *_RESULTS, *_RESULTS]
REVIEW_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

# A table: {"table.row.column": value or None (a blank cell)}
Cells = dict[str, "int | float | None"]


def cells_from_label(label: dict) -> Cells:
    return dict(label["cells"])


def fmt(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def table_rows(cells: Cells) -> list[tuple[str, list[str] | None, str]]:
    """The printed rows of the three tables: (label, cell texts or None for a
    heading, table). Table 四 is one label-less row after its header."""
    rows: list[tuple[str, list[str] | None, str]] = [("二、主动公开政府信息情况", None, "section")]
    for label, key in PROACTIVE_2021:
        if isinstance(key, str):
            rows.append((label, [fmt(cells[f"proactive.{key}.{c}"]) for c in PROACTIVE_COLUMNS[key]], "proactive"))
        else:
            rows.append((label, None, "proactive"))
            for word in key or []:
                rows.append((word, None, "proactive"))
    rows.append(("三、收到和处理政府信息公开申请情况", None, "section"))
    rows.append(("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", None, "applications"))
    for word in APPLICATION_HEADER:
        rows.append((word, None, "applications"))
    for label, key in APPLICATIONS_2021:
        if key:
            rows.append((label, [fmt(cells[f"applications.{key}.{c}"]) for c in APPLICATION_COLUMNS],
                         "applications"))
        else:
            rows.append((label, None, "applications"))
    rows.append(("四、政府信息公开行政复议、行政诉讼情况", None, "section"))
    for word in REVIEW_HEADER:
        rows.append((word, None, "review_litigation"))
    rows.append(("", [fmt(cells[f"review_litigation.{b}.{c}"]) for b in REVIEW_BLOCKS for c in REVIEW_COLUMNS],
                 "review_litigation"))
    return rows


HEAD = ["示例市测试局2023年政府信息公开工作年度报告", "发布日期:2024-01-20", "一、总体情况",
        "本报告为测试用合成文本(synthetic),表格数值取自真实报告或按国家模板的勾稽关系生成。"]
TAIL = ["五、存在的主要问题及改进情况", "一是政策解读形式不够丰富。", "六、其他需要报告的事项",
        "本年度未收取信息处理费。"]


def render_lines(cells: Cells, blank_marker: str | None = None) -> str:
    """One cell per line with blank lines between (the seed's page). Blank
    cells leave no line, or a line of `blank_marker` (e.g. a bare "|")."""
    out = list(HEAD)
    for label, values, _ in table_rows(cells):
        if label:
            out.append(label)
        for v in values or []:
            if v:
                out.append(v)
            elif blank_marker is not None:
                out.append(blank_marker)
    out += TAIL
    return "\n\n".join(out) + "\n"


def render_cell_pipe(cells: Cells) -> str:
    """One cell per line, each ending in "|" (blank cells are a bare "|")."""
    out = list(HEAD)
    for label, values, _ in table_rows(cells):
        if label:
            out.append(label + "|")
        out += [v + "|" for v in values or []]
    out += TAIL
    return "\n".join(out) + "\n"


def _render_rows(cells: Cells, row_lines: Callable[[list[str]], list[str]]) -> str:
    """Headings on lines of their own; each row of cells (label first) as
    the lines `row_lines` makes of it."""
    out = list(HEAD)
    for label, values, _ in table_rows(cells):
        out += [label] if values is None else row_lines(([label] if label else []) + values)
    out += TAIL
    return "\n".join(out) + "\n"


def render_pipe_rows(cells: Cells, width: int = 9) -> str:
    """Rows of cells joined by "|", padded with "||" to the widest row."""
    return _render_rows(cells, lambda row: ["|".join(row + [""] * max(0, width - len(row)))])


def render_tab_rows(cells: Cells) -> str:
    """Rows of cells separated by tabs, a blank cell an empty field (as Word's
    plain-text export and a browser's copy of a table write them); the
    running text indented with a tab, as such exports keep it."""
    text = _render_rows(cells, lambda row: ["\t".join(row)])
    return "\n".join(line if "\t" in line else "\t" + line for line in text.split("\n"))


def render_markdown(cells: Cells) -> str:
    """Markdown tables as PDF-to-markdown converters print them."""
    return _render_rows(cells, lambda row: ["| " + " | ".join(row) + " |", "|" + "---|" * len(row)])


def render_glued(cells: Cells) -> str:
    """A crawler's text dump: title and date on their own lines, then the
    whole body on one line with the cells glued together."""
    parts = list(HEAD[2:])
    for label, values, _ in table_rows(cells):
        parts.append(label + "".join(values or []))
    parts += TAIL
    return "\n".join(HEAD[:2]) + "\n" + "".join(parts) + "\n"


def render_spaced(cells: Cells) -> str:
    """A row a line: its label, then its cells separated by spaces (blank
    cells vanish)."""
    out = list(HEAD)
    for label, values, _ in table_rows(cells):
        out.append(" ".join(x for x in [label, *(values or [])] if x))
    out += TAIL
    return "\n".join(out) + "\n"


STYLES: dict[str, Callable[[Cells], str]] = {
    "lines": render_lines,
    "lines_bare_pipe": lambda c: render_lines(c, blank_marker="|"),
    "cell_pipe": render_cell_pipe,
    "pipe_rows": render_pipe_rows,
    "tab_rows": render_tab_rows,
    "markdown": render_markdown,
    "glued": render_glued,
    "spaced": render_spaced,
}
