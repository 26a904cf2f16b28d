"""Score sides: who scores a sheet (the unit itself, the town reviewing it, …) and what differs
between them, described once.

A sheet's scores are ``ItemScore`` rows with a ``side`` value and its totals ``SideTotal``
rows, so nothing stores or reads a side by column name. Everything that is different per
side (its labels, who may write it, when it is open, which side the results are computed
from) is one ``SideInfo`` row in ``SIDES``; adding a side (e.g. the city's spot check, 抽查)
is one more ``Side`` value and one more row here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Cycle, Side

__all__ = ["RESULT_SIDE", "SIDES", "Side", "SideInfo", "heading", "sides_of"]


# Who may write a side, over the user's ``org.scope.Scope``; the bureau's administrators may
# correct every side. ``assessments.policy.may_write_side`` asks these.


def _unit_coordinator(scope, sheet) -> bool:
    return scope.is_admin or scope.works_at(sheet.unit)


def _town_reviewer(scope, sheet) -> bool:
    return scope.is_admin or scope.reviews_town(sheet.unit.town_id)


@dataclass(frozen=True)
class SideInfo:
    label: str  # the side's short name in list columns (自评, 考核)
    score_label: str  # its score, in history and imports (自评得分); default column heading
    input_label: str  # its input, in history (自评输入)
    note_label: str  # its note, in history (自评说明, 审核意见)
    note_field: str  # the note box on the sheet (说明, 审核意见)
    total_label: str | None  # the sheet's total (自评总分); None: the column heading
    prefix: str  # form field prefix on the sheet page
    column: str | None  # the rubric's ``columns`` entry that heads this side, if any
    optional: bool  # a rubric without that column has no such side
    may_write: Callable  # (scope, sheet) → bool: the user may write this side of the sheet
    write_refused: str  # why not, when they may not
    open_in: tuple  # cycle states in which the side may be written
    not_open: str
    sheet_states: tuple | None  # sheet states in which it may be written (None: any)
    sheet_closed: str
    waits_for: Side | None  # written only once that side is done (if the rubric has it)
    waiting: str
    edit_label: str  # the button that opens the side for editing
    finish: str | None  # the sheet action that finishes the side (services / sheet_action)
    finish_label: str
    gap_note: str  # shown while editing when the sides disagree


SIDES: dict[str, SideInfo] = {
    Side.SELF: SideInfo(
        label=_("自评"),
        score_label=_("自评得分"),
        input_label=_("自评输入"),
        note_label=_("自评说明"),
        note_field=_("说明"),
        total_label=_("自评总分"),
        prefix="s",
        column="self",
        optional=True,
        may_write=_unit_coordinator,
        write_refused="自评只能由本单位协理员填报。",
        open_in=(Cycle.State.SELF_OPEN,),
        not_open="自评尚未开放或已经结束。",
        sheet_states=(Assessment.State.DRAFT, Assessment.State.RETURNED),
        sheet_closed="自评已提交，不能再修改；如需修改，请联系镇（街道）退回。",
        waits_for=None,
        waiting="",
        edit_label=_("填写自评"),
        finish="submit",
        finish_label=_("保存并提交自评"),
        gap_note="",
    ),
    Side.REVIEW: SideInfo(
        label=_("考核"),
        score_label=_("考核得分"),
        input_label=_("考核输入"),
        note_label=_("审核意见"),
        note_field=_("审核意见"),
        total_label=None,
        prefix="r",
        column="review",
        optional=False,
        may_write=_town_reviewer,
        write_refused="只有本镇（街道）考核人员可以评分。",
        open_in=(Cycle.State.SELF_OPEN, Cycle.State.REVIEW),
        not_open="考核评分尚未开放。",
        sheet_states=None,
        sheet_closed="",
        waits_for=Side.SELF,
        waiting="该单位尚未提交自评，暂不能评分。",
        edit_label=_("评分"),
        finish="reviewed",
        finish_label=_("保存并标记审核完成"),
        gap_note=_("与自评差距较大"),
    ),
}

# The side whose inputs the cycle's results (totals, ranks, grades) are computed from; the
# other sides are kept beside them for comparison.
RESULT_SIDE = Side.REVIEW


def heading(columns, side: str) -> str | None:
    """The column heading of ``side`` for a rubric's ``columns`` (engine ``Columns`` or the
    model's dict); None if the rubric leaves this side out."""
    info = SIDES[side]
    if info.column is None:
        return info.score_label
    value = columns.get(info.column) if isinstance(columns, dict) else getattr(columns, info.column)
    if value is None and not info.optional:
        return info.score_label
    return value


def sides_of(columns) -> list[str]:
    """The sides a rubric (its ``columns``) has, in sheet order."""
    return [side for side in SIDES if heading(columns, side) is not None]
