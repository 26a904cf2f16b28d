"""Completion of a target: actual ÷ target, in percent. Plain Python, no Django import.

A target of 0 means the unit has no such task (新建 附件3 gives 区本级 zeros); its rate is
not 0 % nor infinite but "no task", which scoring rules treat separately (e.g. "没有任务的
乡（镇）得平均分").
"""

from dataclasses import dataclass
from decimal import Decimal

from rubrics.engine.rounding import ENGINE_CONTEXT, round_points

RATE_PLACES = 2
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Completion:
    status: str  # "ok", "no_task" (target 0), "no_target", "no_actual"
    rate: Decimal | None  # percent, half-up to RATE_PLACES; None unless status is "ok"

    @property
    def bar_width(self) -> Decimal:
        """Width of a bar in percent of its track, capped at 100."""
        if self.rate is None:
            return Decimal(0)
        return min(self.rate, HUNDRED)


STATUS_LABELS = {
    "ok": "",
    "no_task": "无任务",
    "no_target": "未分解目标",
    "no_actual": "未填报",
}


def completion(target: Decimal | None, actual: Decimal | None) -> Completion:
    if target is None:
        return Completion("no_target", None)
    if target == 0:
        return Completion("no_task", None)
    if actual is None:
        return Completion("no_actual", None)
    rate = ENGINE_CONTEXT.multiply(ENGINE_CONTEXT.divide(actual, target), HUNDRED)
    return Completion("ok", round_points(rate, RATE_PLACES))


def completion_rate(target: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """The rate in percent, or None when there is no target, no task (target 0) or no actual."""
    return completion(target, actual).rate
