"""In the browser: closing self-assessment with a late unit, applying the quota."""

import os
import re
from pathlib import Path

import pytest

from assessments import services
from assessments.models import Cycle
from tests.assessments.test_closing import tie_answers
from tests.assessments.test_results import changzhou_units, run_cycle
from tests.browser import chromium_page, log_in
from tests.conftest import import_seed_rubric
from tests.foundation.post_cases import self_filled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of the pages for a person to look at, when asked for.
SHOTS = os.environ.get("CLOSING_SHOTS", "")


def shoot(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_closing_self_assessment_with_a_late_unit_recorded_as_not_submitted(live_server, world):
    cycle = world.cycle
    sheet = self_filled(world)
    services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
    base = live_server.url
    with chromium_page() as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=结束自评，进入审核…")
        page.wait_for_url(re.compile(r".*/close/open_review/$"))
        main = page.inner_text("main")
        # The late unit is listed, and what recording it means is said before confirming.
        assert "1 张考核表还没有提交自评" in main and "东陈村" in main
        consequence = page.inner_text("#absence-consequence")
        assert "最低等次「不合格」" in consequence and "补助 0%" in consequence
        shoot(page, "close-open-review")

        # Confirming without a decision changes nothing and says why.
        page.click("button:has-text('确认结束自评')")
        assert "还没有决定，没有做任何更改" in page.inner_text(".messages")
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN

        page.check(f"input[name=choice_{world.sheet_b.pk}][value=absent]")
        page.click("button:has-text('确认结束自评')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
        assert (
            "已结束自评：1 个单位进入审核，1 个单位（东陈村）记为未提交（不合格）。"
            in page.inner_text(".messages")
        )
        assert "审核中" in page.locator("h1").inner_text()

        # Computed, the unit is shown as not submitted with its grade and why, not as 0.
        page.click("button[value=compute]")
        page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
        page.click("text=查看结果")
        page.wait_for_url(re.compile(r".*/results/$"))
        row = page.locator("tr", has_text="东陈村").inner_text()
        assert "未提交" in row and "不合格" in row and "未提交考核表：不计分" in row
        shoot(page, "results-absent")


@pytest.fixture
def tied_cycle(world):
    rubric = import_seed_rubric("changzhou-community")
    results = run_cycle(world, rubric, changzhou_units(world), tie_answers, base_subsidy=10000)
    return results["U01"].cycle


def test_applying_the_quota_two_units_down_and_one_kept_with_a_reason(
    live_server, world, tied_cycle
):
    # 常州 advisory 30% of 10 = 3 places: U03 and U04 tie at 94 for the third (equal on the
    # tie rule too), U09 (90) is over.
    cycle = tied_cycle
    ids = {r.unit.name: r.pk for r in cycle.results.select_related("unit")}
    base = live_server.url
    with chromium_page() as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/results/decisions/")
        main = page.inner_text("main")
        assert "还有 3 个单位等待决定（1 个超出名额、2 个名额边界同分且同分规则无法区分）" in main
        assert "先比「三、促进就业创业」得分" in main
        shoot(page, "quota-decisions")

        # U03 and U09 move down together.
        page.check(f"input[name=selected][value='{ids['U03']}']")
        page.check(f"input[name=selected][value='{ids['U09']}']")
        page.select_option("select[name=bulk_decision]", "demote")
        page.click("button:has-text('对所选单位执行')")
        assert "现在U03为合格、U09为合格" in page.inner_text(".messages")

        # U04 keeps 优秀, with its reason.
        row = page.locator(f"#row-{ids['U04']}")
        row.locator("input[value=keep]").check()
        row.locator("button:has-text('保存决定')").click()
        assert "选择「保持」时必须写明理由" in page.inner_text(".messages")
        row = page.locator(f"#row-{ids['U04']}")
        row.locator("input[value=keep]").check()
        row.locator("textarea").fill("退役军人就业安置工作全市第一")
        row.locator("button:has-text('保存决定')").click()
        assert "已记录名额决定「保持」：1 个单位（U04）" in page.inner_text(".messages")
        assert "所有超出名额的单位都已决定" in page.inner_text("main")

        page.goto(f"{base}/cycles/{cycle.pk}/results/")
        assert "合格" in page.locator("tr", has_text="U03").inner_text()
        u04 = page.locator("tr", has_text="U04").inner_text()
        assert "优秀" in u04 and "退役军人就业安置工作全市第一" in u04
        assert "没有等待决定的名额" in page.inner_text("main")
        shoot(page, "results-decided")

    grades = {r.unit.name: r.grade for r in cycle.results.select_related("unit")}
    assert (grades["U03"], grades["U04"], grades["U09"]) == ("合格", "优秀", "合格")


def test_closing_with_a_late_unit_extended_first_then_recorded_as_not_submitted(live_server, world):
    from datetime import timedelta

    from assessments import deadlines

    cycle = world.cycle
    sheet = self_filled(world)
    services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
    Cycle.objects.filter(pk=cycle.pk).update(self_deadline=deadlines.today() - timedelta(days=1))
    late = world.sheet_b
    base = live_server.url
    with chromium_page() as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/close/open_review/")
        # The late unit links to its extension; extending keeps the cycle open for it.
        page.locator("a", has_text="延长期限").first.click()
        page.wait_for_url(f"{base}/cycles/sheets/{late.pk}/extend/")
        page.fill("#id_new_date", (deadlines.today() + timedelta(days=3)).isoformat())
        page.fill("#id_reason", "村委换届，台账移交中")
        page.click("main button[type=submit].primary")
        assert "将把「东陈村」这张考核表的自评截止日期" in page.inner_text("main")
        page.click("text=确认延期")
        page.wait_for_url(f"{base}/cycles/sheets/{late.pk}/")
        assert "还剩 3 天" in page.inner_text("main")
        assert late.extensions.get().reason == "村委换届，台账移交中"

        # Closing now, the administrator keeps it waiting: nothing changes, and says so.
        page.goto(f"{base}/cycles/{cycle.pk}/close/open_review/")
        page.check(f"input[name=choice_{late.pk}][value=wait]")
        page.click("button:has-text('确认结束自评')")
        assert "没有做任何更改" in page.inner_text(".messages")
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN

        # Past the extension it still has not come: recorded as 未提交, consequence first.
        page.goto(f"{base}/cycles/{cycle.pk}/close/open_review/")
        assert "最低等次「不合格」" in page.inner_text("#absence-consequence")
        page.check(f"input[name=choice_{late.pk}][value=absent]")
        page.click("button:has-text('确认结束自评')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
        assert "1 个单位（东陈村）记为未提交（不合格）" in page.inner_text(".messages")
