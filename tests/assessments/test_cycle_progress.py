"""The cycle page's progress: per town, sheets not started / filling / submitted / returned /
reviewed, as stacked bars and their table, and the days to each deadline."""

from datetime import date

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.deadlines import stage_deadlines
from assessments.models import Assessment, ItemScore
from org.models import Unit
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db


def _cycle(world):
    """湖塘镇: 淹城社区 + three more communities; 东陈镇: 东陈村 + one more village."""
    a = [world.unit_a] + [
        Unit.objects.create(name=f"湖塘{i}社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        for i in range(3)
    ]
    b = [
        world.unit_b,
        Unit.objects.create(name="东陈二村", kind=Unit.Kind.VILLAGE, parent=world.town_b),
    ]
    cycle = services.cycle_create(
        title="进度",
        year=2026,
        rubric=import_seed_rubric("changzhou-community"),
        units=a + b,
        user=world.users["admin"],
    )
    services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
    sheets = {s.unit.name: s for s in cycle.assessments.select_related("unit")}
    item = cycle.rubric.items.order_by("id").first()
    # 湖塘镇: one untouched draft, one draft with a saved score, one submitted, one returned
    ItemScore.objects.create(assessment=sheets["湖塘0社区"], item=item, side="self", score=1)
    Assessment.objects.filter(pk=sheets["湖塘1社区"].pk).update(state=Assessment.State.SUBMITTED)
    Assessment.objects.filter(pk=sheets["湖塘2社区"].pk).update(state=Assessment.State.RETURNED)
    # 东陈镇: one reviewed, one finalised (counted as reviewed)
    Assessment.objects.filter(pk=sheets["东陈村"].pk).update(state=Assessment.State.REVIEWED)
    Assessment.objects.filter(pk=sheets["东陈二村"].pk).update(state=Assessment.State.FINALISED)
    return cycle


class TestProgressCounts:
    def test_each_town_counts_its_sheets_by_state(self, world):
        cycle = _cycle(world)
        rows = {
            p["unit__parent__name"]: p
            for p in selectors.cycle_progress(world.users["admin"], cycle)
        }
        keys = ("total", "not_started", "filling", "submitted", "returned", "reviewed")
        assert {k: rows["湖塘镇"][k] for k in keys} == dict(
            zip(keys, (4, 1, 1, 1, 1, 0), strict=True)
        )
        assert {k: rows["东陈镇"][k] for k in keys} == dict(
            zip(keys, (2, 0, 0, 0, 0, 2), strict=True)
        )

    def test_a_town_reviewer_counts_only_their_town(self, world):
        cycle = _cycle(world)
        progress = selectors.cycle_progress(world.users["reviewer_a"], cycle)
        assert [p["unit__parent__name"] for p in progress] == ["湖塘镇"]

    def test_the_chart_stacks_one_series_per_state_with_the_same_numbers_as_its_table(self, world):
        cycle = _cycle(world)
        chart = selectors.progress_chart(selectors.cycle_progress(world.users["admin"], cycle))
        series = chart.option["series"]
        assert [s["name"] for s in series] == ["未开始", "填报中", "已提交", "已退回", "已审核"]
        assert {s["stack"] for s in series} == {"total"}
        assert chart.option["yAxis"]["data"] == ["湖塘镇", "东陈镇"]
        assert [s["data"] for s in series] == [
            [1, None],
            [1, None],
            [1, None],
            [1, None],
            [None, 2],
        ]
        assert chart.headers[-1] == "合计"
        assert chart.rows == [
            ["湖塘镇", "1", "1", "1", "1", "0", "4"],
            ["东陈镇", "0", "0", "0", "0", "2", "2"],
        ]

    def test_the_cycle_page_shows_the_chart_and_the_counts(self, world, client_for):
        cycle = _cycle(world)
        html = client_for("admin").get(reverse("assessments:cycle_detail", args=[cycle.pk]))
        text = html.content.decode()
        assert 'id="cycle-progress-option"' in text and "未开始" in text
        assert "未设截止日期。" in text


class TestDeadlines:
    TODAY = date(2026, 1, 10)

    def test_each_deadline_of_an_open_stage_counts_its_days(self, world):
        cycle = world.cycle
        cycle.self_deadline = date(2026, 1, 13)
        cycle.review_deadline = date(2026, 1, 8)
        cycle.state = cycle.State.SELF_OPEN
        stages = stage_deadlines(cycle, on=self.TODAY)
        assert stages["self_deadline"].days_text == "还剩 3 天"
        assert stages["review_deadline"].days_text == "已逾期 2 天"
        assert stages["review_deadline"].overdue
        cycle.self_deadline = self.TODAY
        assert stage_deadlines(cycle, on=self.TODAY)["self_deadline"].days_text == "今天截止"
        cycle.self_deadline = None
        assert "self_deadline" not in stage_deadlines(cycle, on=self.TODAY)

    def test_a_stage_the_cycle_has_left_is_not_overdue(self, world):
        cycle = world.cycle
        cycle.self_deadline = date(2026, 1, 1)
        cycle.review_deadline = date(2026, 1, 20)
        cycle.state = cycle.State.REVIEW
        stages = stage_deadlines(cycle, on=self.TODAY)
        assert stages["self_deadline"] == "自评阶段已结束"
        assert stages["review_deadline"].days_text == "还剩 10 天"
