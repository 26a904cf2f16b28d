"""How large a table an upload may hold: rows, columns and cells of its used range.

A reader refuses a file as soon as it goes past one of them, before it builds the grid, so
the memory a file costs is bounded by the limits, not by what its parts declare. Plain
Python; ``table_limits()`` reads the settings when Django is there.
"""

from dataclasses import dataclass

DEFAULT_ROWS = 50_000
DEFAULT_COLUMNS = 500
DEFAULT_CELLS = 500_000
# Characters of text a file may carry in all (shared strings and inline text): about 40 MB
# of Chinese text, far past any table people type, and short of what hurts a worker.
MAX_TEXT_CHARS = 20_000_000
EXCEL_MAX_CELL_CHARS = 32_767  # Excel's own limit on one cell's text


@dataclass(frozen=True)
class TableLimits:
    rows: int = DEFAULT_ROWS
    columns: int = DEFAULT_COLUMNS
    cells: int = DEFAULT_CELLS
    text_chars: int = MAX_TEXT_CHARS

    @property
    def shown(self) -> str:
        return f"{self.rows} 行、{self.columns} 列、共 {self.cells} 个单元格"


def table_limits() -> TableLimits:
    """The limits of ``IMPORT_MAX_ROWS``, ``IMPORT_MAX_COLUMNS`` and ``IMPORT_MAX_CELLS``."""
    from django.conf import settings

    return TableLimits(
        rows=int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_ROWS)),
        columns=int(getattr(settings, "IMPORT_MAX_COLUMNS", DEFAULT_COLUMNS)),
        cells=int(getattr(settings, "IMPORT_MAX_CELLS", DEFAULT_CELLS)),
    )
