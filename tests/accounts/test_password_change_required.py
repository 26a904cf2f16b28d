"""Forced change at first login and after a reset by an administrator; expiry after
PASSWORD_MAX_AGE_DAYS; demo accounts exempt."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.demo import load_demo_users
from accounts.models import User
from audit.models import SecurityEvent
from org.models import Unit

CHANGE = reverse("accounts:password_change")
NEW = "Xin-Mima-2026"


def _hold(user, **fields):
    User.objects.filter(pk=user.pk).update(**fields)
    user.refresh_from_db()


def _change(client, old, new=NEW):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.django_db
class TestFirstLogin:
    def test_an_account_added_in_the_admin_must_change_at_first_login(self, world, client_for):
        response = client_for("admin").post(
            reverse("admin:accounts_user_add"),
            {
                "username": "newcomer",
                "password1": "Chushi-Mima-1",
                "password2": "Chushi-Mima-1",
                "usable_password": "true",
                "first_name": "新同事",
                "role": User.Role.VIEWER,
                "unit_assignments-TOTAL_FORMS": "0",
                "unit_assignments-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert User.objects.get(username="newcomer").must_change_password

    def test_createsuperuser_makes_an_account_that_must_change(self, db, monkeypatch):
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Chushi-Mima-1")
        call_command("createsuperuser", "--noinput", username="chief", email="c@example.cn")
        assert User.objects.get(username="chief").must_change_password

    def test_a_held_person_is_sent_to_the_change_page_with_the_reason(self, world, client_for):
        _hold(world.users["viewer"], must_change_password=True)
        client = client_for("viewer")

        response = client.get(reverse("home"))

        assert response.status_code == 302 and response["Location"] == CHANGE
        page = client.get(CHANGE)
        assert page.status_code == 200
        assert "这是您首次登录，或管理员刚为您重置了密码" in page.content.decode()

    @pytest.mark.parametrize(
        "url",
        [
            reverse("targets:unit_list"),
            reverse("assessments:cycle_list"),
            reverse("admin:index"),
            reverse("accounts:password_change_done"),
        ],
    )
    def test_nothing_else_is_reachable(self, world, client_for, url):
        _hold(world.users["admin"], must_change_password=True)
        response = client_for("admin").get(url)
        assert response.status_code == 302 and response["Location"] == CHANGE

    def test_a_post_elsewhere_is_redirected_and_changes_nothing(self, world, client_for):
        _hold(world.users["admin"], must_change_password=True)
        unit = world.unit_a
        response = client_for("admin").post(
            reverse("targets:unit_edit", args=[unit.pk]), {"name": "改名社区"}
        )
        assert response.status_code == 302 and response["Location"] == CHANGE
        unit.refresh_from_db()
        assert unit.name == "淹城社区"

    def test_logout_and_static_files_stay_reachable(self, world, client_for):
        _hold(world.users["viewer"], must_change_password=True)
        client = client_for("viewer")
        assert client.get("/static/css/app.css").status_code != 302
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:login")

    def test_after_the_change_the_hold_ends_and_the_session_stays(self, world, client_for):
        user = world.users["viewer"]
        _hold(user, must_change_password=True)
        client = client_for("viewer")

        response = _change(client, "pw-viewer")

        assert response.status_code == 302
        user.refresh_from_db()
        assert not user.must_change_password and user.check_password(NEW)
        assert client.get(reverse("home")).status_code == 200

    def test_a_wrong_old_password_keeps_the_hold(self, world, client_for):
        user = world.users["viewer"]
        _hold(user, must_change_password=True)
        response = _change(client_for("viewer"), "not-my-password")
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.must_change_password and user.check_password("pw-viewer")


@pytest.mark.django_db
class TestResetByAnAdministrator:
    def _reset(self, client, user, password="Chongzhi-Mima-1"):
        return client.post(
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {"password1": password, "password2": password, "usable_password": "true"},
        )

    def test_the_admin_set_password_form_makes_the_owner_change_it(self, world, client_for):
        user = world.users["reviewer_a"]
        response = self._reset(client_for("admin"), user)
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.must_change_password and user.check_password("Chongzhi-Mima-1")
        owner = client_for("reviewer_a")
        assert owner.get(reverse("home"))["Location"] == CHANGE

    def test_the_reset_is_recorded_with_the_user_as_its_object(self, world, client_for):
        user = world.users["reviewer_a"]
        self._reset(client_for("admin"), user)
        (event,) = SecurityEvent.objects.filter(event=SecurityEvent.Event.PASSWORD_RESET)
        assert event.username == "admin" and event.object_id == str(user.pk)

    def test_a_refused_reset_changes_nothing(self, world, client_for):
        user = world.users["reviewer_a"]
        before = user.password
        response = self._reset(client_for("admin"), user, password="short")
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.password == before and not user.must_change_password
        assert not SecurityEvent.objects.filter(event=SecurityEvent.Event.PASSWORD_RESET).exists()

    def test_the_new_password_must_follow_the_rules(self, world, client_for):
        response = self._reset(client_for("admin"), world.users["reviewer_a"], "alllowercase")
        assert "现在只有 1 类" in response.content.decode()


@pytest.mark.django_db
class TestExpiry:
    def test_a_password_older_than_90_days_must_be_changed(self, world, client_for):
        _hold(world.users["viewer"], password_changed_at=timezone.now() - timedelta(days=91))
        client = client_for("viewer")
        assert client.get(reverse("home"))["Location"] == CHANGE
        assert "您的密码已使用超过 90 天" in client.get(CHANGE).content.decode()

    def test_89_days_is_still_fine(self, world, client_for):
        _hold(world.users["viewer"], password_changed_at=timezone.now() - timedelta(days=89))
        assert client_for("viewer").get(reverse("home")).status_code == 200

    def test_the_age_follows_the_setting_and_zero_turns_it_off(self, world, client_for, settings):
        _hold(world.users["viewer"], password_changed_at=timezone.now() - timedelta(days=400))
        settings.PASSWORD_MAX_AGE_DAYS = 0
        assert client_for("viewer").get(reverse("home")).status_code == 200
        settings.PASSWORD_MAX_AGE_DAYS = 500
        assert client_for("viewer").get(reverse("home")).status_code == 200
        settings.PASSWORD_MAX_AGE_DAYS = 30
        assert client_for("viewer").get(reverse("home")).status_code == 302

    def test_changing_the_password_restarts_the_clock(self, world, client_for):
        user = world.users["viewer"]
        _hold(user, password_changed_at=timezone.now() - timedelta(days=91))
        client = client_for("viewer")
        _change(client, "pw-viewer")
        user.refresh_from_db()
        assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
class TestDemoAccounts:
    def test_demo_accounts_are_neither_held_at_first_login_nor_when_old(self, world, client_for):
        _hold(
            world.users["viewer"],
            is_demo=True,
            must_change_password=True,
            password_changed_at=timezone.now() - timedelta(days=400),
        )
        assert client_for("viewer").get(reverse("home")).status_code == 200

    def test_load_demo_marks_its_accounts_and_their_passwords_follow_the_rules(self, db):
        from django.contrib.auth import password_validation

        from targets.demo import load_demo_units

        load_demo_units()
        rows = load_demo_users()
        assert Unit.objects.exists()
        for username, _role, password in rows:
            user = User.objects.get(username=username)
            assert user.is_demo and not user.must_change_password
            assert user.check_password(password)
            # Valid for a fresh account of that name (the history would refuse the same one).
            password_validation.validate_password(password, User(username=username))

    def test_a_demo_account_logs_in_and_reaches_the_home_page(self, db, client):
        from targets.demo import load_demo_units

        load_demo_units()
        password = dict((u, p) for u, _r, p in load_demo_users())["hutang"]
        response = client.post(
            reverse("accounts:login"), {"username": "hutang", "password": password}
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200

    def test_the_admin_shows_the_demo_flag_read_only(self, world, client_for):
        user = world.users["viewer"]
        page = client_for("admin").get(reverse("admin:accounts_user_change", args=[user.pk]))
        form = page.context["adminform"].form
        assert "is_demo" not in form.fields  # shown, not editable
        assert "演示账号" in page.content.decode()


@pytest.mark.django_db
class TestAdminSitePasswordChange:
    def test_the_admin_change_password_link_leads_to_the_one_change_page(self, world, client_for):
        response = client_for("admin").get(reverse("admin:password_change"))
        assert response.status_code == 302 and response["Location"] == CHANGE
