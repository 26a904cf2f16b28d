"""staff/0006_approver_roles: members of the approver groups get the matching role."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("staff", "0005_departureevent_request")]
AFTER = [("staff", "0006_approver_roles")]
VILLAGE_HEAD_GROUP = "村（社区）负责人"
CITY_OFFICE_GROUP = "市就业处"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
class TestGroupsBecomeRoles:
    def test_group_members_get_the_role_and_empty_groups_go(self):
        apps = migrate(BEFORE)
        Group = apps.get_model("auth", "Group")
        User = apps.get_model("accounts", "User")
        head_group = Group.objects.get_or_create(name=VILLAGE_HEAD_GROUP)[0]
        city_group = Group.objects.get_or_create(name=CITY_OFFICE_GROUP)[0]

        def member(username, role, *groups, superuser=False):
            user = User.objects.create(username=username, role=role, is_superuser=superuser)
            user.groups.add(*groups)
            return user

        member("head", "viewer", head_group)
        member("city", "viewer", city_group)
        member("both", "viewer", head_group, city_group)
        member("boss", "admin", city_group, superuser=True)
        member("town", "reviewer", city_group)
        member("plain", "viewer")

        apps = migrate(AFTER)
        Group = apps.get_model("auth", "Group")
        User = apps.get_model("accounts", "User")
        roles = dict(User.objects.values_list("username", "role"))
        assert roles == {
            "head": "village_head",
            "city": "city_office",
            "both": "city_office",
            "boss": "admin",
            "town": "reviewer",
            "plain": "viewer",
        }
        # The village heads' group is empty now and gone; the city office's keeps the
        # reviewer, whose role was left alone for an administrator to look at.
        assert not Group.objects.filter(name=VILLAGE_HEAD_GROUP).exists()
        remaining = Group.objects.get(name=CITY_OFFICE_GROUP)
        assert list(remaining.user_set.values_list("username", flat=True)) == ["town"]

    def test_migrating_back_gives_the_groups_again(self):
        apps = migrate(AFTER)
        User = apps.get_model("accounts", "User")
        User.objects.create(username="head", role="village_head")
        User.objects.create(username="city", role="city_office")

        apps = migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        by_name = {u.username: u for u in User.objects.all()}
        assert {u.role for u in by_name.values()} == {"viewer"}
        assert [g.name for g in by_name["head"].groups.all()] == [VILLAGE_HEAD_GROUP]
        assert [g.name for g in by_name["city"].groups.all()] == [CITY_OFFICE_GROUP]
        migrate(AFTER)
