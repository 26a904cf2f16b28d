"""A year's targets of many units, exported by a background job into a file.

``target_export`` keeps a selection of up to ``EXPORT_INLINE_ROWS`` units in the request;
a larger one is the job kind ``target_export`` (registered from ``targets/job_kinds.py``),
which writes the same layout as ``targets.exporting`` straight to a file: the .xlsx in
openpyxl's write-only mode, the .csv row by row, the JSON item by item.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from jobs.registry import JobError, Outcome, register
from kit.spreadsheets import csv_value, is_risky
from org.scope import visible_units
from targets.exporting import (
    FORMATS,
    _json_number,
    file_name,
    office_grid,
    title,
    year_table,
)
from targets.models import TargetAllocation
from targets.tables import ORIENTATIONS, ROWS, plain

KIND = "target_export"


def inline_rows() -> int:
    return getattr(settings, "EXPORT_INLINE_ROWS", 5_000)


def export_row_count(year: int, units) -> int:
    """Units with a target in ``year`` among ``units``: the rows of the export; one query."""
    return (
        TargetAllocation.objects.filter(year=year, unit__in=units)
        .values("unit_id")
        .distinct()
        .count()
    )


def _temp_path(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix="targets-", suffix=suffix)
    os.close(fd)
    return Path(name)


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_xlsx(table, orientation: str, path: Path) -> None:
    """The office layout of ``exporting.export_xlsx``, streamed (write-only)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{table.year}年目标任务")
    grid = office_grid(table, orientation)
    width = max(len(r) for r in grid)
    if orientation == ROWS:
        sheet.column_dimensions["B"].width = 24
    else:
        sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "C3"
    heading = WriteOnlyCell(sheet, value=title(table))
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.merged_cells.add(f"A1:{_letter(max(width, 2))}1")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    for index, row in enumerate(grid):
        cells = []
        for value in row:
            if value is None:
                cells.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=_number(value))
            if is_risky(value):
                cell.data_type = "s"
                cell.quotePrefix = True
            if index == 0:
                cell.font = bold
                cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    if orientation == ROWS:
        last = len(grid) + 1
        sheet.merged_cells.add(f"A{last}:B{last}")
    book.save(path)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def write_csv(table, orientation: str, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in office_grid(table, orientation):
            writer.writerow(
                [
                    "" if v is None else plain(v) if isinstance(v, Decimal) else csv_value(v)
                    for v in row
                ]
            )


def write_json(table, path: Path) -> None:
    """The array of ``exporting.export_json``, written one item at a time."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        first = True
        for indicator in table.indicators:
            for unit in table.units:
                value = table.values.get((unit.pk, indicator.pk))
                if value is None:
                    continue
                item = {
                    "unit": unit.name,
                    "indicator": indicator.name,
                    "target": _json_number(value[0]),
                    "sub_target": _json_number(value[1]),
                }
                handle.write(("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False))
                first = False
        handle.write("\n]" if not first else "]")


WRITERS = {
    "xlsx": lambda table, orientation, path: write_xlsx(table, orientation, path),
    "csv": lambda table, orientation, path: write_csv(table, orientation, path),
    "json": lambda table, orientation, path: write_json(table, path),
}


def _permitted(user, params: dict) -> bool:
    return bool(user.is_authenticated and user.is_active)


@register(KIND, label="导出目标任务", permitted=_permitted)
def run_target_export(job, progress) -> Outcome:
    params = job.params
    year, fmt = int(params.get("year", 0)), params.get("format", "")
    orientation = params.get("orientation", ROWS)
    if fmt not in FORMATS or orientation not in ORIENTATIONS:
        raise JobError("没有这种导出格式。")
    progress.stage("正在读取目标任务")
    table = year_table(year, units=visible_units(job.requested_by))
    if not table.values:
        raise JobError(f"没有 {year} 年度可导出的目标任务。")
    progress.stage("正在写入文件", total=len(table.units))
    path = _temp_path(f".{fmt}")
    try:
        WRITERS[fmt](table, orientation, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    progress(len(table.units), len(table.units))
    return Outcome(
        summary=f"已导出 {year} 年度目标任务（{fmt}）：{len(table.units)} 个单位、"
        f"{len(table.indicators)} 项指标、{len(table.values)} 个目标值。",
        file=path,
        filename=file_name(year, fmt, orientation),
    )
