"""Session limits: SESSION_IDLE_MINUTES without activity, SESSION_MAX_HOURS since login."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts import session_clock
from audit.models import SecurityEvent
from jobs.models import Job
from tests.conftest import login_verified

MINUTE = 60
HOUR = 3600

pytestmark = pytest.mark.django_db


def set_clock(client, *, idle_ago=None, login_ago=None):
    """Move the session's stored instants into the past (no sleeping)."""
    session = client.session
    now = session_clock.now()
    if idle_ago is not None:
        session[session_clock.LAST_ACTIVITY] = now - idle_ago
    if login_ago is not None:
        session[session_clock.LOGIN_AT] = now - login_ago
    session.save()


def signed_in(client, user):
    login_verified(client, user)  # with the second factor passed where the role uses it
    assert client.get(reverse("home")).status_code == 200  # starts the session's clocks
    return client


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


class TestIdleTimeout:
    def test_a_request_after_30_idle_minutes_logs_out_and_the_login_page_says_why(self, world):
        client = signed_in(Client(), world.users["coordinator_a"])
        set_clock(client, idle_ago=31 * MINUTE)

        response = client.get(reverse("targets:unit_list"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        assert "next=" in response.url
        assert not is_signed_in(client)
        page = client.get(response.url).content.decode()
        assert "您已连续 30 分钟没有操作" in page and "已自动退出登录" in page
        event = SecurityEvent.objects.get(event=SecurityEvent.Event.SESSION_EXPIRED)
        assert event.username == "coordinator_a"
        assert "30 分钟" in event.detail

    def test_an_expired_form_post_leads_back_to_the_page_of_the_form(self, world):
        client = signed_in(Client(), world.users["viewer"])
        set_clock(client, idle_ago=31 * MINUTE)
        page = reverse("targets:unit_detail", args=[world.unit_a.pk])

        response = client.post(
            reverse("targets:unit_edit", args=[world.unit_a.pk]),
            {"name": "改名"},
            HTTP_REFERER=f"http://testserver{page}",
        )

        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={page}"
        world.unit_a.refresh_from_db()
        assert world.unit_a.name == "淹城社区"

    def test_activity_within_the_limit_keeps_the_session(self, world):
        client = signed_in(Client(), world.users["coordinator_a"])
        set_clock(client, idle_ago=29 * MINUTE)

        assert client.get(reverse("targets:unit_list")).status_code == 200
        assert is_signed_in(client)
        left = session_clock.now() - client.session[session_clock.LAST_ACTIVITY]
        assert left <= 2
        assert not SecurityEvent.objects.filter(event=SecurityEvent.Event.SESSION_EXPIRED)

    def test_the_idle_limit_follows_the_setting(self, world, settings):
        settings.SESSION_IDLE_MINUTES = 5
        client = signed_in(Client(), world.users["viewer"])
        set_clock(client, idle_ago=5 * MINUTE)

        response = client.get(reverse("home"), follow=True)

        assert "您已连续 5 分钟没有操作" in response.content.decode()

    def test_an_expired_background_save_gets_401_with_the_message_and_writes_nothing(self, world):
        from assessments.models import ItemScore

        sheet = world.sheet_a
        client = signed_in(Client(), world.users["coordinator_a"])
        set_clock(client, idle_ago=31 * MINUTE)

        response = client.post(
            reverse("assessments:sheet_self", args=[sheet.pk]),
            {"version": sheet.version, "s-6-score": "3"},
            HTTP_X_REQUESTED_WITH="fetch",
        )

        assert response.status_code == 401
        data = response.json()
        assert data["session_expired"] is True
        assert "30 分钟没有操作" in data["errors"][0]
        assert not ItemScore.objects.filter(assessment=sheet, item__key="6").exists()
        assert not is_signed_in(client)


class TestAbsoluteLimit:
    def test_twelve_hours_after_login_the_session_ends_even_when_active(self, world):
        client = signed_in(Client(), world.users["reviewer_a"])
        set_clock(client, idle_ago=1 * MINUTE, login_ago=12 * HOUR)

        response = client.get(reverse("home"), follow=True)

        assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
        assert "您本次登录已满 12 小时" in response.content.decode()
        assert not is_signed_in(client)
        event = SecurityEvent.objects.get(event=SecurityEvent.Event.SESSION_EXPIRED)
        assert event.username == "reviewer_a" and "12 小时" in event.detail

    def test_keep_alive_does_not_extend_the_absolute_limit(self, world):
        client = signed_in(Client(), world.users["reviewer_a"])
        set_clock(client, login_ago=12 * HOUR - 30)

        left = client.post(reverse("accounts:keep_alive")).json()

        assert left["idle_seconds"] == 30 * MINUTE
        assert 0 < left["absolute_seconds"] <= 30

    def test_a_login_starts_both_clocks(self, world):
        client = Client()
        response = client.post(
            reverse("accounts:login"),
            {"username": "viewer", "password": "pw-viewer"},
        )
        assert response.status_code == 302
        session = client.session
        now = session_clock.now()
        assert now - session[session_clock.LOGIN_AT] <= 2
        assert now - session[session_clock.LAST_ACTIVITY] <= 2

    def test_the_session_cookie_lives_as_long_as_the_absolute_limit(self, settings):
        assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_HOURS * HOUR == 12 * HOUR

    def test_a_limit_of_zero_refuses_to_start_naming_the_variable(self):
        from tests.foundation.test_settings import run_manage

        result = run_manage("check", DEBUG="1", SESSION_IDLE_MINUTES="0")
        assert result.returncode != 0
        assert "SESSION_IDLE_MINUTES" in result.stderr and "至少为 1" in result.stderr


class TestWhatCountsAsActivity:
    def test_keep_alive_resets_the_idle_clock(self, world):
        client = signed_in(Client(), world.users["coordinator_a"])
        set_clock(client, idle_ago=29 * MINUTE)

        response = client.post(reverse("accounts:keep_alive"))

        assert response.status_code == 200
        assert response.json()["idle_seconds"] == 30 * MINUTE
        assert session_clock.now() - client.session[session_clock.LAST_ACTIVITY] <= 2
        set_clock(client)  # nothing moved: 29 further minutes would still be inside
        assert client.get(reverse("home")).status_code == 200

    def test_keep_alive_answers_only_post(self, world):
        client = signed_in(Client(), world.users["coordinator_a"])
        assert client.get(reverse("accounts:keep_alive")).status_code == 405

    def test_an_autosave_counts_as_activity(self, world):
        sheet = world.sheet_a
        client = signed_in(Client(), world.users["coordinator_a"])
        set_clock(client, idle_ago=29 * MINUTE)

        response = client.post(
            reverse("assessments:sheet_self", args=[sheet.pk]),
            {"version": sheet.version, "s-6-score": "3"},
            HTTP_X_REQUESTED_WITH="fetch",
        )

        assert response.json()["saved"] is True
        assert session_clock.now() - client.session[session_clock.LAST_ACTIVITY] <= 2

    def test_background_polling_does_not_count_as_activity(self, world):
        job = Job.objects.create(
            kind="cycle_sheets",
            title="评分表",
            requested_by=world.users["reviewer_a"],
            state=Job.State.DONE,
        )
        job.result.save(f"job-{job.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
        client = signed_in(Client(), world.users["reviewer_a"])
        set_clock(client, idle_ago=29 * MINUTE)
        before = client.session[session_clock.LAST_ACTIVITY]
        url = reverse("jobs:status_json", args=[job.pk])

        polled = client.get(url, HTTP_X_BACKGROUND_REQUEST="1")

        assert polled.status_code == 200
        assert client.session[session_clock.LAST_ACTIVITY] == before
        set_clock(client, idle_ago=30 * MINUTE)
        expired = client.get(url, HTTP_X_BACKGROUND_REQUEST="1")
        assert expired.status_code == 401
        assert "30 分钟没有操作" in expired.json()["errors"][0]
        assert not is_signed_in(client)


class TestWarningOnThePage:
    def test_every_page_tells_the_script_how_long_the_session_has(self, world):
        client = signed_in(Client(), world.users["coordinator_a"])
        page = client.get(reverse("home")).content.decode()
        assert re.search(r'<meta name="session-idle-seconds" content="1800">', page)
        absolute = re.search(r'<meta name="session-absolute-seconds" content="(\d+)">', page)
        assert 12 * HOUR - 5 <= int(absolute.group(1)) <= 12 * HOUR
        assert 'id="session-warning"' in page and "1 分钟后将因长时间未操作自动退出" in page
        assert "继续使用" in page and reverse("accounts:keep_alive") in page
        assert "js/session.js" in page

    def test_admin_pages_carry_the_warning_too(self, world):
        client = signed_in(Client(), world.users["admin"])
        page = client.get(reverse("admin:index")).content.decode()
        assert 'name="session-idle-seconds"' in page and 'id="session-warning"' in page

    def test_the_login_page_has_no_warning(self, db):
        page = Client().get(reverse("accounts:login")).content.decode()
        assert "session-warning" not in page and "session-idle-seconds" not in page

    def test_the_job_page_marks_its_polling_as_background(self):
        from pathlib import Path

        script = Path(__file__).resolve().parents[2] / "static/jobs/job_status.js"
        assert f'"{session_clock.BACKGROUND_HEADER}": "1"' in script.read_text()


class TestPasswordChangeEndsOtherSessions:
    NEW_PASSWORD = "Qz7-lantern-Ridge"

    def test_changing_the_password_logs_out_every_other_session_of_that_user(self, world):
        user = world.users["coordinator_a"]
        here, elsewhere = Client(), Client()
        for client in (here, elsewhere):
            client.post(
                reverse("accounts:login"),
                {"username": "coordinator_a", "password": "pw-coordinator_a"},
            )
            assert client.get(reverse("home")).status_code == 200
        other_user = signed_in(Client(), world.users["coordinator_b"])

        response = here.post(
            reverse("accounts:password_change"),
            {
                "old_password": "pw-coordinator_a",
                "new_password1": self.NEW_PASSWORD,
                "new_password2": self.NEW_PASSWORD,
            },
        )

        assert response.status_code == 302, response.content.decode()
        user.refresh_from_db()
        assert user.check_password(self.NEW_PASSWORD)
        assert here.get(reverse("home")).status_code == 200
        gone = elsewhere.get(reverse("home"))
        assert gone.status_code == 302 and gone.url.startswith(reverse("accounts:login"))
        assert other_user.get(reverse("home")).status_code == 200

    def test_an_administrator_setting_a_password_logs_out_that_users_sessions(self, world):
        user = world.users["coordinator_a"]
        theirs = Client()
        theirs.post(
            reverse("accounts:login"),
            {"username": "coordinator_a", "password": "pw-coordinator_a"},
        )
        assert theirs.get(reverse("home")).status_code == 200

        user.set_password(self.NEW_PASSWORD)
        user.save()

        gone = theirs.get(reverse("home"))
        assert gone.status_code == 302 and gone.url.startswith(reverse("accounts:login"))
