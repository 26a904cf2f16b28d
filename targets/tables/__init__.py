"""Reading target tables as offices make them. Plain Python: no Django import.

``read_table_file`` turns .xlsx/.xls/.csv bytes into grids of cell text; ``parse_sheet``
finds the table in a grid and returns indicators, per-unit values, stated totals and
every problem with its place.
"""

from targets.tables.issues import ERROR, NOTE, WARNING, Issue, TableFileError, col_letter, where
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
from targets.tables.readers import Sheet, read_table_file

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
