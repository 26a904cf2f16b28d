"""Checking one sheet's input dict against a rubric, before anything is scored.

Every problem is collected (one per item: the first found) and raised together as
``SheetInputError``; each message names the item and the bad value:
「第 6 项「企业信息」：得分「7」超过满分 6 分」. Full-width digits are accepted.

Input shape: ``{"subject": ..., "town": ..., "items": {key: {...}}}``. Keys other than
those three are ignored (callers may carry their own metadata); unknown item keys are
errors. ``{"na": true}`` marks an item not applicable; ``"na": false`` is ignored.

Numbers are read by ``rounding.input_decimal`` (no embedded spaces, no exponent, finite);
``canonical_input`` gives the form an item's input is stored in once it has been read
without problems (``" 12.50\n"`` → ``"12.5"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError, SheetInputError
from .plan import EvaluationPlan, PlanEntry
from .rounding import NumberError, fmt, input_decimal
from .rules.base import boolean


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


MISSING = _Marker("MISSING")
NA = _Marker("NA")


@dataclass(slots=True)
class SheetInputs:
    subject: str
    town: str | None
    values: list[Any]  # per plan entry: MISSING, NA, or what the rule's reader returned


def read_sheet(plan: EvaluationPlan, sheet: object) -> SheetInputs:
    """Every item's checked input; raises ``SheetInputError`` with every problem."""
    inputs, errors = read_sheet_with_errors(plan, sheet)
    if errors:
        raise SheetInputError(errors)
    return inputs


def check_inputs(plan: EvaluationPlan, sheet: object) -> list[InputError]:
    """The problems of one sheet, without raising."""
    return read_sheet_with_errors(plan, sheet)[1]


def read_sheet_with_errors(
    plan: EvaluationPlan, sheet: object
) -> tuple[SheetInputs, list[InputError]]:
    errors: list[InputError] = []
    subject, town, items = sheet_items(plan, sheet, errors)
    values: list[Any] = []
    append = values.append
    for entry in plan.entries:
        raw = items.get(entry.key)
        if raw is None:
            append(MISSING)
            continue
        try:
            append(read_entry(entry, raw))
        except InputError as error:
            errors.append(error)
            append(MISSING)
    return SheetInputs(subject, town, values), errors


def sheet_items(
    plan: EvaluationPlan, sheet: object, errors: list[InputError]
) -> tuple[str, str | None, Mapping]:
    """Subject, town and the ``items`` mapping of a sheet; unknown item keys are errors."""
    if type(sheet) is not dict and not isinstance(sheet, Mapping):
        errors.append(InputError("评分表输入应为键值对"))
        return "", None, {}
    subject = sheet.get("subject")
    town = sheet.get("town")
    items = sheet.get("items")
    if items is None:
        items = {}
    elif type(items) is not dict and not isinstance(items, Mapping):
        errors.append(InputError("items 应为键值对"))
        items = {}
    by_key = plan.entries_by_key
    unknown = [key for key in items if key not in by_key]
    if unknown and any(type(key) is not str for key in unknown):
        items = {str(k): v for k, v in items.items()}
        unknown = [key for key in items if key not in by_key]
    for key in unknown:
        errors.append(InputError(f"未知的评分项「{key}」", item_key=str(key)))
    return ("" if subject is None else str(subject)), (None if town is None else str(town)), items


def read_entry(entry: PlanEntry, raw: object) -> Any:
    """One item's checked input, or ``NA``; raises ``InputError`` naming the item."""
    item = entry.item
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise InputError(f"{item.label}：输入应为键值对", item_key=entry.key)
    na = raw.get("na")
    try:
        if na is not None and na is not False and na != "" and boolean(na, "不适用标记"):
            if entry.na_policy == "none":
                raise InputError("此项不能标为“不适用”")
            return NA
        return entry.read(item, raw)
    except InputError as error:
        raise InputError(f"{item.label}：{error.message}", item_key=entry.key) from None


def canonical_input(raw: Any) -> Any:
    """An item's input as it is stored: every number in it, string or float, as its
    canonical decimal text (``" 12.50\n"`` → ``"12.5"``, ``"９５％"`` → ``"95"``, ``2.5`` →
    ``"2.5"``); whole numbers, flags and other text as they are. Meant for input that
    ``read_sheet`` accepted: a text that is not one plain number is left for it to refuse."""
    if isinstance(raw, Mapping):
        return {key: canonical_input(value) for key, value in raw.items()}
    if isinstance(raw, list):
        return [canonical_input(value) for value in raw]
    if isinstance(raw, str | float):
        try:
            return fmt(input_decimal(raw, what="", allow_percent=True))
        except NumberError:
            return raw
    return raw
