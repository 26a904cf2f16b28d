"""The administrator reopens a finalised cycle with a reason, corrects a score, computes
again and reads the history of result versions, in a real browser, wide and narrow."""

import re

import pytest

from tests.assessments.test_result_versions import (
    REASON,
    confirm_flagged,
    give_u05_item_6_its_points,
)
from tests.assessments.test_results import changzhou_answers, changzhou_units, run_cycle
from tests.browser import chromium_page, log_in
from tests.conftest import import_seed_rubric

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    log_in(page, base, username)  # types the second factor's code where the role uses it
    page.wait_for_url(base + "/")


def test_reopen_with_a_reason_recompute_and_read_the_history(live_server, world, tmp_path):
    rubric = import_seed_rubric("changzhou-community")
    results = run_cycle(world, rubric, changzhou_units(world), changzhou_answers)
    cycle = results["U01"].cycle
    confirm_flagged(cycle, world.users["admin"])
    base = live_server.url
    with chromium_page() as page:
        login(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        page.click("text=定稿…")
        # the sheets were scored but not marked reviewed: each finalised as it is
        for choice in page.locator("input[value=as_is]").all():
            choice.check()
        page.click("button:has-text('确认定稿')")
        assert "已定稿：10 个单位的结果已定稿" in page.inner_text(".messages")

        # Without a reason the browser does not send the form.
        page.click("button[name=action][value=reopen]")
        assert page.evaluate("document.getElementById('id_reason_reopen').validity.valueMissing")
        page.screenshot(path=tmp_path / "reopen-form-1280.png", full_page=True)
        page.fill("#id_reason_reopen", REASON)
        page.click("button[name=action][value=reopen]")
        assert "现为「审核中」" in page.inner_text(".messages")

        give_u05_item_6_its_points(world, cycle)
        page.click("button[name=action][value=compute]")
        # the computation is a background job: its page offers the results when done
        page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
        assert "（第 2 版）" in page.inner_text("main")
        page.click("text=查看结果")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/results/")
        assert "第 2 版" in page.inner_text("main")
        page.screenshot(path=tmp_path / "results-1280.png", full_page=True)

        page.click("text=历史版本 >> nth=0")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/results/history/")
        text = page.inner_text("main")
        assert REASON in text and "88 → 91" in text and "合格 → 优秀" in text
        page.screenshot(path=tmp_path / "history-1280.png", full_page=True)
        page.click("a:text-is('U05')")
        page.wait_for_url(f"{base}/cycles/{cycle.pk}/results/*/history/")
        assert "结果历史版本：U05" in page.inner_text("h1")
        page.screenshot(path=tmp_path / "unit-history-1280.png", full_page=True)

    with chromium_page(width=390, height=844) as page:
        login(page, base, "admin")
        page.goto(f"{base}/cycles/{cycle.pk}/results/history/")
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=tmp_path / "history-390.png", full_page=True)
        assert width <= 390
        current = cycle.results.get(unit__name="U05")
        page.goto(f"{base}/cycles/{cycle.pk}/results/{current.pk}/history/")
        page.screenshot(path=tmp_path / "unit-history-390.png", full_page=True)
