"""Where a problem is, and what it is, in the words of the person who made the table."""

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
NOTE = "note"


def col_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA (Excel's column letters)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def where(sheet: str, row: int | None = None, col: int | None = None) -> str:
    """「工作表「Sheet1」第 12 行 C 列」; row is 1-based as Excel shows it, col 0-based."""
    text = f"工作表「{sheet}」"
    if row is not None:
        text += f"第 {row} 行"
    if col is not None:
        text += f" {col_letter(col)} 列" if row is not None else f"{col_letter(col)} 列"
    return text


@dataclass(frozen=True)
class Issue:
    level: str  # ERROR, WARNING or NOTE
    message: str  # complete, with its place: 「工作表「Sheet1」第 12 行 C 列：…」

    def __str__(self):
        return self.message


def issue(level: str, sheet: str, row: int | None, col: int | None, text: str) -> Issue:
    return Issue(level, f"{where(sheet, row, col)}：{text}")


class TableFileError(Exception):
    """The file cannot be read as a table at all (corrupt, wrong type, too big…)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
