"""The questions every app asks of a user's scope, for each persona."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from org.roles import Role
from org.scope import scope_for

pytestmark = pytest.mark.django_db


def scope(world, persona):
    user = world.users[persona]
    return scope_for(user if user is not None else AnonymousUser())


class TestRoles:
    def test_user_roles_are_the_org_roles(self):
        assert User.Role is Role
        assert User._meta.get_field("role").choices == Role.choices
        assert [r.value for r in Role] == [
            "admin",
            "reviewer",
            "coordinator",
            "viewer",
            "village_head",
            "city_office",
            "auditor",
        ]


class TestScopePredicates:
    def test_only_the_administrator_is_admin(self, world):
        admins = [p for p in world.users if scope(world, p).is_admin]
        assert admins == ["admin"]

    def test_viewer_and_anonymous_cannot_write(self, world):
        writers = {p for p in world.users if scope(world, p).can_write}
        assert writers == {"admin", "reviewer_a", "reviewer_b", "coordinator_a", "coordinator_b"}

    def test_reviewer_reviews_only_their_own_town(self, world):
        s = scope(world, "reviewer_a")
        assert s.reviews_town(world.town_a)
        assert s.reviews_town(world.town_a.pk)
        assert not s.reviews_town(world.town_b)

    def test_administrator_covers_every_unit_but_reviews_no_town(self, world):
        s = scope(world, "admin")
        assert s.covers_unit(world.unit_b)
        assert not s.reviews_town(world.town_a)

    def test_reviewer_covers_their_town_and_its_communities(self, world):
        s = scope(world, "reviewer_a")
        assert s.covers_unit(world.town_a) and s.covers_unit(world.unit_a)
        assert not s.covers_unit(world.unit_b)

    def test_coordinator_works_at_their_own_unit_only(self, world):
        s = scope(world, "coordinator_a")
        assert s.works_at(world.unit_a)
        assert not s.works_at(world.unit_b)
        assert not scope(world, "reviewer_a").works_at(world.unit_a)

    def test_viewer_covers_everything_and_changes_nothing(self, world):
        s = scope(world, "viewer")
        assert s.covers_unit(world.unit_a) and s.covers_unit(world.unit_b)
        assert not (s.is_admin or s.can_write or s.reviews_town(world.town_a))

    def test_anonymous_covers_nothing(self, world):
        assert not scope(world, "anonymous").covers_unit(world.unit_a)


def approver(username, role, units=()):
    user = User.objects.create_user(username, password="pw-" + username, role=role)
    user.units.set(units)
    return user


class TestApproverScopes:
    def test_village_head_covers_the_headed_community_read_only(self, world):
        s = scope_for(approver("head", Role.VILLAGE_HEAD, [world.unit_a, world.town_b]))
        assert s.covers_unit(world.unit_a)
        # Only communities and villages count; a town assigned by mistake is ignored.
        assert not (s.covers_unit(world.town_b) or s.covers_unit(world.unit_b))
        assert not (s.is_admin or s.can_write or s.works_at(world.unit_a))

    def test_village_head_without_units_covers_nothing(self, world):
        s = scope_for(approver("head", Role.VILLAGE_HEAD))
        assert not s.all_units
        assert not (s.covers_unit(world.unit_a) or s.covers_unit(world.town_a))

    def test_city_office_covers_everything_and_changes_nothing(self, world):
        s = scope_for(approver("city", Role.CITY_OFFICE))
        assert s.covers_unit(world.unit_a) and s.covers_unit(world.town_b)
        assert not (s.is_admin or s.can_write or s.reviews_town(world.town_a))

    def test_audit_administrator_covers_no_unit_and_changes_nothing(self, world):
        # 三员分立: even with units assigned by mistake, the auditor sees none of them.
        s = scope_for(approver("audit", Role.AUDITOR, [world.unit_a, world.town_a]))
        assert not s.all_units
        assert not (s.covers_unit(world.unit_a) or s.covers_unit(world.town_a))
        assert not (s.is_admin or s.can_write or s.reviews_town(world.town_a))
