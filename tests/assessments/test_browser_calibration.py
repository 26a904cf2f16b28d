"""The calibration page, the cycle page's progress chart and the completion chart in a real
browser under the Content-Security-Policy: the charts draw the numbers worked out in
``tests/assessments/calibration_data.py``, the lenient town is flagged, nothing overflows a
390 px phone screen."""

import pytest
from django.urls import reverse

from tests.assessments.calibration_data import lenient_cycle
from tests.browser import chromium_page, log_in
from tests.foundation.test_browser_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWNS = ["湖塘镇", "东陈镇", "礼嘉镇", "雪堰镇", "前黄镇"]
SERIES = """() => window.appCharts.map(c => c.getOption().series.map(
    s => ({type: s.type, name: s.name, data: s.data})))"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _drawn(page, count):
    page.wait_for_function(
        f"() => document.querySelectorAll('figure.chart[data-drawn=\"1\"]').length === {count}"
    )


def test_the_calibration_page_draws_the_towns_and_flags_the_lenient_one(
    live_server, world, tmp_path
):
    cycle = lenient_cycle(world)
    url = live_server.url + reverse("assessments:calibration", args=[cycle.pk])
    with chromium_page() as page:
        watch = Watch(page)
        log_in(page, live_server.url, "admin")
        watch.visit(url)
        _drawn(page, 4)
        boxes, means, gaps, shares = page.evaluate(SERIES)
        assert [s["type"] for s in boxes] == ["boxplot"]
        assert boxes[0]["data"] == [
            [95, 95, 96.5, 98, 98],
            [77, 77, 82.5, 88, 88],
            [77, 77, 84, 91, 91],
            [69, 69, 78.5, 88, 88],
            [77, 77, 82.5, 88, 88],
        ]
        assert len(means) == 1 and means[0]["data"] == [96.5, 82.5, 84, 78.5, 82.5]
        assert gaps[0]["data"] == [1.5, 15.5, 14, 19.5, 15.5]
        assert shares[0]["data"] == [100, 0, 50, 0, 0]
        categories = page.evaluate("() => window.appCharts[1].getOption().xAxis[0].data")
        assert categories == TOWNS
        # the table view of the means chart holds the same numbers
        cells = page.evaluate(
            """() => [...document.querySelectorAll(
                'figure[data-chart=calibration-means] tbody tr')].map(
                r => [...r.children].map(c => c.textContent))"""
        )
        assert cells == [
            [t, v] for t, v in zip(TOWNS, ["96.5", "82.5", "84", "78.5", "82.5"], strict=True)
        ]
        row = page.locator("table.calibration tbody tr").nth(0)
        assert row.get_attribute("class") == "flagged"
        assert row.inner_text().count("偏高") == 2 and "偏低" in row.inner_text()
        assert "偏" not in page.locator("table.calibration tbody tr").nth(3).inner_text()
        page.screenshot(path=tmp_path / "calibration-1280.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        watch.visit(url)
        _drawn(page, 4)
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path=tmp_path / "calibration-390.png", full_page=True)
        page.emulate_media(media="print")
        assert page.locator(".topbar").is_hidden()
    assert watch.problems == []


def test_the_cycle_progress_and_the_completion_chart_fit_a_phone(live_server, world, tmp_path):
    from tests.targets.test_town_completion import _data

    cycle = lenient_cycle(world)
    indicator = _data(world)
    pages = [
        (reverse("assessments:cycle_detail", args=[cycle.pk]), 1),
        (reverse("targets:completion", args=[indicator.pk]) + "?year=2018", 1),
    ]
    with chromium_page(width=390, height=844) as page:
        watch = Watch(page)
        log_in(page, live_server.url, "admin")
        watch.visit(live_server.url + pages[0][0])
        _drawn(page, 1)
        (progress,) = page.evaluate(SERIES)
        assert [s["name"] for s in progress] == ["未开始", "填报中", "已提交", "已退回", "已审核"]
        # every sheet was submitted and given review scores (none finished as reviewed):
        # two per town in the 已提交 segment, the other segments empty
        assert progress[2]["data"] == [2, 2, 2, 2, 2]
        assert all(v is None for i in (0, 1, 3, 4) for v in progress[i]["data"])
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path=tmp_path / "cycle-390.png", full_page=True)
        watch.visit(live_server.url + pages[1][0])
        _drawn(page, 1)
        (bars,) = page.evaluate(SERIES)
        assert bars[0]["data"] == [80, 120, 0]
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path=tmp_path / "completion-390.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        watch.visit(live_server.url + pages[0][0])
        _drawn(page, 1)
        page.screenshot(path=tmp_path / "cycle-1280.png", full_page=True)
        watch.visit(live_server.url + pages[1][0])
        _drawn(page, 1)
        page.screenshot(path=tmp_path / "completion-1280.png", full_page=True)
    assert watch.problems == []
