"""What each person finds waiting on the home page."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scope import scope_for
from targets.models import Unit
from targets.selectors import unit_tree_for


@dataclass
class Panel:
    title: str
    empty_text: str
    rows: list = field(default_factory=list)  # (label, url or "", note)


def home_panels(user: User) -> list[Panel]:
    scope = scope_for(user)
    panels: list[Panel] = []
    role = user.role if not user.is_superuser else User.Role.ADMIN
    if role == User.Role.COORDINATOR:
        units = list(Unit.objects.filter(pk__in=scope.unit_ids).select_related("parent"))
        panels.append(
            Panel(
                _("我的单位"),
                _("尚未为您分配社区或村，请联系镇（街道）人社工作人员。"),
                [(u.name, _unit_url(u), u.parent.name if u.parent else "") for u in units],
            )
        )
        panels.append(Panel(_("待填报的自评"), _("目前没有需要您填报的自评表。")))
    elif role == User.Role.REVIEWER:
        rows = []
        for town, children in unit_tree_for(user):
            rows.append(
                (town.name, _unit_url(town), _("下辖 %(n)d 个社区（村）") % {"n": len(children)})
            )
        panels.append(Panel(_("我负责的镇（街道）"), _("尚未为您分配镇（街道）。"), rows))
        panels.append(Panel(_("待审核的考核表"), _("目前没有等待您审核的考核表。")))
    elif role == User.Role.ADMIN:
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
        panels.append(Panel(_("进行中的考核周期"), _("目前没有进行中的考核周期。")))
    else:
        rows = [(t.name, _unit_url(t), "") for t, _children in unit_tree_for(user)]
        panels.append(Panel(_("可查看的单位"), _("没有可查看的单位。"), rows))
        panels.append(Panel(_("已公布的考核结果"), _("目前没有已公布的考核结果。")))
    return panels


def _unit_url(unit) -> str:
    from django.urls import reverse

    return reverse("targets:unit_detail", args=[unit.pk])
