"""A rubric as the office's own table, in Excel (.xlsx) and Word (.docx).

The layout of the documents the bureau issues: the title, the issuer, then one table with
序号, 考核内容, 分值 and 评分标准; each section is a row merged across the table; a total
row; the grade bands under the table. Spreadsheet cells are written through
``kit.spreadsheets`` so text that looks like a formula stays text.
"""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kit.formatting import plain
from kit.spreadsheets import put, put_row
from rubrics.models import Item, Rubric, Section

HEADERS = ("序号", "考核内容", "分值", "评分标准")
FORMATS = ("xlsx", "docx")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Row:
    section: str | None  # a section row (merged across) holds only this
    number: str = ""
    content: str = ""
    points: Decimal | None = None
    rule: str = ""


@dataclass(frozen=True)
class Table:
    title: str
    issuer: str
    rows: list[Row]
    total: Decimal
    bands: list[str]


def _section_title(section: Section) -> str:
    if section.declared_points is None or "分" in section.title:
        return section.title
    return f"{section.title}（{plain(section.declared_points)}分）"


def _content(item: Item) -> str:
    if item.requirement and item.requirement != item.title:
        return f"{item.title}\n{item.requirement}"
    return item.title


def rubric_table(rubric: Rubric) -> Table:
    """What both files print, in order."""
    items = Item.objects.order_by("order", "id")
    sections = rubric.sections.order_by("order", "id").prefetch_related(
        Prefetch("items", queryset=items)
    )
    rows, counted = [], Decimal("0")
    for section in sections:
        rows.append(Row(section=_section_title(section)))
        for item in section.items.all():
            rows.append(Row(None, item.number, _content(item), item.max_points, item.rule_text))
            if not (item.bonus or item.penalty):
                counted += item.max_points
    bands = [
        _("%(label)s：%(min)s 分以上（补助 %(pct)s%%）")
        % {"label": b.label, "min": plain(b.min_score), "pct": plain(b.subsidy_percent)}
        for b in rubric.grade_bands.all()
    ]
    bands.append(
        _("%(label)s：以上均未达到（补助 %(pct)s%%）")
        % {"label": rubric.fallback_grade, "pct": plain(rubric.fallback_subsidy_percent)}
    )
    if rubric.veto_grade:
        bands.append(_("有一票否决情形的，评为%(g)s。") % {"g": rubric.veto_grade})
    total = rubric.declared_total if rubric.declared_total is not None else counted
    return Table(rubric.title, rubric.issuer, rows, total, bands)


def file_name(rubric: Rubric, fmt: str) -> str:
    return f"{rubric.title}（第{rubric.version}版）.{fmt}"


def export_rubric(rubric: Rubric, fmt: str) -> bytes:
    table = rubric_table(rubric)
    return _xlsx(table) if fmt == "xlsx" else _docx(table)


def _xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    sheet.title = _("评分标准")[:31]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    for column, width in zip("ABCD", (8, 50, 8, 60), strict=True):
        sheet.column_dimensions[column].width = width

    put(sheet, 1, 1, table.title).font = Font(bold=True, size=16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    row = 2
    if table.issuer:
        put(sheet, row, 1, table.issuer).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        row += 1
    for cell in put_row(sheet, row, HEADERS):
        cell.font, cell.border, cell.alignment = Font(bold=True), border, wrap
    for entry in table.rows:
        row += 1
        if entry.section is not None:
            cell = put(sheet, row, 1, entry.section)
            cell.font = Font(bold=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            cells = [sheet.cell(row, c) for c in range(1, 5)]
        else:
            cells = put_row(sheet, row, [entry.number, entry.content, entry.points, entry.rule])
        for cell in cells:
            cell.border, cell.alignment = border, wrap
    row += 1
    for cell in put_row(sheet, row, [_("合计"), None, table.total, None]):
        cell.font, cell.border = Font(bold=True), border
    row += 1
    for band in table.bands:
        row += 1
        put(sheet, row, 1, band)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(table: Table) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    heading = document.add_heading(table.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if table.issuer:
        document.add_paragraph(table.issuer).alignment = WD_ALIGN_PARAGRAPH.CENTER
    grid = document.add_table(rows=1, cols=4)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, HEADERS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for entry in table.rows:
        cells = grid.add_row().cells
        if entry.section is not None:
            merged = cells[0].merge(cells[3])
            merged.text = entry.section
            merged.paragraphs[0].runs[0].bold = True
            continue
        values = (entry.number, entry.content, plain(entry.points), entry.rule)
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    total = grid.add_row().cells
    total[0].merge(total[1]).text = _("合计")
    total[2].text = plain(table.total)
    for row in grid.rows:
        for cell, width in zip(row.cells, (Cm(1.5), Cm(7), Cm(1.5), Cm(7)), strict=False):
            cell.width = width
    for band in table.bands:
        document.add_paragraph(band)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
