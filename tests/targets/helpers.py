"""Small builders for the target tests: workbooks in memory, units, imports."""

import io
from decimal import Decimal

from openpyxl import Workbook

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[2] / "fixtures" / "targets"


def xlsx(rows, *, merges=(), title="Sheet1", percent_cells=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    for ref in merges:
        sheet.merge_cells(ref)
    for ref in percent_cells:
        sheet[ref].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def D(text) -> Decimal:
    return Decimal(str(text))


def allocations(year):
    """{(unit name, indicator name): (target, sub_target)} as stored."""
    from targets.models import TargetAllocation

    return {
        (a.unit.name, a.indicator.name): (
            a.target.normalize() + 0,
            None if a.sub_target is None else a.sub_target.normalize() + 0,
        )
        for a in TargetAllocation.objects.filter(year=year).select_related("unit", "indicator")
    }


def database_snapshot():
    """Everything the importer may write, to assert that a refused import wrote nothing."""
    from org.models import Unit
    from targets.models import (
        Achievement,
        ImportBatch,
        ImportChange,
        Indicator,
        TargetAllocation,
    )

    return (
        sorted(
            TargetAllocation.objects.values_list(
                "year", "unit_id", "indicator_id", "target", "sub_target"
            )
        ),
        sorted(Achievement.objects.values_list("year", "unit_id", "indicator_id", "actual")),
        Indicator.objects.count(),
        Unit.objects.count(),
        ImportBatch.objects.count(),
        ImportChange.objects.count(),
    )
