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
