"""A large roster export, written by a background job into a file.

``roster_export`` keeps a selection of up to ``EXPORT_INLINE_ROWS`` coordinators in the
request (``roster.roster_workbook``); a larger one is the job kind ``roster_export``
(registered from ``staff/job_kinds.py``), which writes the same columns and formats row by
row in openpyxl's write-only mode, reading the coordinators in chunks.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jobs.registry import JobError, Outcome, register
from kit.spreadsheets import is_risky
from staff import policy as perm
from staff import selectors
from staff.roster import COLUMNS, DATE_FIELDS, HEADERS, MONTH_FIELDS

KIND = "roster_export"
WIDTHS = [10, 6, 10, 10, 10, 12, 14, 16, 12, 18, 11, 12, 12, 12, 8]
CHUNK = 2_000


def inline_rows() -> int:
    return getattr(settings, "EXPORT_INLINE_ROWS", 5_000)


def export_name() -> str:
    return f"协理员花名册-{timezone.localdate():%Y%m%d}.xlsx"


def may_export(user) -> bool:
    return not (perm.is_own_coordinator_role(user) and not perm.can_manage_any(user))


def selected(user, params: dict):
    """The coordinators the export of ``params`` (town, state, q) covers, for ``user``."""
    return selectors.filter_coordinators(
        selectors.visible_coordinators(user),
        town_id=params.get("town") or None,
        state=params.get("state") or None,
        q=(params.get("q") or "").strip(),
    )


def _cell(sheet, value, number_format: str | None = None):
    cell = WriteOnlyCell(sheet, value=value)
    if is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell


def write_roster(coordinators, path: Path, progress=None, total: int = 0) -> int:
    """``roster.roster_workbook``'s sheet, streamed to ``path``; returns the rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("协理员花名册")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, centre = Font(bold=True), Alignment(horizontal="center")
    header = []
    for text in [*HEADERS, "所属镇（街道）", "状态"]:
        cell = _cell(sheet, text)
        cell.font, cell.alignment = bold, centre
        header.append(cell)
    sheet.append(header)
    written = 0
    for c in coordinators.iterator(chunk_size=CHUNK):
        row = []
        for column in COLUMNS:
            value = c.unit.name if column.field == "unit" else getattr(c, column.field)
            if value in (None, ""):
                row.append(None)
            elif column.field in MONTH_FIELDS:
                row.append(_cell(sheet, datetime(value.year, value.month, value.day), "yyyy-mm"))
            elif column.field in DATE_FIELDS:
                row.append(_cell(sheet, datetime(value.year, value.month, value.day), "yyyy-mm-dd"))
            else:
                row.append(_cell(sheet, value, "@"))
        town = c.unit.parent.name if c.unit.parent else ""
        row += [_cell(sheet, town) if town else None, _cell(sheet, c.get_state_display())]
        sheet.append(row)
        written += 1
        if progress is not None and written % 500 == 0:
            progress(written, total)
    book.save(path)
    return written


def _permitted(user, params: dict) -> bool:
    return bool(user.is_authenticated and user.is_active and may_export(user))


@register(KIND, label="导出协理员花名册", permitted=_permitted)
def run_roster_export(job, progress) -> Outcome:
    user = job.requested_by
    if not may_export(user):
        raise JobError("协理员账号不能导出花名册。")
    progress.stage("正在读取协理员")
    coordinators = selected(user, job.params)
    total = coordinators.count()
    if not total:
        raise JobError("所选范围内没有协理员，未生成花名册。")
    progress.stage("正在写入花名册", total=total)
    fd, name = tempfile.mkstemp(prefix="roster-", suffix=".xlsx")
    os.close(fd)
    path = Path(name)
    try:
        written = write_roster(coordinators, path, progress, total)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    progress(written, total)
    return Outcome(
        summary=f"已导出协理员花名册：{written} 人。",
        file=path,
        filename=job.params.get("filename") or export_name(),
    )
