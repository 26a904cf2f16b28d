"""The results page's panels, read from the summary stored with the result version: the
bonus and penalties shown under their own sections (the demo's 湖塘 加分项 is no longer
「0.00 / 0」), two-phase sections weighted as the totals are, the quota line, and the
self-vs-review points kept one per unit up to a bound, then one mean per town."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments import compute, result_charts, selectors, summary
from assessments.models import Cycle, ItemScore
from rubrics.selectors import engine_rubric_for
from tests.assessments.test_compute import random_cycle
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {c.title[:3]: c for c in Cycle.objects.all()}


def panels_of(cycle, **filters):
    admin = User.objects.get(username="admin")
    return selectors.results_panels(
        admin, cycle, selectors.current_result_version(cycle), **filters
    )


class TestBonusAndPenaltyRows:
    def test_the_hutang_bonus_is_the_mean_of_the_honours_awarded_over_its_seven_points(self, demo):
        hutang = demo["湖塘镇"]
        # Item 26 (区级以上荣誉, 省级 7 / 市级 5 / 区级 3, the highest counts) as the demo's
        # reviewers entered it for the 44 communities:
        levels = Counter(
            claim["level"]
            for value in ItemScore.objects.filter(
                assessment__cycle=hutang, item__key="26", side="review"
            ).values_list("input", flat=True)
            for claim in value["claims"]
        )
        assert levels == {"province": 3, "city": 6, "district": 3}
        # 3 × 7 + 6 × 5 + 3 × 3 = 21 + 30 + 9 = 60 points over 44 communities = 1.3636…,
        # 1.36 of 7, 19.5%
        rows = {a.title: a for a in panels_of(hutang)["section_averages"]}
        assert rows["加分项"] == summary.SectionAverage(
            "加分项", Decimal("1.36"), Decimal("7"), Decimal("19.5"), "bonus"
        )
        assert "加分" not in rows  # the section is the bonus row, not a second one
        assert all(a.top for a in rows.values())  # nothing left at 「0.00 / 0」

    def test_the_xinjian_penalty_and_bonus_sections_carry_them_and_all_adds_up(self, demo):
        xinjian = demo["新建区"]
        shown = panels_of(xinjian)
        rows = shown["section_averages"]
        assert [a.kind for a in rows] == ["section", "section", "section", "penalties", "bonus"]
        assert rows[3].title == "四.“转作风、优环境”活动工作问效" and rows[3].top is None
        assert rows[4].title == "五.加分项目" and rows[4].top == Decimal("6")
        results = list(xinjian.results.all())
        n = len(results)
        assert rows[3].mean == (sum(r.penalties for r in results) / n).quantize(Decimal("0.01"))
        assert rows[4].mean == (sum(r.bonus for r in results) / n).quantize(Decimal("0.01"))
        # The penalties drawn below zero, as a share of the 100 points of sections 一–三.
        assert rows[3].share == -(rows[3].mean).quantize(Decimal("0.1"))
        # Sections (weighted 30/70 over the phases, as the totals are) + bonus − penalties
        # make the mean total, to the rounding of five means.
        made = sum(a.mean for a in rows[:3]) + rows[4].mean - rows[3].mean
        assert abs(made - sum(r.total for r in results) / n) <= Decimal("0.03")

    def test_a_two_phase_section_is_weighted_as_the_totals_are(self, demo):
        xinjian = demo["新建区"]
        result = xinjian.results.get(unit__name="金桥乡")
        phases = result.detail["phases"]
        process = Decimal(phases["process"]["sections"][0]["subtotal"])
        annual = Decimal(phases["annual"]["sections"][0]["subtotal"])
        assert (process, annual) == (Decimal("14.00"), Decimal("15.00"))
        builder = summary.SummaryBuilder(
            engine_rubric_for(xinjian.rubric), {"process": 30, "annual": 70}
        )
        builder.add(result, "金桥乡")
        # 0.3 × 14 + 0.7 × 15 = 4.2 + 10.5 = 14.7
        assert Decimal(builder.data()["cells"][0]["sections"][0]) == Decimal("14.7")

    def test_a_summary_stored_before_the_rows_were_placed_drops_the_empty_section(self):
        old = {
            "count": 2,
            "sections": [["一、基本", "90"], ["加分项", "0"]],
            "bonus_max": "7",
            "penalties": False,
            "cells": [
                {
                    "town": "甲镇",
                    "grade": "优秀",
                    "count": 2,
                    "sections": ["171", "0"],
                    "bonus": "12",
                    "penalties": "0",
                    "gaps": [],
                }
            ],
        }
        rows = summary.panels(old)["section_averages"]
        assert [(a.title, a.mean, a.top, a.share) for a in rows] == [
            ("一、基本", Decimal("85.50"), Decimal("90"), Decimal("95.0")),
            ("加分", Decimal("6.00"), Decimal("7"), Decimal("85.7")),
        ]


def cells(*rows):
    return [{"town": t, "grade": g, "count": n, "sections": [], "bonus": "0",
             "penalties": "0", "gaps": []} for t, g, n in rows]  # fmt: skip


class TestQuotaLine:
    def stored(self, scope, percent, enforced=True):
        return {
            "count": 44,
            "sections": [],
            "grades": ["优秀", "合格", "不合格"],
            "quota": {"grade": "优秀", "percent": percent, "scope": scope, "enforced": enforced},
            "cells": cells(
                ("甲镇", "优秀", 12),
                ("甲镇", "合格", 8),
                ("乙镇", "优秀", 20),
                ("乙镇", "不合格", 4),
            ),  # fmt: skip
        }

    def test_a_cycle_quota_is_a_floor_of_its_percent_of_every_unit(self):
        quota = summary.panels(self.stored("cycle", "30"))["quota"]
        # 30% of 44 = 13.2 → 13
        assert (quota["at"], quota["label"]) == (13, "优秀名额 13")
        advisory = summary.panels(self.stored("cycle", "30", enforced=False))["quota"]
        assert advisory["label"] == "优秀一般不超过 13 个" and "只提示" in advisory["note"]

    def test_a_town_quota_adds_up_each_towns_floor(self):
        # 20% of 甲镇's 20 = 4; of 乙镇's 24 = 4.8 → 4: 8 in all; 甲镇 alone: 4
        quota = summary.panels(self.stored("town", "20"))["quota"]
        assert (quota["at"], quota["label"]) == (8, "优秀名额 8")
        assert "各镇（街道）单位数的 20%（向下取整）之和，共 8 个" in quota["note"]
        assert summary.panels(self.stored("town", "20"), town="甲镇")["quota"]["at"] == 4

    def test_one_town_of_a_cycle_quota_gets_a_reference_line_saying_so(self):
        quota = summary.panels(self.stored("cycle", "30"), town="甲镇")["quota"]
        # 30% of 甲镇's 20 = 6.0; the quota itself is 13 of the cycle's 44
        assert quota["at"] == Decimal("6.0") and quota["label"] == "30% 参考线 6.0"
        assert "44 个单位的 30%，向下取整为 13 个" in quota["note"]

    def test_a_reviewer_whose_towns_are_the_whole_cycle_sees_the_quota_itself(self):
        stored = self.stored("cycle", "30")
        quota = summary.panels(stored, towns={"甲镇", "乙镇"}, whole=False, cycle_count=44)
        assert quota["quota"]["at"] == 13

    def test_a_single_unit_gets_the_quota_said_not_drawn(self):
        stored = self.stored("cycle", "30")
        stored["cells"] = cells(("甲镇", "优秀", 1))
        shown = summary.panels(stored, whole=False, cycle_count=44)
        assert shown["quota"]["at"] is None and "向下取整为 13 个" in shown["quota"]["note"]
        chart = result_charts.grade_chart(shown)
        assert "markLine" not in chart.option["series"][0]
        assert chart.note == shown["quota"]["note"]

    def test_grades_the_quota_moved_are_drawn_beside_the_final_ones(self):
        stored = self.stored("town", "20")
        # 乙镇: 20 at 优秀 by points, 4 of them allowed (20% of 24), 16 moved to 合格
        stored["cells"] = cells(("乙镇", "优秀", 4), ("乙镇", "合格", 20))
        stored["cells"][0]["before"] = {"优秀": 4}
        stored["cells"][1]["before"] = {"优秀": 16, "合格": 4}
        chart = result_charts.grade_chart(summary.panels(stored))
        assert [(s["name"], s["data"]) for s in chart.option["series"]] == [
            ("最终等次", [4, 20, 0]),
            ("按得分（名额调整前）", [20, 4, 0]),
        ]
        assert chart.rows == [["优秀", "4", "20"], ["合格", "20", "4"], ["不合格", "0", "0"]]

    def test_the_grades_are_drawn_in_the_rubrics_order_with_the_empty_ones(self):
        shown = summary.panels(self.stored("cycle", "30"))
        chart = result_charts.grade_chart(shown)
        assert chart.option["xAxis"]["data"] == ["优秀", "合格", "不合格"]
        assert chart.option["series"][0]["data"] == [32, 8, 4]
        assert [d["yAxis"] for d in chart.option["series"][0]["markLine"]["data"]] == [13]


class TestSelfAgainstReview:
    def test_each_point_opens_its_units_sheet(self, world):
        cycle = random_cycle(world, units=30, weights=(0, 100), seed=11)
        compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        shown = selectors.results_panels(
            world.users["admin"], cycle, selectors.current_result_version(cycle)
        )
        assert shown["points_by"] == "unit"
        chart = shown["charts"]["scatter"]
        points = [p for s in chart.option["series"][:-1] for p in s["data"]]
        assert len(points) == len(shown["points"]) == len(chart.rows) > 20
        # three towns: one series each, then the diagonal
        assert [s["name"] for s in chart.option["series"]] == [
            "随机镇0",
            "随机镇1",
            "随机镇2",
            "自评 = 考核",
        ]
        sheet = cycle.assessments.get(unit__name=points[0]["name"])
        assert points[0]["url"] == reverse("assessments:sheet_detail", args=[sheet.pk])

    def test_beyond_the_bound_the_summary_keeps_one_mean_point_per_town(self, world, monkeypatch):
        cycle = random_cycle(world, units=30, weights=(0, 100), seed=11)
        compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        admin = world.users["admin"]
        every = selectors.results_panels(admin, cycle, selectors.current_result_version(cycle))
        means = {}
        for p in every["points"]:
            acc = means.setdefault(p["town"], [Decimal(0), Decimal(0), 0])
            acc[0] += p["self"]
            acc[1] += p["review"]
            acc[2] += 1
        monkeypatch.setattr(summary, "POINTS_KEPT", 5)
        compute.cycle_compute(cycle=cycle, user=admin)
        version = selectors.current_result_version(cycle)
        assert version.summary["points"] == "towns"
        assert all(c["points"] == [] for c in version.summary["cells"])
        shown = selectors.results_panels(admin, cycle, version)
        assert shown["points_by"] == "town"
        assert [(p["name"], p["self"], p["review"]) for p in shown["points"]] == [
            (town, (s / n).quantize(Decimal("0.01")), (r / n).quantize(Decimal("0.01")))
            for town, (s, r, n) in sorted(means.items())
        ]
        chart = shown["charts"]["scatter"]
        assert "2,000" in chart.note
        first = chart.option["series"][0]["data"][0]
        assert first["url"].endswith("?town=%E9%9A%8F%E6%9C%BA%E9%95%870")


class TestResultsTable:
    def test_a_two_phase_cycle_shows_each_phase_and_no_town_repeats_its_own_name(self, demo):
        xinjian = demo["新建区"]
        client = login_verified(Client(), User.objects.get(username="admin"))
        page = client.get(reverse("assessments:results", args=[xinjian.pk]))
        html = page.content.decode()
        assert "<th>过程考核（30%）</th><th>年度考核（70%）</th>" in html
        # 金桥乡 is a town: its row names it once, with its process and annual totals
        assert (
            '<td>金桥乡</td><td></td>\n<td class="num">95.52</td><td class="num">102.07</td>'
            in (html)
        )
