"""Logins, failures, logouts, lockouts and password changes go into the security log."""

import pytest
from django.urls import reverse

from audit.models import SecurityEvent
from tests.accounts.helpers import OFFICE, fail, post_login

Event, Outcome = SecurityEvent.Event, SecurityEvent.Outcome


def _events(event):
    return list(SecurityEvent.objects.filter(event=event).order_by("pk"))


@pytest.mark.django_db
class TestLoginEvents:
    def test_a_login_is_recorded_with_user_and_address(self, world, client):
        post_login(client, "reviewer_a", "pw-reviewer_a")
        (event,) = _events(Event.LOGIN)
        assert event.user_id == world.users["reviewer_a"].pk
        assert event.username == "reviewer_a" and event.address == OFFICE
        assert event.outcome == Outcome.SUCCESS

    def test_a_failure_is_recorded_with_the_attempted_name(self, world, client):
        post_login(client, "no-such-user", "whatever")
        (event,) = _events(Event.LOGIN_FAILED)
        assert event.username == "no-such-user" and event.user_id is None
        assert event.address == OFFICE and event.outcome == Outcome.FAILURE

    def test_a_logout_is_recorded(self, world, client):
        post_login(client, "reviewer_a", "pw-reviewer_a")
        client.post(reverse("accounts:logout"))
        (event,) = _events(Event.LOGOUT)
        assert event.username == "reviewer_a"


@pytest.mark.django_db
class TestLockoutEvents:
    def test_the_lock_is_recorded_once_with_its_end(self, world, client):
        fail(client, "reviewer_a", 5)
        post_login(client, "reviewer_a", "pw-reviewer_a")  # refused during the lock
        fail(client, "reviewer_a", 2)  # refused too

        (lock,) = _events(Event.LOCKOUT)
        assert lock.username == "reviewer_a" and lock.address == OFFICE
        assert lock.detail.startswith("账号连续 5 次登录失败，锁定至 ")
        failures = _events(Event.LOGIN_FAILED)
        assert [e.outcome for e in failures] == [Outcome.FAILURE] * 5 + [Outcome.REFUSED] * 3
        assert not _events(Event.LOGIN)

    def test_an_address_throttle_is_recorded(self, world, client, settings):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
        fail(client, "guess1", 2)
        fail(client, "guess2", 2)
        (lock,) = _events(Event.LOCKOUT)
        assert lock.detail.startswith(f"地址 {OFFICE} 登录失败 4 次，暂停登录至 ")


@pytest.mark.django_db
class TestPasswordEvents:
    def test_a_change_by_the_owner_is_recorded(self, world, client_for):
        client_for("viewer").post(
            reverse("accounts:password_change"),
            {
                "old_password": "pw-viewer",
                "new_password1": "Xin-Mima-2026",
                "new_password2": "Xin-Mima-2026",
            },
        )
        (event,) = _events(Event.PASSWORD_CHANGE)
        assert event.username == "viewer"
        assert event.object_id == str(world.users["viewer"].pk)

    def test_a_refused_change_records_nothing(self, world, client_for):
        client_for("viewer").post(
            reverse("accounts:password_change"),
            {"old_password": "pw-viewer", "new_password1": "weak", "new_password2": "weak"},
        )
        assert not _events(Event.PASSWORD_CHANGE)
