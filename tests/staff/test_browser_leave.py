"""In a real browser: a coordinator asks for three days off; the village head, the town
centre head and the city employment office approve in turn; the slip prints."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def approve_waiting_request(page, base):
    page.goto(base + "/staff/approvals/")
    page.click("text=陈静 · 事假")
    page.fill("#id_note", "同意。")
    page.click("button[name=decision][value=approve]")
    page.wait_for_selector("text=您将同意")  # what will happen, before it does
    page.click("text=确认同意")
    page.wait_for_selector(".messages")
    return page.locator("h1 .state").inner_text()


def test_three_day_leave_passes_three_approvals_and_the_slip_prints(
    live_server, world, coord_a, head_a, city
):
    base = live_server.url
    start = timezone.localdate() + timedelta(days=2)
    with chromium_page(width=390, height=844) as page:  # a phone
        log_in(page, base, "coordinator_a")
        page.goto(base + "/staff/approvals/")
        page.click("text=申请请假")
        page.check("input[name=kind][value=personal]")
        page.fill("#id_start_date", start.isoformat())
        page.fill("#id_end_date", (start + timedelta(days=2)).isoformat())
        page.fill("#id_reason", "回老家处理家事")
        page.click("text=提交申请")
        page.wait_for_selector(".messages")
        assert "共 3 天" in page.locator(".messages").inner_text()
        assert page.locator("h1 .state").inner_text() == "待村审批"
        detail_url = page.url

        log_in(page, base, "head_a")  # 村（社区）负责人
        assert approve_waiting_request(page, base) == "待镇审批"
        log_in(page, base, "reviewer_a")  # 镇（街道）社会事业服务中心
        assert approve_waiting_request(page, base) == "待市审批"
        log_in(page, base, "city")  # 市就业处
        assert approve_waiting_request(page, base) == "已批准"
        ladder = page.locator(".ladder").inner_text()
        assert "head_a" in ladder and "reviewer_a" in ladder and "city" in ladder

        log_in(page, base, "coordinator_a")
        page.goto(detail_url)
        href = page.get_attribute("text=打印请假审批单（PDF）", "href")
        slip = page.request.get(base + href)
        assert slip.status == 200
        assert slip.headers["content-type"] == "application/pdf"
        assert slip.body().startswith(b"%PDF")
