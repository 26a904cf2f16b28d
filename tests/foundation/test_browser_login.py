import pytest

from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_sees_chinese_home_and_logs_out(live_server, world):
    with chromium_page() as page:
        page.goto(live_server.url + "/")
        assert "/accounts/login/" in page.url
        assert page.locator("h1").inner_text() == "登录"
        page.fill("#id_username", "coordinator_a")
        page.fill("#id_password", "pw-coordinator_a")
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        assert "您好，coordinator_a" in page.locator("h1").inner_text()
        assert "社区（村）协理员" in page.content()
        assert "淹城社区" in page.locator(".panels").inner_text()
        page.click("text=退出登录")
        page.wait_for_url("**/accounts/login/")
        assert page.locator("h1").inner_text() == "登录"


def test_wrong_password_gets_a_chinese_message(live_server, world):
    with chromium_page() as page:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "coordinator_a")
        page.fill("#id_password", "wrong")
        page.click("button[type=submit]")
        assert "用户名或密码不正确" in page.locator(".errors").inner_text()
