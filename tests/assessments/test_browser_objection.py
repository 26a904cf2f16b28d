"""Through the pages: the administrator publishes, unit A's coordinator files a 异议 with
evidence, town A's reviewer upholds it, corrects the score on the reopened sheet, the
administrator recomputes, finalises and publishes again, and the 公示 shows the change."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Assessment, Cycle, Objection
from kit.formatting import points
from tests.assessments.publicity_world import finalised
from tests.browser import chromium_page, log_in
from tests.conftest import PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def publish(page, base, cycle):
    page.goto(f"{base}/cycles/{cycle.pk}/")
    page.click("a:has-text('公布结果')")
    page.wait_for_url(f"{base}/cycles/{cycle.pk}/publish/")
    assert "2 个单位的考核结果" in page.inner_text("main")
    page.fill("#id_end", (timezone.localdate() + timedelta(days=5)).isoformat())
    page.click("button:has-text('确认公布并开始公示')")
    page.wait_for_url(f"{base}/cycles/{cycle.pk}/publicity/")
    assert "已公布" in page.locator(".messages").inner_text()


def row_text(page, name) -> str:
    return page.locator("table.grid tbody tr", has_text=name).first.inner_text()


def test_an_upheld_objection_is_rescored_and_the_publicity_shows_the_change(
    live_server, world, tmp_path
):
    cycle = finalised(world)
    before = cycle.results.get(unit=world.unit_a).total
    base = live_server.url
    evidence = tmp_path / "核查记录.png"
    evidence.write_bytes(PNG_BYTES)
    with chromium_page() as page:
        log_in(page, base, "admin")
        publish(page, base, cycle)

        # The coordinator sees the town's list and objects on the unit's own row.
        log_in(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/{cycle.pk}/publicity/")
        assert "淹城社区" in row_text(page, "淹城社区")
        assert page.locator("table.grid tbody tr", has_text="东陈村").count() == 0
        page.locator("tr", has_text="淹城社区").locator("a:has-text('提出异议')").click()
        page.fill("#id_reason", "第6项台账已按时建立，评分时漏看，请复核。")
        page.set_input_files("#id_evidence", str(evidence))
        page.click("button:has-text('提交异议')")
        page.wait_for_url(re.compile(r".*/cycles/objections/\d+/$"))
        assert "已提交对「淹城社区」考核结果的异议" in page.locator(".messages").inner_text()
        assert "待答复" in page.locator("h1").inner_text()
        objection = Objection.objects.get()

        # Town A's reviewer upholds it; the sheet is reopened and the score corrected.
        log_in(page, base, "reviewer_a")
        page.goto(f"{base}/cycles/objections/{objection.pk}/")
        assert "核查记录.png" in page.inner_text("main")
        page.check("input[name=decision][value=uphold]")
        page.fill("#id_answer", "经复核，第6项应得满分。")
        page.click("button:has-text('提交答复')")
        assert "异议成立" in page.locator(".messages").inner_text()
        sheet = Assessment.objects.get(cycle=cycle, unit=world.unit_a)
        assert sheet.state == Assessment.State.REVIEWED
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.REVIEW
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/review/")
        page.fill("[name='r-6-score']", "3")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('save-status').textContent.startsWith('已保存')"
        )

        # The administrator recomputes, finalises and publishes again.
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("button[value=compute]")
        page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
        assert "已计算「" in page.inner_text("main")
        page.click("text=查看结果")
        page.wait_for_url(re.compile(r".*/results/$"))
        assert "没有等待决定的名额" in page.inner_text("main")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=定稿…")
        page.wait_for_url(re.compile(r".*/close/finalise/$"))
        page.click("button:has-text('确认定稿')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
        assert "已定稿" in page.locator("h1").inner_text(), page.locator(".messages").inner_text()
        publish(page, base, cycle)

        # The coordinator reads the answer and sees the corrected total in the 公示.
        log_in(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/objections/{objection.pk}/")
        assert "经复核，第6项应得满分。" in page.locator("#answer").inner_text()
        page.goto(f"{base}/cycles/{cycle.pk}/publicity/")
        after = cycle.results.get(unit=world.unit_a)
        item_6 = sheet.scores.get(side="review", item__key="6")
        assert item_6.score == 3 and after.total > before
        total_cell = page.locator("table.grid tbody tr", has_text="淹城社区").locator("td").nth(3)
        assert total_cell.inner_text() == points(after.total) != points(before)
