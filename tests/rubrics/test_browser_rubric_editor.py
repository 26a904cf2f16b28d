"""An administrator builds a rubric on the editor page in a real browser: a veto item, a
deduction-to-zero item, a target-linked item and a capped bonus, each with the sentence
that says what it will do; the page reads on a wide screen and on a phone."""

import os

import pytest
from django.urls import reverse

from tests.browser import chromium_page
from tests.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_as_admin(page, live_server, world):
    from django.test import Client

    client = login_verified(Client(), world.users["admin"])
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def _add_item(page, *, title, points, kind_label, number="", fill=None, bonus=False):
    page.click("text=在这一部分添加评分细则")
    page.wait_for_selector("select[name=kind]")
    page.fill("#id_number", number)
    page.fill("#id_title", title)
    page.fill("#id_max_points", points)
    if bonus:
        page.check("#id_bonus")
    page.select_option("select[name=kind]", label=kind_label)
    (fill or (lambda p: None))(page)
    page.click("main .ed-actions button.primary")
    page.wait_for_selector("table.ed-table")


def _label_and_live_sentence(page):
    page.fill("input[name=p-deduct_per_occurrence-label]", "缺少记录")
    # The sentence follows the typing, before anything is saved.
    sentence = "fieldset.ed-kind-params[data-kind=deduct_per_occurrence] .ed-sentence"
    page.wait_for_selector(f"{sentence}:has-text('缺少记录每次扣 1 分，扣完为止，最多扣 3 分')")


def _levels(page):
    # The rule's rows: 省级 2 / 市级 1 / 县级 0.5 (新建 五.1), one row added by the page.
    rows = "fieldset.ed-kind-params[data-kind=additive_bonus] table.ed-rows tbody tr"
    first = page.locator(rows).nth(0)
    first.locator("input[name$='-label']").fill("省级")
    first.locator("input[name$='-points']").fill("2")
    page.click("fieldset.ed-kind-params[data-kind=additive_bonus] button.ed-add-row")
    second = page.locator(rows).nth(1)
    second.locator("input[name$='-label']").fill("市级")
    second.locator("input[name$='-points']").fill("1")
    page.click("fieldset.ed-kind-params[data-kind=additive_bonus] button.ed-add-row")
    third = page.locator(rows).nth(2)
    third.locator("input[name$='-label']").fill("县级")
    third.locator("input[name$='-points']").fill("0.5")


def add_veto_deduction_and_target_items(page):
    """Items 1–3 of the rubric the browser tests build: a veto item (no parameters), a
    deduction to zero (「没有记录一次扣1分」, the example filled in, the sentence followed
    while typing) and an item tied to the target table."""
    # A veto item: no parameters, the sentence says what a failure does.
    _add_item(page, title="设立平台并正式挂牌", points="3", number="1", kind_label="一票否决")
    # Deduction to zero, 「没有记录一次扣1分」: the example per 1 is filled in already.
    _add_item(
        page,
        title="工作台账",
        points="3",
        number="2",
        kind_label="按次扣分，扣完为止",
        fill=_label_and_live_sentence,
    )
    # Tied to the target table.
    _add_item(
        page,
        title="新增就业（人）",
        points="5",
        number="3",
        kind_label="完成得满分，未完成不得分",
        fill=lambda p: p.fill("#id_indicator", "新增就业（人）"),
    )


def test_an_administrator_builds_a_rubric_with_veto_deduction_target_and_bonus_items(
    live_server, world
):
    from rubrics.models import Rubric
    from rubrics.selectors import engine_rubric_for

    shots = os.environ.get("RUBRIC_EDITOR_SCREENSHOTS")
    with chromium_page(width=1280) as page:
        _open_as_admin(page, live_server, world)
        page.goto(live_server.url + "/")
        page.click("nav.mainnav >> text=评分标准")
        page.click("text=新建评分标准")
        page.fill("#id_title", "社区人社工作平台考核评分标准")
        page.fill("#id_year", "2026")
        page.fill("#id_first_section", "一、平台建设")
        page.click("main button.primary")
        page.wait_for_selector("table.ed-table")
        assert "已新建评分标准" in page.inner_text(".messages")

        add_veto_deduction_and_target_items(page)
        # A capped bonus; first saved without levels: the error is at the field.
        page.click("text=在这一部分添加评分细则")
        page.fill("#id_title", "受到表彰")
        page.fill("#id_max_points", "2")
        page.check("#id_bonus")
        page.select_option("select[name=kind]", label="按级别累加，封顶")
        for row in page.locator(
            "fieldset.ed-kind-params[data-kind=additive_bonus] table.ed-rows input[type=text]"
        ).all():
            row.fill("")
        page.click("main .ed-actions button.primary")
        error = page.locator(
            "fieldset.ed-kind-params[data-kind=additive_bonus] .errors"
        ).inner_text()
        assert error == "请至少填写一行「级别」"
        assert "levels" not in page.inner_text("main")
        _levels(page)
        page.click("main .ed-actions button.primary")
        page.wait_for_selector("table.ed-table")

        table = page.inner_text("table.ed-table")
        assert "不符合要求即一票否决" in table
        assert "缺少记录每次扣 1 分，扣完为止，最多扣 3 分" in table
        assert "完成目标任务得满分 5 分，未完成不得分" in table
        assert "目标：新增就业（人）" in table
        assert "按级别累加：省级每次 2 分、市级每次 1 分、县级每次 0.5 分，2 分封顶" in table
        # The self-assessment column is printed unless turned off.
        assert page.is_checked("#id_col_self_on")
        if shots:
            page.screenshot(path=f"{shots}/rubric-editor-1280.png", full_page=True)
            page.goto(page.url)
            page.click("tr.ed-item >> nth=3 >> text=编辑")
            page.wait_for_selector("select[name=kind]")
            page.screenshot(path=f"{shots}/rubric-item-1280.png", full_page=True)

    rubric = Rubric.objects.get(title="社区人社工作平台考核评分标准")
    assert rubric.columns["self"] == "自评得分"
    parsed = engine_rubric_for(rubric)  # the engine loads what the editor wrote
    kinds = [item.kind for item in parsed.items]
    assert kinds == ["veto", "deduct_per_occurrence", "all_or_nothing", "additive_bonus"]
    bonus = parsed.items[-1]
    assert bonus.bonus and [lv.label for lv in bonus.spec.levels] == ["省级", "市级", "县级"]
    assert parsed.items[2].indicator == "新增就业（人）"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_editor_reads_on_wide_and_phone_screens(width, live_server, world):
    from pathlib import Path

    import yaml

    from rubrics.services import rubric_import

    path = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "xinjian-2021-window.yaml"
    rubric = rubric_import(data=yaml.safe_load(path.read_text(encoding="utf-8")))[0]
    with chromium_page(width=width) as page:
        _open_as_admin(page, live_server, world)
        page.goto(live_server.url + reverse("rubrics:edit", args=[rubric.pk]))
        assert page.locator("tr.ed-item").count() == rubric.items.count()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        shots = os.environ.get("RUBRIC_EDITOR_SCREENSHOTS")
        if shots:
            page.screenshot(path=f"{shots}/rubric-xinjian-{width}.png", full_page=True)
            first = rubric.items.order_by("section__order", "order").filter(bonus=True).first()
            page.goto(live_server.url + reverse("rubrics:item_edit", args=[rubric.pk, first.pk]))
            page.screenshot(path=f"{shots}/rubric-item-{width}.png", full_page=True)
