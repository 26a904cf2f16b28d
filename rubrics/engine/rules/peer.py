"""Peer evaluation (根据其他协理员评议酌情给分): the score is the mean of the ratings.

Interpretation: each rating is checked like a discretionary score (0..max, a multiple of
``step``); the mean is rounded half-up to the rubric's places; at least one rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError
from ..rounding import NumberError, fmt, round_points, to_decimal
from .base import ItemOutcome, ParamReader
from .discretionary import DEFAULT_STEP, check_score
from .kind import InputField, Param, RuleKind, Sample, num, on_step, text_of


@dataclass(frozen=True)
class PeerSpec:
    step: Decimal

    def to_params(self) -> dict:
        return {"step": self.step}


def parse(p: ParamReader, max_points: Decimal) -> PeerSpec:
    return PeerSpec(step=p.decimal("step", DEFAULT_STEP, positive=True) or DEFAULT_STEP)


def read(item, raw: dict) -> list[Decimal]:
    ratings = raw.get("ratings")
    if type(ratings) is not list or not ratings:
        raise InputError("缺少评议分（ratings 应为非空列表）")
    step = item.spec.step
    values = []
    for index, rating in enumerate(ratings, start=1):
        what = f"第 {index} 个评议分"
        try:
            value = to_decimal(rating, what=what)
        except NumberError as error:
            raise InputError(str(error)) from None
        if value < 0:
            raise InputError(f"{what}「{rating}」不能为负数")
        check_score(item, value, rating, step, what)
        values.append(value)
    return values


def score(item, values: list[Decimal], places: int) -> ItemOutcome:
    mean = round_points(sum(values) / len(values), places)
    listed = "、".join(fmt(v) for v in values)
    return ItemOutcome(mean, f"{len(values)} 人评议（{listed}），平均得 {fmt(mean)} 分")


# --------------------------------------------------------------- descriptions


def _fields(params: dict, base: str) -> list[InputField]:
    return [InputField(f"{base}-ratings", "各评议人打分（用逗号或空格分隔）", "text")]


def _read_form(params: dict, base: str, data) -> dict:
    raw = text_of(data, f"{base}-ratings")
    for sep in ("，", "、", ","):
        raw = raw.replace(sep, " ")
    ratings = raw.split()
    return {"ratings": ratings} if ratings else {}


def _fill_form(params: dict, base: str, value: dict, out: dict) -> None:
    if value.get("ratings"):
        out[f"{base}-ratings"] = " ".join(str(r) for r in value["ratings"])


def _sample(params: dict, top: Decimal, draw: Sample) -> dict:
    step = Decimal(str(params.get("step", "0.5")))
    return {"ratings": [on_step(top * draw.q, step, top) for _ in range(3)]}


def describe(params: dict, max_points: Decimal | None) -> str:
    """「取各评议人打分的平均分（每人 0 至 3 分，按 0.5 分一档）」."""
    top = f" 0 至 {fmt(max_points)} 分，" if max_points else ""
    step = num(params.get("step"), DEFAULT_STEP)
    return f"取各评议人打分的平均分（每人{top}按 {step} 分一档）"


KIND = RuleKind(
    "peer_average",
    "互评平均",
    (
        Param(
            "step",
            "步长",
            "number",
            "每个评议分须为它的整数倍。",
            default=DEFAULT_STEP,
            example="0.5",
        ),
    ),
    parse,
    read,
    score,
    fields=_fields,
    read_form=_read_form,
    fill_form=_fill_form,
    columns=(("ratings", "互评分（空格分隔）"),),
    sample=_sample,
    describer=describe,
)
