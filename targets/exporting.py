"""Export of a year's targets: JSON for programs, .xlsx and .csv in the office layout.

The office layout is what the importer reads back: a title row, a header row, one row per
unit (or one column per unit), a 「其中…」 column or row beside an indicator with
sub-targets, and a 合计 row (or column). Percent indicators get no total: their values are
rates, not counts. Import → export → import gives the same data.
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kit.formatting import exact
from kit.spreadsheets import csv_value, put
from org.models import Unit
from targets.models import Indicator, TargetAllocation
from targets.tables import COLUMNS, ROWS, plain

FORMATS = ("json", "xlsx", "csv")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass
class YearTable:
    year: int
    units: list  # Unit, in tree order
    indicators: list  # Indicator, in sort order
    values: dict  # (unit id, indicator id) → (target, sub_target)

    def has_sub(self, indicator) -> bool:
        return any(
            self.values.get((u.pk, indicator.pk), (None, None))[1] is not None for u in self.units
        )

    def total(self, indicator, sub: bool = False) -> Decimal:
        index = 1 if sub else 0
        return sum(
            (
                v[index]
                for (_u, i), v in self.values.items()
                if i == indicator.pk and v[index] is not None
            ),
            Decimal(0),
        )


def year_table(year: int, units=None) -> YearTable:
    qs = TargetAllocation.objects.filter(year=year)
    if units is not None:
        qs = qs.filter(unit__in=units)
    rows = list(qs.values_list("unit_id", "indicator_id", "target", "sub_target"))
    unit_ids = {r[0] for r in rows}
    indicator_ids = {r[1] for r in rows}
    unit_list = sorted(
        Unit.objects.filter(pk__in=unit_ids).select_related("parent"),
        key=lambda u: (
            (u.parent.parent_id or 0, u.parent.sort_order, u.parent_id)
            if u.parent_id
            else (0, 0, 0),
            u.sort_order,
            u.pk,
        ),
    )
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).order_by("sort_order", "pk"))
    values = {(u, i): (exact(t), exact(s)) for u, i, t, s in rows}
    return YearTable(year, unit_list, indicators, values)


def _json_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def export_json(table: YearTable) -> bytes:
    items = [
        {
            "unit": unit.name,
            "indicator": indicator.name,
            "target": _json_number(value[0]),
            "sub_target": _json_number(value[1]),
        }
        for indicator in table.indicators
        for unit in table.units
        if (value := table.values.get((unit.pk, indicator.pk))) is not None
    ]
    return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")


def _sub_header(indicator) -> str:
    label = indicator.sub_label or "其中"
    return f"{label}（{indicator.measure}）" if indicator.measure else label


def office_grid(table: YearTable, orientation: str = ROWS) -> list[list]:
    """Header and body cells (numbers as Decimal, blanks as None), without the title."""
    columns = []  # (header, indicator, sub?)
    for indicator in table.indicators:
        columns.append((indicator.label, indicator, False))
        if table.has_sub(indicator):
            columns.append((_sub_header(indicator), indicator, True))

    def cell(unit, indicator, sub):
        value = table.values.get((unit.pk, indicator.pk))
        return None if value is None else value[1 if sub else 0]

    def total(indicator, sub):
        return None if indicator.measure == "%" else table.total(indicator, sub)

    if orientation == COLUMNS:
        grid = [["指标", "合计", *[u.name for u in table.units]]]
        for header, indicator, sub in columns:
            grid.append(
                [header, total(indicator, sub), *[cell(u, indicator, sub) for u in table.units]]
            )
        return grid
    grid = [["序号", "单位", *[h for h, _i, _s in columns]]]
    for number, unit in enumerate(table.units, start=1):
        grid.append([number, unit.name, *[cell(unit, i, s) for _h, i, s in columns]])
    grid.append(["合计", None, *[total(i, s) for _h, i, s in columns]])
    return grid


def title(table: YearTable) -> str:
    return f"{table.year}年目标任务分解表"


def export_xlsx(table: YearTable, orientation: str = ROWS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{table.year}年目标任务"
    grid = office_grid(table, orientation)
    width = max(len(r) for r in grid)
    sheet.cell(row=1, column=1, value=title(table)).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
    for r, row in enumerate(grid, start=2):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            cell = put(sheet, r, c, value)
            if r == 2:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    if orientation == ROWS:
        last = len(grid) + 1
        sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
        sheet.column_dimensions["B"].width = 24
    else:
        sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "C3" if orientation == ROWS else "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_csv(table: YearTable, orientation: str = ROWS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in office_grid(table, orientation):
        # Numbers are formatted here, after the check, so a negative one stays a number.
        writer.writerow(
            ["" if v is None else plain(v) if isinstance(v, Decimal) else csv_value(v) for v in row]
        )
    # With a BOM, Excel on a Chinese-locale Windows opens the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def export(table: YearTable, fmt: str, orientation: str = ROWS) -> bytes:
    if fmt == "json":
        return export_json(table)
    if fmt == "xlsx":
        return export_xlsx(table, orientation)
    if fmt == "csv":
        return export_csv(table, orientation)
    raise ValueError(fmt)


def file_name(year: int, fmt: str, orientation: str = ROWS) -> str:
    suffix = "" if fmt == "json" or orientation == ROWS else "-units-as-columns"
    return f"targets-{year}{suffix}.{fmt}"
