"""Who may do what with cycles, sheets and results: plain predicates over (user's scope,
object), and the one way views of this app fetch cycles and sheets for a user.

Outsiders get 404; people who may look but not do the thing asked get 403 with the reason.
A fetcher returns the object with what the user may do to it now (``CycleActions``,
``SheetActions``), which views pass to templates. Whether a sheet's side is open is a
question of state, answered by ``side_closed_reason``; services ask it too.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Cycle
from assessments.transitions import CycleStep, steps_from
from org.scope import Scope, scope_for

# -------------------------------------------------------------------------- cycles


def may_administer(scope: Scope) -> bool:
    """Create cycles, take their steps, compute, confirm and export results."""
    return scope.is_admin


def may_see_cycle(scope: Scope, cycle: Cycle) -> bool:
    return cycle.state != Cycle.State.DRAFT or scope.is_admin


def may_score_offline(scope: Scope) -> bool:
    """The offline workbook and town-wide printing: administrators, and reviewers for their
    towns."""
    return scope.is_admin or (scope.can_write and bool(scope.town_ids))


def may_see_results(scope: Scope, cycle: Cycle) -> bool:
    """Published results are for everyone who sees the cycle; before that, administrators
    and the towns' reviewers."""
    return cycle.state == Cycle.State.PUBLISHED or scope.is_admin or bool(scope.town_ids)


def cycle_steps(scope: Scope, cycle: Cycle) -> list[CycleStep]:
    """The workflow steps this user may take on the cycle now."""
    return steps_from(cycle.state) if may_administer(scope) else []


@dataclass(frozen=True)
class CycleActions:
    administer: bool
    score_offline: bool  # download and upload the offline workbook, print a town's sheets
    print_all_towns: bool
    steps: tuple  # CycleStep, in page order


def cycle_actions(scope: Scope, cycle: Cycle) -> CycleActions:
    return CycleActions(
        administer=may_administer(scope),
        score_offline=may_score_offline(scope),
        print_all_towns=scope.is_admin,
        steps=tuple(cycle_steps(scope, cycle)),
    )


def require_admin(user) -> None:
    if not may_administer(scope_for(user)):
        raise PermissionDenied("此操作只限人社局管理员。")


def get_cycle_for_user(user, pk, *, admin: bool = False) -> tuple[Cycle, CycleActions]:
    cycle = get_object_or_404(Cycle.objects.select_related("rubric"), pk=pk)
    scope = scope_for(user)
    if admin:
        require_admin(user)
    elif not may_see_cycle(scope, cycle):
        raise Http404("没有找到该考核周期。")
    return cycle, cycle_actions(scope, cycle)


# -------------------------------------------------------------------------- sheets


def may_see_sheet(scope: Scope, sheet: Assessment) -> bool:
    return scope.covers_unit(sheet.unit) and may_see_cycle(scope, sheet.cycle)


def may_fill_self(scope: Scope, sheet: Assessment) -> bool:
    """The self-assessment is the unit's coordinator's (administrators may correct it)."""
    return scope.is_admin or scope.works_at(sheet.unit)


def may_review(scope: Scope, sheet: Assessment) -> bool:
    """Review scores are the town's reviewers' (administrators may correct them)."""
    return scope.is_admin or scope.reviews_town(sheet.unit.town_id)


def side_closed_reason(sheet: Assessment, side: str) -> str | None:
    """Why this side of the sheet cannot be changed now, in the user's words; None if it can."""
    cycle = sheet.cycle
    if cycle.locked or sheet.state == Assessment.State.FINALISED:
        return "该考核表已定稿，不能修改。如需更正，请管理员填写原因后重新打开。"
    has_self = cycle.rubric.columns.get("self") is not None
    if side == "self":
        if not has_self:
            return "本评分表没有自评栏。"
        if cycle.state != Cycle.State.SELF_OPEN:
            return "自评尚未开放或已经结束。"
        if sheet.state not in (Assessment.State.DRAFT, Assessment.State.RETURNED):
            return "自评已提交，不能再修改；如需修改，请联系镇（街道）退回。"
        return None
    if cycle.state not in (Cycle.State.SELF_OPEN, Cycle.State.REVIEW):
        return "考核评分尚未开放。"
    if has_self and sheet.state in (Assessment.State.DRAFT, Assessment.State.RETURNED):
        return "该单位尚未提交自评，暂不能评分。"
    return None


def sheet_returnable(sheet: Assessment) -> bool:
    """A submitted or reviewed sheet of a cycle not yet finalised can go back to its unit."""
    return (
        sheet.state in (Assessment.State.SUBMITTED, Assessment.State.REVIEWED)
        and not sheet.cycle.locked
    )


def sheet_reopenable(sheet: Assessment) -> bool:
    """A finalised sheet can be reopened until the results are published."""
    return sheet.state == Assessment.State.FINALISED and sheet.cycle.state != Cycle.State.PUBLISHED


@dataclass(frozen=True)
class SheetActions:
    edit_self: bool  # fill in and submit the self-assessment now
    edit_review: bool  # enter review scores and mark the sheet reviewed now
    return_: bool  # send the sheet back to the unit
    reopen: bool  # reopen a finalised sheet (with a reason)

    def edit(self, side: str) -> bool:
        return self.edit_self if side == "self" else self.edit_review


def sheet_actions(scope: Scope, sheet: Assessment) -> SheetActions:
    review_open = may_review(scope, sheet) and side_closed_reason(sheet, "review") is None
    return SheetActions(
        edit_self=may_fill_self(scope, sheet) and side_closed_reason(sheet, "self") is None,
        edit_review=review_open,
        return_=review_open and sheet_returnable(sheet),
        reopen=may_administer(scope) and sheet_reopenable(sheet),
    )


def get_sheet_for_user(user, pk, *, action: str = "view") -> tuple[Assessment, SheetActions]:
    """action: view | self (fill the self-assessment) | review (enter review scores)
    | admin (reopen, finalise). Refuses (403) someone without the right to the action; whether
    the sheet's state allows it now is in the returned actions and checked by the service."""
    sheet = get_object_or_404(
        Assessment.objects.select_related("cycle__rubric", "unit__parent", "coordinator"), pk=pk
    )
    scope = scope_for(user)
    if not may_see_sheet(scope, sheet):
        raise Http404("没有找到该考核表。")
    if action == "admin":
        require_admin(user)
    elif action in ("self", "review"):
        if not scope.can_write:
            raise PermissionDenied("您是只读用户，不能修改考核表。")
        if action == "self" and not may_fill_self(scope, sheet):
            raise PermissionDenied("自评只能由本单位协理员填报。")
        if action == "review" and not may_review(scope, sheet):
            raise PermissionDenied("只有本镇（街道）考核人员可以评分。")
    elif action != "view":
        raise ValueError(action)
    return sheet, sheet_actions(scope, sheet)
