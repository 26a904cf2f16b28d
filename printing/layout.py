"""What the context builders of every app's documents share beyond writing values: pure
Python, no ORM.

Values (points, dates, the 「（无法读取）」 of a stored value that cannot be read) are written
by ``kit.formatting``, the one home of display formatting; the print templates use its
filters through ``{% load display %}``.
"""

from __future__ import annotations


def year_text(year) -> str:
    return "" if year in (None, "") else str(year)


def ticks(choices, chosen: str) -> list[dict]:
    """□事假 □病假 … with the chosen one ticked ☑."""
    return [{"label": label, "on": label == chosen} for label in choices]
