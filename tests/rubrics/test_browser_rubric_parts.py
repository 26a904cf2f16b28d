"""An administrator builds a composite item in a real browser: two parts of different kinds,
each part's own fields appearing as its kind is chosen, each with its sentence, and the
composite's sentence listing both."""

import os
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.browser import chromium_page
from tests.rubrics.test_browser_rubric_editor import _open_as_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTS = "fieldset.ed-kind-params[data-kind=composite] table.ed-parts"


def _part(page, index):
    return page.locator(f"{PARTS} tbody.ed-part").nth(index)


def _own(page, index, kind):
    prefix = f"p-composite-components-{index}-pp"
    return page.locator(f'fieldset.ed-part-params[data-part="{prefix}"][data-kind="{kind}"]')


def test_an_administrator_builds_a_composite_of_two_kinds_and_reads_both_sentences(
    live_server, world
):
    from rubrics import services
    from rubrics.selectors import engine_rubric_for

    rubric = services.rubric_create(title="组合项草稿", year=2026, subject="unit")
    section = services.section_add(rubric=rubric, title="一、宣传与台账")
    url = live_server.url + reverse("rubrics:item_add", args=[rubric.pk, section.pk])
    shots = os.environ.get("RUBRIC_EDITOR_SCREENSHOTS")
    for width in (1280, 390):
        with chromium_page(width=width) as page:
            _open_as_admin(page, live_server, world)
            page.goto(url)
            page.fill("#id_title", f"宣传和台账（{width}）")
            page.fill("#id_max_points", "5")
            page.select_option("select[name=kind]", label="组合项（分项各自计分）")
            assert page.locator(".ed-refresh").first.is_hidden()  # script switches at once

            first = _part(page, 0)
            first.locator("input[name$='-label']").first.fill("宣传")
            first.locator("input[name$='-max_points']").first.fill("2")
            first.locator("select.ed-part-kind").select_option(label="按次扣分，扣完为止")
            deduct = _own(page, 0, "deduct_per_occurrence")
            assert deduct.is_visible()
            assert _own(page, 0, "discretionary").is_hidden()
            deduct.locator("input[name$='-per']").fill("0.5")
            deduct.locator("input[name$='-label']").fill("未按时宣传")

            page.click("button.ed-add-row[data-rows='p-composite-components']")
            second = _part(page, 1)
            second.locator("input[name$='-label']").first.fill("台账")
            second.locator("input[name$='-max_points']").first.fill("3")
            second.locator("select.ed-part-kind").select_option(label="酌情给分")
            judged = _own(page, 1, "discretionary")
            assert judged.is_visible()
            judged.locator("input[name$='-step']").fill("1")

            # Both parts' sentences, and the composite's listing them, as typed.
            page.wait_for_selector(
                "fieldset.ed-part-params[data-part='p-composite-components-0-pp'][data-kind=deduct_per_occurrence]"
                " .ed-sentence:has-text('未按时宣传每次扣 0.5 分')"
            )
            page.wait_for_selector(
                "fieldset.ed-part-params[data-part='p-composite-components-1-pp']"
                "[data-kind=discretionary] .ed-sentence:has-text('按 1 分一档')"
            )
            whole = page.locator(
                "fieldset.ed-kind-params[data-kind=composite] > .ed-does .ed-sentence"
            )
            page.wait_for_function(
                "el => el.textContent.includes('宣传 2 分（') && el.textContent.includes('台账 3 分（')",
                arg=whole.element_handle(),
            )
            if shots:
                page.screenshot(path=f"{shots}/rubric-parts-{width}.png", full_page=True)
            page.click("main .ed-actions button.primary")
            page.wait_for_selector("table.ed-table")
            message = page.inner_text(".messages")
            assert "宣传 2 分（" in message and "台账 3 分（" in message

    items = list(rubric.items.filter(kind="composite").order_by("pk"))
    assert len(items) == 2
    for item in items:
        first, second = item.params["components"]
        assert (first["label"], first["kind"], first["params"]["per"]) == (
            "宣传",
            "deduct_per_occurrence",
            "0.5",
        )
        assert (second["label"], second["kind"], second["params"]) == (
            "台账",
            "discretionary",
            {"step": "1"},
        )
        assert item.max_points == Decimal("5")
    engine_rubric_for(rubric)
