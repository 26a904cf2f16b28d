"""A unit's year-over-year view across the two 湖塘 demo cycles, in a real browser under the
Content-Security-Policy: the chart's points are the unit's totals and ranks worked out here
from the demo's review scores, its table view and the page's table hold the same numbers,
and neither the years page nor the unit page overflows a phone's width."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from assessments.models import Cycle, ItemScore
from org.models import Unit
from tests.browser import chromium_page, log_in
from tests.foundation.test_browser_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worked_out(cycle, unit):
    """(total, rank) of ``unit`` in ``cycle`` from the review scores of every sheet: the
    湖塘 standard has one phase and no penalty item, its bonus no cap, so a total is the sum
    of the review scores; ties share a rank."""
    totals = defaultdict(Decimal)
    for unit_id, score in ItemScore.objects.filter(
        assessment__cycle=cycle, side="review"
    ).values_list("assessment__unit_id", "score"):
        totals[unit_id] += score or 0
    mine = totals[unit.pk]
    return mine, 1 + sum(1 for t in totals.values() if t > mine)


def plain(value) -> str:
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@pytest.fixture
def demo(capsys):
    call_command("load_demo")
    capsys.readouterr()
    reviewer = User.objects.get(username="hutang")  # 湖塘镇's reviewer in the demo
    reviewer.set_password("pw-hutang")
    reviewer.save()
    return Unit.objects.get(name="淹城社区")


def test_a_units_years_chart_and_tables_hold_its_two_hutang_cycles(live_server, demo):
    unit = demo
    cycles = [
        Cycle.objects.get(title__startswith="湖塘镇2014"),
        Cycle.objects.get(title__startswith="湖塘镇2015"),
    ]
    assert cycles[0].rubric.code == cycles[1].rubric.code
    assert (cycles[0].rubric.version, cycles[1].rubric.version) == (1, 2)
    expected = [worked_out(c, unit) for c in cycles]
    totals = [float(t) for t, _r in expected]
    ranks = [r for _t, r in expected]
    base = live_server.url
    with chromium_page() as page:
        watch = Watch(page)
        log_in(page, base, "hutang", "pw-hutang")
        watch.visit(base + reverse("assessments:unit_years", args=[unit.pk]))
        page.wait_for_selector("figure.chart[data-drawn='1']")
        option = page.evaluate("window.appCharts[0].getOption()")
        assert option["xAxis"][0]["data"] == ["2014", "2015"]
        series = option["series"]
        assert [s["name"] for s in series] == ["总分", "名次"]
        assert series[0]["data"] == totals
        assert series[1]["data"] == ranks
        table = page.locator("figure.chart .chart-table tbody tr")
        assert table.count() == 2
        for i, (total, rank) in enumerate(expected):
            # the table view is folded under 「数据表」: read its text, shown or not
            cells = table.nth(i).locator("th, td").all_text_contents()
            assert cells == [["2014", "2015"][i], plain(total), str(rank)]
        rows = page.locator("table.years-table tbody tr")
        assert rows.count() == 2
        for i, (total, rank) in enumerate(expected):
            text = rows.nth(i).inner_text()
            assert plain(total) in text and f"第 {rank} / 44 名" in text
        assert page.locator("text=各部分得分逐年对比").count() == 1

        # The unit page draws the same chart itself.
        watch.visit(base + reverse("targets:unit_detail", args=[unit.pk]))
        page.wait_for_selector("figure.chart[data-drawn='1']")
        assert page.evaluate("window.appCharts[0].getOption().series[0].data") == totals

        # A phone: no page wider than the screen.
        page.set_viewport_size({"width": 390, "height": 844})
        for url in (
            reverse("assessments:unit_years", args=[unit.pk]),
            reverse("targets:unit_detail", args=[unit.pk]),
            reverse("targets:unit_detail", args=[unit.parent_id]),
            reverse("assessments:results_compare", args=[cycles[1].pk]),
        ):
            watch.visit(base + url)
            page.wait_for_timeout(200)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url
    assert watch.problems == []
