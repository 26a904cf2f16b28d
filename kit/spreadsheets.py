"""Cells of exported spreadsheets that hold text as text (no formula injection).

Text a user typed can start with a character a spreadsheet reads as the start of a formula
(``=HYPERLINK(...)``, ``=cmd|...``, ``+``, ``-``, ``@``, a tab or a carriage return). Every
xlsx and csv export writes its cells through this module:

- ``put(sheet, row, column, value)`` writes an openpyxl cell; such text is stored as a
  string cell with the quote prefix set, so Excel and WPS show it literally.
- ``csv_value(value)`` gives the csv field; such text gets a leading ``'`` (the OWASP
  recommendation for CSV injection).

Numbers (including negative ones), dates and blanks pass through unchanged: only *text* is
neutralised.
"""

from copy import copy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    """True for text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def put(sheet, row: int, column: int, value=None):
    """Write ``value`` to the cell at (row, column) of an openpyxl worksheet; return the cell."""
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return cell
    cell.value = value
    if is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put_row(sheet, row: int, values, start: int = 1) -> list:
    """Write ``values`` to one row from column ``start``; blanks (None) are left empty."""
    return [put(sheet, row, column, v) for column, v in enumerate(values, start=start)]


def csv_value(value):
    """The value to hand to ``csv.writer`` for one field."""
    return "'" + value if is_risky(value) else value


def csv_row(values) -> list:
    return [csv_value(v) for v in values]


def stream_style(sheet, **attributes):
    """A cell style (``font=``, ``border=``, ``alignment=`` …) for ``stream_cell``, looked up in
    the workbook once: setting those attributes on every cell hashes them every time, which
    is most of the cost of a large sheet."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    for name, value in attributes.items():
        setattr(cell, name, value)
    return cell._style


def stream_cell(sheet, value=None, style=None):
    """A cell for a write-only worksheet (``Workbook(write_only=True)``) holding ``value``,
    neutralised as ``put`` does, with ``style`` (from ``stream_style``) if given; append it
    in a row."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if style is not None:
        cell._style = copy(style)
    if is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
