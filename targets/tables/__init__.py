"""Reading target tables as offices make them. Plain Python: no Django import.

``read_table_file`` (shared, from ``kit.imports``) turns .xlsx/.xls/.csv bytes into grids
of cell text; ``parse_sheet`` finds the table in a grid, whatever the office's layout, and
returns indicators, per-unit values, stated totals and every problem as a located
``kit.imports.Problem``.
"""

from kit.imports import (
    ERROR,
    NOTE,
    WARNING,
    Sheet,
    TableFileError,
    col_letter,
    read_table_file,
    where,
)
from kit.imports import Problem as Issue
from targets.tables.layout import (
    COLUMNS,
    ORIENTATION_LABELS,
    ORIENTATIONS,
    ROWS,
    IndicatorHead,
    ParsedSheet,
    StatedTotal,
    Value,
    parse_sheet,
)
from targets.tables.numbers import CellNumber, NotANumber, parse_number, plain

__all__ = [
    "COLUMNS",
    "ERROR",
    "NOTE",
    "ORIENTATIONS",
    "ORIENTATION_LABELS",
    "ROWS",
    "WARNING",
    "CellNumber",
    "IndicatorHead",
    "Issue",
    "NotANumber",
    "ParsedSheet",
    "Sheet",
    "StatedTotal",
    "TableFileError",
    "Value",
    "col_letter",
    "parse_number",
    "parse_sheet",
    "plain",
    "read_table_file",
    "where",
]
