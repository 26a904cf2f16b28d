"""In a real browser: logging in with a TOTP code, and enrolling from the QR page's secret."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser import chromium_page
from tests.conftest import authenticator_for, totp_code, wrong_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_login(page, base, username, password):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_admin_logs_in_through_the_form_with_a_totp_code(live_server, world):
    device = authenticator_for(world.users["admin"])
    base = live_server.url
    with chromium_page() as page:
        page.goto(base + "/units/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "pw-admin")
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/two-factor/verify/**")
        assert page.locator("h1").inner_text() == "双因素验证"
        page.fill("#id_code", wrong_code(device))
        page.click("main button[type=submit]")
        assert "验证码不正确" in page.locator(".errors").inner_text()
        page.wait_for_timeout(1100)  # the throttle after one failure is one second
        page.fill("#id_code", totp_code(device))
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/units/")
        assert "账号安全" in page.locator(".who").inner_text()


def test_auditor_enrols_by_the_secret_then_logs_in_with_a_recovery_code(live_server, world):
    base = live_server.url  # the world's auditor has no authenticator bound yet
    with chromium_page(width=390, height=844) as page:
        submit_login(page, base, "auditor", "pw-auditor")
        page.wait_for_url("**/accounts/two-factor/enrol/**")
        assert page.locator(".qr-box svg").is_visible()
        page.click("text=无法扫码？手工输入密钥")
        secret = page.locator("code.secret").inner_text().replace(" ", "")
        totp = TOTP(b32decode(secret))
        page.fill("#id_code", f"{totp.token():06d}")
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/two-factor/recovery-codes/")
        codes = page.locator(".codes code").all_inner_texts()
        assert len(codes) == 10
        page.click("text=我已保存，继续")
        page.wait_for_url(base + "/")
        page.click("text=退出登录")
        page.wait_for_url("**/accounts/login/")

        submit_login(page, base, "auditor", "pw-auditor")
        page.wait_for_url("**/accounts/two-factor/verify/**")
        page.fill("#id_code", codes[0])
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")
        assert "还剩 9 个" in page.locator(".messages").inner_text()
