"""How values are written on paper, for the context builders of every app's documents:
pure Python, no ORM.

A value that was stored but cannot be read prints as ``UNREADABLE_TEXT`` (「（无法读取）」),
never as a silent blank: pass ``UNREADABLE`` where the value would go.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from printing.documents import DateLike

BLANK_DAY = "　　　年　　月　　日"
BLANK_MONTH = "　　　年　　月"
ZERO = Decimal(0)
UNREADABLE_TEXT = "（无法读取）"


class Unreadable:
    """A stored value that could not be read: printed as 「（无法读取）」, never as a blank."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNREADABLE"

    def __str__(self) -> str:
        return UNREADABLE_TEXT


UNREADABLE = Unreadable()


def points(value) -> str:
    """A Decimal without trailing zeros (3.00 → 3, 2.50 → 2.5); None → ""."""
    if value is None or value == "":
        return ""
    if value is UNREADABLE:
        return UNREADABLE_TEXT
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def day(value: DateLike, blank: str = BLANK_DAY) -> str:
    """2025年1月10日; text is printed as given; nothing prints the blank form."""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return value or blank


def month(value: DateLike) -> str:
    """出生年月 and the like: 1985年6月."""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月"
    return value or BLANK_MONTH


def year_text(year) -> str:
    return "" if year in (None, "") else str(year)


def ticks(choices, chosen: str) -> list[dict]:
    """□事假 □病假 … with the chosen one ticked ☑."""
    return [{"label": label, "on": label == chosen} for label in choices]
