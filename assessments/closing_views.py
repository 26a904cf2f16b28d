"""The administrator's closing pages: the guarded steps' confirmation, the quota decisions,
a manual grade override."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from assessments import closing, quota_decisions
from assessments.models import QuotaDecision, Result
from assessments.policy import get_cycle_for_user
from assessments.services import WorkflowError
from assessments.transitions import CYCLE_TRANSITIONS, STEPS_BY_ACTION
from rubrics import engine
from rubrics.selectors import engine_rubric_for

REASON_LIMIT = 1000


@login_required
@require_http_methods(["GET", "POST"])
def cycle_close(request, pk, action):
    """结束自评 / 定稿: what is not ready, a decision per unit, then the step."""
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    if action not in closing.GUARDED:
        raise Http404("没有这个步骤。")
    step = STEPS_BY_ACTION[action]
    if (cycle.state, action) not in CYCLE_TRANSITIONS:
        messages.error(
            request,
            f"考核周期「{cycle.title}」现为「{cycle.get_state_display()}」，不能{step.label}。",
        )
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    if request.method == "POST":
        choices = {}
        for name, value in request.POST.items():
            if name.startswith("choice_") and name[7:].isdigit():
                choices[int(name[7:])] = value
        try:
            outcome = closing.cycle_close(
                cycle=cycle,
                action=action,
                user=request.user,
                choices=choices,
                all_absent=request.POST.get("all_absent") == "1",
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            if outcome.done:
                messages.success(request, outcome.message)
                return redirect("assessments:cycle_detail", pk=cycle.pk)
            messages.warning(request, outcome.message)
        return redirect("assessments:cycle_close", pk=cycle.pk, action=action)
    ready = closing.readiness(cycle, action)
    context = {
        "cycle": cycle,
        "step": step,
        "ready": ready,
        "ABSENT": closing.ABSENT,
        "WAIT": closing.WAIT,
        "AS_IS": closing.AS_IS,
    }
    return render(request, "assessments/closing_confirm.html", context)


def _reason(request, name="reason") -> str:
    return (request.POST.get(name) or "").strip()[:REASON_LIMIT]


@login_required
@require_http_methods(["GET", "POST"])
def quota_decisions_page(request, pk):
    """Every unit beyond the quota: 保持 (with a reason) or 调整为下一等次, one by one or
    several at once."""
    cycle, can = get_cycle_for_user(request.user, pk, admin=True)
    rows = list(
        cycle.results.exclude(quota_position="")
        .select_related("unit", "coordinator", "confirmed_by")
        .order_by("rank", "id")
    )
    if request.method == "POST":
        if "bulk" in request.POST:
            chosen = {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
            batches = [
                (request.POST.get("bulk_decision", ""), _reason(request, "bulk_reason"), chosen)
            ]
        else:
            row_id = request.POST.get("row", "")
            chosen = {int(row_id)} if row_id.isdigit() else set()
            batches = [
                (
                    request.POST.get(f"decision_{row_id}", ""),
                    _reason(request, f"reason_{row_id}"),
                    chosen,
                )
            ]
        for decision, reason, ids in batches:
            picked = [r for r in rows if r.pk in ids]
            try:
                done = quota_decisions.quota_decide(
                    cycle=cycle, results=picked, decision=decision, reason=reason, user=request.user
                )
            except WorkflowError as exc:
                messages.error(request, f"未保存名额决定：{exc}")
            else:
                label = quota_decisions.DECISION_LABELS[decision]
                who = "、".join(quota_decisions.subject_label(r) for r in done)
                grades = "、".join(f"{quota_decisions.subject_label(r)}为{r.grade}" for r in done)
                messages.success(
                    request,
                    f"已记录名额决定「{label}」：{len(done)} 个单位（{who}）。现在{grades}。",
                )
        return redirect("assessments:quota_decisions", pk=cycle.pk)
    parsed = engine_rubric_for(cycle.rubric)
    pending = quota_decisions.pending_decisions(cycle)
    for r in rows:
        r.next_grade = parsed.plan.band_below.get(r.grade_before_quota, "")
    context = {
        "cycle": cycle,
        "rows": rows,
        "pending": pending,
        "locked": cycle.locked,
        "quota": parsed.quota,
        "tie_rule": engine.tie_rule_text(parsed),
        "KEEP": QuotaDecision.Choice.KEEP,
        "DEMOTE": QuotaDecision.Choice.DEMOTE,
    }
    return render(request, "assessments/quota_decisions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grade_override_page(request, pk, result_pk):
    """Set one result's grade by hand, with a reason; or take the override back."""
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    result = get_object_or_404(
        Result.objects.select_related("unit", "coordinator"), cycle=cycle, pk=result_pk
    )
    parsed = engine_rubric_for(cycle.rubric)
    error = ""
    if request.method == "POST":
        reason = _reason(request)
        try:
            if request.POST.get("remove") == "1":
                row = quota_decisions.grade_override_remove(
                    cycle=cycle, result=result, reason=reason, user=request.user
                )
                done = f"已撤销{quota_decisions.subject_label(row)}的人工调整，等次恢复为计算所得的「{row.grade}」。"
            else:
                old = result.grade
                row = quota_decisions.grade_override(
                    cycle=cycle,
                    result=result,
                    grade=request.POST.get("grade", ""),
                    reason=reason,
                    user=request.user,
                )
                done = f"已将{quota_decisions.subject_label(row)}的等次由「{old}」人工调整为「{row.grade}」，理由已记录。"
        except WorkflowError as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect("assessments:results", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "result": result,
        "name": quota_decisions.subject_label(result),
        "grades": parsed.grade_labels(),
        "error": error,
        "locked": cycle.locked,
        "posted_grade": request.POST.get("grade", result.grade),
        "posted_reason": request.POST.get("reason", ""),
    }
    return render(request, "assessments/grade_override.html", context)
