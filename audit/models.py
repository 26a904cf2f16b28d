from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.events import Event, Outcome


class SecurityEvent(models.Model):
    """One row of the append-only security log (等保 安全审计).

    Rows are written once by ``audit.log.record`` and never changed: the admin site shows
    them read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE (pruning of rows
    older than the retention period is the one exception, see ``prune_audit_log``). The
    user is kept as id and name, not as a foreign key, so deleting a user changes nothing.
    """

    Event = Event
    Outcome = Outcome

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(_("用户编号"), null=True, blank=True, db_index=True)
    username = models.CharField(_("用户"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    event = models.CharField(_("事件"), max_length=32, choices=Event.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    detail = models.TextField(_("说明"), blank=True)
    # {field label: [old, new]} for changes of records; shown as a table, never as JSON.
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_event_display()}"
