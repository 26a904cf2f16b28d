"""The sheet page on a phone: a refused score is told at its field, which keeps the focus."""

import os

import pytest

from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers
from tests.assessments.test_browser_cycle import fill
from tests.browser import chromium_page, log_in
from tests.conftest import PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SHEET_SCREENSHOTS")  # a folder: save what the test saw


def test_a_bad_score_on_a_phone_is_marked_at_its_field_which_keeps_the_focus(live_server, world):
    sheet = world.sheet_a
    base = live_server.url
    with chromium_page(width=390, height=844) as page:
        log_in(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/self/")
        field = page.locator("[name='s-6-score']")
        field.fill("9")  # item 6 is worth 3
        page.keyboard.press("Enter")  # on to the next field; the page saves in the background
        page.wait_for_function(
            "() => document.getElementById('save-status').textContent.startsWith('未保存')"
        )
        assert field.get_attribute("aria-invalid") == "true"
        assert field.get_attribute("aria-describedby") == "err-6"
        message = page.locator("#err-6")
        assert "9" in message.inner_text()
        assert message.evaluate("e => e.closest('tr').id") == "item-6"
        field_box, message_box = field.bounding_box(), message.bounding_box()
        assert 0 <= message_box["y"] - field_box["y"] < 150  # just below the field
        assert page.evaluate("document.activeElement.name") == "s-6-score"
        assert page.locator("#unsaved").inner_text() == "有 1 项未保存"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/sheet-error-390.png")

        field.fill("2")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('save-status').textContent.startsWith('已保存')"
        )
        assert field.get_attribute("aria-invalid") is None
        assert page.locator("#err-6").count() == 0
        assert page.locator("#unsaved").inner_text() == ""

        # A file chosen for item 7 is uploaded at once and listed at the item.
        page.locator("input[type=file][form='ev-add-7']").set_input_files(
            files=[{"name": "台账.png", "mimeType": "image/png", "buffer": PNG_BYTES}]
        )
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/self/#item-7")
        assert "已上传到第 7 项" in page.inner_text(".messages")
        assert "台账.png" in page.locator("#item-7 .files").inner_text()
        if SHOTS:
            page.locator("#item-7").scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/sheet-file-390.png")


def test_submitting_asks_first_and_says_who_reviews(live_server, world):
    sheet = world.sheet_a
    parsed = engine_rubric_for(sheet.cycle.rubric)
    base = live_server.url
    with chromium_page() as page:
        log_in(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/self/")
        fill(page, best_answers(parsed, "s"))
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/sheet-self-1280.png", full_page=False)
        page.click("button[name=then][value=submit]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/submit/")
        assert "提交后不能再修改，将交由湖塘镇审核。" in page.inner_text("main")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/sheet-submit-1280.png")
        page.click("button[name=action][value=submit]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "已提交" in page.locator("h1").inner_text()
