from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.events import Event, Outcome


class AppendOnlyError(Exception):
    """A security log row was about to be changed or deleted."""

    def __init__(self, what: str):
        super().__init__(f"安全审计记录只能追加，不能{what}（等保 安全审计）。")


class SecurityEventQuerySet(models.QuerySet):
    """Refuses the bulk writes that would bypass ``save()``. Pruning old rows goes through
    ``audit.retention.prune`` (raw SQL, checked again by the database trigger)."""

    def update(self, **kwargs):
        raise AppendOnlyError("修改")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("修改")

    def delete(self):
        raise AppendOnlyError("删除")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("修改")


class SecurityEvent(models.Model):
    """One row of the append-only security log (等保 安全审计).

    Rows are written once by ``audit.log.record`` and never changed: ``save()`` of a stored
    row, ``delete()`` and the queryset's ``update()``/``delete()`` raise ``AppendOnlyError``;
    the admin site shows them read-only; and a database trigger (migration 0002) refuses
    UPDATE and DELETE, except the deletion of rows older than the retention floor by
    ``manage.py prune_audit_log``. The user is kept as id and name, not as a foreign key,
    so deleting a user changes nothing here.
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

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_event_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("删除")

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(label, old, new) for each changed field, for the tables of the log page."""
        rows = []
        for label, pair in (self.changes or {}).items():
            old, new = (list(pair) + ["", ""])[:2] if isinstance(pair, list | tuple) else ("", pair)
            rows.append((str(label), _text(old), _text(new)))
        return rows


def _text(value) -> str:
    return "" if value is None else str(value)
