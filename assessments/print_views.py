"""PDFs of sheets, summaries and the 新沂 coordinator forms; batch print jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from assessments import printouts
from assessments.models import Cycle
from assessments.policy import (
    get_cycle_for_user,
    get_sheet_for_user,
    may_administer,
    may_score_offline,
)
from assessments.responses import pdf_response
from audit.events import Event
from audit.log import record
from jobs.services import job_enqueue
from org.models import Unit
from org.scope import scope_for
from printing.render import render_one
from targets.policy import get_unit_for_user


@login_required
@require_GET
def sheet_pdf(request, pk):
    sheet, _can = get_sheet_for_user(request.user, pk)
    blank = request.GET.get("blank") == "1"
    result = sheet.cycle.results.filter(
        unit_id=sheet.unit_id, coordinator_id=sheet.coordinator_id
    ).first()
    doc = printouts.sheet_doc(sheet, blank=blank, result=result)
    suffix = "空白" if blank else "评分表"
    return pdf_response(render_one(doc), f"{sheet.subject_name}-{suffix}.pdf")


def _print_towns(user, cycle):
    """Town ids a person may print for: every town for an admin, else their own."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    if not may_score_offline(scope):
        raise PermissionDenied("只有镇（街道）考核人员和管理员可以批量打印。")
    return scope.town_ids


@login_required
@require_POST
def cycle_print(request, pk):
    cycle, _can = get_cycle_for_user(request.user, pk)
    allowed = _print_towns(request.user, cycle)
    town = request.POST.get("town", "")
    town_id = int(town) if town.isdigit() else None
    if allowed is not None and town_id not in allowed:
        raise PermissionDenied("只能打印本镇（街道）的考核表。")
    blank = request.POST.get("blank") == "1"
    town_name = (
        Unit.objects.filter(pk=town_id).values_list("name", flat=True).first()
        if town_id
        else "全部"
    )
    job = job_enqueue(
        kind="cycle_sheets",
        params={"cycle": cycle.pk, "town": town_id, "blank": blank},
        user=request.user,
        title=f"{cycle.title} · {town_name} · {'空白表' if blank else '评分表'}",
    )
    return redirect("jobs:status", pk=job.pk)


@login_required
@require_GET
def summary_pdf(request, pk):
    cycle, _can = get_cycle_for_user(request.user, pk)
    town = request.GET.get("town", "")
    if not may_administer(scope_for(request.user)):
        scope = scope_for(request.user)
        published = cycle.state == Cycle.State.PUBLISHED
        if not (published and scope.all_units):
            towns = set(Unit.objects.filter(pk__in=scope.town_ids).values_list("name", flat=True))
            if not towns:
                raise Http404("结果尚未公布。")
            if town not in towns:
                raise PermissionDenied("只能打印本镇（街道）的汇总表。")
    if not cycle.computed_at:
        messages.error(request, "该考核周期还没有计算结果。")
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    doc = printouts.summary_doc(cycle, town_name=town or None)
    return pdf_response(render_one(doc), f"{cycle.title}-汇总表.pdf")


@login_required
@require_GET
def registration_pdf(request, pk, result_pk):
    cycle, _can = get_cycle_for_user(request.user, pk)
    result = get_object_or_404(
        cycle.results.select_related("coordinator__unit", "unit", "cycle"), pk=result_pk
    )
    if result.coordinator_id is None:
        raise Http404("登记表只用于协理员考核。")
    if not scope_for(request.user).covers_unit(result.unit):
        raise Http404("没有找到该协理员。")
    name = f"{result.coordinator.name}-年度考核登记表.pdf"
    body = render_one(printouts.registration_doc(result))
    record(Event.DOWNLOAD, request=request, obj=result.coordinator, detail=f"打印{name}")
    return pdf_response(body, name)


@login_required
@require_GET
def town_summary_pdf(request, pk, town_pk):
    cycle, _can = get_cycle_for_user(request.user, pk)
    town, _can_town = get_unit_for_user(request.user, town_pk)
    name = f"{town.name}-协理员年度考核汇总表.pdf"
    body = render_one(printouts.town_summary_doc(cycle, town))
    record(Event.DOWNLOAD, request=request, obj=town, detail=f"打印{name}：{cycle.title}")
    return pdf_response(body, name)
