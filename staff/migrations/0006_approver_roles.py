"""The village head and the city employment office become user roles.

Until now they were the Django groups of ``0003_approver_groups``. Each member of a group
gets the matching role if their role was 只读查看 (viewer, the account the docs advised):
a member of both groups becomes 市就业处. Other members keep their role, because it grants
what the approver roles do not:

- an administrator already acts as the city office and may record a village head's
  signature, and is taken out of the groups;
- a town reviewer keeps their town (review scores, the coordinators' records, the town
  step) and a coordinator keeps their own record and self-assessment. They stay in the
  group, which is kept as the list of accounts an administrator should look at; the
  town centre records the village head's signature in the meantime.

A group left without members is removed.
"""

from django.db import migrations

VILLAGE_HEAD_GROUP = "村（社区）负责人"
CITY_OFFICE_GROUP = "市就业处"
VIEWER, ADMIN = "viewer", "admin"
# Checked in this order: the first group a viewer is in gives the role.
GROUP_ROLES = ((CITY_OFFICE_GROUP, "city_office"), (VILLAGE_HEAD_GROUP, "village_head"))


def groups_to_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    groups = {g.name: g for g in Group.objects.filter(name__in=[n for n, _r in GROUP_ROLES])}
    # Only the columns used: when migrating backwards Django may build this model with
    # columns that later, unrelated accounts migrations added and already removed again.
    members = (
        User.objects.filter(groups__in=groups.values())
        .distinct()
        .only("pk", "role", "is_superuser")
    )
    for user in members:
        names = set(
            user.groups.filter(pk__in=[g.pk for g in groups.values()]).values_list(
                "name", flat=True
            )
        )
        if user.role == VIEWER and not user.is_superuser:
            user.role = next(role for name, role in GROUP_ROLES if name in names)
            user.save(update_fields=["role"])
        elif not (user.role == ADMIN or user.is_superuser):
            continue
        user.groups.remove(*groups.values())
    for group in groups.values():
        if not group.user_set.exists():
            group.delete()


def roles_to_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    for name, role in GROUP_ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        for user in User.objects.filter(role=role).only("pk", "role"):
            user.groups.add(group)
            user.role = VIEWER
            user.save(update_fields=["role"])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0003_user_role_village_head_city_office"),
        ("staff", "0005_departureevent_request"),
    ]

    operations = [migrations.RunPython(groups_to_roles, roles_to_groups)]
