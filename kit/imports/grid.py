"""A sheet as a grid of cell text, and what every reader does to it after reading."""

from dataclasses import dataclass, field


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]
    # (row, col), 0-based → formula text, for formula cells whose result was never saved.
    uncached: dict = field(default_factory=dict)


def fill_merged(rows, r1: int, r2: int, c1: int, c2: int) -> None:
    """Give every cell of a merged range (0-based, inclusive) its top-left cell's text."""
    if r1 >= len(rows):
        return
    top_left = rows[r1][c1] if c1 < len(rows[r1]) else ""
    for r in range(r1, min(r2, len(rows) - 1) + 1):
        row = rows[r]
        for c in range(c1, min(c2, len(row) - 1) + 1):
            row[c] = top_left


def trim(rows: list[list[str]]) -> None:
    """Drop trailing empty rows (formatting often extends a sheet far below the table)."""
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows.pop()
