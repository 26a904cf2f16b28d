import re
from datetime import timedelta

import pytest
from django.utils import timezone

from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers
from tests.browser import chromium_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    log_in(page, base, username)  # the administrator types a TOTP code too


def fill(page, data):
    for name, value in data.items():
        field = page.locator(f"[name='{name}']")
        tag = field.evaluate("e => e.tagName + ':' + (e.type || '')")
        if tag.startswith("SELECT"):
            field.select_option(value)
        elif tag.endswith("checkbox"):
            field.check()
        elif tag.endswith("hidden"):
            continue
        else:
            field.fill(value)


def wait_saved(page):
    page.wait_for_function(
        "() => document.getElementById('save-status').textContent.startsWith('已保存')"
    )


def test_self_assessment_review_publish_and_the_coordinator_sees_the_grade(live_server, world):
    cycle = world.cycle
    sheet = world.sheet_a
    parsed = engine_rubric_for(cycle.rubric)
    base = live_server.url
    with chromium_page() as page:
        # The coordinator fills every item and submits.
        login(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/self/")
        fill(page, best_answers(parsed, "s"))
        wait_saved(page)
        page.click("button[name=then][value=submit]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/submit/")  # asked first
        page.click("button[name=action][value=submit]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "已提交" in page.locator("h1").inner_text()

        # The town reviewer types the discretionary scores with the keyboard:
        # a value, Enter to the next field, and the page saves in the background.
        login(page, base, "reviewer_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/review/")
        answers = best_answers(parsed, "r", score_of=lambda item: 2 if item.key == "6" else None)
        typed = [n for n in answers if n.endswith("-score")][:3]
        page.focus(f"[name='{typed[0]}']")
        for name in typed:
            assert page.evaluate("document.activeElement.name") == name
            page.keyboard.type(answers[name])
            page.keyboard.press("Enter")
        wait_saved(page)
        fill(page, {k: v for k, v in answers.items() if k not in typed})
        wait_saved(page)
        page.click("button[name=then][value=reviewed]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "已审核" in page.locator("h1").inner_text()
        # Item 6 was typed as 2 of 3 points; best answers elsewhere give 98 − 1 = 97.
        assert page.locator("#review-total").inner_text() == "97"

        # The administrator closes self-assessment, computes, confirms, finalises, publishes.
        login(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=结束自评，进入审核…")
        # 东陈村 never submitted: recorded as 未提交 on the confirmation page
        page.check(f"input[name=choice_{world.sheet_b.pk}][value=absent]")
        page.click("button:has-text('确认结束自评')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
        page.click("button[value=compute]")
        # the computation is a background job: its page offers the results when done
        page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
        assert "已计算「" in page.inner_text("main")
        page.click("text=查看结果")
        page.wait_for_url(re.compile(r".*/results/$"))
        # ⌊30% × 2⌋ = 0 places for 优秀: 淹城社区 is over the advisory quota; kept, with why.
        page.goto(f"{base}/cycles/{cycle.pk}/results/decisions/")
        page.check("input[value=keep]")
        page.fill("textarea[name^=reason_]", "只有两个单位参加，按分数保持")
        page.click("button:has-text('保存决定')")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=定稿…")
        page.click("button:has-text('确认定稿')")
        assert "已定稿" in page.locator("h1").inner_text(), page.locator(".messages").inner_text()
        # Publishing has its own page: what will happen, the 公示 dates, then the step.
        page.click("a:has-text('公布结果')")
        page.fill("#id_end", (timezone.localdate() + timedelta(days=5)).isoformat())
        page.click("button:has-text('确认公布并开始公示')")
        assert "已公布" in page.locator(".messages").inner_text()
        page.goto(f"{base}/cycles/{cycle.pk}/")
        assert "已公布" in page.locator("h1").inner_text()

        # The coordinator sees the grade: 97 ≥ 90 is 优秀.
        login(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "优秀" in page.locator(".facts").inner_text()
