"""Headless Debian Chromium driven by Playwright (never Playwright's own browser build)."""

import os
from contextlib import contextmanager
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (fixtures, assertions) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def chromium_page(*, width=1280, height=900):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `./dev test` installs Debian's chromium.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN"
            )
            page = context.new_page()
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def log_in(page, base, username, password=None):
    """Log in through the form as a persona of the ``world`` fixture; a person whose role
    uses the second factor is given an authenticator and types the code it shows."""
    from accounts.models import User
    from accounts.policy import role_uses_two_factor
    from tests.conftest import authenticator_for, totp_code

    user = User.objects.get(username=username)
    device = authenticator_for(user) if role_uses_two_factor(user) else None
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or "pw-" + username)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/verify/**")
        page.fill("#id_code", totp_code(device))
        page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
