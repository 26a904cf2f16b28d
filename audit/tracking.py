"""Recording every create, change and delete of a model's rows, old → new per field,
whichever path made it (a view, the admin, an import, a command).

``watch(model, event=...)`` connects pre_save (reads the stored row), post_save and
post_delete receivers. The changes are {field verbose name: [old, new]} in the words a
person reads: choice labels, the related object's name, 是/否, dates.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from audit.log import record

BEFORE = "_audit_before"


def display(field, value) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


class Watch:
    def __init__(
        self,
        model,
        *,
        event,
        fields=None,
        exclude=(),
        owner=None,
        subject=None,
        noun=None,
        labels=None,
        verbs=("新建", "修改", "删除"),
    ):
        self.model = model
        self.subject = subject  # instance → the object the event is about (default: itself)
        self.verbs = dict(zip(("create", "change", "delete"), verbs, strict=True))
        self.labels = labels or {}
        self.event = event
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and (fields is None or f.name in fields) and f.name not in exclude
        ]
        self.owner = owner  # instance → the person the record belongs to, named in the detail
        self.noun = noun or str(model._meta.verbose_name)

    def label(self, field) -> str:
        return self.labels.get(field.name) or str(field.verbose_name)

    def _watched(self, update_fields) -> list:
        if update_fields is None:
            return self.fields
        return [f for f in self.fields if f.name in update_fields or f.attname in update_fields]

    def pre_save(self, sender, instance, raw=False, update_fields=None, **kwargs):
        setattr(instance, BEFORE, None)
        if raw or instance._state.adding or instance.pk is None:
            return
        watched = self._watched(update_fields)
        if not watched:
            return
        stored = sender._base_manager.filter(pk=instance.pk).values(*[f.attname for f in watched])
        row = stored.first()
        if row is not None:
            setattr(instance, BEFORE, {f.attname: f.to_python(row[f.attname]) for f in watched})

    def post_save(self, sender, instance, created, raw=False, update_fields=None, **kwargs):
        if raw:
            return
        if created:
            changes = {
                self.label(f): ["", display(f, v)]
                for f in self.fields
                if (v := f.to_python(getattr(instance, f.attname))) not in (None, "")
            }
            self._record(instance, self.verbs["create"], changes)
            return
        before = getattr(instance, BEFORE, None)
        if not before:
            return
        changes = {}
        for f in self.fields:
            if f.attname not in before:
                continue
            old, new = before[f.attname], f.to_python(getattr(instance, f.attname))
            if old != new:
                changes[self.label(f)] = [display(f, old), display(f, new)]
        setattr(instance, BEFORE, None)
        if changes:
            self._record(instance, self.verbs["change"], changes)

    def post_delete(self, sender, instance, **kwargs):
        changes = {
            self.label(f): [display(f, v), ""]
            for f in self.fields
            if (v := f.to_python(getattr(instance, f.attname))) not in (None, "")
        }
        self._record(instance, self.verbs["delete"], changes)

    def _record(self, instance, action: str, changes: dict) -> None:
        detail = f"{action}{self.noun}"
        if self.owner is not None:
            try:
                owner = self.owner(instance)
            except models.ObjectDoesNotExist:
                owner = None
            if owner is not None:
                detail = f"{owner._meta.verbose_name}「{owner}」：{detail}"
        obj = instance
        if self.subject is not None:
            try:
                obj = self.subject(instance)
            except models.ObjectDoesNotExist:
                obj = instance
        record(self.event, obj=obj, detail=detail, changes=changes)


def watch(model, *, event, **options) -> Watch:
    """Record every create, change and delete of ``model`` rows as ``event``. Options:
    ``fields`` (only these) or ``exclude``; ``labels`` {field name: label} for fields
    without a verbose name; ``owner`` (row → the object named in the detail); ``subject``
    (row → the object the event is about, default the row); ``noun``; ``verbs`` (create,
    change, delete)."""
    w = Watch(model, event=event, **options)
    uid = f"audit-watch-{model._meta.label}"
    pre_save.connect(w.pre_save, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(w.post_save, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(w.post_delete, sender=model, weak=False, dispatch_uid=uid)
    return w
