"""Cycle pages: list, creation, progress and administrator actions, results."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import compute, selectors, services
from assessments.deadline_panels import deadline_panel
from assessments.forms import CycleForm, ReasonForm, SheetFilterForm
from assessments.models import PHASES
from assessments.policy import (
    get_cycle_for_user,
    get_result_for_user,
    get_results_cycle_for_user,
    may_administer,
    may_see_calibration,
    may_see_publicity,
    require_admin,
    reviewable_sheets,
)
from assessments.quota_decisions import pending_decisions
from assessments.sides import SIDES
from assessments.transitions import STEPS_BY_ACTION
from audit.events import Event
from audit.log import record
from jobs.services import job_enqueue
from kit import formatting
from org.models import Unit
from org.scope import scope_for
from rubrics.models import Item
from staff.models import Coordinator

# Rows of a list of sheets per page.
PAGE_SIZE = 100


@login_required
@require_GET
def cycle_list(request):
    cycles = list(selectors.visible_cycles(request.user))
    admin = may_administer(scope_for(request.user))
    return render(request, "assessments/cycle_list.html", {"cycles": cycles, "admin": admin})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    require_admin(request.user)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        towns = list(data["towns"])
        units, coordinators = [], None
        if data["level"] == "town":
            units = towns
        elif data["level"] == "grassroots":
            units = list(
                Unit.objects.filter(parent__in=towns, active=True, kind__in=Unit.GRASSROOTS_KINDS)
            )
        else:
            coordinators = list(
                Coordinator.objects.filter(unit__parent__in=towns, state=Coordinator.State.ACTIVE)
            )
        try:
            cycle = services.cycle_create(
                title=data["title"],
                year=data["year"],
                rubric=data["rubric"],
                units=units,
                coordinators=coordinators,
                user=request.user,
                process_weight=data["process_weight"],
                annual_weight=data["annual_weight"],
                base_subsidy=data["base_subsidy"],
                deadlines=form.dates(),
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"已建立考核周期「{cycle.title}」，共 {cycle.assessments.count()} 张考核表。",
            )
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    return render(request, "assessments/cycle_form.html", {"form": form})


@login_required
@require_GET
def cycle_detail(request, pk):
    cycle, can = get_cycle_for_user(request.user, pk)
    scope = scope_for(request.user)
    progress = selectors.cycle_progress(request.user, cycle)
    filters = SheetFilterForm(request.GET, towns=selectors.progress_towns(progress))
    sheets = selectors.sheet_list(request.user, cycle, **filters.values())
    page = Paginator(sheets, PAGE_SIZE).get_page(request.GET.get("page"))
    for sheet in page:
        totals = sheet.totals_by_side()
        sheet.side_totals = [totals.get(side) for side in SIDES]
    context = {
        "cycle": cycle,
        "progress": progress,
        "progress_chart": selectors.progress_chart(progress) if progress else None,
        "filters": filters,
        "page": page,
        "side_columns": list(SIDES.values()),
        "can": can,
        "calibration": bool(cycle.computed_at) and may_see_calibration(scope, cycle),
        "publicity": {
            "see": may_see_publicity(scope_for(request.user), cycle, timezone.localdate()),
            "final": cycle.results_final_at is not None,
        },
        "reason_form": ReasonForm(),
        **deadline_panel(request.user, cycle),
        # the item grid's links, for those with sheets of this cycle to review
        "items": list(
            Item.objects.filter(rubric_id=cycle.rubric_id).order_by("section__order", "order")
        )
        if can.score_by_item
        and reviewable_sheets(scope_for(request.user), cycle.assessments.all()).exists()
        else [],
    }
    return render(request, "assessments/cycle_detail.html", context)


@login_required
@require_POST
def cycle_action(request, pk):
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    action = request.POST.get("action", "")
    step = STEPS_BY_ACTION.get(action)
    reason = ""
    if step is not None and step.guarded:
        # Taken on its confirmation page, which lists what is not ready first.
        return redirect("assessments:cycle_close", pk=cycle.pk, action=action)
    if step is not None and step.reason_label:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            problem = form.errors["reason"][0]
            messages.error(
                request,
                f"未能{step.label}考核周期「{cycle.title}」：{step.reason_label}——{problem}",
            )
            return redirect("assessments:cycle_detail", pk=cycle.pk)
        reason = form.cleaned_data["reason"]
    if step is not None and step.page:  # a step with its own confirmation page
        return redirect(step.page, pk=cycle.pk)
    try:
        if action == "compute":
            # Refusals are said at once; the computation itself runs as a background job.
            refused = compute.compute_refused(cycle) or selectors.compute_running(cycle)
            if refused:
                raise services.WorkflowError(refused)
            job = job_enqueue(
                kind="cycle_compute",
                params={"cycle": cycle.pk},
                user=request.user,
                title=f"计算考核结果 · {cycle.title}",
            )
            return redirect("jobs:status", pk=job.pk)
        cycle = services.cycle_step(cycle=cycle, action=action, user=request.user, reason=reason)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已{step.label}：考核周期「{cycle.title}」现为「{cycle.get_state_display()}」。",
        )
    return redirect("assessments:cycle_detail", pk=cycle.pk)


RESULTS_PER_PAGE = 100
HISTORY_MOVES_PER_PAGE = 100  # moves of one result version per page of its list


@login_required
@require_GET
def results(request, pk):
    """The results, filtered, sorted and paginated in the database; the panels read the
    summary stored with the result version."""
    cycle, can = get_results_cycle_for_user(request.user, pk)
    town = request.GET.get("town", "")
    grade = request.GET.get("grade", "")
    order = request.GET.get("sort", "rank")
    if order not in selectors.RESULT_ORDERS:
        order = "rank"
    version = selectors.current_result_version(cycle)
    rows = selectors.results_page_rows(request.user, cycle, town=town, grade=grade, order=order)
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = selectors.results_panels(request.user, cycle, version, town=town, grade=grade)
    kept = {k: v for k, v in (("town", town), ("grade", grade), ("sort", order)) if v}
    # A two-phase cycle (新建: 30% process + 70% annual) shows each phase's total.
    phases = cycle.phases if len(cycle.phases) > 1 else []
    result_rows = list(page.object_list)
    for r in result_rows:
        r.phase_cells = [r.phase_totals.get(p) for p in phases]
    context = {
        "cycle": cycle,
        "rows": result_rows,
        "phase_columns": [f"{PHASES[p]}（{formatting.plain(cycle.weights[p])}%）" for p in phases],
        "page": page,
        "page_query": urlencode(kept),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "towns": shown["towns"],
        "grades": shown["grades"],
        "town": town,
        "grade": grade,
        "sort": order,
        "shown_count": shown["count"],
        "distribution": shown["distribution"],
        "gaps": shown["gaps"],
        "section_averages": shown["section_averages"],
        "charts": shown["charts"],
        "admin": can.administer,
        "calibration": may_see_calibration(scope_for(request.user), cycle),
        "version": version,
        "pending": pending_decisions(cycle) if can.administer else None,
    }
    return render(request, "assessments/results.html", context)


@login_required
@require_GET
def results_history(request, pk):
    """Every version of the cycle's results: what changed for whom, and why; the first
    moves of each version, or with ``?version=N`` all of version N's moves, a page at a time."""
    cycle, _can = get_results_cycle_for_user(request.user, pk)
    number = request.GET.get("version", "")
    number = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else None
    history = selectors.result_history(request.user, cycle, only=number)
    context = {"cycle": cycle, "history": history}
    if number is not None:
        if not history.versions or history.versions[0].first:
            messages.error(request, f"「{cycle.title}」的结果没有第 {number} 版的变化可以列出。")
            return redirect("assessments:results_history", pk=cycle.pk)
        entry = history.versions[0]
        rows = selectors.version_moves(request.user, cycle, number)
        page = Paginator(rows, HISTORY_MOVES_PER_PAGE).get_page(request.GET.get("page"))
        entry.moves = selectors.moves_of(page.object_list, number)
        entry.move_count = page.paginator.count
        context.update(page=page, query=urlencode({"version": number}), single=entry)
    return render(request, "assessments/results_history.html", context)


@login_required
@require_GET
def result_history(request, pk, result_pk):
    """One unit's (or coordinator's) result in every version of the cycle's results."""
    result = get_result_for_user(request.user, pk, result_pk)
    history = selectors.subject_history(request.user, result)
    context = {
        "cycle": result.cycle,
        "subject": selectors.subject_name(result),
        "history": history,
    }
    return render(request, "assessments/result_history.html", context)


@login_required
@require_POST
def results_export(request, pk):
    """Export the whole cycle's results (xlsx summary table or JSON) as a background job;
    the person follows it on the job's page and downloads the file there."""
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    if not cycle.computed_at:
        messages.error(request, f"考核周期「{cycle.title}」还没有计算结果，不能导出。")
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    fmt = "json" if request.POST.get("format") == "json" else "xlsx"
    record(
        Event.EXPORT,
        request=request,
        obj=cycle,
        detail=f"导出考核结果（{fmt}）：{cycle.title}",
    )
    job = job_enqueue(
        kind=f"results_{fmt}",
        params={"cycle": cycle.pk},
        user=request.user,
        title=f"导出「{cycle.title}」的考核结果（{fmt}）",
    )
    return redirect("jobs:status", pk=job.pk)
