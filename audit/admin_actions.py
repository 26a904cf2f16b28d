"""ADMIN_ACTION: every add, change and delete made in Django's admin, with its message.

The admin writes a ``LogEntry`` for each; one saved entry is one event (post_save). A
delete of several selected rows writes its entries with ``bulk_create``, which sends no
signal, so the site-wide 「删除所选」 action is wrapped to record those.
"""

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.utils import timezone

from audit.events import Event
from audit.log import record

ACTION_LABELS = {ADDITION: "新增", CHANGE: "修改", DELETION: "删除"}


def entry_recorded(entry: LogEntry) -> None:
    content_type = entry.content_type
    model = content_type.model_class() if content_type else None
    type_label = str(model._meta.verbose_name) if model else (content_type.model or "")
    message = entry.get_change_message() or ""
    action = ACTION_LABELS.get(entry.action_flag, "")
    detail = f"后台{action}{type_label}「{entry.object_repr}」"
    if message:
        detail += f"：{message}"
    record(
        Event.ADMIN_ACTION,
        user=entry.user,
        object_type=type_label,
        object_id=entry.object_id or "",
        object_repr=entry.object_repr,
        detail=detail,
    )


def _entry_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        entry_recorded(instance)


def recorded_delete_selected(modeladmin, request, queryset):
    started = timezone.now()
    response = delete_selected(modeladmin, request, queryset)
    if response is None:  # deleted (otherwise it is the confirmation page)
        entries = list(
            LogEntry.objects.filter(
                user_id=request.user.pk, action_flag=DELETION, action_time__gte=started
            ).select_related("content_type", "user")
        )
        if len(entries) > 1:  # a single entry was saved one by one and recorded already
            for entry in entries:
                entry_recorded(entry)
    return response


recorded_delete_selected.short_description = delete_selected.short_description
recorded_delete_selected.allowed_permissions = delete_selected.allowed_permissions


def connect() -> None:
    post_save.connect(_entry_saved, sender=LogEntry, dispatch_uid="audit-admin-logentry")
    admin.site.add_action(recorded_delete_selected, "delete_selected")
