"""一票否决: passed earns the item's points (which may be 0); failed forces the rubric's
``veto_grade`` on the whole sheet, whatever its total.

Interpretation: besides true/false, ``passed`` accepts 1/0 and the words a form sends
(是/否, 通过/未通过, 有/无).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError
from ..rounding import fmt, round_points
from .base import ZERO, ItemOutcome, ParamReader, boolean
from .kind import InputField, RuleKind, Sample, text_of


@dataclass(frozen=True)
class VetoSpec:
    def to_params(self) -> dict:
        return {}


def parse(p: ParamReader, max_points: Decimal) -> VetoSpec:
    return VetoSpec()


def read(item, raw: dict) -> bool:
    if raw.get("passed") is None or raw.get("passed") == "":
        raise InputError("缺少“是否通过”（passed）")
    return boolean(raw["passed"], "是否通过")


def score(item, passed: bool, places: int) -> ItemOutcome:
    if not passed:
        return ItemOutcome(round_points(ZERO, places), "一票否决项未通过", veto_failed=True)
    points = round_points(item.max_points, places)
    if points:
        return ItemOutcome(points, f"符合要求，得 {fmt(points)} 分")
    return ItemOutcome(points, "符合要求")


# --------------------------------------------------------------- descriptions


def _fields(params: dict, base: str) -> list[InputField]:
    return [InputField(f"{base}-passed", "是否符合", "passfail")]


def _read_form(params: dict, base: str, data) -> dict:
    raw = text_of(data, f"{base}-passed")
    return {"passed": raw == "yes"} if raw in ("yes", "no") else {}


def _fill_form(params: dict, base: str, value: dict, out: dict) -> None:
    if "passed" in value:
        out[f"{base}-passed"] = "yes" if value["passed"] else "no"


def _sample(params: dict, top: Decimal, draw: Sample) -> dict:
    return {"passed": True}


def describe(params: dict, max_points: Decimal | None) -> str:
    return "不符合要求即一票否决：不论得分多少，直接定为一票否决时的等次"


KIND = RuleKind(
    "veto",
    "一票否决",
    (),
    parse,
    read,
    score,
    fields=_fields,
    read_form=_read_form,
    fill_form=_fill_form,
    columns=(("passed", "符合/不符合"),),
    sample=_sample,
    veto=True,
    in_composite=False,
    memo_field="passed",
    describer=describe,
)
