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


@dataclass(frozen=True)
class Place:
    """A sheet, a row (1-based, as Excel shows it) and a column (0-based); any may be
    unknown. A file with one sheet usually leaves the sheet unnamed."""

    sheet: str | None = None
    row: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        text = f"工作表「{self.sheet}」" if self.sheet is not None else ""
        if self.row is not None:
            text += f"第 {self.row} 行"
        if self.col is not None:
            text += (
                f" {col_letter(self.col)} 列"
                if self.row is not None
                else f"{col_letter(self.col)} 列"
            )
        return text.strip()


def where(sheet: str | None, row: int | None = None, col: int | None = None) -> Place:
    """「工作表「Sheet1」第 12 行 C 列」; row is 1-based as Excel shows it, col 0-based."""
    return Place(sheet, row, col)


@dataclass(frozen=True)
class Problem:
    """One problem of an import: its level, its place, the cell's text as the person wrote
    it, and what is wrong. ``message`` is the whole sentence:
    「第 12 行「东陈镇」：目标值「12O0」不是数字」."""

    level: str  # ERROR, WARNING or NOTE
    text: str  # what is wrong, without the place
    place: Place | None = None
    value: str = ""  # the cell's text, quoted after the place

    @property
    def sheet(self) -> str | None:
        return self.place.sheet if self.place else None

    @property
    def row(self) -> int | None:
        return self.place.row if self.place else None

    @property
    def col(self) -> int | None:
        return self.place.col if self.place else None

    @property
    def message(self) -> str:
        head = (str(self.place) if self.place else "") + (f"「{self.value}」" if self.value else "")
        return f"{head}：{self.text}" if head else self.text

    def __str__(self) -> str:
        return self.message


def issue(level: str, sheet: str | None, row: int | None, col: int | None, text: str) -> Problem:
    return Problem(level, text, Place(sheet, row, col))


class CellError(ValueError):
    """Raised by a column's ``clean``: what is wrong with the cell, without its place (the
    pipeline adds that)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class TableFileError(Exception):
    """The file cannot be read as a table at all (corrupt, wrong type, too big…)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def first_problems(errors: list[str], most: int = 5) -> str:
    """The first ``most`` problems as one sentence, and how many more there are."""
    shown = "；".join(errors[:most])
    more = f"（另有 {len(errors) - most} 处）" if len(errors) > most else ""
    return shown + more
