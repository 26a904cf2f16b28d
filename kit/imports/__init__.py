"""One pipeline for spreadsheet imports: columns → plan with located problems → commit.

- ``Column``: header and aliases, ``clean(raw, values)`` raising ``CellError``,
  ``assign(value, target)``; ``find_header`` locates the columns in a sheet.
- ``Plan``: the rows to write and every ``Problem`` (level, place, cell text, message),
  ``errors``/``warnings``/``notes`` as sentences, ``fingerprint()`` and ``check()``.
- ``Place``: sheet, row, column, shown as 「工作表「Sheet1」第 12 行 C 列」.
- ``read_table_file``: .xlsx/.xls/.csv bytes → ``Sheet`` grids of cell text, refused past
  ``TableLimits`` (rows, columns, cells; ``table_limits()`` reads them from the settings)
  before any grid is built.
- ``kit.imports.uploads``: the pending-upload store (Django; the rest is plain Python).
"""

from kit.imports.columns import Column, find_header, squeeze
from kit.imports.limits import TableLimits, table_limits
from kit.imports.plan import STALE_MESSAGE, Plan, StalePlan, clean_row
from kit.imports.problems import (
    ERROR,
    NOTE,
    WARNING,
    CellError,
    Place,
    Problem,
    TableFileError,
    col_letter,
    issue,
    where,
)
from kit.imports.readers import Sheet, read_table_file

__all__ = [
    "ERROR",
    "NOTE",
    "STALE_MESSAGE",
    "WARNING",
    "CellError",
    "Column",
    "Place",
    "Plan",
    "Problem",
    "Sheet",
    "StalePlan",
    "TableFileError",
    "TableLimits",
    "clean_row",
    "col_letter",
    "find_header",
    "issue",
    "read_table_file",
    "squeeze",
    "table_limits",
    "where",
]
