"""The session warning in a real browser: a minute ahead, 「继续使用」, and the end.

The page's clock is Playwright's fake clock, fast-forwarded; the server's clock is moved by
rewriting the session's stored last activity (no sleeping).
"""

import pytest
from django.contrib.sessions.backends.db import SessionStore

from accounts import session_clock
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def server_session(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return SessionStore(session_key=key)


def idle_on_server(page, seconds):
    session = server_session(page)
    session[session_clock.LAST_ACTIVITY] = session_clock.now() - seconds
    session.save()


def test_the_warning_comes_a_minute_ahead_and_continue_keeps_the_session(live_server, world):
    base = live_server.url
    with chromium_page() as page:
        login(page, base, "coordinator_a")
        page.clock.install()
        page.goto(base + "/")
        banner = page.locator("#session-warning")
        page.clock.fast_forward("28:30")
        assert banner.is_hidden()
        page.clock.fast_forward("00:45")  # 29:15 without activity
        banner.wait_for(state="visible")
        assert "1 分钟后将因长时间未操作自动退出" in banner.inner_text()

        idle_on_server(page, 29 * 60 + 15)
        with page.expect_response("**/accounts/keep-alive/") as answer:
            page.click("#session-warning button:has-text('继续使用')")
        assert answer.value.status == 200
        banner.wait_for(state="hidden")
        assert session_clock.now() - server_session(page)[session_clock.LAST_ACTIVITY] <= 5

        page.clock.fast_forward("28:30")  # the count started again at 「继续使用」
        assert banner.is_hidden()
        page.clock.fast_forward("00:45")
        banner.wait_for(state="visible")


def test_when_the_time_is_up_the_page_goes_to_the_login_page_saying_why(live_server, world):
    base = live_server.url
    with chromium_page(width=390, height=800) as page:
        login(page, base, "coordinator_a")
        page.clock.install()
        page.goto(base + "/")
        page.clock.fast_forward("29:15")
        page.locator("#session-warning").wait_for(state="visible")
        idle_on_server(page, 30 * 60 + 5)
        with page.expect_navigation():
            page.clock.fast_forward("01:00")
        page.wait_for_url("**/accounts/login/**")
        assert "您已连续 30 分钟没有操作" in page.locator(".messages").inner_text()


def test_an_autosave_counts_as_activity_on_the_page(live_server, world):
    sheet = world.sheet_a
    base = live_server.url
    with chromium_page() as page:
        login(page, base, "coordinator_a")
        page.clock.install()
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/self/")
        banner = page.locator("#session-warning")
        page.clock.fast_forward("29:15")
        banner.wait_for(state="visible")
        page.fill("[name='s-6-score']", "2")
        page.keyboard.press("Tab")
        page.clock.fast_forward(400)  # the save waits 300 ms after the change
        page.wait_for_function(
            "() => document.getElementById('save-status').textContent.startsWith('已保存')"
        )
        banner.wait_for(state="hidden")


def test_a_short_idle_setting_shows_the_warning_at_once(live_server, world, settings):
    settings.SESSION_IDLE_MINUTES = 1
    base = live_server.url
    with chromium_page() as page:
        login(page, base, "viewer")
        banner = page.locator("#session-warning")
        banner.wait_for(state="visible", timeout=5000)
        assert page.locator('meta[name="session-idle-seconds"]').get_attribute("content") == "60"
        assert "继续使用" in banner.inner_text()
