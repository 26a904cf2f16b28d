"""Who may do what with cycles, sheets and results: plain predicates over (user's scope,
object), and the one way views of this app fetch cycles and sheets for a user.

Outsiders get 404; people who may look but not do the thing asked get 403 with the reason.
A fetcher returns the object with what the user may do to it now (``CycleActions``,
``SheetActions``), which views pass to templates. Who may write a sheet's side and when it
is open are that side's description in ``assessments.sides.SIDES``, read here by
``may_write_side`` and ``side_closed_reason``; services ask the latter too.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Cycle, Result
from assessments.sides import SIDES, Side, heading
from assessments.transitions import CycleStep, steps_from
from org.models import Unit
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


def get_results_cycle_for_user(user, pk) -> tuple[Cycle, CycleActions]:
    """A cycle whose results (and their history) the user may see; 404 otherwise."""
    cycle, can = get_cycle_for_user(user, pk)
    if not may_see_results(scope_for(user), cycle):
        raise Http404("结果尚未公布。")
    return cycle, can


def may_see_result(scope: Scope, result: Result) -> bool:
    """One subject's result, of any version: the cycle's results are visible and its unit
    is within the user's units."""
    return may_see_results(scope, result.cycle) and scope.covers_unit(result.unit)


def get_result_for_user(user, pk, result_pk) -> Result:
    """A result of cycle ``pk``, current or superseded, that the user may see; 404 otherwise."""
    cycle, _can = get_cycle_for_user(user, pk)
    result = get_object_or_404(
        Result.all_versions.select_related("unit", "coordinator"), cycle=cycle, pk=result_pk
    )
    result.cycle = cycle
    if not may_see_result(scope_for(user), result):
        raise Http404("没有找到该结果。")
    return result


# -------------------------------------------------------------------------- sheets


def may_see_sheet(scope: Scope, sheet: Assessment) -> bool:
    return scope.covers_unit(sheet.unit) and may_see_cycle(scope, sheet.cycle)


def may_write_side(scope: Scope, sheet: Assessment, side: str) -> bool:
    """The user may write ``side`` of the sheet (whether it is open now is
    ``side_closed_reason``); who may is the side's description in ``SIDES``."""
    return scope.can_write and SIDES[side].may_write(scope, sheet)


def sides_to_import(scope: Scope, sheets) -> list[str]:
    """The score sides the user may import from an offline workbook for ``sheets``: those
    the sheet pages let them write on every one of these sheets (``may_write_side``)."""
    sheets = list(sheets)
    return [
        side
        for side in SIDES
        if sheets and all(may_write_side(scope, sheet, side) for sheet in sheets)
    ]


def import_side_refused(scope: Scope, sheets, side: str) -> str | None:
    """Why the user may not import ``side`` for ``sheets``, in their words; None if they may."""
    if side not in SIDES:
        return "没有这种评分。"
    if side in sides_to_import(scope, sheets):
        return None
    return f"不能导入为{SIDES[side].score_label}：{SIDES[side].write_refused}"


def may_review(scope: Scope, sheet: Assessment) -> bool:
    """Review scores are the town's reviewers' (administrators may correct them)."""
    return may_write_side(scope, sheet, Side.REVIEW)


def reviewable_sheets(scope: Scope, sheets):
    """The sheets of ``sheets`` (a queryset) for which ``may_review`` holds, in SQL: every
    sheet for an administrator; for a town's reviewer the sheets of the town itself and of
    its communities and villages (``Unit.town_id``); none for anyone else."""
    if not scope.can_write:
        return sheets.none()
    if scope.is_admin:
        return sheets
    towns = scope.town_ids
    return sheets.filter(
        Q(unit_id__in=towns, unit__kind__in=Unit.TOWN_KINDS)
        | Q(unit__parent_id__in=towns, unit__kind__in=Unit.GRASSROOTS_KINDS)
    )


def side_closed_reason(sheet: Assessment, side: str) -> str | None:
    """Why this side of the sheet cannot be changed now, in the user's words; None if it can.
    When a side is open is its description in ``SIDES``."""
    cycle = sheet.cycle
    if cycle.locked or sheet.state == Assessment.State.FINALISED:
        return "该考核表已定稿，不能修改。如需更正，请管理员填写原因后重新打开。"
    if sheet.absence:
        return (
            f"该考核表已由管理员记为「{sheet.get_absence_display()}」，不能再填写或修改；"
            "如需补交，请管理员退回自评阶段。"
        )
    info = SIDES[side]
    if heading(cycle.rubric.columns, side) is None:
        return f"本评分表没有{info.label}栏。"
    if cycle.state not in info.open_in:
        return info.not_open
    if info.sheet_states is not None and sheet.state not in info.sheet_states:
        return info.sheet_closed
    earlier = info.waits_for
    if (
        earlier is not None
        and heading(cycle.rubric.columns, earlier) is not None
        and sheet.state in (SIDES[earlier].sheet_states or ())
    ):
        return info.waiting
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
    editable: frozenset  # the sides (keys of SIDES) the user may write now
    return_: bool  # send the sheet back to the unit
    reopen: bool  # reopen a finalised sheet (with a reason)

    def edit(self, side: str) -> bool:
        """May write ``side`` of the sheet now."""
        return side in self.editable


def sheet_actions(scope: Scope, sheet: Assessment) -> SheetActions:
    editable = frozenset(
        side
        for side in SIDES
        if may_write_side(scope, sheet, side) and side_closed_reason(sheet, side) is None
    )
    return SheetActions(
        editable=editable,
        # Returning a sheet to its unit is the reviewer's.
        return_=Side.REVIEW in editable and sheet_returnable(sheet),
        reopen=may_administer(scope) and sheet_reopenable(sheet),
    )


def get_sheet_for_user(user, pk, *, action: str = "view") -> tuple[Assessment, SheetActions]:
    """action: view | a score side from ``SIDES`` (self: fill the self-assessment, review:
    enter review scores) | admin (reopen, finalise). Refuses (403) someone without the right to the action; whether
    the sheet's state allows it now is in the returned actions and checked by the service."""
    sheet = get_object_or_404(
        Assessment.objects.select_related("cycle__rubric", "unit__parent", "coordinator"), pk=pk
    )
    scope = scope_for(user)
    if not may_see_sheet(scope, sheet):
        raise Http404("没有找到该考核表。")
    if action == "admin":
        require_admin(user)
    elif action in SIDES:  # writing one score side: who may is that side's description
        if not scope.can_write:
            raise PermissionDenied("您是只读用户，不能修改考核表。")
        if not may_write_side(scope, sheet, action):
            raise PermissionDenied(SIDES[action].write_refused)
    elif action != "view":
        raise ValueError(action)
    return sheet, sheet_actions(scope, sheet)
