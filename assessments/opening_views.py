"""The 开放自评 page: what opening the cycle means, its rubric's problems, the confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments import opening
from assessments.policy import get_cycle_for_user
from assessments.services import WorkflowError
from assessments.transitions import CYCLE_TRANSITIONS, STEPS_BY_ACTION


@login_required
@require_http_methods(["GET", "POST"])
def cycle_open(request, pk):
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    step = STEPS_BY_ACTION[opening.ACTION]
    if (cycle.state, opening.ACTION) not in CYCLE_TRANSITIONS:
        messages.error(
            request,
            f"考核周期「{cycle.title}」现为「{cycle.get_state_display()}」，不能{step.label}。",
        )
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    error = ""
    if request.method == "POST":
        try:
            cycle, done = opening.cycle_open(
                cycle=cycle, user=request.user, confirmed=request.POST.get("confirm") == "1"
            )
        except WorkflowError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"已开放自评：考核周期「{cycle.title}」现为「{cycle.get_state_display()}」，"
                f"评分标准「{cycle.rubric.title}」第 {cycle.rubric.version} 版已冻结。"
                f"{done.consequence}",
            )
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "step": step,
        "opening": opening.opening_check(cycle),
        "error": error,
    }
    return render(request, "assessments/cycle_open.html", context, status=200)
