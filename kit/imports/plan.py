"""A plan: what an import would write, row by row, with every problem found on the way.

Phase one builds the plan and writes nothing; phase two commits it in one transaction, or
nothing, and only the plan that was previewed: the preview's fingerprint is kept with the
pending upload and the confirm step refuses a plan whose fingerprint differs (the file or
the database changed in between).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kit.imports.columns import Column
from kit.imports.problems import ERROR, NOTE, WARNING, CellError, Place, Problem

STALE_MESSAGE = "预览之后文件或系统中的数据有变化，未导入任何内容；请核对新的预览后再确认。"


class StalePlan(Exception):
    """The plan to commit is not the one that was previewed."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)
        self.message = message


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, level: str, text: str, place: Place | None = None, value: str = "") -> Problem:
        problem = Problem(level, text, place, value)
        self.problems.append(problem)
        return problem

    def error(self, text: str, place: Place | None = None, value: str = "") -> Problem:
        return self.add(ERROR, text, place, value)

    def warning(self, text: str, place: Place | None = None, value: str = "") -> Problem:
        return self.add(WARNING, text, place, value)

    def note(self, text: str, place: Place | None = None, value: str = "") -> Problem:
        return self.add(NOTE, text, place, value)

    def _messages(self, level: str) -> list[str]:
        return [p.message for p in self.problems if p.level == level]

    @property
    def errors(self) -> list[str]:
        return self._messages(ERROR)

    @property
    def warnings(self) -> list[str]:
        return self._messages(WARNING)

    @property
    def notes(self) -> list[str]:
        return self._messages(NOTE)

    @property
    def ok(self) -> bool:
        return not any(p.level == ERROR for p in self.problems)

    def fingerprint_parts(self) -> Iterable:
        """What identifies the plan: by default each row's ``fingerprint()``."""
        return (row.fingerprint() for row in self.rows)

    def fingerprint(self) -> str:
        """Identifies what committing would write, so a changed file or database is noticed."""
        digest = hashlib.sha256()
        for part in self.fingerprint_parts():
            digest.update(repr(part).encode())
            digest.update(b"\x00")
        return digest.hexdigest()[:16]

    def check(self, expected: str | None) -> None:
        """Raise StalePlan unless this is the plan with the fingerprint ``expected``
        (None or "": nothing was previewed to compare with)."""
        if expected and self.fingerprint() != expected:
            raise StalePlan


def clean_row(
    plan: Plan, columns: Iterable[Column], cells: dict, place: Place, target: dict
) -> bool:
    """Clean every column's cell of one row into ``target``; each problem goes into the
    plan at its cell. ``cells``: column key → (column index, text); a column not in the
    file is left out. True when the whole row is clean."""
    ok = True
    for column in columns:
        if column.key not in cells:
            continue
        col, raw = cells[column.key]
        if not raw and not column.required:
            column.assign(None, target)
            continue
        try:
            value = column.clean(raw, target)
        except CellError as exc:
            ok = False
            plan.error(exc.text, Place(place.sheet, place.row, col), raw)
            continue
        column.assign(value, target)
    return ok
