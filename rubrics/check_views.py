"""Live checking and 试算 of a rubric: ``checks.json`` (the problems per row, read by
``static/js/rubric_checks.js``) and the 试算 page. Administrators only (rubrics.policy);
nothing here writes."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rubrics.checks import rubric_checks
from rubrics.policy import get_rubric_to_check
from rubrics.trial import rubric_trial


def checks_summary(problems: list[dict]) -> str:
    errors = sum(1 for p in problems if p["level"] == "error")
    warnings = len(problems) - errors
    if not problems:
        return _("未发现问题：各项分值与小计、总分一致。")
    parts = []
    if errors:
        parts.append(_("%(n)d 个错误（须改正后才能开始考核）") % {"n": errors})
    if warnings:
        parts.append(_("%(n)d 个提示") % {"n": warnings})
    return "，".join(parts) + "。"


@login_required
@require_GET
def checks(request, pk):
    rubric, _may_change = get_rubric_to_check(request.user, pk)
    problems = rubric_checks(rubric)
    return JsonResponse(
        {
            "rubric": rubric.pk,
            "summary": checks_summary(problems),
            "errors": sum(1 for p in problems if p["level"] == "error"),
            "problems": problems,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def trial(request, pk):
    """试算 on sample inputs (GET) or on the inputs entered (POST). Nothing is stored."""
    rubric, may_change = get_rubric_to_check(request.user, pk)
    data = request.POST if request.method == "POST" else None
    context = {
        "rubric": rubric,
        "trial": rubric_trial(rubric, data),
        "may_change": may_change,
        "standalone": True,
    }
    return render(request, "rubrics/trial.html", context)
