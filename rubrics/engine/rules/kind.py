"""What a rule kind is: the one description every part of the application reads.

Each rule module describes its kinds with ``RuleKind`` next to their code, and
``registry`` joins them. Besides the three functions that score (``parse``, ``read``,
``score``, see ``base``), the description carries what the rest of the application needs
to know about the kind, so that none of it lists kinds again:

- ``label`` and ``params``: the Chinese name (model choices, messages) and the parameter
  schema (the rubric form's help, the docs);
- ``fields`` / ``read_form`` / ``fill_form``: the input fields a sheet shows, reading a
  submitted form back into the kind's input, and the reverse;
- ``columns``: the offline workbook's columns (none: the kind is entered on the web only);
- ``sample``: a plausible input for demo data;
- ``warnings``: what ``validate`` says about an item of this kind;
- ``reach``: the most the rule can give, when that may be less than the item's points
  (``validate`` says so: 「最高只能得 2 分」);
- ``describer``: one Chinese sentence saying what an item of this kind with these
  parameters will do (the rubric editor shows it under the item), read by ``describe``;
- flags: ``veto`` (a failed item forces the veto grade), ``penalty`` (the kind of penalty
  items, scored outside the 100 points), ``in_composite`` (may be a composite's part),
  ``target_linked`` and ``memo_field`` for the evaluation.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..rounding import NumberError, fmt, to_decimal
from .base import ParamReader

PARAM_TYPES = ("number", "int", "bool", "text", "choice", "rows")


@dataclass(frozen=True)
class Param:
    """One parameter of a kind, as the rubric file writes it."""

    name: str
    label: str  # Chinese, for forms and docs
    type: str  # one of PARAM_TYPES
    help: str = ""
    required: bool = False
    default: Any = None
    example: Any = None
    choices: tuple[str, ...] = ()  # for type "choice"
    columns: tuple[Param, ...] = ()  # for type "rows": the fields of each row

    def __post_init__(self):
        if self.type not in PARAM_TYPES:
            raise ValueError(f"unknown parameter type {self.type!r}")


@dataclass(frozen=True)
class InputField:
    """One form field a sheet shows for an item."""

    name: str  # full form field name
    label: str
    widget: str  # number | integer | checkbox | passfail | text | hidden
    step: str = ""
    help: str = ""


@dataclass
class Sample:
    """What a demo input generator draws from: the random source, the sheet's quality
    (0..1), this item's quality ``q`` drawn around it, and ``part`` to draw a composite's
    part (which draws its own ``q``)."""

    rng: random.Random
    quality: float
    q: Decimal
    part: Callable[[str, dict, Decimal], dict]


FieldsFn = Callable[[dict, str], list[InputField]]
ReadFormFn = Callable[[dict, str, Mapping], dict]
FillFormFn = Callable[[dict, str, dict, dict], None]


def _no_fields(params: dict, base: str) -> list[InputField]:
    return [InputField(f"{base}-score", "得分", "number")]


def _no_form(params: dict, base: str, data: Mapping) -> dict:
    return {}


def _no_fill(params: dict, base: str, value: dict, out: dict) -> None:
    return None


def _no_sample(params: dict, top: Decimal, draw: Sample) -> dict:
    return {}


def _no_warnings(item: Any) -> list[str]:
    return []


def _no_reach(item: Any) -> Decimal | None:
    return None


def _no_description(params: dict, max_points: Decimal | None) -> str:
    return ""


DescribeFn = Callable[[dict, "Decimal | None"], str]


@dataclass(frozen=True)
class RuleKind:
    name: str
    label: str  # 评分方式 in Chinese: model choices, messages and pages
    params: tuple[Param, ...]
    parse: Callable[[Any, Decimal], Any]  # (ParamReader, max_points) -> spec
    read: Callable[[Any, dict], Any]
    score: Callable[[Any, Any, int], Any]  # -> ItemOutcome
    fields: FieldsFn = _no_fields
    read_form: ReadFormFn = _no_form
    fill_form: FillFormFn = _no_fill
    # Inputs answered by ticking boxes: an untouched form is an answer too ("nothing
    # found"), told apart from "not filled in" by a hidden field.
    ticked: bool = False
    columns: tuple[tuple[str, str], ...] = ()  # offline workbook: (input key, header suffix)
    sample: Callable[[dict, Decimal, Sample], dict] = _no_sample
    warnings: Callable[[Any], list[str]] = _no_warnings
    # The most an item of this kind can score before it is held to its points; None when
    # the rule can always give the item's full points.
    reach: Callable[[Any], Decimal | None] = _no_reach
    veto: bool = False
    penalty: bool = False
    in_composite: bool = True
    target_linked: bool = False
    # The one input field of kinds whose outcome depends on that field alone; an
    # evaluation may memoise their outcomes per item (see ``sheet.Memo``).
    memo_field: str | None = None
    describer: DescribeFn = _no_description
    param_names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "param_names", frozenset(p.name for p in self.params))

    def describe(self, params: dict | None, max_points: Decimal | None = None) -> str:
        """What an item of this kind will do, in one sentence built from its parameters
        (「每次扣 1 分，扣完为止，最多扣 3 分」). Parameters that do not read are shown as
        typed; checking them is ``parse``'s work."""
        return self.describer(params if isinstance(params, dict) else {}, max_points)

    def parse_params(self, raw: object, max_points: Decimal, where: str, errors: list[str]) -> Any:
        """The kind's spec, or None when a problem was appended to ``errors``."""
        before = len(errors)
        spec = self.parse(ParamReader(raw, where, errors, self.param_names), max_points)
        return spec if len(errors) == before else None


# ------------------------------------------------------- one-field forms, shared


def text_of(data: Mapping, name: str) -> str:
    return (data.get(name) or "").strip()


def one_field(key: str, label: str, widget: str = "number", *, step_param: str = ""):
    """``fields``, ``read_form`` and ``fill_form`` of a kind with one input field."""

    def fields(params: dict, base: str) -> list[InputField]:
        step = str(params.get(step_param, "0.5")) if step_param else ""
        return [InputField(f"{base}-{key}", params.get("label") or label, widget, step)]

    def read_form(params: dict, base: str, data: Mapping) -> dict:
        value = text_of(data, f"{base}-{key}")
        return {key: value} if value else {}

    def fill_form(params: dict, base: str, value: dict, out: dict) -> None:
        fill_plain(base, value, out, (key,))

    return {"fields": fields, "read_form": read_form, "fill_form": fill_form}


def fill_plain(base: str, value: dict, out: dict, keys) -> None:
    for key in keys:
        if key in value and value[key] not in (None, ""):
            out[f"{base}-{key}"] = str(value[key])


def on_step(value: Decimal, step: Decimal, top: Decimal) -> str:
    """``value`` rounded half-up to a multiple of ``step``, within 0..top (demo samples)."""
    steps = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return str(min(max(steps * step, Decimal(0)), top))


# ------------------------------------------------------- descriptions, shared


def num(value: object, default: object = None) -> str:
    """A parameter's number as people write it (「0.5」), or ``default`` when absent."""
    if value is None or value == "":
        value = default
    if value is None:
        return ""
    try:
        return fmt(to_decimal(value, what="参数"))
    except (NumberError, TypeError, ValueError):
        return str(value)


def rows_of(params: dict, name: str) -> list[dict]:
    value = params.get(name)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def at_most_points(max_points: Decimal | None, verb: str = "扣") -> str:
    """「，最多扣 3 分」 for an item of 3 points; nothing without a maximum."""
    if max_points is None or max_points <= 0:
        return ""
    return f"，最多{verb} {fmt(max_points)} 分"
