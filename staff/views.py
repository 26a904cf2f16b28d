import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from org.models import Unit
from staff import access, rules, selectors, services
from staff import permissions as perm
from staff.forms import (
    AttendanceEntryForm,
    AttendanceMonthForm,
    CoordinatorFilterForm,
    CoordinatorForm,
    DecisionForm,
    DepartureDecisionForm,
    DepartureForm,
    LeaveExtendForm,
    LeaveForm,
    LeaveReturnForm,
    RosterUploadForm,
    WindowStaffingForm,
)
from staff.models import AttendanceMonth, DepartureReport, LeaveRequest
from staff.roster import COLUMNS, roster_workbook
from targets import uploads

PAGE_SIZE = 50


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _add_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- coordinators ----------------------------------------------------------------------


@login_required
@require_GET
def coordinator_list(request):
    user = request.user
    towns = selectors.visible_towns(user)
    form = CoordinatorFilterForm(request.GET or None, towns=towns)
    qs = selectors.visible_coordinators(user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        qs = selectors.filter_coordinators(
            qs,
            town_id=data["town"].pk if data["town"] else None,
            state=data["state"],
            q=data["q"].strip(),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "towns": list(towns) if not perm.is_own_coordinator_role(user) else [],
        "can_manage": perm.can_manage_any(user),
        "can_export": perm.can_manage_any(user) or not perm.is_own_coordinator_role(user),
        "mine": selectors.coordinator_for_user(user),
    }
    return render(request, "staff/coordinator_list.html", context)


@login_required
@require_GET
def coordinator_detail(request, pk):
    coordinator = access.get_coordinator_for_user(request.user, pk)
    year = timezone.localdate().year
    tally = selectors.attendance_tally(coordinator, year)
    context = {
        "c": coordinator,
        "year": year,
        "tally": tally,
        "leaves": coordinator.leave_requests.all()[:20],
        "departures": coordinator.departures.all(),
        "can_manage": perm.can_manage(request.user, coordinator),
        "can_file": perm.can_file_for(request.user, coordinator) and coordinator.in_post,
    }
    return render(request, "staff/coordinator_detail.html", context)


def _coordinator_form(request, coordinator=None):
    units = selectors.writable_grassroots_units(request.user)
    if coordinator is not None:
        units = units | Unit.objects.filter(pk=coordinator.unit_id)
    form = CoordinatorForm(request.POST or None, instance=coordinator, units=units.distinct())
    if request.method == "POST" and form.is_valid():
        try:
            if coordinator is None:
                coordinator = services.coordinator_create(
                    user=request.user,
                    data=form.data_for_service(),
                    account=form.cleaned_data["account"],
                )
            else:
                coordinator = services.coordinator_update(
                    user=request.user,
                    coordinator=coordinator,
                    data=form.data_for_service(),
                    account=form.cleaned_data["account"],
                )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已保存协理员「%(name)s」。") % {"name": coordinator.name})
            return redirect("staff:coordinator_detail", pk=coordinator.pk)
    return render(
        request,
        "staff/coordinator_form.html",
        {"form": form, "c": coordinator, "is_admin": perm.is_bureau_admin(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def coordinator_create(request):
    access.require_manager(request.user)
    return _coordinator_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def coordinator_edit(request, pk):
    coordinator = access.get_coordinator_for_user(request.user, pk, write=True)
    return _coordinator_form(request, coordinator)


# --- roster import / export ------------------------------------------------------------


@login_required
@require_GET
def roster_export(request):
    user = request.user
    if perm.is_own_coordinator_role(user) and not perm.can_manage_any(user):
        raise PermissionDenied(_("协理员账号不能导出花名册。"))
    qs = selectors.visible_coordinators(user)
    form = CoordinatorFilterForm(request.GET or None, towns=selectors.visible_towns(user))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        qs = selectors.filter_coordinators(
            qs,
            town_id=data["town"].pk if data["town"] else None,
            state=data["state"],
            q=data["q"].strip(),
        )
    body = roster_workbook(qs)
    name = f"协理员花名册-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _safe_name(name: str) -> str:
    return Path(str(name or "")).name[:100] or "花名册.xlsx"


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    access.require_manager(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = _safe_name(upload.name)
        if upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            form.add_error("file", _("文件太大，请删去无关的工作表后再上传。"))
        else:
            data = upload.read()
            plan = services.roster_import(
                user=request.user, data=data, filename=filename, dry_run=True
            )
            if plan.ok:
                token = uploads.save_pending(
                    data=data, file_name=filename, options={}, user=request.user
                )
                return render(
                    request,
                    "staff/roster_preview.html",
                    {"plan": plan, "token": token, "filename": filename},
                )
    return render(
        request,
        "staff/roster_import.html",
        {"form": form, "plan": plan, "headers": [c.header for c in COLUMNS]},
    )


@login_required
@require_POST
def roster_import_confirm(request):
    access.require_manager(request.user)
    token = request.POST.get("token", "")
    try:
        data, meta = uploads.load_pending(token, request.user)
    except Http404:
        messages.error(request, _("上传的文件已过期或不存在，请重新上传。"))
        return redirect("staff:roster_import")
    filename = _safe_name(meta.get("file_name", ""))
    plan = services.roster_import(
        user=request.user,
        data=data,
        filename=filename,
        expected=request.POST.get("fingerprint", "") or "-",
    )
    if not plan.ok:
        uploads.drop_pending(token)
        return render(
            request,
            "staff/roster_import.html",
            {"form": RosterUploadForm(), "plan": plan, "headers": [c.header for c in COLUMNS]},
        )
    if plan.stale:
        messages.warning(request, _("预览之后系统中的协理员信息有变化，请核对新的预览后再确认。"))
        return render(
            request,
            "staff/roster_preview.html",
            {"plan": plan, "token": token, "filename": filename},
        )
    uploads.drop_pending(token)
    messages.success(request, _("花名册已导入：") + plan.summary() + "。")
    return redirect("staff:coordinator_list")


# --- staffing ---------------------------------------------------------------------------


@login_required
@require_GET
def town_staffing(request, pk):
    town = access.get_town_for_user(request.user, pk)
    year = _year(request)
    rows = selectors.town_staffing(town, year)
    staffing = selectors.window_staff(town, year)
    in_post = sum(len(r.coordinators) for r in rows)
    context = {
        "town": town,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        "rows": rows,
        "staffing": staffing,
        "required": selectors.REQUIRED_WINDOW_STAFF,
        "extra": selectors.extra_window_staff(town, year),
        "vacant": sum(1 for r in rows if r.vacant),
        "in_post": in_post,
        "former": selectors.former_coordinators(town)[:30],
        "can_edit": perm.can_manage_unit(request.user, town),
    }
    return render(request, "staff/town_staffing.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def window_staff_edit(request, pk):
    town = access.get_town_for_user(request.user, pk, write=True)
    year = _year(request)
    current = selectors.window_staff(town, year)
    initial = {"windows": 2, "window_staff": 3, "village_coordinators": town.children.count()}
    if current is not None:
        initial = {
            "windows": current.windows,
            "window_staff": current.window_staff,
            "village_coordinators": current.village_coordinators,
            "note": current.note,
        }
    form = WindowStaffingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_staffing_save(
                user=request.user, unit=town, year=year, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(year)d 年专窗人员配置。") % {"year": year})
            return redirect(reverse("staff:town_staffing", args=[town.pk]) + f"?year={year}")
    return render(
        request, "staff/window_staff_form.html", {"form": form, "town": town, "year": year}
    )


# --- attendance -------------------------------------------------------------------------


@login_required
@require_GET
def attendance(request, pk):
    coordinator = access.get_coordinator_for_user(request.user, pk)
    year = _year(request)
    context = {
        "c": coordinator,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "tally": selectors.attendance_tally(coordinator, year),
        "entries": selectors.attendance_entries(coordinator, year),
        "months": selectors.attendance_months(coordinator, year),
        "can_manage": perm.can_manage(request.user, coordinator),
    }
    return render(request, "staff/attendance.html", context)


def _attendance_url(coordinator, year) -> str:
    return reverse("staff:attendance", args=[coordinator.pk]) + f"?year={year}"


@login_required
@require_http_methods(["GET", "POST"])
def attendance_add(request, pk):
    coordinator = access.get_coordinator_for_user(request.user, pk, write=True)
    form = AttendanceEntryForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.attendance_record(
                user=request.user, coordinator=coordinator, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已登记考勤。"))
            return redirect(_attendance_url(coordinator, entry.date.year))
    return render(
        request, "staff/attendance_form.html", {"form": form, "c": coordinator, "monthly": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_month(request, pk):
    coordinator = access.get_coordinator_for_user(request.user, pk, write=True)
    initial = {"month": timezone.localdate().replace(day=1)}
    raw = request.GET.get("month", "")
    if re.match(r"^\d{4}-\d{2}$", raw):
        try:
            wanted = date(int(raw[:4]), int(raw[5:]), 1)
        except ValueError:
            wanted = None
        existing = (
            AttendanceMonth.objects.filter(coordinator=coordinator, month=wanted).first()
            if wanted
            else None
        )
        if existing is not None:
            initial = {
                "month": existing.month,
                "present_days": existing.present_days,
                "absent_days": existing.absent_days,
                "leave_days": existing.leave_days,
                "off_post_days": existing.off_post_days,
                "note": existing.note,
            }
        elif wanted:
            initial = {"month": wanted}
    form = AttendanceMonthForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.attendance_month_save(
                user=request.user, coordinator=coordinator, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已保存月度考勤汇总。"))
            return redirect(_attendance_url(coordinator, summary.month.year))
    return render(
        request, "staff/attendance_form.html", {"form": form, "c": coordinator, "monthly": True}
    )


@login_required
@require_POST
def attendance_delete(request, pk):
    entry = access.get_attendance_entry_for_user(request.user, pk)
    coordinator, year = entry.coordinator, entry.date.year
    services.attendance_delete(user=request.user, entry=entry)
    messages.success(request, _("已删除考勤记录。"))
    return redirect(_attendance_url(coordinator, year))


@login_required
@require_POST
def attendance_month_delete(request, pk):
    summary = access.get_attendance_month_for_user(request.user, pk)
    coordinator, year = summary.coordinator, summary.month.year
    services.attendance_month_delete(user=request.user, summary=summary)
    messages.success(request, _("已删除月度考勤汇总。"))
    return redirect(_attendance_url(coordinator, year))


# --- leave -----------------------------------------------------------------------------


@login_required
@require_GET
def approvals(request):
    leaves, departures = selectors.waiting_for(request.user)
    mine = selectors.coordinator_for_user(request.user)
    context = {
        "leaves": leaves,
        "departures": departures,
        "mine": mine,
        "my_leaves": mine.leave_requests.all()[:10] if mine else [],
        "can_file": bool(mine and mine.in_post),
    }
    return render(request, "staff/approvals.html", context)


@login_required
@require_GET
def leave_list(request):
    qs = selectors.visible_leave(request.user)
    state = request.GET.get("state", "")
    if state in LeaveRequest.State.values:
        qs = qs.filter(state=state)
    year = _year(request)
    qs = qs.filter(start_date__year=year).order_by("-start_date", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": LeaveRequest.State.choices,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
    }
    return render(request, "staff/leave_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave_create(request, pk):
    coordinator = access.get_coordinator_for_filing(request.user, pk)
    if not coordinator.in_post:
        messages.error(request, _("该协理员已离职，不能请假。"))
        return redirect("staff:coordinator_detail", pk=coordinator.pk)
    today = timezone.localdate()
    form = LeaveForm(
        request.POST or None,
        initial={"phone": coordinator.phone, "start_date": today, "end_date": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_file(
                user=request.user, coordinator=coordinator, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("请假申请已提交（共 %(days)d 天），等待村（社区）负责人审批。")
                % {"days": leave.days},
            )
            return redirect("staff:leave_detail", pk=leave.pk)
    return render(
        request,
        "staff/leave_form.html",
        {"form": form, "c": coordinator, "city_days": rules.CITY_APPROVAL_DAYS},
    )


def _chain_steps(item, needs_city: bool) -> list[tuple[str, str]]:
    """[(label, status)] for the approval ladder on a detail page."""
    steps = [("village", _("村（社区）负责人")), ("town", _("镇（街道）社会事业服务中心"))]
    if needs_city:
        steps.append(("city", _("市就业处")))
    done = {e.step: e for e in item.events.all() if e.action == "approve" and e.step}
    current = perm.step_of(item.state)
    out = []
    for step, label in steps:
        if step in done:
            out.append((label, "done", done[step]))
        elif step == current:
            out.append((label, "current", None))
        else:
            out.append((label, "todo", None))
    return out


@login_required
@require_GET
def leave_detail(request, pk):
    leave = access.get_leave_for_user(request.user, pk)
    user = request.user
    step = perm.step_of(leave.state)
    role = perm.step_role(user, leave.coordinator, step) if step else None
    today = timezone.localdate()
    overrun = None
    if leave.state in (LeaveRequest.State.APPROVED, LeaveRequest.State.RETURNED):
        pending_ext = (
            leave.extensions.filter(state__in=LeaveRequest.PENDING).order_by("-end_date").first()
        )
        overrun = rules.overrun_of(
            rules.LeaveSpan(
                "",
                leave.start_date,
                leave.end_date,
                leave.returned_on,
                pending_ext.end_date if pending_ext else None,
            ),
            today=today,
        )
    follow_up = perm.can_follow_up(user, leave.coordinator)
    context = {
        "leave": leave,
        "c": leave.coordinator,
        "events": leave.events.select_related("actor"),
        "ladder": _chain_steps(leave, leave.needs_city),
        "role": role,
        "form": DecisionForm(),
        "overrun": overrun,
        "extensions": leave.extensions.all(),
        "can_return": follow_up and leave.state == LeaveRequest.State.APPROVED,
        "can_extend": follow_up and leave.state == LeaveRequest.State.APPROVED,
        "can_withdraw": follow_up
        and (
            leave.is_pending
            or (leave.state == LeaveRequest.State.APPROVED and leave.start_date > today)
        ),
        "can_print": True,
    }
    return render(request, "staff/leave_detail.html", context)


@login_required
@require_POST
def leave_decide(request, pk):
    leave = access.get_leave_for_user(request.user, pk, action="decide")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("staff:leave_detail", pk=leave.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        leave = services.leave_decide(
            user=request.user,
            leave=leave,
            approve=approve,
            note=form.cleaned_data["note"],
            signer_name=form.cleaned_data["signer_name"],
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("已%(what)s，当前状态：%(state)s。")
            % {
                "what": _("同意") if approve else _("驳回"),
                "state": leave.get_state_display(),
            },
        )
    return redirect("staff:leave_detail", pk=leave.pk)


def _not_applicable(request, leave, message):
    messages.warning(request, message)
    return redirect("staff:leave_detail", pk=leave.pk)


@login_required
@require_http_methods(["GET", "POST"])
def leave_return(request, pk):
    leave = access.get_leave_for_user(request.user, pk, action="follow_up")
    if leave.state != LeaveRequest.State.APPROVED:
        return _not_applicable(request, leave, _("只有已批准、尚未销假的请假才能销假。"))
    form = LeaveReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_return(user=request.user, leave=leave, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            last = leave.events.last()
            messages.success(request, _("已销假。") + (last.note if last else ""))
            return redirect("staff:leave_detail", pk=leave.pk)
    return render(
        request, "staff/leave_followup.html", {"form": form, "leave": leave, "what": "return"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_extend(request, pk):
    leave = access.get_leave_for_user(request.user, pk, action="follow_up")
    if leave.state != LeaveRequest.State.APPROVED:
        return _not_applicable(request, leave, _("只有已批准、尚未销假的请假才能续假。"))
    form = LeaveExtendForm(request.POST or None, initial={"phone": leave.phone})
    if request.method == "POST" and form.is_valid():
        try:
            extension = services.leave_extend(user=request.user, leave=leave, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("续假申请已提交，等待审批。"))
            return redirect("staff:leave_detail", pk=extension.pk)
    return render(
        request, "staff/leave_followup.html", {"form": form, "leave": leave, "what": "extend"}
    )


@login_required
@require_POST
def leave_withdraw(request, pk):
    leave = access.get_leave_for_user(request.user, pk, action="follow_up")
    try:
        services.leave_withdraw(user=request.user, leave=leave, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("已撤回请假申请。"))
    return redirect("staff:leave_detail", pk=leave.pk)


# --- departures -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def departure_create(request, pk):
    coordinator = access.get_coordinator_for_filing(request.user, pk)
    if not coordinator.in_post:
        messages.error(request, _("该协理员已离职。"))
        return redirect("staff:coordinator_detail", pk=coordinator.pk)
    kinds = None
    if not perm.can_manage(request.user, coordinator):
        kinds = [(DepartureReport.Kind.RESIGN, DepartureReport.Kind.RESIGN.label)]
    form = DepartureForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.departure_file(
                user=request.user, coordinator=coordinator, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("离职呈报已提交，等待村（社区）意见。"))
            return redirect("staff:departure_detail", pk=report.pk)
    return render(request, "staff/departure_form.html", {"form": form, "c": coordinator})


@login_required
@require_GET
def departure_detail(request, pk):
    report = access.get_departure_for_user(request.user, pk)
    user = request.user
    step = perm.step_of(report.state)
    role = perm.step_role(user, report.coordinator, step) if step else None
    show_handover = role is not None and perm.can_manage(user, report.coordinator)
    form = DepartureDecisionForm(
        initial={
            "handover_shown": show_handover,
            "handover_files": report.handover_files,
            "handover_equipment": report.handover_equipment,
            "handover_note": report.handover_note,
        }
    )
    context = {
        "report": report,
        "c": report.coordinator,
        "events": report.events.select_related("actor"),
        "ladder": _chain_steps(report, True),
        "role": role,
        "form": form,
        "show_handover": show_handover,
        "can_withdraw": report.is_pending and perm.can_follow_up(user, report.coordinator),
    }
    return render(request, "staff/departure_detail.html", context)


@login_required
@require_POST
def departure_decide(request, pk):
    report = access.get_departure_for_user(request.user, pk, action="decide")
    form = DepartureDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("staff:departure_detail", pk=report.pk)
    data = form.cleaned_data
    handover = {}
    if data["handover_shown"] and perm.can_manage(request.user, report.coordinator):
        handover = {
            "handover_files": data["handover_files"],
            "handover_equipment": data["handover_equipment"],
            "handover_note": data["handover_note"],
        }
    approve = data["decision"] == "approve"
    try:
        report = services.departure_decide(
            user=request.user,
            report=report,
            approve=approve,
            note=data["note"],
            signer_name=data["signer_name"],
            **handover,
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        text = _("已%(what)s，当前状态：%(state)s。") % {
            "what": _("同意") if approve else _("驳回"),
            "state": report.get_state_display(),
        }
        if report.state == DepartureReport.State.APPROVED:
            text += _("协理员已办结离职，登录账号已停用，岗位在镇（街道）人员配置中显示为空缺。")
        messages.success(request, text)
    return redirect("staff:departure_detail", pk=report.pk)


@login_required
@require_POST
def departure_withdraw(request, pk):
    report = access.get_departure_for_user(request.user, pk, action="follow_up")
    try:
        services.departure_withdraw(
            user=request.user, report=report, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("已撤回离职呈报。"))
    return redirect("staff:departure_detail", pk=report.pk)


# --- printing ---------------------------------------------------------------------------


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response


@login_required
@require_GET
def leave_slip(request, pk):
    from printing.render import render_one
    from staff.printouts import leave_slip_doc

    leave = access.get_leave_for_user(request.user, pk)
    doc = leave_slip_doc(leave)
    return _pdf(
        render_one(doc), f"请假审批单-{leave.coordinator.name}-{leave.start_date:%Y%m%d}.pdf"
    )


@login_required
@require_GET
def departure_report(request, pk):
    from printing.render import render_one
    from staff.printouts import departure_report_doc

    report = access.get_departure_for_user(request.user, pk)
    doc = departure_report_doc(report)
    return _pdf(render_one(doc), f"离职呈报单-{report.coordinator.name}.pdf")
