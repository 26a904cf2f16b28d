"""From an empty rubric to a filled sheet, in the browser: an administrator builds a rubric
on the editor (a veto item, a deduction-to-zero item, a target-linked item and a capped
bonus), sees the arithmetic warning beside the table, scores a 试算, opens a cycle with it
(confirmed on its page); a coordinator then fills the sheet and submits it."""

import re

import pytest

from assessments import services
from assessments.models import Assessment, Cycle
from rubrics.models import Rubric
from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers
from tests.assessments.test_browser_cycle import fill, wait_saved
from tests.browser import chromium_page, log_in
from tests.rubrics.test_browser_rubric_editor import _levels, add_veto_deduction_and_target_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rubric_built_in_the_browser_is_tried_opened_and_filled(live_server, world):
    base = live_server.url
    errors = []
    with chromium_page(width=1280) as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(page, base, "admin")
        page.goto(f"{base}/rubrics/new/")
        page.fill("#id_title", "社区平台考核（试行）")
        page.fill("#id_year", "2027")
        page.fill("#id_first_section", "一、平台建设")
        page.click("main button.primary")
        page.wait_for_selector("table.ed-table")

        add_veto_deduction_and_target_items(page)
        page.click("text=在这一部分添加评分细则")
        page.fill("#id_title", "受到表彰")
        page.fill("#id_max_points", "2")
        page.check("#id_bonus")
        page.select_option("select[name=kind]", label="按级别累加，封顶")
        _levels(page)
        page.click("main .ed-actions button.primary")
        page.wait_for_selector("table.ed-table")

        # The arithmetic warning stands beside the table: 11 points, not 100.
        page.wait_for_selector("#rubric-checks[data-checked]")
        assert "各项合计 11 分，不是 100 分" in page.inner_text("#rubric-checks")

        # 试算 with the kinds' samples, then again with every answer at its best.
        page.click("text=试算")
        page.wait_for_url(re.compile(r".*/rubrics/\d+/trial/$"))
        assert page.inner_text("#trial-total")
        page.click("button:has-text('重新计算')")
        page.wait_for_load_state()
        assert page.inner_text("#trial-grade")

        rubric = Rubric.objects.get(title="社区平台考核（试行）")
        cycle = services.cycle_create(
            title="2027年社区平台考核（试行）",
            year=2027,
            rubric=rubric,
            units=[world.unit_a, world.unit_b],
            user=world.users["admin"],
        )
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=开放自评")
        page.wait_for_url(re.compile(r".*/open/$"))
        assert "2 个单位" in page.inner_text("main")
        page.click("button:has-text('确认开放自评')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN
        assert Rubric.objects.get(pk=rubric.pk).frozen

        # The coordinator fills the new rubric's sheet and submits it.
        sheet = Assessment.objects.get(cycle=cycle, unit=world.unit_a)
        log_in(page, base, "coordinator_a")
        page.goto(f"{base}/cycles/sheets/{sheet.pk}/self/")
        # The target-linked item takes its figures from the target table, not from a field.
        answers = best_answers(engine_rubric_for(rubric), "s")
        fill(page, {n: v for n, v in answers.items() if page.locator(f"[name='{n}']").count()})
        wait_saved(page)
        page.click("button[name=then][value=submit]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/submit/")
        page.click("button[name=action][value=submit]")
        page.wait_for_url(f"{base}/cycles/sheets/{sheet.pk}/")
        assert "已提交" in page.locator("h1").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == Assessment.State.SUBMITTED
    assert sheet.scores.filter(side="self").count() == rubric.items.count()
    assert errors == []
