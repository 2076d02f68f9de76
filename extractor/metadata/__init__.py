"""Title, agency, report year, publication date and the information-
processing fee of a report, each with where it was read (`sources`).

Precedence, most reliable first (what the report prints of itself before
what a portal's database or a file name says):
- title: a title line near the top of the body; the portal's 标题/名称 field;
  the page's own title (<title>, meta tags, a crawler's header, the file's
  document properties); the file name.
- agency: the title; the report's sentences about itself (由X编制, 现公布X…
  年度报告, 请与X…联系, "2021年,X认真贯彻…"); the portal's 发布机构/来源
  fields; the signature at the end; the file name's title. Only a name that
  looks like a body's is taken (names.is_agency); when none does, null and
  a warning.
- year: the title; the statistics period; the report's sentences about its
  year; the publication date's year before it (a last resort, with a warning).
- published: the portal's publication date fields (发布日期, 发布时间 …), then
  its other date fields (成文日期, 更新时间 …); a date line in the page's
  header; the date that closes the report (the signature).
- fee: section 六 (or the whole text when there is none): its fee table or a
  sentence stating the fee.
Where two sources disagree on the agency or the year, a warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..agency import agency_key, within
from ..model import Document, Paragraph
from ..sections import Section
from ..tables.result import ReportWarning
from .dates import date_alone, field_date
from .fee import fee_in
from .fields import Field, header_date, header_lines, portal_fields
from .names import bureau_of, clean_name, is_agency, named_in_text, signed_by
from .titles import agency_and_year, clean_title, is_title, title_in_lines
from .years import year_in_text

_TITLE_BLOCKS = 20
_OPENING = 4000
_CLOSING_LINES = 6


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    fee_yuan: float | int | None = None
    fee_raw: str | None = None
    # field -> where it was read ("title", "portal_field", "self_reference", …)
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[ReportWarning] = field(default_factory=list)


def read_metadata(doc: Document, sections: list[Section], path: Path | None = None,
                  paragraphs: list[str] | None = None) -> Metadata:
    """`paragraphs`: the texts of the document's paragraphs, where the caller has them."""
    meta = Metadata()
    header = header_lines(doc)
    fields = portal_fields(doc, header)
    if paragraphs is None:
        paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    opening = "\n".join(paragraphs)[:_OPENING]

    meta.title, title_source = _title(paragraphs[:_TITLE_BLOCKS], _opening_links(doc), doc.preamble,
                                      doc.preamble_links, fields)
    title_agency, title_year = agency_and_year(meta.title) if meta.title else (None, None)
    # The file name is the last resort for the title and the agency: read only when needed.
    file_title = _file_title(path) if not (meta.title and title_agency) else None
    file_agency, file_year = agency_and_year(file_title) if file_title else (None, None)
    if meta.title is None and file_title:
        meta.title, title_source = file_title, "file_name"
        title_agency, title_year = file_agency, file_year
    if meta.title:
        meta.sources["title"] = title_source

    _choose_agency(meta, title_agency, fields, opening, paragraphs, file_agency)
    if meta.sources.get("title") == "file_name" and meta.sources.get("agency") == "title":
        meta.sources["agency"] = "file_name"
    _choose_year(meta, title_year, opening, sections)
    _choose_published(meta, fields, header, paragraphs)
    if meta.year is None and meta.published:
        meta.year = int(meta.published[:4]) - 1
        meta.sources["year"] = "published_date"
        meta.warnings.append(ReportWarning(
            "year_inferred", f"the report does not print its year; {meta.year} is taken as the year before its "
            f"publication date {meta.published}", "report.year"))
    texts = [s.text for s in sections if s.number == 6] or paragraphs
    meta.fee_yuan, meta.fee_raw, fee_source = fee_in(texts)
    if fee_source:
        meta.sources["fee"] = fee_source
    return meta


def _title(opening: list[str], opening_links: frozenset[int], preamble: list[str], preamble_links: frozenset[int],
           fields: list[Field]) -> tuple[str | None, str | None]:
    """The title: in the body's first lines (`opening`), then in the page's
    heading above the body, then in the portal's fields. The lines (indices)
    that are nothing but links, most often to other reports (a portal's list
    beside the article), are read last."""
    found = title_in_lines(_without(opening, opening_links)) or title_in_lines(_without(preamble, preamble_links))
    if found:
        return found, "title_line"
    for f in fields:
        if f.kind == "title" and f.origin == "header":
            title = clean_title(f.value)
            if is_title(title):
                return title, "portal_field"
    for f in fields:
        if f.kind == "title" and f.origin == "page":
            title = clean_title(f.value)
            if is_title(title):
                return title, "page_title"
    for lines, links in ((opening, opening_links), (preamble, preamble_links)):
        if links and (found := title_in_lines(_only(lines, links))):
            return found, "title_line"
    return None, None


def _opening_links(doc: Document) -> frozenset[int]:
    """Which of the body's first paragraphs are nothing but links."""
    links = []
    paragraphs = (block for block in doc.blocks if isinstance(block, Paragraph))
    for i, paragraph in zip(range(_TITLE_BLOCKS), paragraphs, strict=False):
        if paragraph.links_only:
            links.append(i)
    return frozenset(links)


def _without(lines: list[str], left_out: frozenset[int]) -> list[str]:
    """The lines, those left out blank (the others keep their neighbours)."""
    return [("" if i in left_out else line) for i, line in enumerate(lines)] if left_out else lines


def _only(lines: list[str], kept: frozenset[int]) -> list[str]:
    return [(line if i in kept else "") for i, line in enumerate(lines)]


def _file_title(path: Path | None) -> str | None:
    """"XX局2023年政府信息公开工作年度报告.pdf", with a leading number or a
    trailing site name ("005_…年度报告-沭阳县人民政府")."""
    if path is None:
        return None
    stem = path.stem.replace("_", " ").strip()
    for candidate in (stem, stem.split(" ", 1)[-1]):
        for piece in (candidate, candidate.rsplit("-", 1)[0]):
            title = clean_title(piece.strip())
            if is_title(title):
                return title
    return None


def _choose_agency(meta: Metadata, title_agency: str | None, fields: list[Field], opening: str,
                   paragraphs: list[str], file_agency: str | None) -> None:
    candidates: list[tuple[str, str]] = []
    if title_agency:
        candidates.append((title_agency, "title"))
    else:
        # What the text names itself is the agency only where the title names
        # none (it is not among the sources a disagreement is said for).
        candidates += named_in_text(opening)
    for f in fields:
        if f.kind == "agency":
            name = bureau_of(clean_name(f.value))
            if is_agency(name):
                candidates.append((name, "portal_field"))
    signature = signed_by("\n".join(paragraphs[-_CLOSING_LINES:]))
    if signature:
        candidates.append((signature, "signature"))
    if file_agency:
        candidates.append((file_agency, "file_name"))
    if not candidates:
        meta.warnings.append(ReportWarning(
            "agency_not_found", "no name of the reporting body was found (title, the report's own sentences, the "
            "portal's fields, the signature, the file name); agency is null", "report.agency"))
        return
    meta.agency, meta.sources["agency"] = candidates[0]
    for name, source in candidates[1:]:
        if source in ("portal_field", "signature") and not _same_body(meta.agency, name):
            meta.warnings.append(ReportWarning(
                "metadata_disagrees", f"agency: the {meta.sources['agency'].replace('_', ' ')} names "
                f"'{meta.agency}', the {source.replace('_', ' ')} '{name}'; '{meta.agency}' is used",
                "report.agency"))
            break


def _same_body(a: str, b: str) -> bool:
    if a == b:
        return True  # (most portal fields print the title's name)
    ka, kb = agency_key(a) or "", agency_key(b) or ""
    return ka == kb or ka in kb or kb in ka or within(ka, kb) or within(kb, ka)


def _choose_year(meta: Metadata, title_year: int | None, opening: str, sections: list[Section]) -> None:
    stated = year_in_text(opening, sections)
    if title_year is not None:
        meta.year, meta.sources["year"] = title_year, "title"
        if stated and stated[1] == "statistics_period" and stated[0] != title_year:
            meta.warnings.append(ReportWarning(
                "metadata_disagrees", f"year: the title says {title_year}, the statistics period {stated[0]}; "
                f"{title_year} is used", "report.year"))
    elif stated:
        meta.year, meta.sources["year"] = stated


def _choose_published(meta: Metadata, fields: list[Field], header: list[str], paragraphs: list[str]) -> None:
    # (A publication date field first, the reader's before the page's; a
    # date written or updated only where the page prints none.)
    for kind, origin in (("published", "page"), ("published", "header"), ("dated", "page"), ("dated", "header")):
        for f in fields:
            if f.kind == kind and f.origin == origin:
                found = field_date(f.value)
                if found:
                    meta.published, meta.sources["published"] = found, "portal_field"
                    return
    found = header_date(header)
    if found:
        meta.published, meta.sources["published"] = found, "header_date"
        return
    for text in paragraphs[::-1][:_CLOSING_LINES]:
        found = date_alone(text)
        if found:
            meta.published, meta.sources["published"] = found, "closing_date"
            return
