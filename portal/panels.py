"""What each person finds waiting on the home page: panels drawn from every app."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import reads_audit_log
from assessments import deadlines
from assessments.models import Assessment, Cycle
from assessments.overdue import overdue_sheets
from kit.formatting import month_day
from org.models import Unit
from org.roles import Role
from org.scope import scope_for
from staff.selectors import waiting_for
from targets.selectors import visible_towns


@dataclass
class Panel:
    title: str
    empty_text: str
    rows: list = field(default_factory=list)  # (label, url or "", note)


def home_panels(user: User) -> list[Panel]:
    if reads_audit_log(user):
        # 三员分立: the audit administrator's work is the security log, and only that.
        return [
            Panel(
                _("安全审计"),
                "",
                [(_("安全审计日志"), reverse("audit:log"), _("查看、筛选、导出"))],
            )
        ]
    scope = scope_for(user)
    panels: list[Panel] = _staff_panels(user)
    role = user.role if not user.is_superuser else Role.ADMIN
    if role == Role.COORDINATOR:
        units = list(Unit.objects.filter(pk__in=scope.unit_ids).select_related("parent"))
        panels.append(
            Panel(
                _("我的单位"),
                _("尚未为您分配社区或村，请联系镇（街道）人社工作人员。"),
                [(u.name, _unit_url(u), u.parent.name if u.parent else "") for u in units],
            )
        )
        panels.append(
            Panel(_("待填报的自评"), _("目前没有需要您填报的自评表。"), _self_todo(scope))
        )
    elif role == Role.REVIEWER:
        rows = []
        for town in visible_towns(user):
            rows.append(
                (town.name, _unit_url(town), _("下辖 %(n)d 个社区（村）") % {"n": town.n_children})
            )
        panels.append(Panel(_("我负责的镇（街道）"), _("尚未为您分配镇（街道）。"), rows))
        panels.append(
            Panel(_("待审核的考核表"), _("目前没有等待您审核的考核表。"), _review_todo(scope))
        )
        panels += _overdue_panel(user)
    elif role == Role.ADMIN:
        counts = {
            "towns": Unit.objects.filter(kind__in=Unit.TOWN_KINDS, active=True).count(),
            "grassroots": Unit.objects.filter(kind__in=Unit.GRASSROOTS_KINDS, active=True).count(),
            "users": User.objects.filter(is_active=True).count(),
        }
        panels.append(
            Panel(
                _("概况"),
                "",
                [
                    (_("镇（街道）级单位"), "", str(counts["towns"])),
                    (_("社区（村）"), "", str(counts["grassroots"])),
                    (_("在用账号"), "", str(counts["users"])),
                ],
            )
        )
        panels.append(Panel(_("进行中的考核周期"), _("目前没有进行中的考核周期。"), _open_cycles()))
        panels += _overdue_panel(user)
    else:
        rows = [(t.name, _unit_url(t), "") for t in visible_towns(user)]
        panels.append(Panel(_("可查看的单位"), _("没有可查看的单位。"), rows))
        panels.append(Panel(_("已公布的考核结果"), _("目前没有已公布的考核结果。"), _published()))
    return panels


def _staff_panels(user) -> list[Panel]:
    """Leave requests and departure reports waiting for this person's approval."""
    leave, departures = waiting_for(user)
    rows = [
        (
            f"{r.coordinator.name} {r.get_kind_display()}",
            reverse("staff:leave_detail", args=[r.pk]),
            r.get_state_display(),
        )
        for r in leave
    ] + [
        (
            f"{r.coordinator.name} 离职",
            reverse("staff:departure_detail", args=[r.pk]),
            r.get_state_display(),
        )
        for r in departures
    ]
    return [Panel(_("待我审批"), "", rows)] if rows else []


def _self_todo(scope) -> list:
    sheets = Assessment.objects.filter(
        unit_id__in=scope.unit_ids,
        cycle__state=Cycle.State.SELF_OPEN,
        state__in=[Assessment.State.DRAFT, Assessment.State.RETURNED],
    ).select_related("cycle__rubric", "unit")
    today = deadlines.today()
    return [
        (
            f"{s.cycle.title}（{s.get_phase_display()}）",
            reverse("assessments:sheet_self", args=[s.pk]),
            _with_deadline(s.get_state_display(), deadlines.sheet_deadline(s, on=today)),
        )
        for s in sheets.prefetch_related("extensions").order_by("-cycle__year", "id")[:20]
    ]


def _with_deadline(note: str, deadline) -> str:
    """「填报中 · 自评截止 12月5日，还剩 3 天」."""
    if deadline is None:
        return note
    when = f"{deadline.label} {month_day(deadline.date)}，{deadline.days_text}"
    return f"{note} · {when}" if note else when


def _review_todo(scope) -> list:
    rows = (
        Assessment.objects.filter(
            unit__parent_id__in=scope.town_ids,
            cycle__state__in=[Cycle.State.SELF_OPEN, Cycle.State.REVIEW],
            state=Assessment.State.SUBMITTED,
        )
        .values("cycle_id", "cycle__title", "cycle__review_deadline")
        .annotate(n=Count("id"))
        .order_by("-cycle_id")
    )
    today = deadlines.today()
    return [
        (
            r["cycle__title"],
            reverse("assessments:cycle_detail", args=[r["cycle_id"]]),
            _with_review_deadline(
                _("%(n)d 张待审核") % {"n": r["n"]}, r["cycle__review_deadline"], today
            ),
        )
        for r in rows
    ]


def _with_review_deadline(note: str, due, today) -> str:
    if due is None:
        return note
    return f"{note} · {_('审核截止')} {month_day(due)}，{deadlines.days_text((due - today).days)}"


def _overdue_panel(user) -> list[Panel]:
    """Administrators and reviewers: the open cycles with overdue sheets, and how many."""
    today = deadlines.today()
    rows = []
    cycles = Cycle.objects.filter(state__in=[Cycle.State.SELF_OPEN, Cycle.State.REVIEW])
    for cycle in cycles.select_related("rubric").order_by("-year", "-id")[:10]:
        n = overdue_sheets(user, cycle, on=today).count()
        if n:
            rows.append(
                (
                    cycle.title,
                    reverse("assessments:overdue", args=[cycle.pk]),
                    _("%(n)d 张逾期") % {"n": n},
                )
            )
    return [Panel(_("逾期的考核表"), "", rows)] if rows else []


def _open_cycles() -> list:
    cycles = Cycle.objects.exclude(state=Cycle.State.PUBLISHED).select_related("rubric")
    today = deadlines.today()
    return [
        (
            c.title,
            reverse("assessments:cycle_detail", args=[c.pk]),
            _with_deadline(c.get_state_display(), deadlines.cycle_deadline(c, on=today)),
        )
        for c in cycles.order_by("-year", "-id")[:20]
    ]


def _published() -> list:
    cycles = Cycle.objects.filter(state=Cycle.State.PUBLISHED).order_by("-year", "-id")[:20]
    return [(c.title, reverse("assessments:results", args=[c.pk]), str(c.year)) for c in cycles]


def _unit_url(unit) -> str:
    return reverse("targets:unit_detail", args=[unit.pk])
