"""Offline scoring: the blank workbook and the upload with preview and confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments import file_jobs, selectors, services, workbook
from assessments.job_kinds import SCORES_IMPORT
from assessments.policy import (
    get_cycle_for_user,
    import_side_refused,
    may_score_offline,
    sides_to_import,
)
from assessments.responses import xlsx_response
from assessments.sides import SIDES, Side
from jobs.responses import confirm_start, to_job
from jobs.services import job_enqueue
from kit.imports import STALE_MESSAGE, uploads
from org.scope import scope_for
from rubrics.selectors import engine_rubric_for


def _scoring_sheets(user, cycle):
    """The sheets a person may score offline: a reviewer's towns, or all for an admin."""
    sheets = selectors.visible_sheets(user, cycle).select_related("cycle__rubric")
    scope = scope_for(user)
    if not may_score_offline(scope):
        raise PermissionDenied("只有镇（街道）考核人员和管理员可以离线评分。")
    if not scope.is_admin:
        sheets = sheets.filter(
            Q(unit__parent_id__in=scope.town_ids) | Q(unit_id__in=scope.town_ids)
        )
    return list(sheets.order_by("unit__parent__sort_order", "unit__sort_order", "phase", "id"))


@login_required
@require_http_methods(["GET", "POST"])
def score_workbook(request, pk):
    """A town's blank workbook is made in the request; one of several towns (an
    administrator's whole cycle) by a background job, whose page offers the file."""
    cycle, _can = get_cycle_for_user(request.user, pk)
    towns = file_jobs.town_count(file_jobs.offline_sheets(request.user, cycle))
    if towns > 1:
        if request.method != "POST":
            return confirm_start(
                request,
                title=f"{cycle.title} · 离线评分表",
                what=f"将生成「{cycle.title}」{towns} 个镇（街道）的离线评分表（xlsx）。",
            )
        job = job_enqueue(
            kind=file_jobs.WORKBOOK_KIND,
            params={"cycle": cycle.pk},
            user=request.user,
            title=f"{cycle.title} · 离线评分表（{towns} 个镇（街道））",
        )
        messages.success(
            request,
            f"正在生成「{cycle.title}」{towns} 个镇（街道）的离线评分表，完成后可在本页下载。",
        )
        return to_job(request, job)
    sheets = _scoring_sheets(request.user, cycle)
    parsed = engine_rubric_for(cycle.rubric)
    return xlsx_response(
        workbook.blank_workbook(parsed, cycle.title, sheets), f"scores-{cycle.pk}.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_import(request, pk):
    """Upload → preview → confirm. The file stays on the server between the two steps, with
    the side it is imported as and the fingerprint of the plan shown: the confirm step
    writes that side and that plan, whatever the browser sends back."""
    cycle, _can = get_cycle_for_user(request.user, pk)
    sheets = _scoring_sheets(request.user, cycle)
    scope = scope_for(request.user)
    # the review first, as the usual choice; only the sides the sheet pages let them write
    allowed = sorted(sides_to_import(scope, sheets), key=lambda s: s != Side.REVIEW)
    side = allowed[0] if allowed else Side.REVIEW
    report = None
    token = ""
    if request.method == "POST":
        token = request.POST.get("token", "")
        upload = request.FILES.get("file")
        if upload is not None:
            side = request.POST.get("side", side)
            refused = import_side_refused(scope, sheets, side)
            if refused:
                raise PermissionDenied(refused)
            if upload.size > workbook.MAX_WORKBOOK_BYTES:
                messages.error(request, "文件超过 5 MB，无法导入。")
                return redirect(request.path)
            token = uploads.save_pending(
                data=upload.read(),
                file_name=upload.name,
                options={"side": str(side), "cycle": cycle.pk},
                user=request.user,
            )
        try:
            content, meta = uploads.load_pending(token, request.user)
            if meta["options"].get("cycle") != cycle.pk:
                raise Http404
        except (Http404, KeyError):
            messages.error(request, "请选择要导入的评分表文件（上传超过一天需重新上传）。")
            return redirect(request.path)
        side = meta["options"].get("side")  # as previewed; a POSTed side is ignored
        if side not in SIDES:
            raise PermissionDenied("没有这种评分。")
        # Only a preview that was shown without errors can be confirmed.
        confirm = request.POST.get("confirm") == "1" and bool(meta.get("fingerprint"))
        if confirm and uploads.commits_in_job(meta):  # a big workbook: a job saves it
            params = uploads.job_params(
                token, meta, cycle=cycle.pk, side=side, sheets=[s.pk for s in sheets]
            )
            job = job_enqueue(
                kind=SCORES_IMPORT,
                params=params,
                user=request.user,
                title=f"导入「{cycle.title[:80]}」的离线评分",
            )
            return to_job(request, job)
        report = services.scores_import(
            cycle=cycle,
            content=content,
            side=side,
            user=request.user,
            sheets=sheets,
            commit=confirm,
            expected=meta.get("fingerprint"),
            file_name=meta.get("file_name", ""),
        )
        if report.stale:
            messages.warning(request, STALE_MESSAGE)
        if report.ok:
            # the plan shown, and how many values it holds
            uploads.record_plan(
                token, meta, report.fingerprint(), rows=len(report.changes) + report.unchanged
            )
        if report.saved:
            uploads.drop_pending(token)
            text = f"已导入 {len(report.changes)} 项{SIDES[side].score_label}。"
            if report.left_out:
                names = "、".join(name for name, _why in report.left_out[:5])
                more = "等" if len(report.left_out) > 5 else ""
                text += f"{names}{more} {len(report.left_out)} 个单位未提交或不能修改，未导入。"
            messages.success(request, text)
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "report": report,
        "token": token,
        "side": side,
        "side_label": SIDES[side].score_label if side in SIDES else "",
        "side_options": [(s, SIDES[s].score_label) for s in allowed],
    }
    return render(request, "assessments/score_import.html", context)
