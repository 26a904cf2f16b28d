"""ROLE_CHANGE: a person's role, units, active/staff/superuser flags, permission groups and
permissions, old → new, whichever path changed them (the admin, a service, a command)."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed

from accounts.models import User
from audit.events import Event
from audit.log import record
from audit.tracking import watch
from org.models import Assignment, Unit

ACCOUNT_FIELDS = ("role", "is_active", "is_staff", "is_superuser")


def _assignment_user(row):
    return row.user


def _names(model, pks) -> str:
    return "、".join(str(o) for o in model._default_manager.filter(pk__in=pks).order_by("pk"))


def _m2m_recorder(label: str, related_model, field: str):
    """m2m_changed receiver for one of User's many-to-many relations. Adds go through
    bulk_create (no post_save), so they are recorded here; so are removals of the
    automatic through tables. ``units`` removals delete Assignment rows, recorded there."""

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action == "pre_clear":
            # The rows about to go, read while they are still there.
            if reverse:
                instance._audit_cleared = list(instance.user_set.all())
            else:
                manager = getattr(instance, field)
                instance._audit_cleared = list(manager.values_list("pk", flat=True))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if action == "post_clear":
            cleared = getattr(instance, "_audit_cleared", [])
            pairs = (
                [(user, {instance.pk}) for user in cleared]
                if reverse
                else [(instance, set(cleared))]
            )
        elif reverse:
            pairs = [(user, {instance.pk}) for user in User.objects.filter(pk__in=pk_set or ())]
        else:
            pairs = [(instance, set(pk_set or ()))]
        added = action == "post_add"
        for user, pks in pairs:
            if not pks:
                continue
            names = _names(related_model, pks)
            record(
                Event.ROLE_CHANGE,
                obj=user,
                detail=f"{'增加' if added else '移除'}{label}",
                changes={label: ["", names] if added else [names, ""]},
            )

    return receiver


def connect() -> None:
    watch(User, event=Event.ROLE_CHANGE, fields=ACCOUNT_FIELDS, noun="账号的角色与权限")
    watch(
        Assignment,
        event=Event.ROLE_CHANGE,
        fields=("unit",),
        labels={"unit": "负责单位"},
        subject=_assignment_user,
        noun="负责单位",
        verbs=("增加", "修改", "移除"),
    )
    units = _m2m_recorder("负责单位", Unit, "units")
    groups = _m2m_recorder("权限组", Group, "groups")
    permissions = _m2m_recorder("用户权限", Permission, "user_permissions")

    def units_added_only(sender, action, **kwargs):
        # Removals and clears of units delete Assignment rows one by one (recorded by the
        # Assignment watch); only bulk adds escape it.
        if action == "post_add":
            units(sender=sender, action=action, **kwargs)

    m2m_changed.connect(
        units_added_only, sender=User.units.through, weak=False, dispatch_uid="audit-units"
    )
    m2m_changed.connect(groups, sender=User.groups.through, weak=False, dispatch_uid="audit-groups")
    m2m_changed.connect(
        permissions,
        sender=User.user_permissions.through,
        weak=False,
        dispatch_uid="audit-permissions",
    )
