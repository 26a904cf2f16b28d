"""Columns of an import, in the shape of pretix's ``base/modelimport.py``.

A column has a header and the other names it goes by; ``clean`` turns the cell's text
into a value or raises ``CellError`` saying what is wrong (the pipeline adds the place);
``assign`` puts the value into the row being planned (a dict by default).
"""

import re
from collections.abc import Callable, Iterable, Sequence

from kit.imports.problems import CellError


class Column:
    key: str = ""
    header: str = ""
    aliases: tuple = ()
    required: bool = False

    def __init__(self, key: str = "", header: str = "", aliases: Iterable[str] = (), **kw):
        self.key = key or self.key
        self.header = header or self.header
        self.aliases = tuple(aliases) or self.aliases
        for name, value in kw.items():
            if not hasattr(self, name):
                raise TypeError(f"{type(self).__name__} has no option {name!r}")
            setattr(self, name, value)

    @property
    def names(self) -> tuple:
        return (self.header, *self.aliases)

    def clean(self, raw: str, values: dict):
        """The value of the cell's text; ``values``: what the row's earlier columns gave.
        An empty cell reaches ``clean`` only for a required column."""
        if not raw and self.required:
            raise CellError(f"「{self.header}」不能为空")
        return raw

    def assign(self, value, target: dict) -> None:
        target[self.key] = value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key} 「{self.header}」>"


def squeeze(text) -> str:
    """A cell's text with runs of white space made one space."""
    return re.sub(r"\s+", " ", str(text if text is not None else "").strip())


def find_header(
    rows: Sequence[Sequence],
    columns: Sequence[Column],
    *,
    required: Iterable[str],
    normalize: Callable[[str], str] = str.strip,
    scan: int = 15,
) -> tuple[int | None, dict]:
    """The first of the top ``scan`` rows naming every required column, and where each
    known column stands there: (row index, {column key: column index})."""
    index = {normalize(name): column for column in columns for name in column.names}
    required = tuple(required)
    for r, cells in enumerate(rows[:scan]):
        found: dict = {}
        for c, text in enumerate(cells):
            column = index.get(normalize(str(text if text is not None else "")))
            if column is not None and column.key not in found:
                found[column.key] = c
        if all(key in found for key in required):
            return r, found
    return None, {}
