"""Every write of the staff app. Keyword-only arguments, one transaction each.

Business-rule failures raise ``ValidationError`` with a Chinese message that names the rule;
acting without the right raises ``PermissionDenied``. Either way nothing is written.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notices.services import notify
from staff import approvals, rules, selectors
from staff import policy as perm
from staff.approvals import Action, State
from staff.decision_text import EVENTS, decided_notice, kind_name
from staff.models import (
    ApprovalEvent,
    ApprovalRequest,
    AttendanceEntry,
    AttendanceMonth,
    Coordinator,
    DepartureReport,
    LeaveRequest,
    WindowStaffing,
)
from staff.roster import RosterPlan, parse_roster

EDITABLE_FIELDS = (
    "name",
    "gender",
    "birth_month",
    "political_status",
    "education",
    "position",
    "phone",
    "unit",
    "joined_on",
    "certificate_no",
    "certificate_date",
    "contract_start",
    "contract_end",
    "is_fulltime",
)


def _who(user) -> str:
    return user.display_name if user is not None else "系统"


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- coordinator records ---------------------------------------------------------------


def _check_account(account, *, unit, coordinator=None) -> None:
    if account is None:
        return
    if account.role != User.Role.COORDINATOR:
        raise ValidationError(f"账号「{account.username}」的角色不是协理员，不能关联。")
    if not account.units.filter(pk=unit.pk).exists():
        raise ValidationError(
            f"账号「{account.username}」负责的单位中没有{unit.name}；请先在账号设置中为它分配该单位。"
        )
    other = Coordinator.objects.filter(user=account).exclude(
        pk=coordinator.pk if coordinator else None
    )
    if other.exists():
        raise ValidationError(
            f"账号「{account.username}」已关联协理员「{other.first().name}」，一个账号只能关联一人。"
        )


def _check_contract(data: dict) -> None:
    start, end = data.get("contract_start"), data.get("contract_end")
    if start and end and end < start:
        raise ValidationError("合同结束日期早于合同开始日期。")


@transaction.atomic
def coordinator_create(*, user, data: dict, account=None) -> Coordinator:
    unit = data["unit"]
    if not perm.can_manage_unit(user, unit):
        raise PermissionDenied("您不能为该社区（村）登记协理员。")
    _check_contract(data)
    _check_account(account, unit=unit)
    coordinator = Coordinator(**{f: data[f] for f in EDITABLE_FIELDS if f in data})
    coordinator.user = account
    coordinator.full_clean()
    coordinator.save()
    return coordinator


@transaction.atomic
def coordinator_update(*, user, coordinator: Coordinator, data: dict, account=None) -> Coordinator:
    coordinator = _locked(Coordinator, coordinator.pk)
    if not perm.can_manage(user, coordinator):
        raise PermissionDenied("您不能修改该协理员的信息。")
    unit = data.get("unit", coordinator.unit)
    if unit.pk != coordinator.unit_id and not perm.is_bureau_admin(user):
        raise ValidationError(
            "镇（街道）社会事业服务中心不得跨村、镇（街道）调整协理员岗位（人员管理制度第3条）；"
            "如确需调整，请由市人社局办理。"
        )
    if coordinator.state == Coordinator.State.LEFT and account is not None:
        raise ValidationError("已离职的协理员不能再关联登录账号。")
    _check_contract(data)
    _check_account(account, unit=unit, coordinator=coordinator)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(coordinator, name, data[name])
    coordinator.user = account
    coordinator.full_clean()
    coordinator.save()
    return coordinator


@transaction.atomic
def roster_import(
    *, user, data: bytes, filename: str, dry_run: bool = False, expected: str | None = None
) -> RosterPlan:
    """Check the whole file; write every row in this one transaction, or nothing.

    ``expected`` is the fingerprint of the plan the person confirmed; when the file now
    plans something else (the roster changed since the preview), nothing is written and
    the plan comes back with ``stale`` set."""
    if not perm.can_manage_any(user):
        raise PermissionDenied("只有人社局管理员和镇（街道）社会事业服务中心可以导入花名册。")
    plan = parse_roster(data, filename, units=selectors.writable_grassroots_units(user))
    plan.stale = bool(expected) and plan.ok and plan.fingerprint() != expected
    if not plan.ok or dry_run or plan.stale:
        return plan
    for row in plan.rows:
        values = {k: v for k, v in row.values.items() if v is not None and k != "unit"}
        if row.coordinator is None:
            coordinator = Coordinator(unit=row.unit, **values)
            coordinator.full_clean()
            coordinator.save()
            row.created = coordinator
        elif row.changes:
            coordinator = _locked(Coordinator, row.coordinator.pk)
            for name, value in values.items():
                setattr(coordinator, name, value)
            coordinator.full_clean()
            coordinator.save()
    return plan


@transaction.atomic
def window_staffing_save(
    *,
    user,
    unit,
    year: int,
    windows: int,
    window_staff: int,
    village_coordinators: int,
    note: str = "",
) -> WindowStaffing:
    if not unit.is_town_level:
        raise ValidationError("专窗人员配置按镇（街道）级单位填报。")
    if not perm.can_manage_unit(user, unit):
        raise PermissionDenied("您不能修改该镇（街道）的专窗人员配置。")
    row, _created = WindowStaffing.objects.select_for_update().get_or_create(unit=unit, year=year)
    row.windows = windows
    row.window_staff = window_staff
    row.village_coordinators = village_coordinators
    row.note = note
    row.updated_by = user
    row.full_clean()
    row.save()
    return row


# --- attendance ------------------------------------------------------------------------

HALF = Decimal("0.5")


def _check_days(value: Decimal, label: str, *, allow_zero: bool, limit: int) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError(f"{label}应大于 0。")
    if value % HALF:
        raise ValidationError(f"{label}按半天计，只能是 0.5 的整数倍。")
    if value > limit:
        raise ValidationError(f"{label}不能超过 {limit} 天。")


@transaction.atomic
def attendance_record(
    *,
    user,
    coordinator: Coordinator,
    date: date,
    status: str,
    days: Decimal,
    note: str = "",
    today: date | None = None,
) -> AttendanceEntry:
    """A day, or a run of ``days`` calendar days from ``date`` (e.g. 脱岗 8 天)."""
    today = today or timezone.localdate()
    coordinator = _locked(Coordinator, coordinator.pk)
    if not perm.can_manage(user, coordinator):
        raise PermissionDenied("只有本镇（街道）社会事业服务中心和人社局管理员可以登记考勤。")
    if status not in AttendanceEntry.Status.values:
        raise ValidationError("请选择考勤情况。")
    _check_days(days, "天数", allow_zero=False, limit=31)
    entry = rules.DayEntry(date, status, days)
    dates = entry.dates()
    if dates[-1] > today:
        raise ValidationError(f"不能登记今天（{rules.fmt_full_date(today)}）以后的考勤。")
    if dates[-1].year != date.year:
        raise ValidationError("跨年的连续天数请按年度分两条登记。")
    if coordinator.joined_on and date < coordinator.joined_on:
        raise ValidationError("该日期早于协理员进本系统时间。")
    if coordinator.left_on and dates[-1] > coordinator.left_on:
        raise ValidationError(f"协理员已于 {rules.fmt_full_date(coordinator.left_on)} 离职。")
    months = {(d.year, d.month) for d in dates}
    for year, month in sorted(months):
        if coordinator.attendance_months.filter(
            month=date.replace(year=year, month=month, day=1)
        ).exists():
            raise ValidationError(
                f"{year} 年 {month} 月已登记月度考勤汇总；同一个月请只用一种方式登记，"
                "可修改该月汇总，或删除汇总后逐日登记。"
            )
    nearby = coordinator.attendance_entries.filter(
        date__gte=date - timedelta(days=31), date__lte=dates[-1]
    )
    taken = set(dates)
    for other in nearby:
        clash = taken.intersection(rules.DayEntry(other.date, other.status, other.days).dates())
        if clash:
            day = min(clash)
            raise ValidationError(
                f"{rules.fmt_full_date(day)}已有考勤记录（{other.get_status_display()} "
                f"{rules.fmt_days(other.days)} 天，自 {rules.fmt_date(other.date)} 起）；"
                "请先删除原记录再登记。"
            )
    return AttendanceEntry.objects.create(
        coordinator=coordinator, date=date, status=status, days=days, note=note, recorded_by=user
    )


@transaction.atomic
def attendance_delete(*, user, entry: AttendanceEntry) -> None:
    if not perm.can_manage(user, entry.coordinator):
        raise PermissionDenied("只有本镇（街道）社会事业服务中心和人社局管理员可以修改考勤。")
    entry.delete()


@transaction.atomic
def attendance_month_save(
    *,
    user,
    coordinator: Coordinator,
    month: date,
    present_days: Decimal,
    absent_days: Decimal,
    leave_days: Decimal,
    off_post_days: Decimal,
    note: str = "",
    today: date | None = None,
) -> AttendanceMonth:
    today = today or timezone.localdate()
    coordinator = _locked(Coordinator, coordinator.pk)
    if not perm.can_manage(user, coordinator):
        raise PermissionDenied("只有本镇（街道）社会事业服务中心和人社局管理员可以登记考勤。")
    month = month.replace(day=1)
    if month > today:
        raise ValidationError("不能登记本月以后的考勤汇总。")
    next_month = (month + timedelta(days=32)).replace(day=1)
    length = (next_month - month).days
    values = {
        "出勤天数": present_days,
        "旷工天数": absent_days,
        "请假天数": leave_days,
        "脱岗天数": off_post_days,
    }
    for label, value in values.items():
        _check_days(value, label, allow_zero=True, limit=length)
    if sum(values.values()) > length:
        raise ValidationError(f"各项天数合计超过了该月的 {length} 天。")
    if coordinator.attendance_entries.filter(date__gte=month, date__lt=next_month).exists():
        raise ValidationError(
            f"{month.year} 年 {month.month} 月已有逐日考勤记录；同一个月请只用一种方式登记。"
        )
    summary, _created = AttendanceMonth.objects.get_or_create(coordinator=coordinator, month=month)
    summary.present_days = present_days
    summary.absent_days = absent_days
    summary.leave_days = leave_days
    summary.off_post_days = off_post_days
    summary.note = note
    summary.recorded_by = user
    summary.save()
    return summary


@transaction.atomic
def attendance_month_delete(*, user, summary: AttendanceMonth) -> None:
    if not perm.can_manage(user, summary.coordinator):
        raise PermissionDenied("只有本镇（街道）社会事业服务中心和人社局管理员可以修改考勤。")
    summary.delete()


# --- approvals (shared by leave and departures) ----------------------------------------


def _log(item: ApprovalRequest, *, user, action: Action, **kwargs) -> ApprovalEvent:
    return item.events.create(
        actor=user,
        actor_name=_who(user),
        at=timezone.now(),
        state_after=item.state,
        action=action,
        **kwargs,
    )


def _decide(
    item: ApprovalRequest, *, user, approve: bool, note: str = "", signer_name: str = ""
) -> ApprovalEvent:
    """Move ``item`` one step along ``approvals.TABLE`` and log it; returns the event."""
    step = approvals.step_of(item.state)
    if step is None:
        raise ValidationError(f"该申请当前状态为「{item.get_state_display()}」，不在审批中。")
    action = Action.APPROVE if approve else Action.REJECT
    permitted = approvals.allowed(item, user, action)
    if permitted is None:
        raise PermissionDenied("您不是这一环节的审批人。")
    signer_name = (signer_name or "").strip()
    note = (note or "").strip()
    if permitted.behalf and not signer_name:
        raise ValidationError(
            "您在代录村（社区）负责人的意见：请填写在纸质审批单上签字的负责人姓名。"
        )
    if not approve and not note:
        raise ValidationError("驳回时请写明理由。")
    item.state = permitted.target
    if item.state in approvals.DECIDED:
        item.decided_at = timezone.now()
    item.save()
    return _log(
        item,
        user=user,
        action=action,
        step=step,
        note=note,
        signer_name=signer_name if permitted.behalf else "",
    )


def _tell_applicant(item: ApprovalRequest, event: ApprovalEvent) -> None:
    """When the approval is over, the coordinator and whoever filed the request are told
    the result (and a rejection's reason)."""
    if item.state not in approvals.DECIDED:
        return
    kind = kind_name(item)
    notify(
        [item.coordinator.user, item.filed_by],
        event=EVENTS[kind],
        link=reverse(f"staff:{kind}_detail", args=[item.pk]),
        key=f"{EVENTS[kind]}:{item.pk}:{event.pk}",
        **decided_notice(item, note=event.note),
    )


def _follow_up(item: ApprovalRequest, action: Action, *, user, message: str, today=None):
    """The table's row for this 销假/续假/撤回, or None when the request's state has none;
    PermissionDenied for someone who is neither the coordinator nor the town centre."""
    if not perm.can_follow_up(user, item.coordinator):
        raise PermissionDenied(f"只有协理员本人和本镇（街道）社会事业服务中心可以{message}。")
    return approvals.transition_for(item, action, today=today)


def _check_withdraw(user, item: ApprovalRequest) -> None:
    if not perm.can_withdraw(user, item):
        raise PermissionDenied(approvals.WITHDRAW_REFUSED)


# --- leave -----------------------------------------------------------------------------


def _sync_leave_state(coordinator: Coordinator) -> None:
    """请假中 = holds an approved leave not yet returned (销假)."""
    if coordinator.state == Coordinator.State.LEFT:
        return
    open_leave = coordinator.leave_requests.filter(state=State.APPROVED).exists()
    state = Coordinator.State.ON_LEAVE if open_leave else Coordinator.State.ACTIVE
    if coordinator.state != state:
        coordinator.state = state
        coordinator.save(update_fields=["state"])


def _overlap_message(other: LeaveRequest) -> str:
    return (
        f"与已有的请假（{other.kind_label}，{rules.fmt_full_date(other.start_date)}至"
        f"{rules.fmt_full_date(other.end_date)}，{other.get_state_display()}）时间重叠，不能重复请假。"
        "如需延长假期，请在原请假上办理续假。"
    )


@transaction.atomic
def leave_file(
    *,
    user,
    coordinator: Coordinator,
    kind: str,
    start_date: date,
    end_date: date,
    reason: str = "",
    phone: str = "",
    after_the_fact: bool = False,
    after_the_fact_note: str = "",
    today: date | None = None,
) -> LeaveRequest:
    today = today or timezone.localdate()
    coordinator = _locked(Coordinator, coordinator.pk)
    if not perm.can_file_for(user, coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以申请请假。")
    if coordinator.state == Coordinator.State.LEFT:
        raise ValidationError("该协理员已离职，不能请假。")
    if kind not in LeaveRequest.Kind.values:
        raise ValidationError("请选择请假类别。")
    reason, note = (reason or "").strip(), (after_the_fact_note or "").strip()
    if kind == LeaveRequest.Kind.OTHER and not reason:
        raise ValidationError("请假类别为「其他」时，请在请假理由中写明具体事由。")
    if end_date < start_date:
        raise ValidationError("结束日期早于开始日期。")
    days = rules.leave_days(start_date, end_date)
    if days > 366:
        raise ValidationError("一次请假不能超过 366 天，请核对日期。")
    if start_date < today:
        if not after_the_fact:
            raise ValidationError(
                f"开始日期{rules.fmt_full_date(start_date)}早于今天（{rules.fmt_full_date(today)}）。"
                "请假应事先填写请假审批单（考勤制度第3条）；如因特殊情况或紧急事项已先口头报告，"
                "请勾选「事后补办」并写明口头报告的情况。"
            )
        if not note:
            raise ValidationError("事后补办请假手续时，请写明何时、向谁口头报告（考勤制度第3条）。")
        earliest = today - timedelta(days=rules.AFTER_THE_FACT_MAX_DAYS)
        if start_date < earliest:
            raise ValidationError(
                f"事后补办只受理 {rules.AFTER_THE_FACT_MAX_DAYS} 天以内开始的请假"
                f"（开始日期不早于{rules.fmt_full_date(earliest)}）；更早的缺勤请由镇（街道）"
                "社会事业服务中心在考勤中核实登记。"
            )
    else:
        after_the_fact, note = False, ""
    other = selectors.overlapping_leave(coordinator, start_date, end_date)
    if other is not None:
        raise ValidationError(_overlap_message(other))
    leave = LeaveRequest.objects.create(
        coordinator=coordinator,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        days=days,
        reason=reason,
        phone=(phone or "").strip(),
        after_the_fact=after_the_fact,
        after_the_fact_note=note,
        needs_city=rules.needs_city_approval(days),
        filed_by=user,
    )
    _log(leave, user=user, action=Action.FILE, note=note)
    return leave


@transaction.atomic
def leave_decide(
    *, user, leave: LeaveRequest, approve: bool, note: str = "", signer_name: str = ""
) -> LeaveRequest:
    leave = _locked(LeaveRequest, leave.pk)
    event = _decide(leave, user=user, approve=approve, note=note, signer_name=signer_name)
    _tell_applicant(leave, event)
    if leave.state == State.APPROVED and leave.extends_id:
        original = _locked(LeaveRequest, leave.extends_id)
        superseded = approvals.transition_for(original, Action.EXTEND)
        if superseded is not None:
            original.state = superseded.target
            original.save(update_fields=["state"])
            _log(
                original,
                user=user,
                action=Action.EXTEND,
                note=f"续假已批准，假期延至{rules.fmt_full_date(leave.end_date)}。",
            )
    if leave.state == State.APPROVED:
        _sync_leave_state(leave.coordinator)
    return leave


@transaction.atomic
def leave_return(
    *,
    user,
    leave: LeaveRequest,
    returned_on: date,
    note: str = "",
    today: date | None = None,
) -> LeaveRequest:
    """销假: ``returned_on`` is the first day back at work. Days after the leave ended and
    before that day count as 旷工 (考勤制度第6条) unless an extension covered them."""
    today = today or timezone.localdate()
    leave = _locked(LeaveRequest, leave.pk)
    row = _follow_up(leave, Action.RETURN, user=user, message="销假", today=today)
    if leave.state == State.EXTENDED:
        raise ValidationError("该请假已续假，请在续假申请上销假。")
    if row is None:
        raise ValidationError(
            f"只有已批准的请假才能销假（当前状态：{leave.get_state_display()}）。"
        )
    if leave.extensions.filter(state__in=LeaveRequest.PENDING).exists():
        raise ValidationError(
            "该请假有待审批的续假申请：请在续假审批后在续假申请上销假，或先撤回续假。"
        )
    if returned_on <= leave.start_date:
        raise ValidationError("返岗日期应晚于请假开始日期；尚未开始的请假请撤回。")
    if returned_on > today:
        raise ValidationError("返岗日期不能晚于今天。")
    leave.returned_on = returned_on
    leave.state = row.target
    leave.save(update_fields=["returned_on", "state"])
    text = f"{rules.fmt_full_date(returned_on)}返岗。"
    overrun = rules.overrun_of(
        rules.LeaveSpan("", leave.start_date, leave.end_date, returned_on), today=today
    )
    if overrun is not None:
        text += (
            f"假期至{rules.fmt_full_date(leave.end_date)}结束，逾期 {overrun.days} 天未办续假手续，"
            "按旷工论处（考勤制度第6条）。"
        )
    if note.strip():
        text += note.strip()
    _log(leave, user=user, action=Action.RETURN, note=text)
    _sync_leave_state(leave.coordinator)
    return leave


@transaction.atomic
def leave_extend(
    *,
    user,
    leave: LeaveRequest,
    end_date: date,
    reason: str,
    phone: str = "",
) -> LeaveRequest:
    """续假: a new request from the day after the leave ends to ``end_date``, approved by the
    same chain; the city approves when the leave and its extensions reach 3 days. It may be
    filed after the leave has ended (考勤制度第3条: 事后办理续假手续)."""
    leave = _locked(LeaveRequest, leave.pk)
    if _follow_up(leave, Action.EXTEND, user=user, message="办理续假") is None:
        raise ValidationError(
            f"只有已批准、尚未销假的请假才能续假（当前状态：{leave.get_state_display()}）。"
        )
    if leave.extensions.filter(state__in=LeaveRequest.PENDING).exists():
        raise ValidationError("该请假已有待审批的续假申请。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请写明续假的客观原因（考勤制度第3条）。")
    if end_date <= leave.end_date:
        raise ValidationError(
            f"续假的结束日期应晚于原假期的结束日期（{rules.fmt_full_date(leave.end_date)}）。"
        )
    start = leave.end_date + timedelta(days=1)
    days = rules.leave_days(start, end_date)
    other = selectors.overlapping_leave(leave.coordinator, start, end_date, exclude_ids=[leave.pk])
    if other is not None:
        raise ValidationError(_overlap_message(other))
    total = selectors.chain_days(selectors.chain_root(leave), extra=days)
    extension = LeaveRequest.objects.create(
        coordinator=leave.coordinator,
        kind=leave.kind,
        start_date=start,
        end_date=end_date,
        days=days,
        reason=reason,
        phone=(phone or "").strip() or leave.phone,
        extends=leave,
        needs_city=rules.needs_city_approval(total),
        filed_by=user,
    )
    _log(
        extension,
        user=user,
        action=Action.FILE,
        note=f"续假：接{rules.fmt_full_date(leave.end_date)}结束的请假，连同原假期共 {total} 天。",
    )
    # The leave stays approved until the extension is (``leave_decide``).
    _log(
        leave,
        user=user,
        action=Action.EXTEND,
        note=f"申请续假至{rules.fmt_full_date(end_date)}（{days} 天），待审批。",
    )
    return extension


@transaction.atomic
def leave_withdraw(
    *, user, leave: LeaveRequest, note: str = "", today: date | None = None
) -> LeaveRequest:
    """Withdraw a request in approval, or an approved one that has not started."""
    today = today or timezone.localdate()
    leave = _locked(LeaveRequest, leave.pk)
    _check_withdraw(user, leave)
    row = approvals.transition_for(leave, Action.WITHDRAW, today=today)
    if row is None:
        raise ValidationError("只能撤回审批中的请假，或尚未开始的已批准请假；已开始的请假请销假。")
    leave.state = row.target
    leave.save(update_fields=["state"])
    _log(leave, user=user, action=Action.WITHDRAW, note=note.strip())
    _sync_leave_state(leave.coordinator)
    return leave


# --- departures ------------------------------------------------------------------------


@transaction.atomic
def departure_file(
    *,
    user,
    coordinator: Coordinator,
    kind: str,
    departure_date: date,
    reason: str = "",
    personal_notes: str = "",
    handover_files: bool = False,
    handover_equipment: bool = False,
    handover_note: str = "",
) -> DepartureReport:
    coordinator = _locked(Coordinator, coordinator.pk)
    if not perm.can_file_for(user, coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以呈报离职。")
    if coordinator.state == Coordinator.State.LEFT:
        raise ValidationError("该协理员已离职。")
    if kind not in DepartureReport.Kind.values:
        raise ValidationError("请选择离职类别。")
    if not perm.can_manage(user, coordinator) and kind != DepartureReport.Kind.RESIGN:
        raise ValidationError(
            "协理员本人只能呈报辞职；其他离职类别由镇（街道）社会事业服务中心呈报。"
        )
    reason = (reason or "").strip()
    if kind == DepartureReport.Kind.OTHER and not reason:
        raise ValidationError(
            "离职类别填写「其他」的，应在「离职原因」中作具体说明（离职呈报表说明第1条）。"
        )
    if coordinator.joined_on and departure_date < coordinator.joined_on:
        raise ValidationError("拟离职时间早于进本系统时间。")
    if coordinator.departures.filter(state__in=DepartureReport.PENDING).exists():
        raise ValidationError("该协理员已有审批中的离职呈报。")
    report = DepartureReport.objects.create(
        coordinator=coordinator,
        kind=kind,
        departure_date=departure_date,
        reason=reason,
        personal_notes=(personal_notes or "").strip(),
        handover_files=handover_files,
        handover_equipment=handover_equipment,
        handover_note=(handover_note or "").strip(),
        filed_by=user,
    )
    _log(report, user=user, action=Action.FILE)
    return report


@transaction.atomic
def departure_decide(
    *,
    user,
    report: DepartureReport,
    approve: bool,
    note: str = "",
    signer_name: str = "",
    handover_files: bool | None = None,
    handover_equipment: bool | None = None,
    handover_note: str | None = None,
) -> DepartureReport:
    """One approval step (村 → 镇 → 市). The last one makes the coordinator 已离职, deactivates
    their login, withdraws their requests still in approval and leaves the post vacant."""
    report = _locked(DepartureReport, report.pk)
    handover = {
        "handover_files": handover_files,
        "handover_equipment": handover_equipment,
        "handover_note": handover_note.strip() if handover_note is not None else None,
    }
    changed = [k for k, v in handover.items() if v is not None and getattr(report, k) != v]
    if changed:
        if not approvals.record_keeper(user, report):  # who confirms Action.HANDOVER
            raise PermissionDenied("移交情况由镇（街道）社会事业服务中心确认。")
        for k in changed:
            setattr(report, k, handover[k])
        report.save(update_fields=changed)
        _log(
            report,
            user=user,
            action=Action.HANDOVER,
            note="；".join(
                f"{'工作文件、资料' if k == 'handover_files' else '办公设备'}"
                f"{'已移交' if getattr(report, k) else '未移交'}"
                for k in ("handover_files", "handover_equipment")
            ),
        )
    final = approvals.step_of(report.state) == approvals.Step.CITY
    if approve and final and not report.handed_over:
        raise ValidationError(
            "离职人员需做好工作文件、资料、使用办公设备的移交（离职呈报表说明第2条）："
            "请先由镇（街道）社会事业服务中心确认移交完毕。"
        )
    event = _decide(report, user=user, approve=approve, note=note, signer_name=signer_name)
    _tell_applicant(report, event)  # before the departing coordinator's login is closed
    if report.state == State.APPROVED:
        _complete_departure(report, user=user)
    return report


def _complete_departure(report: DepartureReport, *, user) -> None:
    coordinator = _locked(Coordinator, report.coordinator_id)
    coordinator.state = Coordinator.State.LEFT
    coordinator.left_on = report.departure_date
    coordinator.save(update_fields=["state", "left_on"])
    if coordinator.user_id:
        # Saved, not updated in bulk: the account's deactivation is in the security log.
        account = User.objects.get(pk=coordinator.user_id)
        account.is_active = False
        account.save(update_fields=["is_active"])
    for leave in coordinator.leave_requests.filter(state__in=LeaveRequest.PENDING):
        # The table's withdrawal, taken by the system whoever approved the departure.
        leave.state = approvals.transition_for(leave, Action.WITHDRAW).target
        leave.save(update_fields=["state"])
        _log(leave, user=user, action=Action.WITHDRAW, note="协理员已离职，自动撤回。")


@transaction.atomic
def departure_withdraw(*, user, report: DepartureReport, note: str = "") -> DepartureReport:
    report = _locked(DepartureReport, report.pk)
    _check_withdraw(user, report)
    row = approvals.transition_for(report, Action.WITHDRAW)
    if row is None:
        raise ValidationError("只能撤回审批中的离职呈报。")
    report.state = row.target
    report.save(update_fields=["state"])
    _log(report, user=user, action=Action.WITHDRAW, note=(note or "").strip())
    return report
