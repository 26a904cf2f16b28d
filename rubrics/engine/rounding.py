"""The one place where engine numbers are made and rounded.

Every score, rate and amount in the engine is a ``Decimal`` that entered through
``to_decimal`` and left through ``round_points`` (or ``round_yuan`` for money). The
rounding mode is always half-up (四舍五入), never banker's rounding.

``to_decimal`` accepts what people type into a Chinese form: surrounding or inner
spaces (also the full-width space), full-width digits ``０-９``, the full-width point
``．`` and sign ``－``/``＋``. With ``allow_percent`` a trailing ``%``/``％`` is dropped
(the number stays in percent). Floats go through ``str()`` so ``0.2`` is ``0.2``.

Score inputs are read more strictly, by ``input_decimal``: one plain decimal (full-width
digits, point and sign allowed, spaces around it trimmed), with nothing embedded in it (a
``1\n2`` is refused, not read as 12), no exponent (``1e9``), finite.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

# Arithmetic of one evaluation runs in this context, whatever the caller's thread
# context says (a web request may have changed its precision).
ENGINE_CONTEXT = Context(
    prec=34, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)

MAX_PLACES = 6
_EXPONENTS = tuple(Decimal(1).scaleb(-p) for p in range(MAX_PLACES + 1))
_YUAN = Decimal(1)

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋％", "0123456789.-+%")


# Inputs of 10^15 or more are typing errors, and would overflow later arithmetic.
TOO_LARGE_DIGITS = 15
# A plain decimal as people write it: digits, at most one point, an optional sign.
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")


class NumberError(ValueError):
    """A value that is not a usable number; the message is Chinese and names it."""


def round_points(value: Decimal, places: int) -> Decimal:
    """Round ``value`` to ``places`` decimals, half-up (0.125 → 0.13)."""
    return value.quantize(_EXPONENTS[places], ROUND_HALF_UP, ENGINE_CONTEXT)


def round_yuan(value: Decimal) -> Decimal:
    """Round an amount of money to the whole yuan, half-up (81000.5 → 81001)."""
    return value.quantize(_YUAN, ROUND_HALF_UP, ENGINE_CONTEXT)


def to_decimal(x: object, *, what: str, allow_percent: bool = False) -> Decimal:
    """Convert ``x`` (int, str, Decimal or float) to a finite Decimal.

    ``what`` names the value in the error message: 「目标值「12O0」不是数字」.
    """
    kind = type(x)
    if kind is Decimal:
        d = x
    elif kind is int:
        return Decimal(x)
    elif kind is str and "_" not in x:
        # Plain ASCII numbers (the usual case) convert directly; anything else takes the
        # slow path that cleans full-width characters and inner spaces first.
        try:
            d = Decimal(x)
        except (InvalidOperation, ValueError):
            d = None
        if d is None or not d.is_finite():
            d = _slow(x, what, allow_percent)
    elif isinstance(x, bool) or x is None:
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    elif isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        return Decimal(int(x))
    elif isinstance(x, float | str):
        d = _slow(x, what, allow_percent)
    else:
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    if not d.is_finite():
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    if d.is_zero() and d.is_signed():
        d = d.copy_abs()
    return d


def input_decimal(x: object, *, what: str, allow_percent: bool = False) -> Decimal:
    """A number typed into a score input, as a finite Decimal; ``NumberError`` naming
    ``what`` and the value otherwise. Stricter than ``to_decimal``: see the module text."""
    kind = type(x)
    if kind is str:
        if _PLAIN.fullmatch(x):  # the usual case: a plain ASCII number
            d = Decimal(x)
        else:
            text = x.strip().translate(_FULL_WIDTH)
            if allow_percent and text.endswith("%"):
                text = text[:-1].rstrip()
            if not _PLAIN.fullmatch(text):
                raise NumberError(_refusal(x, text, what))
            d = Decimal(text)
    elif kind is int:
        return Decimal(x)
    elif isinstance(x, bool) or x is None:
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    elif isinstance(x, Decimal | int):
        d = Decimal(x)
    elif isinstance(x, float):
        d = Decimal(repr(x)) if x == x and x not in (float("inf"), float("-inf")) else None
        if d is None:
            raise NumberError(f"{what}「{_show(x)}」不是数字")
    else:
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    if not d.is_finite():
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    if d.is_zero() and d.is_signed():
        d = d.copy_abs()
    return d


def _refusal(x: str, text: str, what: str) -> str:
    shown = _show(x)
    if _EXPONENT.fullmatch(text):
        if Decimal(text).adjusted() >= TOO_LARGE_DIGITS:
            return f"{what}「{shown}」过大"
        return f"{what}「{shown}」不能写成科学计数法，请直接写出数字"
    if any(c.isspace() for c in text) and _PLAIN.fullmatch("".join(text.split())):
        return f"{what}「{shown}」中间有空格或换行，不是一个数字"
    return f"{what}「{shown}」不是数字"


def _slow(x: float | str, what: str, allow_percent: bool) -> Decimal:
    text = "".join(str(x).translate(_FULL_WIDTH).split())
    if allow_percent and text.endswith("%"):
        text = text[:-1]
    if not text or "_" in text:
        raise NumberError(f"{what}「{_show(x)}」不是数字")
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        raise NumberError(f"{what}「{_show(x)}」不是数字") from None


def _show(x: object) -> str:
    if x is None:
        return "空"
    if x is True:
        return "true"
    if x is False:
        return "false"
    # Line breaks and tabs shown as typed escapes, so the message stays on one line.
    return str(x).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def fmt(value: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros (5.00 → 5, 0.50 → 0.5)."""
    text = str(value)
    if "E" in text:
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0")
        if text[-1] == ".":
            text = text[:-1]
    if text == "-0":
        return "0"
    return text
