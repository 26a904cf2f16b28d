"""Numbers as people type them into target tables.

「15000」, 「15000 (7500)」 and 「15000\\n(7500)」 (a sub-target in parentheses or on a second
line), 「100%」, full-width 「５」 and 「（７５００）」, 「1,200」, 「 320000 」 (a number stored as
text with spaces). 「—」, 「-」, 「/」 and 「无」 mean an empty cell.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kit.formatting import plain

_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
_CELL = re.compile(rf"^({_NUM})(%?)(?:\(({_NUM})(%?)\))?$")
_SPACE = re.compile(r"\s+")
EMPTY_MARKS = {"", "-", "—", "——", "/", "无", "－"}


@dataclass(frozen=True)
class CellNumber:
    value: Decimal
    sub: Decimal | None = None
    percent: bool = False


class NotANumber(ValueError):
    pass


def _compact(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def is_blank(text: str) -> bool:
    return _compact(text) in EMPTY_MARKS


def parse_number(text: str) -> CellNumber | None:
    """The number in a cell, None for an empty cell; NotANumber when it is something else."""
    compact = _compact(text)
    if compact in EMPTY_MARKS:
        return None
    match = _CELL.match(compact)
    if not match:
        raise NotANumber(text)
    main, pct, sub, sub_pct = match.groups()
    try:
        value = Decimal(main.replace(",", ""))
        sub_value = Decimal(sub.replace(",", "")) if sub is not None else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise NotANumber(text) from None
    return CellNumber(value, sub_value, bool(pct or sub_pct))


def looks_numeric(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False


__all__ = ["CellNumber", "NotANumber", "is_blank", "looks_numeric", "parse_number", "plain"]
