"""What every rule kind shares: the outcome type, input readers, parameter readers.

A rule kind is three functions (see ``registry``):

- ``parse(p: ParamReader, max_points) -> spec``: read and check the parameters once, at
  load time; ``spec.to_params()`` gives the normalised parameter dict back;
- ``read(item, raw: dict) -> value``: check one sheet's input for the item, raising
  ``InputError`` with a Chinese message (the sheet reader prefixes the item's name);
- ``score(item, value, places) -> ItemOutcome``: score a value returned by ``read``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError
from ..reading import MappingReader
from ..rounding import TOO_LARGE_DIGITS, NumberError, fmt, input_decimal, round_points, to_decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_MISSING = object()
_TOO_LARGE = TOO_LARGE_DIGITS  # inputs of 10^15 or more are typing errors


@dataclass(slots=True)
class ItemOutcome:
    score: Decimal
    explanation: str
    veto_failed: bool = False
    award_lost: bool = False
    components: dict[str, Decimal] | None = None


def clamp(value: Decimal, top: Decimal, places: int) -> Decimal:
    """Clamp to 0..top, then round half-up."""
    if value < ZERO:
        value = ZERO
    elif value > top:
        value = top
    return round_points(value, places)


def unit_suffix(unit: str) -> str:
    """What follows a number: 「 人」, 「%」, or nothing when the unit is unknown."""
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"


def qty(value: Decimal, unit: str) -> str:
    """「255 人」, 「78.5%」, or just 「255」 when the unit is unknown."""
    return fmt(value) + unit_suffix(unit)


def cap_word(item: Any) -> str:
    return "上限" if item.bonus else "满分"


# ---------------------------------------------------------------- input readers


def number(raw: Mapping, field: str, what: str, *, percent: bool = False) -> Decimal:
    """A non-negative number typed into ``raw[field]`` (read by ``input_decimal``: no
    embedded spaces, no exponent); 「缺少目标值」 when absent."""
    value = raw.get(field)
    if value is None or value == "":
        raise InputError(f"缺少{what}")
    try:
        d = input_decimal(value, what=what, allow_percent=percent)
    except NumberError as error:
        raise InputError(str(error)) from None
    if d < ZERO:
        raise InputError(f"{what}「{value}」不能为负数")
    if d.adjusted() >= _TOO_LARGE:
        raise InputError(f"{what}「{value}」过大")
    return d


def at_most(d: Decimal, bound: Decimal, value: object, what: str, unit: str = "%") -> Decimal:
    """``d`` if it does not exceed ``bound``; an ``InputError`` naming the value otherwise."""
    if d > bound:
        raise InputError(f"{what}「{value}」超过 {fmt(bound)}{unit}")
    return d


def count(raw: Mapping, field: str, what: str) -> int:
    """A non-negative whole number (次数、人数)."""
    value = raw.get(field, _MISSING)
    if type(value) is int and value >= 0:
        return value
    d = number(raw, field, what)
    if d != d.to_integral_value():
        raise InputError(f"{what}「{value}」不是整数")
    return int(d)


_TRUE = {"true", "是", "通过", "有", "1", "yes", "y", "√"}
_FALSE = {"false", "否", "未通过", "不通过", "无", "0", "no", "n", "×"}


def boolean(value: object, what: str) -> bool:
    """true/false; also 1/0 and the words a form may send (是/否, 通过/未通过)."""
    if value is True or value is False:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise InputError(f"{what}「{value}」应为“是”或“否”")


def check_keys(raw: Mapping, allowed: Iterable[str]) -> None:
    for key in raw:
        if key not in allowed:
            raise InputError(f"未知的输入「{key}」")


# ------------------------------------------------------------ parameter readers

_REQUIRED = object()


class ParamReader(MappingReader):
    """Reads one parameter mapping, appending every problem to ``errors``.

    ``where`` names the place in messages: 「第 2 部分第 3 项「办公设施」」.
    """

    noun = "参数"
    whole = "参数"
    none_is_empty = True

    def named(self, name: str) -> str:
        return f"参数「{name}」"

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def decimal(
        self,
        name: str,
        default: object = _REQUIRED,
        *,
        positive: bool = False,
        nullable: bool = False,
    ) -> Decimal | None:
        value = self.raw.get(name, _MISSING)
        if value is _MISSING or (value is None and not nullable):
            if default is _REQUIRED:
                self.error(f"缺少参数「{name}」")
                return None
            return default  # type: ignore[return-value]
        if value is None:
            return None
        try:
            d = to_decimal(value, what=f"参数「{name}」的值")
        except NumberError as error:
            self.error(str(error))
            return None
        if positive and d <= ZERO:
            self.error(f"参数「{name}」应大于 0")
            return None
        if d < ZERO:
            self.error(f"参数「{name}」不能为负数")
            return None
        return d

    def text(self, name: str, default: str = "") -> str:  # type: ignore[override]
        return super().text(name, default)

    def records(self, name: str, allowed: Iterable[str], *, required: bool = True) -> list:
        """A list of mappings; each is returned as its own ParamReader."""
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(f"缺少参数「{name}」")
            return []
        if not isinstance(value, list) or (required and not value):
            self.error(f"参数「{name}」应为非空列表")
            return []
        allowed = tuple(allowed)
        readers = []
        for index, entry in enumerate(value, start=1):
            where = f"{self.where}：参数「{name}」第 {index} 条"
            readers.append(ParamReader(entry, where, self.errors, allowed))
        return readers

    def key(self, name: str = "key") -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            self.error(f"缺少「{name}」")
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.error(f"「{name}」应为文字")
            return None
        return str(value)


def unique_keys(p: ParamReader, name: str, keys: list[str | None]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key is None:
            continue
        if key in seen:
            p.error(f"参数「{name}」中的代码「{key}」重复")
        seen.add(key)
