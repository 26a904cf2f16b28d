"""The security log page in a real browser, wide and on a phone."""

import os

import pytest
from django.urls import reverse

from audit.events import Event, Outcome
from audit.log import record
from tests.browser import chromium_page
from tests.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill():
    record(
        Event.ROLE_CHANGE,
        username="admin",
        object_repr="hutang",
        object_type="用户",
        object_id="3",
        detail="修改账号的角色与权限",
        changes={"角色": ["只读查看", "镇（街道）考核人员"], "工作人员状态": ["否", "是"]},
    )
    record(Event.LOGIN_FAILED, username="hutang", outcome=Outcome.FAILURE, detail="密码错误")
    record(
        Event.PERSONNEL_CHANGE,
        username="hutang",
        object_type="协理员",
        object_repr="陈静",
        object_id="12",
        detail="修改协理员档案",
        changes={"联系方式": ["13912345678", "13900000000"], "职务": ["", "副站长"]},
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_log_page_reads_on_wide_and_phone_screens(width, live_server, world):
    from django.test import Client

    _fill()
    client = login_verified(Client(), world.users["auditor"])  # the second factor passed
    session = client.cookies["sessionid"].value
    with chromium_page(width=width) as page:
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto(live_server.url + reverse("audit:log"))
        assert page.locator("h1").inner_text() == "安全审计日志"
        assert page.locator("table.changes").count() >= 2
        # Nothing wider than the screen: the phone reads each row as a card.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        nav = page.locator("nav.mainnav").inner_text()
        assert "考核" not in nav and "安全审计日志" in nav
        shots = os.environ.get("AUDIT_SCREENSHOTS")
        if shots:
            page.screenshot(path=f"{shots}/audit-log-{width}.png", full_page=True)
