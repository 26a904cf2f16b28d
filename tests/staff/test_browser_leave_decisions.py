"""In a real browser, wide and on a phone: a rejection asks first and says what will happen
and to whom; the coordinator then sees the reason; a sheet's history reads in words."""

import os

import pytest
from django.urls import reverse

from tests.browser import chromium_page
from tests.staff.test_browser_leave import log_in
from tests.staff.world import leave_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_a_rejection_is_confirmed_first_and_its_reason_reaches_the_coordinator(
    live_server, world, coord_a, width, height
):
    base = live_server.url
    leave = leave_of(world, state="pending_town", days=2)
    detail = base + reverse("staff:leave_detail", args=[leave.pk])
    with chromium_page(width=width, height=height) as page:
        log_in(page, base, "reviewer_a")
        page.goto(detail)
        assert page.locator("text=撤回申请").count() == 0  # the town decides, never withdraws
        page.fill("#id_note", "请补充病历材料")
        page.click("button[name=decision][value=reject]")
        page.wait_for_selector("text=您将驳回")
        body = page.locator("main").inner_text()
        assert "驳回理由「请补充病历材料」将告知陈静" in body and "陈静将收到审批结果的通知" in body
        shot(page, f"confirm-reject-{width}")
        page.click("text=确认驳回")
        page.wait_for_selector(".messages")
        assert "已驳回" in page.locator(".messages").inner_text()

        log_in(page, base, "coordinator_a")
        page.goto(detail)
        assert "请补充病历材料" in page.locator("p.alert").inner_text()
        shot(page, f"rejected-{width}")
        page.goto(base + "/no-such-page/")
        assert "没有找到（404）" in page.locator("h1").inner_text()
        shot(page, f"404-{width}")
