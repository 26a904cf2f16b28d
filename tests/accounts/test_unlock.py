"""Administrators see locked accounts with the lock's end and lift a lock after confirming."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from accounts import lockout
from audit.models import SecurityEvent
from tests.accounts.helpers import fail, logged_in, post_login

CHANGELIST = "admin:accounts_user_changelist"


def _until(username):
    return lockout.format_until(lockout.account_locks()[username])


@pytest.mark.django_db
class TestLockedAccountsInTheAdmin:
    def test_the_user_list_shows_the_lock_and_its_end(self, world, client_for):
        fail(Client(), "reviewer_a", 5)
        page = client_for("admin").get(reverse(CHANGELIST))
        text = page.content.decode()
        assert "登录锁定" in text
        assert f"锁定至 {_until('reviewer_a')}" in text

    def test_the_locked_filter_lists_only_locked_accounts(self, world, client_for):
        fail(Client(), "reviewer_a", 5)
        page = client_for("admin").get(reverse(CHANGELIST), {"locked": "yes"})
        assert [u.username for u in page.context["cl"].result_list] == ["reviewer_a"]

    def test_the_change_page_shows_the_lock(self, world, client_for):
        fail(Client(), "reviewer_a", 5)
        user = world.users["reviewer_a"]
        page = client_for("admin").get(reverse("admin:accounts_user_change", args=[user.pk]))
        text = page.content.decode()
        assert "登录与密码" in text and f"锁定至 {_until('reviewer_a')}" in text


@pytest.mark.django_db
class TestUnlock:
    def _action(self, client, users, **extra):
        return client.post(
            reverse(CHANGELIST),
            {
                "action": "unlock_accounts",
                ACTION_CHECKBOX_NAME: [u.pk for u in users],
                **extra,
            },
        )

    def test_the_action_first_asks_naming_whose_lock_is_lifted(self, world, client_for):
        fail(Client(), "reviewer_a", 5)
        until = _until("reviewer_a")
        users = [world.users["reviewer_a"], world.users["viewer"]]

        page = self._action(client_for("admin"), users)

        assert page.status_code == 200
        text = page.content.decode()
        assert "将解除以下账号的登录锁定" in text
        assert "reviewer_a" in text and until in text
        assert "以下所选账号未被锁定，不受影响：viewer" in text
        assert "确认解除锁定" in text
        # Nothing is lifted until confirmed.
        assert lockout.account_locks().keys() == {"reviewer_a"}
        assert not SecurityEvent.objects.filter(event=SecurityEvent.Event.UNLOCK).exists()

    def test_confirming_lifts_the_lock_so_the_person_logs_in(self, world, client_for):
        locked_out = Client()
        fail(locked_out, "reviewer_a", 5)
        admin = client_for("admin")

        response = self._action(admin, [world.users["reviewer_a"]], confirm="yes")

        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert messages == [
            "已解除 1 个账号的登录锁定：reviewer_a（reviewer_a）。现在即可重新登录。"
        ]
        assert lockout.account_locks() == {}
        assert post_login(locked_out, "reviewer_a", "pw-reviewer_a").status_code == 302
        assert logged_in(locked_out)

    def test_the_unlock_is_recorded_with_who_unlocked_whom(self, world, client_for):
        fail(Client(), "reviewer_a", 5)
        self._action(client_for("admin"), [world.users["reviewer_a"]], confirm="yes")
        (event,) = SecurityEvent.objects.filter(event=SecurityEvent.Event.UNLOCK)
        assert event.username == "admin"
        assert event.object_id == str(world.users["reviewer_a"].pk)
        assert "admin 解除了 reviewer_a 的登录锁定" in event.detail

    def test_an_unlocked_selection_is_told_there_is_nothing_to_lift(self, world, client_for):
        response = self._action(client_for("admin"), [world.users["viewer"]])
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert messages == ["所选账号都未被锁定，没有需要解除的锁定。"]
        assert not SecurityEvent.objects.filter(event=SecurityEvent.Event.UNLOCK).exists()

    def test_axes_own_attempt_list_stays_in_the_admin(self, world, client_for):
        page = client_for("admin").get(reverse("admin:axes_accessattempt_changelist"))
        assert page.status_code == 200
