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

from assessments.deadlines import extendable_sides
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


def sees_unpublished_results(scope: Scope) -> bool:
    """Administrators and the towns' reviewers see results before they are published."""
    return scope.is_admin or bool(scope.town_ids)


def may_see_results(scope: Scope, cycle: Cycle) -> bool:
    """Published results are for everyone who sees the cycle; before that, administrators
    and the towns' reviewers."""
    return cycle.state == Cycle.State.PUBLISHED or sees_unpublished_results(scope)


def cycle_steps(scope: Scope, cycle: Cycle) -> list[CycleStep]:
    """The workflow steps this user may take on the cycle now."""
    return steps_from(cycle.state) if may_administer(scope) else []


def may_score_by_item(scope: Scope) -> bool:
    """The item grid (one item across a town's units, review side): those who review, as
    ``reviewable_sheets`` says; coordinators and viewers are not offered it."""
    return scope.can_write and (scope.is_admin or bool(scope.town_ids))


@dataclass(frozen=True)
class CycleActions:
    administer: bool
    score_offline: bool  # download and upload the offline workbook, print a town's sheets
    print_all_towns: bool
    steps: tuple  # CycleStep, in page order
    see_results: bool = False  # the results page (published, or an admin's or a town's)
    score_by_item: bool = False  # the item grid


def cycle_actions(scope: Scope, cycle: Cycle) -> CycleActions:
    return CycleActions(
        administer=may_administer(scope),
        score_offline=may_score_offline(scope),
        print_all_towns=scope.is_admin,
        steps=tuple(cycle_steps(scope, cycle)),
        see_results=may_see_results(scope, cycle),
        score_by_item=may_score_by_item(scope),
    )


def require_admin(user) -> None:
    if not may_administer(scope_for(user)):
        raise PermissionDenied("此操作只限人社局管理员。")


def may_see_overdue(scope: Scope) -> bool:
    """The list of overdue sheets: administrators (every town) and reviewers (their towns)."""
    return scope.is_admin or (scope.can_write and bool(scope.town_ids))


def get_overdue_cycle_for_user(user, pk) -> tuple[Cycle, CycleActions]:
    cycle, can = get_cycle_for_user(user, pk)
    if not may_see_overdue(scope_for(user)):
        raise PermissionDenied("逾期名单只限人社局管理员和镇（街道）考核人员查看。")
    return cycle, can


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


def may_see_calibration(scope: Scope, cycle: Cycle) -> bool:
    """Calibration across towns (各镇校准) is the bureau's check of the towns' scoring: its
    administrators, and read-only bureau staff (viewers, the city's office) who cover every
    unit of the cycle, once they may see its results. Town reviewers do not see it: the page
    sets every town's results side by side, and a reviewer sees only their own towns'
    results; coordinators neither."""
    if scope.is_admin:
        return True
    if not scope.read_only or scope.town_ids or scope.member_unit_ids:
        return False
    if not may_see_results(scope, cycle):
        return False
    if scope.all_units:
        return True
    # A viewer assigned to some units: every unit of the cycle is among them.
    return (
        bool(scope.unit_ids) and not cycle.assessments.exclude(unit_id__in=scope.unit_ids).exists()
    )


def get_calibration_cycle_for_user(user, pk) -> tuple[Cycle, CycleActions]:
    """A cycle whose calibration across towns the user may see; 404 otherwise (the page
    is not offered to anyone else)."""
    cycle, can = get_cycle_for_user(user, pk)
    if not may_see_calibration(scope_for(user), cycle):
        raise Http404("没有找到该考核周期的各镇校准。")
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


def may_extend_deadline(scope: Scope, sheet: Assessment) -> bool:
    """Extending a sheet's deadline is the bureau's, until the cycle is finalised."""
    return may_administer(scope) and not sheet.cycle.locked


@dataclass(frozen=True)
class SheetActions:
    editable: frozenset  # the sides (keys of SIDES) the user may write now
    return_: bool  # send the sheet back to the unit
    reopen: bool  # reopen a finalised sheet (with a reason)
    extend_deadline: bool = False  # give this sheet a later deadline (with a reason)

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
        extend_deadline=may_extend_deadline(scope, sheet) and bool(extendable_sides(sheet)),
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


# -------------------------------------------------------------------------- years


def results_visible(scope: Scope, results):
    """``results`` (a queryset of Result) narrowed, in SQL, to what ``may_see_result``
    allows: within the user's units, and of cycles whose results the user may see."""
    if not scope.all_units:
        results = results.filter(unit_id__in=scope.unit_ids)
    if not sees_unpublished_results(scope):
        results = results.filter(cycle__state=Cycle.State.PUBLISHED)
    return results.exclude(cycle__state=Cycle.State.DRAFT)


def may_see_unit_years(scope: Scope, unit: Unit) -> bool:
    """A unit's results across the years: whoever may see that unit's results (each cycle's
    row is shown only where ``may_see_results`` holds)."""
    return scope.covers_unit(unit)


@dataclass(frozen=True)
class YearsActions:
    # Sees cycles whose results are not yet published (administrators, towns' reviewers);
    # everyone else sees published cycles only, and the page says so.
    sees_unpublished: bool


def get_unit_years_for_user(user, pk) -> tuple[Unit, YearsActions]:
    """A unit whose results across the years the user may see; 404 otherwise."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    scope = scope_for(user)
    if not may_see_unit_years(scope, unit):
        raise Http404("没有找到该单位。")
    return unit, YearsActions(sees_unpublished=sees_unpublished_results(scope))


# -------------------------------------------------------------------------- 公示 and 异议


def publicity_started(cycle: Cycle, today) -> bool:
    """The results are published and their 公示 has begun (or ended)."""
    return (
        cycle.state == Cycle.State.PUBLISHED
        and cycle.publicity_start is not None
        and cycle.publicity_start <= today
    )


def publicity_open(cycle: Cycle, today) -> bool:
    """The 公示 runs today: objections may be filed."""
    return (
        publicity_started(cycle, today)
        and cycle.results_final_at is None
        and cycle.publicity_end is not None
        and today <= cycle.publicity_end
    )


def scope_town_ids(scope: Scope) -> frozenset | None:
    """The town-level units whose 公示 list the user sees: None for every town (bureau-wide
    users), else the towns they review and the towns of the units they belong to."""
    if scope.all_units:
        return None
    towns = set(scope.town_ids)
    for kind, pk, parent_id in Unit.objects.filter(pk__in=scope.unit_ids).values_list(
        "kind", "pk", "parent_id"
    ):
        if kind in Unit.TOWN_KINDS:
            towns.add(pk)
        elif kind in Unit.GRASSROOTS_KINDS and parent_id:
            towns.add(parent_id)
    return frozenset(towns)


def in_cycle_scope(scope: Scope, cycle: Cycle) -> bool:
    """Bureau-wide users, and those with a unit (or a town) taking part in the cycle."""
    if scope.all_units:
        return True
    towns = scope_town_ids(scope) or frozenset()
    return cycle.assessments.filter(
        Q(unit_id__in=scope.unit_ids) | Q(unit__parent_id__in=towns) | Q(unit_id__in=towns)
    ).exists()


def may_see_publicity(scope: Scope, cycle: Cycle, today) -> bool:
    """The 公示 page: administrators once the results were ever published; everyone else in
    the cycle's scope once the 公示 has begun."""
    if cycle.publicity_round == 0:
        return False
    if scope.is_admin:
        return True
    return publicity_started(cycle, today) and in_cycle_scope(scope, cycle)


def publicity_towns(scope: Scope, cycle: Cycle) -> frozenset | None:
    """Whose rows the user's 公示 list holds: None for the whole cycle (the bureau's setting
    ``publicity_scope`` says so, or the user is bureau-wide), else these towns' units."""
    if cycle.publicity_scope == Cycle.PublicityScope.CYCLE:
        return None
    return scope_town_ids(scope)


def objection_refused(scope: Scope, cycle: Cycle, result: Result, today) -> str | None:
    """Why the user may not file a 异议 against ``result`` now, in their words; None if they
    may. Only the unit's own coordinator, only during the 公示, one waiting at a time."""
    if not scope.works_at(result.unit_id):
        return "只有本单位的协理员可以对本单位的结果提出异议。"
    if not publicity_open(cycle, today):
        return "不在公示期内，不能提出异议。"
    from assessments.models import Objection

    if Objection.objects.filter(result=result, state=Objection.State.FILED).exists():
        return "本单位已有一件异议等待答复，答复后才能再提出。"
    return None


def may_see_objection(scope: Scope, objection) -> bool:
    return scope.covers_unit(objection.unit)


def may_answer(scope: Scope, objection) -> bool:
    """The reviewers of the unit's town and the administrators answer a waiting 异议."""
    from assessments.models import Objection

    return (
        objection.state == Objection.State.FILED
        and objection.cycle.results_final_at is None
        and (scope.is_admin or scope.reviews_town(objection.unit.town_id))
    )


@dataclass(frozen=True)
class PublicityActions:
    publish: bool  # publish (again) from this state
    see_all: bool  # the whole cycle's list


def get_publicity_for_user(user, pk, today) -> tuple[Cycle, PublicityActions]:
    """A cycle whose 公示 the user may see; 404 otherwise."""
    cycle = get_object_or_404(Cycle.objects.select_related("rubric"), pk=pk)
    scope = scope_for(user)
    if not may_see_publicity(scope, cycle, today):
        raise Http404("该考核周期没有正在公示的结果。")
    steps = {step.action for step in cycle_steps(scope, cycle)}
    return cycle, PublicityActions(
        publish="publish" in steps, see_all=publicity_towns(scope, cycle) is None
    )


def get_objection_target_for_user(user, pk, result_pk, today) -> tuple[Cycle, Result]:
    """The result a coordinator files a 异议 against: 404 for outsiders, 403 with the reason
    for those who see it but may not object now."""
    cycle, _can = get_publicity_for_user(user, pk, today)
    result = get_object_or_404(cycle.results.select_related("unit", "coordinator"), pk=result_pk)
    scope = scope_for(user)
    towns = publicity_towns(scope, cycle)
    if towns is not None and result.unit.town_id not in towns:  # not in their 公示 list
        raise Http404("没有找到该结果。")
    refused = objection_refused(scope, cycle, result, today)
    if refused:
        raise PermissionDenied(refused)
    return cycle, result


@dataclass(frozen=True)
class ObjectionActions:
    answer: bool


def get_objection_for_user(user, pk, *, action: str = "view"):
    """action: view | answer. 404 for outsiders, 403 for answering without the right."""
    from assessments.models import Objection

    objection = get_object_or_404(
        Objection.objects.select_related(
            "cycle", "unit__parent", "coordinator", "result", "filed_by", "answered_by"
        ),
        pk=pk,
    )
    scope = scope_for(user)
    if not may_see_objection(scope, objection):
        raise Http404("没有找到该异议。")
    can = ObjectionActions(answer=may_answer(scope, objection))
    if action == "answer" and not can.answer:
        if scope.is_admin or scope.reviews_town(objection.unit.town_id):
            raise PermissionDenied("该异议已经答复，或公示已结束。")
        raise PermissionDenied("只有本镇（街道）考核人员和人社局管理员可以答复异议。")
    elif action not in ("view", "answer"):
        raise ValueError(action)
    return objection, can
