"""The two approver groups of the leave and departure chains (see docs/staff.md)."""

from django.db import migrations

GROUPS = ("村（社区）负责人", "市就业处")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("staff", "0002_records_attendance_leave_departures"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
