"""登录失败处理: an account locks after 5 failures for 30 minutes; an address is throttled."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from tests.accounts.helpers import ELSEWHERE, OFFICE, fail, logged_in, post_login


def _end_shown(username):
    """The lock's end as the page shows it: the last failure + 30 minutes, local time."""
    last = AccessAttempt.objects.filter(username=username).latest("attempt_time").attempt_time
    return f"{timezone.localtime(last + timedelta(minutes=30)):%H:%M}"


@pytest.mark.django_db
class TestAccountLock:
    def test_four_failures_do_not_lock(self, world, client):
        fail(client, "reviewer_a", 4)
        response = post_login(client, "reviewer_a", "pw-reviewer_a")
        assert response.status_code == 302 and logged_in(client)

    def test_success_clears_the_count_so_failures_must_be_consecutive(self, world, client):
        fail(client, "reviewer_a", 4)
        post_login(client, "reviewer_a", "pw-reviewer_a")
        client.logout()
        fail(client, "reviewer_a", 4)
        assert post_login(client, "reviewer_a", "pw-reviewer_a").status_code == 302

    def test_fifth_failure_locks_and_the_right_password_is_refused_with_the_end_shown(
        self, world, client
    ):
        fail(client, "reviewer_a", 4)
        fifth = post_login(client, "reviewer_a", "wrong-password")
        assert fifth.status_code == 429
        assert "已被锁定" in fifth.content.decode()

        sixth = post_login(client, "reviewer_a", "pw-reviewer_a")

        assert not logged_in(client)
        assert sixth.status_code == 429
        text = sixth.content.decode()
        assert "账号「reviewer_a」连续 5 次登录失败，已被锁定" in text
        # The time of day; the date is added when the lock ends on another day.
        assert "将于 " in text and f"{_end_shown('reviewer_a')} 自动解锁" in text
        assert "联系人社局管理员" in text
        # The login page itself, in Chinese, with the name kept: not axes's English text.
        assert "<h1>登录</h1>" in text and 'value="reviewer_a"' in text
        assert "Account locked" not in text and "Forbidden" not in text

    def test_the_lock_holds_from_any_address(self, world, client):
        fail(client, "reviewer_a", 5, address=OFFICE)
        response = post_login(client, "reviewer_a", "pw-reviewer_a", address=ELSEWHERE)
        assert response.status_code == 429 and not logged_in(client)

    def test_a_try_during_the_lock_does_not_move_its_end(self, world, client):
        fail(client, "reviewer_a", 5)
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=20))
        before = lockout.lock_for(username="reviewer_a", address=OFFICE).until
        fail(client, "reviewer_a", 2)
        post_login(client, "reviewer_a", "pw-reviewer_a")
        assert lockout.lock_for(username="reviewer_a", address=OFFICE).until == before

    def test_the_lock_ends_after_the_cool_off(self, world, client):
        fail(client, "reviewer_a", 5)
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))
        assert lockout.lock_for(username="reviewer_a", address=OFFICE) is None
        response = post_login(client, "reviewer_a", "pw-reviewer_a")
        assert response.status_code == 302 and logged_in(client)

    def test_the_lock_still_holds_a_minute_before_its_end(self, world, client):
        fail(client, "reviewer_a", 5)
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=29))
        assert post_login(client, "reviewer_a", "pw-reviewer_a").status_code == 429

    def test_an_unknown_user_name_locks_the_same_way(self, world, client):
        # Nothing tells a guesser whether the account exists.
        fail(client, "nobody", 5)
        assert (
            "账号「nobody」连续 5 次登录失败" in post_login(client, "nobody", "x").content.decode()
        )

    def test_other_accounts_are_not_affected(self, world, client):
        fail(client, "reviewer_a", 5)
        assert post_login(client, "reviewer_b", "pw-reviewer_b").status_code == 302

    def test_the_admin_site_login_is_locked_with_the_same_chinese_page(self, world, client):
        url = reverse("admin:login")
        fail(client, "admin", 5)
        response = post_login(client, "admin", "pw-admin", url=url)
        assert response.status_code == 429 and not logged_in(client)
        assert "账号「admin」连续 5 次登录失败，已被锁定" in response.content.decode()

    def test_limit_and_duration_follow_the_settings(self, world, client, settings):
        settings.AXES_FAILURE_LIMIT = 3
        settings.AXES_COOLOFF_TIME = timedelta(minutes=10)
        fail(client, "reviewer_a", 3)
        text = post_login(client, "reviewer_a", "pw-reviewer_a").content.decode()
        assert "连续 3 次登录失败" in text
        last = AccessAttempt.objects.get(username="reviewer_a").attempt_time
        assert f"{timezone.localtime(last + timedelta(minutes=10)):%H:%M}" in text


@pytest.mark.django_db
class TestAddressThrottle:
    def test_many_failures_from_one_address_throttle_it_for_every_name(
        self, world, client, settings
    ):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
        for name in ("guess1", "guess2", "guess3"):
            fail(client, name, 2)  # no account reaches its own limit

        response = post_login(client, "reviewer_b", "pw-reviewer_b")

        assert response.status_code == 429 and not logged_in(client)
        text = response.content.decode()
        assert f"从本机所在地址（{OFFICE}）登录失败的次数过多（6 次）" in text
        assert "已暂停从该地址登录，将于" in text

    def test_another_address_is_not_throttled(self, world, client, settings):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
        for name in ("guess1", "guess2", "guess3"):
            fail(client, name, 2)
        response = post_login(client, "reviewer_b", "pw-reviewer_b", address=ELSEWHERE)
        assert response.status_code == 302

    def test_below_the_address_limit_people_still_log_in(self, world, client, settings):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
        fail(client, "guess1", 2)
        fail(client, "guess2", 2)
        assert post_login(client, "reviewer_b", "pw-reviewer_b").status_code == 302

    def test_a_success_does_not_reset_the_address_count(self, world, client, settings):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
        for name in ("guess1", "guess2"):
            fail(client, name, 2)
        post_login(client, "reviewer_b", "pw-reviewer_b")
        client.logout()
        fail(client, "guess3", 2)
        assert post_login(client, "reviewer_a", "pw-reviewer_a").status_code == 429

    def test_zero_turns_the_address_throttle_off(self, world, client, settings):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 0
        for name in ("g1", "g2", "g3", "g4", "g5", "g6"):
            fail(client, name, 4)
        assert post_login(client, "reviewer_b", "pw-reviewer_b").status_code == 302


class TestLockEnd:
    """When the failures inside the window drop below the limit as rows age out."""

    def test_one_row_ends_at_its_last_failure_plus_the_cool_off(self, settings):
        settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
        at = timezone.now()
        assert lockout._lock_end([(at, 5)], 5) == at + timedelta(minutes=30)

    def test_the_oldest_rows_age_out_first(self, settings):
        settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
        t0 = timezone.now()
        rows = [(t0 + timedelta(minutes=10), 1), (t0, 4)]
        # When the 4 failures of t0 age out, 1 remains: the lock ends then.
        assert lockout._lock_end(rows, 5) == t0 + timedelta(minutes=30)

    def test_an_end_today_is_the_time_of_day_and_another_day_adds_the_date(self):
        today = timezone.localtime().replace(hour=15, minute=42)
        assert lockout.format_until(today) == "15:42"
        tomorrow = today + timedelta(days=1)
        assert lockout.format_until(tomorrow) == f"{tomorrow.month}月{tomorrow.day}日 15:42"

    def test_below_the_limit_there_is_no_lock(self):
        assert lockout._lock_end([(timezone.now(), 4)], 5) is None
