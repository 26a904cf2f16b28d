"""Target completion per town as bars with the 100% line (the completion page's chart)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from org.models import Unit
from targets.models import Achievement, Indicator, TargetAllocation
from targets.selectors import town_completion
from targets.target_views import completion_chart

pytestmark = pytest.mark.django_db


def _data(world):
    """新增就业（人）2018. 湖塘镇 by its communities: 淹城社区 30 of 40, 湖塘东社区 50 of 60, a
    third community with no task (target 0, 5 done); 东陈镇 by its own row, 120 of 100 (its
    village's 10 of 20 is not added to it); 礼嘉镇: target 50, nothing reported yet."""
    indicator = Indicator.objects.create(name="新增就业", measure="人")
    second = Unit.objects.create(name="湖塘东社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    none = Unit.objects.create(name="湖塘西社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    lijia, _new = Unit.objects.get_or_create(
        name="礼嘉镇", parent=world.bureau, defaults={"kind": Unit.Kind.TOWN, "sort_order": 9}
    )
    for unit, target, actual in (
        (world.unit_a, 40, 30),
        (second, 60, 50),
        (none, 0, 5),
        (world.town_b, 100, 120),
        (world.unit_b, 20, 10),
        (lijia, 50, None),
    ):
        TargetAllocation.objects.create(year=2018, indicator=indicator, unit=unit, target=target)
        if actual is not None:
            Achievement.objects.create(
                year=2018, indicator=indicator, unit=unit, actual=actual, as_of="2018-12-31"
            )
    world.town_a.sort_order, world.town_b.sort_order = 1, 2
    world.town_a.save()
    world.town_b.save()
    return indicator


def test_each_town_completion_from_its_own_row_or_its_units(world):
    indicator = _data(world)
    rows = town_completion(world.users["admin"], indicator, 2018)
    got = [(r["town"], r["target"], r["actual"], r["completion"].rate, r["own"]) for r in rows]
    assert got == [
        ("湖塘镇", D(100), D(80), D("80.00"), False),  # (30 + 50) / (40 + 60)
        ("东陈镇", D(100), D(120), D("120.00"), True),
        ("礼嘉镇", D(50), D(0), D("0.00"), True),
    ]


def test_the_chart_has_one_bar_per_town_and_the_100_percent_line(world):
    indicator = _data(world)
    chart = completion_chart(
        indicator, 2018, town_completion(world.users["admin"], indicator, 2018)
    )
    (series,) = chart.option["series"]
    assert chart.option["yAxis"]["data"] == ["湖塘镇", "东陈镇", "礼嘉镇"]
    assert series["data"] == [80.0, 120.0, 0.0]
    assert series["markLine"]["data"] == [{"xAxis": 100}]
    assert chart.rows == [
        ["湖塘镇", "100", "80", "80"],
        ["东陈镇", "100", "120", "120"],
        ["礼嘉镇", "50", "0", "0"],
    ]


def test_a_reviewer_sees_their_town_only_and_the_page_carries_the_chart(world, client_for):
    indicator = _data(world)
    rows = town_completion(world.users["reviewer_a"], indicator, 2018)
    assert [r["town"] for r in rows] == ["湖塘镇"]
    assert town_completion(world.users["coordinator_a"], indicator, 2018) == []
    page = client_for("viewer").get(
        reverse("targets:completion", args=[indicator.pk]) + "?year=2018"
    )
    assert 'id="town-completion-option"' in page.content.decode()
