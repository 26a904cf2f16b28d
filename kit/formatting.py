"""How numbers and dates are shown, in one place: pages, print-outs, files and messages.

Plain Python: no Django import.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BLANK_DAY = "　　　年　　月　　日"
BLANK_MONTH = "　　　年　　月"
UNREADABLE_TEXT = "（无法读取）"


class Unreadable:
    """A stored value that could not be read: shown as 「（无法读取）」, never as a blank."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNREADABLE"

    def __str__(self) -> str:
        return UNREADABLE_TEXT


# Pass this where a stored value could not be read (a print-out's cell, a sum it is in):
# plain, points, number and percent write it as UNREADABLE_TEXT.
UNREADABLE = Unreadable()


def plain(value) -> str:
    """A decimal as people write it: 1206, 0.5, -2.5; never 1.206E+3, 1206.0000 or -0."""
    if value is UNREADABLE:
        return UNREADABLE_TEXT
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(value) -> str:
    """A score without trailing zeros (3.00 → 3, 2.50 → 2.5); None or "" → ""."""
    if value is None or value == "":
        return ""
    return plain(value)


def number(value, empty: str = "—") -> str:
    """A target or actual (1206, 0.5); ``empty`` when there is none."""
    if value is None or value == "":
        return empty
    return plain(value)


def percent(value, empty: str = "—") -> str:
    """A completion rate held in percent: 97.5 → 「97.5%」."""
    if value is None:
        return empty
    return UNREADABLE_TEXT if value is UNREADABLE else f"{plain(value)}%"


def exact(value: Decimal | None) -> Decimal | None:
    """The same number without trailing zeros, as a Decimal (1260.0000 → 1260), so stored
    values compare and print by value; never an exponent (1E+3 + 0 → 1000)."""
    return None if value is None else value.normalize() + 0


def day(value, blank: str = BLANK_DAY) -> str:
    """2025年1月10日; text is shown as given; nothing shows the blank of a paper form."""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return value or blank


def month(value, blank: str = BLANK_MONTH) -> str:
    """出生年月 and the like: 1985年6月."""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月"
    return value or blank


def month_day(value: date) -> str:
    """3月1日, within a year that is clear from the context."""
    return f"{value.month}月{value.day}日"


def spaced_day(value) -> str:
    """A date in the 「　年　月　日」 slots of a form: 「 2024 年 3 月 1 日」."""
    if isinstance(value, date):
        return f" {value.year} 年 {value.month} 月 {value.day} 日"
    return value or BLANK_DAY


def bar_percent(value, whole=100) -> int:
    """How much of a bar ``value`` out of ``whole`` fills: a whole percent from 0 to 100
    (half-up), 0 when either is missing or unreadable. Bars are drawn with one class per
    percent (static/css/bars.css) because the pages' Content-Security-Policy allows no
    inline style."""
    try:
        value, whole = Decimal(str(value)), Decimal(str(whole))
    except (InvalidOperation, ValueError, TypeError):
        return 0
    if not value.is_finite() or not whole.is_finite() or whole <= 0:
        return 0
    share = (value * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(min(max(share, Decimal(0)), Decimal(100)))
