import pytest

from accounts.models import User
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form:not(.inline) button[type=submit]")


def test_first_login_goes_through_the_change_page_then_home(live_server, world):
    User.objects.filter(username="viewer").update(must_change_password=True)
    with chromium_page(width=390) as page:
        _login(page, live_server.url, "viewer", "pw-viewer")
        page.wait_for_url("**/accounts/password/")
        assert "这是您首次登录" in page.locator("#change-reason").inner_text()
        page.fill("#id_old_password", "pw-viewer")
        page.fill("#id_new_password1", "Xin-Mima-2026")
        page.fill("#id_new_password2", "Xin-Mima-2026")
        page.click("button.primary")
        page.wait_for_url("**/accounts/password/done/")
        page.goto(live_server.url + "/")
        assert "您好" in page.locator("h1").inner_text()


def test_a_locked_account_sees_the_lock_in_chinese(live_server, world):
    with chromium_page() as page:
        for _i in range(5):
            _login(page, live_server.url, "coordinator_a", "wrong")
        _login(page, live_server.url, "coordinator_a", "pw-coordinator_a")
        text = page.locator("#lockout").inner_text()
        assert "账号「coordinator_a」连续 5 次登录失败，已被锁定，将于" in text
        assert "/accounts/login/" in page.url
