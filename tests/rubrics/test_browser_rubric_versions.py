"""The administrator copies a frozen seed rubric as a new version and compares the two, in a
real browser, wide and narrow."""

from decimal import Decimal

import pytest

from rubrics.models import Item, Rubric
from rubrics.services import rubric_freeze
from tests.browser import chromium_page, log_in
from tests.conftest import import_seed_rubric

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_a_frozen_rubric_then_compare_after_changing_one_item(live_server, world, tmp_path):
    rubric = import_seed_rubric("changzhou-community")
    rubric_freeze(rubric=rubric)
    base = live_server.url
    with chromium_page() as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/rubrics/{rubric.pk}/copy/")
        assert "为第 2 版草稿，含 6 个部分、30 项" in page.inner_text("#copy-what")
        page.screenshot(path=tmp_path / "copy-1280.png", full_page=True)
        page.click("button:has-text('复制为第 2 版')")
        page.wait_for_load_state()
        assert "复制为第 2 版草稿" in page.inner_text("body")
        new = Rubric.objects.get(code=rubric.code, version=2)
        assert not new.frozen and new.items.count() == rubric.items.count()

        # One item's points change in the new draft (as the editor would save it).
        Item.objects.filter(rubric=new, number="6").update(max_points=Decimal("5"))
        page.goto(f"{base}/rubrics/compare/")
        assert "第 1 版 → 第 2 版" in page.inner_text("#compare-summary")
        changed = page.locator(".item-change")
        assert changed.count() == 1
        assert "分值" in changed.inner_text() and "5" in changed.inner_text()
        page.screenshot(path=tmp_path / "compare-1280.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=tmp_path / "compare-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
