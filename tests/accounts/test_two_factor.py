"""Two-factor authentication (TOTP with recovery codes) for administrators and auditors."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import SecurityEvent
from tests.conftest import authenticator_for, login_verified, totp_code, wrong_code

ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("home")


def allow_next_attempt(device):
    """Let the throttling delay of a failed attempt pass (it is 1 s after one failure)."""
    device.refresh_from_db()
    if device.throttling_failure_timestamp:
        device.throttling_failure_timestamp = timezone.now() - timedelta(hours=1)
        device.save(update_fields=["throttling_failure_timestamp"])


def events(kind):
    return list(SecurityEvent.objects.filter(event=kind).order_by("pk"))


@pytest.fixture
def auditor(world):
    return world.users["auditor"]  # no authenticator bound yet


@pytest.fixture
def admin(world):
    return world.users["admin"]


def enrolled_and_logged_in(client, user):
    """Bound an authenticator earlier; has just logged in with the password."""
    device = authenticator_for(user)
    client.force_login(user)
    return device


class TestWhoMustUseIt:
    def test_admin_without_an_authenticator_is_sent_to_enrolment(self, client, admin):
        client.force_login(admin)
        response = client.get(reverse("targets:unit_list"))
        assert response.status_code == 302
        assert response["Location"] == ENROL + "?next=%2Funits%2F"

    def test_auditor_without_an_authenticator_is_sent_to_enrolment(self, client, auditor):
        client.force_login(auditor)
        response = client.get(HOME)
        assert response["Location"].startswith(ENROL)

    def test_the_django_admin_is_covered_by_the_same_rule(self, client, admin):
        client.force_login(admin)
        response = client.get(reverse("admin:accounts_user_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)

    def test_enrolled_admin_who_has_not_verified_is_sent_to_verification(self, client, admin):
        enrolled_and_logged_in(client, admin)
        response = client.get(HOME)
        assert response["Location"] == VERIFY + "?next=%2F"

    def test_before_verifying_only_logout_and_the_two_factor_pages_answer(self, client, admin):
        enrolled_and_logged_in(client, admin)
        assert client.get(VERIFY).status_code == 200
        for name in ("accounts:security", "accounts:password_change", "admin:index"):
            assert client.get(reverse(name))["Location"].startswith(VERIFY), name
        response = client.post(reverse("accounts:logout"))
        assert response["Location"] == reverse("accounts:login")
        assert "_auth_user_id" not in client.session

    def test_pending_page_offers_log_out_only(self, client, admin):
        enrolled_and_logged_in(client, admin)
        page = client.get(VERIFY).content.decode()
        assert "退出登录" in page
        assert reverse("assessments:cycle_list") not in page
        assert reverse("accounts:security") not in page

    @pytest.mark.parametrize("persona", ["reviewer_a", "coordinator_a", "viewer"])
    def test_roles_not_required_pass_freely(self, client, world, persona):
        client.force_login(world.users[persona])
        assert client.get(HOME).status_code == 200
        assert not TOTPDevice.objects.filter(user=world.users[persona]).exists()

    def test_all_requires_it_of_every_role(self, client, world, settings):
        settings.OTP_REQUIRED_ROLES = ["all"]
        client.force_login(world.users["coordinator_a"])
        assert client.get(HOME)["Location"].startswith(ENROL)

    def test_a_superuser_of_another_role_counts_as_admin(self, client, world):
        user = world.users["viewer"]
        user.is_superuser = True
        user.save()
        client.force_login(user)
        assert client.get(HOME)["Location"].startswith(ENROL)

    def test_required_roles_follow_the_setting(self, client, world, settings):
        settings.OTP_REQUIRED_ROLES = ["reviewer"]
        client.force_login(world.users["reviewer_a"])
        assert client.get(HOME)["Location"].startswith(ENROL)
        client.force_login(world.users["admin"])  # no longer required: passes freely
        assert client.get(HOME).status_code == 200

    def test_an_unknown_role_in_the_setting_stops_the_checks(self, settings):
        from accounts.checks import otp_required_roles_are_known

        settings.OTP_REQUIRED_ROLES = ["admin", "admn"]
        (error,) = otp_required_roles_are_known(None)
        assert "admn" in error.msg


class TestDemoAccounts:
    def test_demo_admin_is_exempt_from_mandatory_enrolment(self, client, admin):
        admin.is_demo = True
        admin.save()
        client.force_login(admin)
        assert client.get(HOME).status_code == 200

    def test_the_exemption_can_be_switched_off(self, client, admin, settings):
        settings.OTP_EXEMPT_DEMO = False
        admin.is_demo = True
        admin.save()
        client.force_login(admin)
        assert client.get(HOME)["Location"].startswith(ENROL)

    def test_demo_admin_may_enrol_voluntarily_and_then_verifies(self, client, admin):
        admin.is_demo = True
        admin.save()
        client.force_login(admin)
        page = client.get(reverse("accounts:security")).content.decode()
        assert "演示账号" in page and ENROL in page
        device = TOTPDevice.objects.get(pk=_enrol(client, admin).pk)
        assert device.confirmed
        client.logout()
        client.force_login(admin)
        assert client.get(HOME)["Location"].startswith(VERIFY)

    def test_load_demo_marks_its_accounts_as_demo_accounts(self, world):
        from accounts.demo import PERSONAS, load_demo_users
        from org.models import Unit

        Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        for user in world.users.values():
            if user is not None:
                user.delete()
        load_demo_users()
        names = [p.username for p in PERSONAS]
        assert User.objects.filter(username__in=names, is_demo=True).count() == len(names)

    def test_an_account_an_earlier_load_demo_made_is_marked_too(self, world):
        from accounts.demo import _remember, load_demo_users
        from org.models import Unit

        Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        _remember([("admin", "", "pw-admin")])  # its password was printed and kept then
        load_demo_users()
        world.users["admin"].refresh_from_db()
        assert world.users["admin"].is_demo
        world.users["coordinator_a"].refresh_from_db()
        assert not world.users["coordinator_a"].is_demo

    def test_other_accounts_are_not_demo_accounts(self, world):
        assert not User.objects.filter(is_demo=True).exists()


def _enrol(client, user):
    """Open the enrolment page and confirm it with the code the authenticator shows."""
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": totp_code(device)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("accounts:recovery_codes")
    return device


class TestEnrolment:
    def test_page_shows_the_qr_code_and_the_secret_for_manual_entry(self, client, auditor):
        client.force_login(auditor)
        page = client.get(ENROL).content.decode()
        device = TOTPDevice.objects.get(user=auditor, confirmed=False)
        assert '<svg viewBox="' in page and 'class="qr"' in page
        from base64 import b32encode

        secret = b32encode(device.bin_key).decode()
        assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
        # No inline script (the policy allows scripts from files only): the QR code is SVG.
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert device.config_url.startswith("otpauth://totp/")
        assert "auditor" in device.config_url and "issuer=" in device.config_url

    def test_reloading_the_page_keeps_the_same_secret(self, client, auditor):
        client.force_login(auditor)
        client.get(ENROL)
        client.get(ENROL)
        assert TOTPDevice.objects.filter(user=auditor).count() == 1

    def test_a_generated_token_binds_verifies_and_makes_ten_recovery_codes(self, client, auditor):
        client.force_login(auditor)
        device = _enrol(client, auditor)
        device.refresh_from_db()
        assert device.confirmed
        tokens = StaticToken.objects.filter(device__user=auditor)
        assert tokens.count() == 10
        page = client.get(reverse("accounts:recovery_codes")).content.decode()
        for token in tokens:
            assert f"{token.token[:4]}-{token.token[4:]}" in page
        assert "只显示这一次" in page
        again = client.get(reverse("accounts:recovery_codes")).content.decode()
        assert tokens.first().token[:4] + "-" not in again
        assert "已不能再次查看" in again
        assert client.get(HOME).status_code == 200  # the session is verified
        (event,) = events(SecurityEvent.Event.OTP_ENROL)
        assert event.username == "auditor" and event.outcome == "success"

    def test_enrolment_goes_on_to_the_page_first_asked_for(self, client, auditor):
        client.force_login(auditor)
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=auditor)
        client.post(ENROL, {"code": totp_code(device), "next": "/units/"})
        page = client.get(reverse("accounts:recovery_codes")).content.decode()
        assert 'href="/units/"' in page

    def test_a_wrong_code_is_refused_at_the_field_and_recorded(self, client, auditor):
        client.force_login(auditor)
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=auditor)
        response = client.post(ENROL, {"code": wrong_code(device)})
        assert response.status_code == 200
        assert "验证码不正确" in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert not StaticDevice.objects.filter(user=auditor).exists()
        (event,) = events(SecurityEvent.Event.OTP_FAILED)
        assert event.outcome == "failure" and event.username == "auditor"
        assert client.get(HOME)["Location"].startswith(ENROL)

    def test_not_six_digits_is_explained(self, client, auditor):
        client.force_login(auditor)
        client.get(ENROL)
        response = client.post(ENROL, {"code": "12ab"})
        assert "请输入身份验证器上显示的 6 位数字" in response.content.decode()

    def test_an_enrolled_user_cannot_bind_a_second_authenticator(self, client, admin):
        login_verified(client, admin)
        response = client.get(ENROL)
        assert response["Location"] == reverse("accounts:security")
        assert TOTPDevice.objects.filter(user=admin).count() == 1


class TestVerification:
    def test_a_valid_code_verifies_the_session_and_goes_on(self, client, admin):
        device = enrolled_and_logged_in(client, admin)
        response = client.post(VERIFY, {"code": totp_code(device), "next": "/units/"})
        assert response["Location"] == "/units/"
        assert client.get(reverse("targets:unit_list")).status_code == 200

    def test_a_wrong_code_is_refused_with_a_chinese_message_and_recorded(self, client, admin):
        device = enrolled_and_logged_in(client, admin)
        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert response.status_code == 200
        assert "验证码不正确" in response.content.decode()
        assert client.get(HOME)["Location"].startswith(VERIFY)
        (event,) = events(SecurityEvent.Event.OTP_FAILED)
        assert event.username == "admin" and event.outcome == "failure"

    def test_a_replayed_code_is_refused(self, client, admin):
        device = enrolled_and_logged_in(client, admin)
        code = totp_code(device)
        assert client.post(VERIFY, {"code": code})["Location"] == HOME
        client.logout()
        client.force_login(admin)
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "已经用过" in response.content.decode()
        assert client.get(HOME)["Location"].startswith(VERIFY)

    def test_a_recovery_code_works_once_then_is_refused(self, client, auditor):
        client.force_login(auditor)
        _enrol(client, auditor)
        code = StaticToken.objects.filter(device__user=auditor).first().token
        client.logout()
        client.force_login(auditor)
        typed = f"{code[:4].upper()}-{code[4:]}"
        assert client.post(VERIFY, {"code": typed})["Location"] == HOME
        assert StaticToken.objects.filter(device__user=auditor).count() == 9
        assert "还剩 9 个" in client.get(HOME).content.decode()
        client.logout()
        client.force_login(auditor)
        response = client.post(VERIFY, {"code": code})
        assert "恢复码不正确或已经用过" in response.content.decode()
        assert client.get(HOME)["Location"].startswith(VERIFY)

    def test_repeated_failures_are_throttled_and_explained(self, client, admin):
        device = enrolled_and_logged_in(client, admin)
        client.post(VERIFY, {"code": wrong_code(device)})
        response = client.post(VERIFY, {"code": totp_code(device)})  # at once: too soon
        text = response.content.decode()
        assert "连续输错 1 次" in text and "秒后" in text
        assert client.get(HOME)["Location"].startswith(VERIFY)
        assert [e.detail for e in events(SecurityEvent.Event.OTP_FAILED)][-1].startswith(
            "尝试过于频繁"
        )
        allow_next_attempt(device)
        assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == HOME

    def test_a_next_address_on_another_site_is_not_followed(self, client, admin):
        device = enrolled_and_logged_in(client, admin)
        response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
        assert response["Location"] == HOME

    def test_a_reset_device_no_longer_verifies_the_session(self, client, admin):
        login_verified(client, admin)
        assert client.get(HOME).status_code == 200
        TOTPDevice.objects.filter(user=admin).delete()
        assert client.get(HOME)["Location"].startswith(ENROL)


class TestAccountSecurityPage:
    def test_header_links_to_it_and_it_shows_the_state(self, client, auditor):
        client.force_login(auditor)
        _enrol(client, auditor)
        home = client.get(HOME).content.decode()
        assert reverse("accounts:security") in home and "账号安全" in home
        page = client.get(reverse("accounts:security")).content.decode()
        assert "已开启" in page and "剩余 10 个" in page

    def test_a_role_without_two_factor_is_told_so(self, client, world):
        client.force_login(world.users["coordinator_a"])
        page = client.get(reverse("accounts:security")).content.decode()
        assert "您的角色无需双因素认证" in page

    def test_regenerating_recovery_codes_asks_first_then_replaces_them(self, client, auditor):
        client.force_login(auditor)
        _enrol(client, auditor)
        old = set(StaticToken.objects.values_list("token", flat=True))
        url = reverse("accounts:recovery_codes_regenerate")
        confirm = client.get(url).content.decode()
        assert "原有的恢复码" in confirm and "立即作废" in confirm
        assert set(StaticToken.objects.values_list("token", flat=True)) == old
        response = client.post(url)
        assert response["Location"] == reverse("accounts:recovery_codes")
        new = set(StaticToken.objects.values_list("token", flat=True))
        assert len(new) == 10 and not new & old
        page = client.get(reverse("accounts:recovery_codes")).content.decode()
        assert "已重新生成 10 个恢复码" in page
        client.logout()
        client.force_login(auditor)
        response = client.post(VERIFY, {"code": sorted(old)[0]})
        assert "恢复码不正确" in response.content.decode()
        assert len(events(SecurityEvent.Event.OTP_ENROL)) == 2


class TestAdministratorReset:
    def url(self, user):
        return reverse("admin:accounts_user_two_factor_reset", args=[user.pk])

    def test_the_user_page_shows_the_state_and_links_to_the_reset(self, client, admin, auditor):
        authenticator_for(auditor)
        login_verified(client, admin)
        page = client.get(reverse("admin:accounts_user_change", args=[auditor.pk]))
        text = page.content.decode()
        assert "已绑定身份验证器" in text and self.url(auditor) in text

    def test_confirmation_names_the_user_and_changes_nothing(self, client, admin, auditor):
        auditor.first_name = "审计员王五"
        auditor.save()
        authenticator_for(auditor)
        login_verified(client, admin)
        text = client.get(self.url(auditor)).content.decode()
        assert "审计员王五" in text and "（auditor）" in text
        assert TOTPDevice.objects.filter(user=auditor).exists()

    def test_reset_removes_the_authenticator_and_codes_and_is_recorded(
        self, client, admin, auditor
    ):
        from django.test import Client

        auditor_client = Client()
        login_verified(auditor_client, auditor)
        StaticDevice.objects.create(user=auditor, name="恢复码")
        assert auditor_client.get(HOME).status_code == 200
        login_verified(client, admin)
        response = client.post(self.url(auditor))
        assert response["Location"] == reverse("admin:accounts_user_change", args=[auditor.pk])
        assert not TOTPDevice.objects.filter(user=auditor).exists()
        assert not StaticDevice.objects.filter(user=auditor).exists()
        (event,) = events(SecurityEvent.Event.OTP_RESET)
        assert event.username == "admin" and event.object_repr == "auditor"
        assert "已解除用户" in client.get(response["Location"]).content.decode()
        assert auditor_client.get(HOME)["Location"].startswith(ENROL)

    def test_only_an_administrator_may_reset(self, client, world, auditor):
        authenticator_for(auditor)
        client.force_login(world.users["viewer"])
        response = client.post(self.url(auditor))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert TOTPDevice.objects.filter(user=auditor).exists()
        assert not events(SecurityEvent.Event.OTP_RESET)

    def test_device_secrets_are_not_listed_in_the_admin(self, client, admin):
        login_verified(client, admin)
        index = client.get(reverse("admin:index")).content.decode()
        assert "totpdevice" not in index and "staticdevice" not in index
