"""User↔unit assignments become org.Assignment: a database made before keeps every row.

The database is taken back to before the change (User.units an automatic many-to-many over
accounts_user_units), filled through the models as they were then, and migrated forward.
"""

import pytest

from tests.migrating import migrate_to, migrate_to_latest

BEFORE = [("org", "0002_rename_tables"), ("accounts", "0003_user_role_village_head_city_office")]


def _fill(apps):
    """Two towns and a community; a reviewer of both towns, a coordinator of the community."""
    Unit = apps.get_model("org", "Unit")
    bureau = Unit.objects.create(name="武进区人社局", normalized_name="武进区人社局", kind="bureau")
    hutang = Unit.objects.create(
        name="湖塘镇", normalized_name="湖塘镇", kind="town", parent=bureau
    )
    dongchen = Unit.objects.create(
        name="东陈镇", normalized_name="东陈镇", kind="town", parent=bureau
    )
    yancheng = Unit.objects.create(
        name="淹城社区", normalized_name="淹城社区", kind="community", parent=hutang
    )
    User = apps.get_model("accounts", "User")
    User.objects.create(username="hutang", role="reviewer").units.add(hutang, dongchen)
    User.objects.create(username="yancheng", role="coordinator").units.add(yancheng)
    User.objects.create(username="viewer", role="viewer")
    return hutang, dongchen, yancheng


def _rows(through):
    return list(through.objects.order_by("pk").values_list("pk", "user__username", "unit_id"))


@pytest.mark.django_db(transaction=True)
class TestAssignmentsMoveToOrg:
    def test_every_assignment_row_is_kept_with_its_id(self):
        old = migrate_to(BEFORE)
        assert "assignment" not in old.get_app_config("org").models
        old_user = old.get_model("accounts", "User")
        assert old_user._meta.get_field("units").remote_field.through._meta.auto_created
        hutang, dongchen, yancheng = _fill(old)
        before = _rows(old_user.units.through)
        assert len(before) == 3

        migrate_to_latest()

        from accounts.models import User
        from org.models import Assignment

        assert Assignment._meta.db_table == "org_assignment"
        assert User.units.through is Assignment
        assert _rows(Assignment) == before
        reviewer_units = User.objects.get(username="hutang").units.order_by("pk")
        assert [u.pk for u in reviewer_units] == [hutang.pk, dongchen.pk]
        assert [u.pk for u in User.objects.get(username="yancheng").units.all()] == [yancheng.pk]
        assert not User.objects.get(username="viewer").units.exists()

    def test_units_set_and_add_write_assignments_after_the_move(self):
        old = migrate_to(BEFORE)
        hutang, dongchen, yancheng = _fill(old)
        last_id = old.get_model("accounts", "User").units.through.objects.order_by("pk").last().pk

        migrate_to_latest()

        from accounts.models import User
        from org.models import Assignment, Unit

        reviewer = User.objects.get(username="hutang")
        reviewer.units.set([Unit.objects.get(pk=dongchen.pk)])
        viewer = User.objects.get(username="viewer")
        viewer.units.add(Unit.objects.get(pk=yancheng.pk))
        assert list(reviewer.unit_assignments.values_list("unit_id", flat=True)) == [dongchen.pk]
        added = Assignment.objects.get(user=viewer)
        assert added.unit_id == yancheng.pk and added.pk > last_id
        assert [u.username for u in Unit.objects.get(pk=yancheng.pk).users.order_by("pk")] == [
            "yancheng",
            "viewer",
        ]

    def test_migrating_back_restores_the_automatic_table_with_its_rows(self):
        migrate_to_latest()
        from accounts.models import User
        from org.models import Unit

        town = Unit.objects.create(name="湖塘镇", kind=Unit.Kind.TOWN)
        user = User.objects.create(username="hutang", role="reviewer")
        user.units.add(town)
        row = User.units.through.objects.get()

        old = migrate_to(BEFORE)

        through = old.get_model("accounts", "User").units.through
        assert through._meta.db_table == "accounts_user_units"
        assert list(through.objects.values_list("pk", "user_id", "unit_id")) == [
            (row.pk, user.pk, town.pk)
        ]
        migrate_to_latest()
