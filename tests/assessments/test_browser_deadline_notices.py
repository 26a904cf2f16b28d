"""In a real browser: a reviewer returns a sheet with a reason; its coordinator logs in, the
header counts the unread notice and the inbox shows the reason. The deadline pages are
looked at wide and narrow."""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from assessments import deadlines, services
from assessments.models import Cycle
from tests.browser import chromium_page, log_in
from tests.foundation.post_cases import self_filled
from tests.staff.world import coordinator_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the screenshots go (a temporary directory unless SCREENSHOTS names one).
SHOTS = os.environ.get("SCREENSHOTS")


def shot(page, tmp_path, name):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def test_a_coordinator_finds_the_reason_of_a_returned_sheet_in_the_inbox(
    live_server, world, tmp_path
):
    sheet = self_filled(world)
    services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
    Cycle.objects.filter(pk=world.cycle.pk).update(
        self_deadline=deadlines.today() + timedelta(days=3)
    )
    base = live_server.url
    reason = "第6项缺少宣传栏照片，请补传台账后重新提交"
    with chromium_page() as page:
        log_in(page, base, "reviewer_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/")
        page.fill("#id_return_reason", reason)
        page.click("button[name=action][value=return]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "已退回" in page.locator("h1").inner_text()

        log_in(page, base, "coordinator_a")
        badge = page.locator("header .inbox-link .badge")
        assert badge.inner_text() == "1"
        page.click("header .inbox-link")
        page.wait_for_url(f"{base}/notices/**")
        notice = page.locator("ul.notices li.notice").first
        assert "「淹城社区」的考核表被退回" in notice.inner_text()
        assert f"退回原因：{reason}" in notice.inner_text()
        shot(page, tmp_path, "inbox-returned-1280")

        # The notice leads to the sheet, which shows the reason and the days left.
        notice.locator("a").click()
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        main = page.inner_text("main")
        assert reason in main and "还剩 3 天" in main
        assert page.locator("header .inbox-link .badge").count() == 0


@pytest.mark.parametrize("width", [1280, 390])
def test_the_deadline_pages_read_wide_and_narrow(live_server, world, tmp_path, width):
    coordinator_of(world, "a")
    Cycle.objects.filter(pk=world.cycle.pk).update(
        self_deadline=deadlines.today() - timedelta(days=2),
        review_deadline=deadlines.today() + timedelta(days=12),
    )
    sheet = world.sheet_a
    base = live_server.url
    with chromium_page(width=width) as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{world.cycle.pk}/overdue/")
        assert "湖塘镇" in page.inner_text("main") and "陈静" in page.inner_text("main")
        shot(page, tmp_path, f"overdue-{width}")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/extend/")
        page.fill("#id_new_date", (deadlines.today() + timedelta(days=5)).isoformat())
        page.fill("#id_reason", "社区换届，台账移交中")
        page.click("main button[type=submit].primary")
        assert "请确认" in page.inner_text("main")
        shot(page, tmp_path, f"extend-confirm-{width}")
        page.click("text=确认延期")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "还剩 5 天" in page.inner_text("main")
        shot(page, tmp_path, f"sheet-deadline-{width}")
        page.goto(f"{base}/cycles/{world.cycle.pk}/")
        shot(page, tmp_path, f"cycle-{width}")
        page.goto(f"{base}/")
        shot(page, tmp_path, f"home-admin-{width}")
        page.goto(f"{base}/cycles/new/")
        shot(page, tmp_path, f"cycle-form-{width}")
        log_in(page, base, "coordinator_a")
        shot(page, tmp_path, f"home-coordinator-{width}")
