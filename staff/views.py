import re
from dataclasses import dataclass
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.events import Event
from audit.log import record
from jobs.responses import confirm_start, to_job
from jobs.services import job_enqueue
from kit.imports import uploads
from org.models import Unit
from staff import approvals as flow
from staff import decision_text, roster_file, rules, selectors, services
from staff import policy as perm
from staff.approvals import Action, Step
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
from staff.job_kinds import ROSTER_IMPORT
from staff.models import ApprovalRequest, AttendanceMonth, DepartureReport, LeaveRequest
from staff.roster import COLUMNS, roster_workbook

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


def _form_view(request, form, template: str, context: dict, *, save, done):
    """The one shape of every form page: GET (or an invalid POST) shows the form; a valid
    POST calls ``save(cleaned_data)``. A ``ValidationError`` from the service is shown on the
    form; otherwise ``done(result)`` gives (success message, address to go to)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            message, url = done(result)
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {"form": form, **context})


# --- coordinators ----------------------------------------------------------------------


def _filtered(qs, form: CoordinatorFilterForm):
    if not (form.is_bound and form.is_valid()):
        return qs
    data = form.cleaned_data
    return selectors.filter_coordinators(
        qs,
        town_id=data["town"].pk if data["town"] else None,
        state=data["state"],
        q=data["q"].strip(),
    )


@login_required
@require_GET
def coordinator_list(request):
    user = request.user
    towns = selectors.visible_towns(user)
    form = CoordinatorFilterForm(request.GET or None, towns=towns)
    qs = selectors.visible_coordinators(user)
    qs = _filtered(qs, form)
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
    coordinator = perm.get_coordinator_for_user(request.user, pk)
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
    user = request.user
    units = selectors.writable_grassroots_units(user)
    if coordinator is not None:
        units = units | Unit.objects.filter(pk=coordinator.unit_id)
    form = CoordinatorForm(request.POST or None, instance=coordinator, units=units.distinct())

    def save(data):
        account = data["account"]
        if coordinator is None:
            return services.coordinator_create(
                user=user, data=form.data_for_service(), account=account
            )
        return services.coordinator_update(
            user=user, coordinator=coordinator, data=form.data_for_service(), account=account
        )

    return _form_view(
        request,
        form,
        "staff/coordinator_form.html",
        {"c": coordinator, "is_admin": perm.is_bureau_admin(user)},
        save=save,
        done=lambda saved: (
            _("已保存协理员「%(name)s」。") % {"name": saved.name},
            reverse("staff:coordinator_detail", args=[saved.pk]),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def coordinator_create(request):
    perm.require_manager(request.user)
    return _coordinator_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def coordinator_edit(request, pk):
    coordinator = perm.get_coordinator_for_user(request.user, pk, write=True)
    return _coordinator_form(request, coordinator)


# --- roster import / export ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def roster_export(request):
    user = request.user
    if perm.is_own_coordinator_role(user) and not perm.can_manage_any(user):
        raise PermissionDenied(_("协理员账号不能导出花名册。"))
    qs = selectors.visible_coordinators(user)
    form = CoordinatorFilterForm(request.GET or None, towns=selectors.visible_towns(user))
    qs = _filtered(qs, form)
    name = roster_file.export_name()
    rows = qs.count()
    if rows > roster_file.inline_rows():
        # a large roster is written to a file by a background job, streamed
        if request.method != "POST":
            return confirm_start(
                request,
                title=_("导出协理员花名册"),
                what=f"将导出 {rows} 名协理员的花名册（xlsx）。",
            )
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        params = {
            "town": data["town"].pk if data.get("town") else None,
            "state": data.get("state") or "",
            "q": (data.get("q") or "").strip(),
            "filename": name,
        }
        job = job_enqueue(
            kind=roster_file.KIND, params=params, user=user, title=f"协理员花名册（{rows} 人）"
        )
        record(Event.EXPORT, request=request, detail=f"导出协理员花名册 {rows} 人（后台任务）")
        messages.success(request, f"正在导出 {rows} 名协理员的花名册，完成后可在本页下载。")
        return to_job(request, job)
    body = roster_workbook(qs)
    record(
        Event.EXPORT,
        request=request,
        detail=f"导出协理员花名册 {rows} 人（{name}）",
    )
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
    perm.require_manager(request.user)
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
                    data=data,
                    file_name=filename,
                    options={},
                    user=request.user,
                    fingerprint=plan.fingerprint(),
                    rows=len(plan.rows),
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
    perm.require_manager(request.user)
    token = request.POST.get("token", "")
    try:
        data, meta = uploads.load_pending(token, request.user)
    except Http404:
        messages.error(request, _("上传的文件已过期或不存在，请重新上传。"))
        return redirect("staff:roster_import")
    filename = _safe_name(meta.get("file_name", ""))
    if uploads.commits_in_job(meta):  # a big roster: a job writes it, checked the same way
        job = job_enqueue(
            kind=ROSTER_IMPORT,
            params=uploads.job_params(token, meta),
            user=request.user,
            title=f"导入协理员花名册「{filename}」",
        )
        return to_job(request, job)
    plan = services.roster_import(
        user=request.user,
        data=data,
        filename=filename,
        expected=meta.get("fingerprint") or "-",  # the plan previewed, kept with the file
    )
    if not plan.ok:
        uploads.drop_pending(token)
        return render(
            request,
            "staff/roster_import.html",
            {"form": RosterUploadForm(), "plan": plan, "headers": [c.header for c in COLUMNS]},
        )
    if plan.stale:
        uploads.record_plan(token, meta, plan.fingerprint(), rows=len(plan.rows))  # shown next
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
    town = perm.get_town_for_user(request.user, pk)
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
    town = perm.get_town_for_user(request.user, pk, write=True)
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
    return _form_view(
        request,
        form,
        "staff/window_staff_form.html",
        {"town": town, "year": year},
        save=lambda data: services.window_staffing_save(
            user=request.user, unit=town, year=year, **data
        ),
        done=lambda _saved: (
            _("已保存 %(year)d 年专窗人员配置。") % {"year": year},
            reverse("staff:town_staffing", args=[town.pk]) + f"?year={year}",
        ),
    )


# --- attendance -------------------------------------------------------------------------


@login_required
@require_GET
def attendance(request, pk):
    coordinator = perm.get_coordinator_for_user(request.user, pk)
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
    coordinator = perm.get_coordinator_for_user(request.user, pk, write=True)
    form = AttendanceEntryForm(request.POST or None, initial={"date": timezone.localdate()})
    return _form_view(
        request,
        form,
        "staff/attendance_form.html",
        {"c": coordinator, "monthly": False},
        save=lambda data: services.attendance_record(
            user=request.user, coordinator=coordinator, **data
        ),
        done=lambda entry: (_("已登记考勤。"), _attendance_url(coordinator, entry.date.year)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_month(request, pk):
    coordinator = perm.get_coordinator_for_user(request.user, pk, write=True)
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
    return _form_view(
        request,
        form,
        "staff/attendance_form.html",
        {"c": coordinator, "monthly": True},
        save=lambda data: services.attendance_month_save(
            user=request.user, coordinator=coordinator, **data
        ),
        done=lambda summary: (
            _("已保存月度考勤汇总。"),
            _attendance_url(coordinator, summary.month.year),
        ),
    )


@login_required
@require_POST
def attendance_delete(request, pk, monthly=False):
    """One day's entry, or (``monthly``) a month's summary."""
    if monthly:
        record = perm.get_attendance_month_for_user(request.user, pk)
        year, text = record.month.year, _("已删除月度考勤汇总。")
        services.attendance_month_delete(user=request.user, summary=record)
    else:
        record = perm.get_attendance_entry_for_user(request.user, pk)
        year, text = record.date.year, _("已删除考勤记录。")
        services.attendance_delete(user=request.user, entry=record)
    messages.success(request, text)
    return redirect(_attendance_url(record.coordinator, year))


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


# --- leave requests and departure reports ----------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """What differs between the two kinds of request on their pages; the rest of the
    differences (facts, print link, decision fields) are in ``staff/_<name>_sheet.html``
    and ``staff/_<name>_decision.html``."""

    model: type[ApprovalRequest]
    name: str  # key in flow.KINDS and prefix of the URL names
    title: str
    withdraw_label: str
    behalf_title: str
    decision_form: type

    @property
    def sheet(self) -> str:
        return f"staff/_{self.name}_sheet.html"

    @property
    def decision(self) -> str:
        return f"staff/_{self.name}_decision.html"


_l = gettext_lazy
# fmt: off
KIND = {k.model: k for k in (
    _Kind(LeaveRequest, "leave", _l("请假"), _l("撤回申请"), _l("代录村（社区）负责人意见"), DecisionForm),
    _Kind(DepartureReport, "departure", _l("离职呈报"), _l("撤回呈报"), _l("代录村（社区）意见"), DepartureDecisionForm),
)}
# fmt: on

# The ladder on a detail page names the town step by its office.
STEP_LABELS = {
    Step.VILLAGE: gettext_lazy("村（社区）负责人"),
    Step.TOWN: gettext_lazy("镇（街道）社会事业服务中心"),
    Step.CITY: gettext_lazy("市就业处"),
}
BUTTON_STYLES = {Action.APPROVE: "primary", Action.REJECT: "danger"}


@dataclass(frozen=True)
class Rung:
    label: str
    status: str  # css: done, current, todo
    event: object = None

    @property
    def current(self) -> bool:
        return self.status == "current"


@dataclass(frozen=True)
class Button:
    label: str
    url: str
    post: bool = False
    value: str = ""
    style: str = ""


def _detail_url(item) -> str:
    return reverse(f"staff:{KIND[type(item)].name}_detail", args=[item.pk])


def _ladder(item) -> list[Rung]:
    """Each step of the request's chain: signed (with its event), waited for, or to come."""
    done = selectors.step_signatures(item.events.all())
    current = flow.step_of(item.state)
    return [
        Rung(STEP_LABELS[step], "done", done[step])
        if step in done
        else Rung(STEP_LABELS[step], "current" if step == current else "todo")
        for step in flow.chain(item)
    ]


def _follow_up_buttons(item, kind: _Kind, actions) -> list[Button]:
    links = {
        Action.RETURN: (_("销假"), "staff:leave_return", False),
        Action.EXTEND: (_("续假"), "staff:leave_extend", False),
        Action.WITHDRAW: (kind.withdraw_label, f"staff:{kind.name}_withdraw", True),
    }
    return [
        Button(label, reverse(name, args=[item.pk]), post=post)
        for label, name, post in (links[a.action] for a in actions if a.action in links)
    ]


def _leave_context(leave) -> dict:
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
            today=timezone.localdate(),
        )
    return {"leave": leave, "heading": leave.kind_label, "overrun": overrun}


def _departure_context(report, actions) -> dict:
    show_handover = any(a.action == Action.HANDOVER for a in actions)
    return {
        "report": report,
        "show_handover": show_handover,
        "handover_missing": flow.step_of(report.state) == Step.CITY and not report.handed_over,
        "initial": {
            "handover_shown": show_handover,
            "handover_files": report.handover_files,
            "handover_equipment": report.handover_equipment,
            "handover_note": report.handover_note,
        },
    }


@login_required
@require_GET
def request_detail(request, pk, kind):
    """One page for a leave request or a departure report: its facts, the approval ladder,
    what the user may do (from ``staff/approvals.py``) and the history."""
    item, actions = flow.get_request_for_user(request.user, kind, pk)
    kind = KIND[type(item)]
    decision = next((a for a in actions if a.action in BUTTON_STYLES), None)
    if kind.model is LeaveRequest:
        context = _leave_context(item)
    else:
        context = _departure_context(item, actions)
    context.update(
        {
            "kind": kind,
            "item": item,
            "c": item.coordinator,
            "events": item.events.select_related("actor"),
            "ladder": _ladder(item),
            "buttons": _follow_up_buttons(item, kind, actions),
            "decision": decision,
            "decide_url": reverse(f"staff:{kind.name}_decide", args=[item.pk]),
            "decision_buttons": [
                Button(a.action.label, "", value=a.action.value, style=BUTTON_STYLES[a.action])
                for a in actions
                if a.action in BUTTON_STYLES
            ],
            "form": kind.decision_form(initial=context.pop("initial", None)),
            "extensions": item.extensions.all() if kind.model is LeaveRequest else (),
            "rejection": _rejection(item),
        }
    )
    context.setdefault("heading", kind.title)
    return render(request, "staff/request_detail.html", context)


def _rejection(item):
    """The event that rejected the request (its reason is shown at the top), or None."""
    if item.state != LeaveRequest.State.REJECTED:
        return None
    return item.events.filter(action=Action.REJECT).order_by("-at", "-id").first()


def _decide(user, item, data):
    common = {
        "user": user,
        "approve": data["decision"] == Action.APPROVE,
        "note": data["note"],
        "signer_name": data["signer_name"],
    }
    if isinstance(item, LeaveRequest):
        return services.leave_decide(leave=item, **common)
    handover = {}
    if data["handover_shown"] and flow.allowed(item, user, Action.HANDOVER):
        handover = {k: data[k] for k in ("handover_files", "handover_equipment", "handover_note")}
    return services.departure_decide(report=item, **common, **handover)


CONFIRM_LABELS = {
    Action.APPROVE: gettext_lazy("确认同意"),
    Action.REJECT: gettext_lazy("确认驳回"),
    Action.WITHDRAW: gettext_lazy("确认撤回"),
}
# What the confirmation page sends back: the fields of the form it confirms.
CONFIRMED_FIELDS = (
    "decision",
    "note",
    "signer_name",
    "handover_shown",
    "handover_files",
    "handover_equipment",
    "handover_note",
)


def _confirm(request, item, action: Action, *, note: str = ""):
    """The page between the button and the decision: what will happen, and to whom."""
    kind = KIND[type(item)]
    fields = [(k, v) for k in CONFIRMED_FIELDS for v in request.POST.getlist(k)]
    return render(
        request,
        "staff/decision_confirm.html",
        {
            "item": item,
            "c": item.coordinator,
            "kind": kind,
            "lines": decision_text.confirm_text(item, action, note=note),
            "fields": fields,
            "action_url": request.path,
            "button": CONFIRM_LABELS[action],
            "style": "primary" if action == Action.APPROVE else "danger",
            "back": _detail_url(item),
        },
    )


@login_required
@require_POST
def request_decide(request, pk, kind):
    item, _actions = flow.get_request_for_user(request.user, kind, pk, action="decide")
    form = KIND[type(item)].decision_form(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_detail_url(item))
    data = form.cleaned_data
    approve = data["decision"] == Action.APPROVE
    action = Action.APPROVE if approve else Action.REJECT
    if not approve and not data["note"].strip():
        messages.error(request, _("驳回时请在「意见」中写明理由，申请人会看到它。"))
        return redirect(_detail_url(item))
    permitted = flow.allowed(item, request.user, action)
    if permitted and permitted.behalf and not data["signer_name"].strip():
        messages.error(request, _("代录时请填写在纸质审批单上签字的负责人姓名。"))
        return redirect(_detail_url(item))
    if request.POST.get("confirmed") != "1":
        return _confirm(request, item, action, note=data["note"].strip())
    try:
        item = _decide(request.user, item, data)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        text = _("已%(what)s，当前状态：%(state)s。") % {
            "what": _("同意") if approve else _("驳回"),
            "state": item.get_state_display(),
        }
        if isinstance(item, DepartureReport) and item.state == DepartureReport.State.APPROVED:
            text += _("协理员已办结离职，登录账号已停用，岗位在镇（街道）人员配置中显示为空缺。")
        messages.success(request, text)
    return redirect(_detail_url(item))


@login_required
@require_POST
def request_withdraw(request, pk, kind):
    item, _actions = flow.get_request_for_user(request.user, kind, pk, action=Action.WITHDRAW)
    note = request.POST.get("note", "")
    if request.POST.get("confirmed") != "1":
        return _confirm(request, item, Action.WITHDRAW, note=note.strip())
    try:
        if isinstance(item, LeaveRequest):
            services.leave_withdraw(user=request.user, leave=item, note=note)
        else:
            services.departure_withdraw(user=request.user, report=item, note=note)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("已撤回请假申请。") if isinstance(item, LeaveRequest) else _("已撤回离职呈报。"),
        )
    return redirect(_detail_url(item))


@login_required
@require_http_methods(["GET", "POST"])
def leave_create(request, pk):
    coordinator = perm.get_coordinator_for_filing(request.user, pk)
    if not coordinator.in_post:
        messages.error(request, _("该协理员已离职，不能请假。"))
        return redirect("staff:coordinator_detail", pk=coordinator.pk)
    today = timezone.localdate()
    form = LeaveForm(
        request.POST or None,
        initial={"phone": coordinator.phone, "start_date": today, "end_date": today},
    )
    return _form_view(
        request,
        form,
        "staff/leave_form.html",
        {"c": coordinator, "city_days": rules.CITY_APPROVAL_DAYS},
        save=lambda data: services.leave_file(user=request.user, coordinator=coordinator, **data),
        done=lambda leave: (
            _("请假申请已提交（共 %(days)d 天），等待村（社区）负责人审批。")
            % {"days": leave.days},
            _detail_url(leave),
        ),
    )


def _leave_follow_up(request, pk, action: Action, form_class, initial, save, done):
    """销假 or 续假: a form on an approved leave not yet returned."""
    leave, actions = flow.get_request_for_user(request.user, LeaveRequest, pk, action=action)
    if not any(a.action == action for a in actions):
        messages.warning(
            request,
            _("只有已批准、尚未销假的请假才能%(what)s。") % {"what": action.label},
        )
        return redirect(_detail_url(leave))
    return _form_view(
        request,
        form_class(request.POST or None, initial=initial(leave)),
        "staff/leave_followup.html",
        {"leave": leave, "returning": action == Action.RETURN},
        save=lambda data: save(leave, data),
        done=done,
    )


def _returned(leave):
    last = leave.events.last()
    return _("已销假。") + (last.note if last else ""), _detail_url(leave)


@login_required
@require_http_methods(["GET", "POST"])
def leave_return(request, pk):
    return _leave_follow_up(
        request,
        pk,
        Action.RETURN,
        LeaveReturnForm,
        initial=lambda leave: None,
        save=lambda leave, data: services.leave_return(user=request.user, leave=leave, **data),
        done=_returned,
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_extend(request, pk):
    return _leave_follow_up(
        request,
        pk,
        Action.EXTEND,
        LeaveExtendForm,
        initial=lambda leave: {"phone": leave.phone},
        save=lambda leave, data: services.leave_extend(user=request.user, leave=leave, **data),
        done=lambda extension: (_("续假申请已提交，等待审批。"), _detail_url(extension)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def departure_create(request, pk):
    coordinator = perm.get_coordinator_for_filing(request.user, pk)
    if not coordinator.in_post:
        messages.error(request, _("该协理员已离职。"))
        return redirect("staff:coordinator_detail", pk=coordinator.pk)
    kinds = None
    if not perm.can_manage(request.user, coordinator):
        kinds = [(DepartureReport.Kind.RESIGN, DepartureReport.Kind.RESIGN.label)]
    return _form_view(
        request,
        DepartureForm(request.POST or None, kinds=kinds),
        "staff/departure_form.html",
        {"c": coordinator},
        save=lambda data: services.departure_file(
            user=request.user, coordinator=coordinator, **data
        ),
        done=lambda report: (_("离职呈报已提交，等待村（社区）意见。"), _detail_url(report)),
    )


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

    leave, _actions = flow.get_request_for_user(request.user, LeaveRequest, pk)
    doc = leave_slip_doc(leave)
    name = f"请假审批单-{leave.coordinator.name}-{leave.start_date:%Y%m%d}.pdf"
    body = render_one(doc)
    record(Event.DOWNLOAD, request=request, obj=leave, detail=f"打印{name}")
    return _pdf(body, name)


@login_required
@require_GET
def departure_report(request, pk):
    from printing.render import render_one
    from staff.printouts import departure_report_doc

    report, _actions = flow.get_request_for_user(request.user, DepartureReport, pk)
    doc = departure_report_doc(report)
    name = f"离职呈报单-{report.coordinator.name}.pdf"
    body = render_one(doc)
    record(Event.DOWNLOAD, request=request, obj=report, detail=f"打印{name}")
    return _pdf(body, name)
