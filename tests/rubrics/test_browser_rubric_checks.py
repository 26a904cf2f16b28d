"""In the browser: the checks beside the rows, a 试算, and opening a cycle whose rubric has
no self-assessment column."""

import os
import re
from pathlib import Path

import pytest

from assessments import services
from assessments.models import Cycle
from org.models import Unit
from tests.browser import chromium_page, log_in
from tests.conftest import import_seed_rubric

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("RUBRIC_CHECK_SHOTS", "")


def shoot(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_checks_appear_beside_their_rows_and_a_trial_is_scored(live_server, world):
    rubric = import_seed_rubric("changzhou-village")
    base = live_server.url
    errors = []
    with chromium_page() as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(page, base, "admin")
        page.goto(f"{base}/rubrics/{rubric.pk}/trial/")
        page.wait_for_selector("#rubric-checks[data-checked='3']")
        beside = page.inner_text("[data-row='section:s3'] .row-check")
        assert beside == "三、促进就业创业：小计标注 22 分，各项合计 24 分"
        assert page.locator("[data-row='item:27'].has-warning").count() == 1
        assert page.inner_text(".checks-summary") == "3 个提示。"
        sampled = page.inner_text("#trial-total")
        shoot(page, "rubric-trial")

        # Every veto passed and nothing else entered: 5 × 3 = 15 points, 不合格.
        for field in page.locator(".trial-table input[type=text]").all():
            field.fill("")
        for box in page.locator(".trial-table input[type=checkbox]").all():
            box.uncheck()
        for key in "12345":
            page.select_option(f"select[name='t-{key}-passed']", "yes")
        page.click("button:has-text('重新计算')")
        page.wait_for_load_state()
        assert page.inner_text("#trial-total") == "15"
        assert page.inner_text("#trial-grade") == "不合格"
        assert page.inner_text("[data-subtotal='s1']").startswith("15")
        assert sampled != "15"
    assert errors == []


def test_a_rubric_without_self_column_is_opened_only_on_a_confirmation(live_server, world):
    units = [
        Unit.objects.create(name=f"社区{i:02d}", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        for i in range(44)
    ]
    cycle = services.cycle_create(
        title="2027年专窗考核",
        year=2027,
        rubric=import_seed_rubric("xinjian-2021-window"),
        units=units,
        user=world.users["admin"],
    )
    base = live_server.url
    with chromium_page() as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=开放自评")
        page.wait_for_url(re.compile(r".*/open/$"))
        assert page.inner_text("#open-consequence") == (
            "该评分标准没有自评栏：本周期 44 个单位的协理员将不能填报自评，考核表直接由镇（街道）审核。"
        )
        shoot(page, "cycle-open")

        page.click("button:has-text('确认开放自评')")
        assert "请勾选确认后再开放自评" in page.inner_text("#confirm-error")
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.DRAFT

        page.check("#id_confirm")
        page.click("button:has-text('确认开放自评')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
        assert "已开放自评" in page.inner_text(".messages")
    assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN
