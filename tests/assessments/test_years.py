"""Year over year: a unit's results in every cycle it was in, a town's units across cycles,
and a cycle against the previous one. Results are stored by hand here (what a computation
would have stored), so every number below is worked out in the test."""

from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import years
from assessments.models import Cycle, Result
from org.models import Unit
from rubrics.demo import hutang_next_year
from rubrics.services import rubric_import
from tests.conftest import RUBRICS, import_seed_rubric

pytestmark = pytest.mark.django_db

SECTIONS_2014 = [
    ("s1", "平台建设情况(15分)", "15"),
    ("s5", "指导劳动关系协理监察（20分)", "20"),
    ("s6", "其他(15分)", "15"),
]
SECTIONS_2015 = [
    ("s1", "平台建设情况(15分)", "15"),
    ("s5", "指导劳动关系协理监察(20分)", "20"),  # the bracket corrected in version 2
    ("s6", "其他(15分)", "15"),
]


def stored(cycle, unit, total, rank, grade, *, subtotals=("10", "10", "10"), scores=None):
    sections = SECTIONS_2014 if cycle.rubric.version == 1 else SECTIONS_2015
    if cycle.rubric.code != "hutang-2014-community":
        sections = [("s1", "一票否决项目", "0"), ("s2", "平台建设", "20")]
    total = Decimal(total)
    return Result.objects.create(
        cycle=cycle,
        unit=unit,
        town_name=unit.parent.name,
        base_total=total,
        bonus=0,
        penalties=0,
        total=total,
        rank=rank,
        grade_before_quota=grade,
        grade=grade,
        subsidy_percent=0,
        detail={
            "phases": {
                "annual": {
                    "total": str(total),
                    "sections": [
                        {"key": k, "title": t, "subtotal": s, "items_max": m}
                        for (k, t, m), s in zip(sections, subtotals, strict=False)
                    ],
                    "scores": scores or {},
                }
            }
        },
    )


@pytest.fixture
def hutang(world):
    """湖塘镇 (town A) with 淹城社区 (unit A), 何留社区 and 湖塘社区; 东陈村 (unit B) in town B.
    2014 on the 湖塘 standard, published; 2015 on its version 2, published."""
    data = yaml.safe_load((RUBRICS / "hutang-2014-community.yaml").read_text(encoding="utf-8"))
    v1 = rubric_import(data=data)[0]
    v2 = rubric_import(data=hutang_next_year(data))[0]
    heliu = Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    hutang_unit = Unit.objects.create(
        name="湖塘社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a
    )
    published = Cycle.State.PUBLISHED
    c14 = Cycle.objects.create(title="湖塘镇2014年度考核", year=2014, rubric=v1, state=published)
    c15 = Cycle.objects.create(title="湖塘镇2015年度考核", year=2015, rubric=v2, state=published)
    a, b = world.unit_a, world.unit_b
    # 2014: 湖塘社区 95 (1), 淹城 92 (2), 东陈村 88 (3), 何留 80 (4)
    stored(c14, hutang_unit, "95", 1, "优秀")
    stored(c14, a, "92", 2, "优秀", subtotals=("13.5", "19", "14"), scores={"1": "4", "21": "3"})
    stored(c14, b, "88", 3, "合格")
    stored(c14, heliu, "80", 4, "合格")
    # 2015: 何留 93 (1), 淹城 86 (2), 湖塘社区 84 (3), 东陈村 70 (4)
    stored(c15, heliu, "93", 1, "优秀")
    stored(c15, a, "86", 2, "合格", subtotals=("14.5", "19.5", "10"), scores={"1": "5", "21": "1"})
    stored(c15, hutang_unit, "84", 3, "合格")
    stored(c15, b, "70", 4, "基本合格")
    return {"v1": v1, "v2": v2, "c14": c14, "c15": c15, "heliu": heliu, "hutang": hutang_unit}


class TestGradeMoves:
    def test_moving_from_excellent_to_pass_is_one_grade_down_and_an_unknown_grade_is_lowest(
        self, hutang
    ):
        levels = years.grade_levels(hutang["v2"])
        assert levels.order == ["优秀", "合格", "基本合格", "不合格"]
        assert levels.move("优秀", "合格") == -1
        assert levels.move("基本合格", "优秀") == 2
        assert levels.move("合格", "合格") == 0
        assert levels.of("良好") == 4


class TestUnitHistory:
    def test_one_row_per_cycle_with_total_grade_rank_and_the_moves_since_the_last(
        self, world, hutang
    ):
        history = years.unit_history(world.users["admin"], world.unit_a)
        rows = [(r.label, r.total, r.grade, r.rank, r.ranked) for r in history.rows]
        assert rows == [
            ("2014", Decimal("92"), "优秀", 2, 4),
            ("2015", Decimal("86"), "合格", 2, 4),
        ]
        last = history.rows[-1]
        assert (last.total_change, last.rank_change, last.grade_move) == (Decimal("-6"), 0, -1)

    def test_sections_of_two_versions_stand_side_by_side_though_a_title_was_corrected(
        self, world, hutang
    ):
        (table,) = years.unit_history(world.users["admin"], world.unit_a).tables
        assert table.labels == ["2014", "2015"]
        assert [(title, [c[0] for c in cells]) for title, cells in table.rows] == [
            ("平台建设情况(15分)", [Decimal("13.5"), Decimal("14.5")]),
            ("指导劳动关系协理监察(20分)", [Decimal("19"), Decimal("19.5")]),
            ("其他(15分)", [Decimal("14"), Decimal("10")]),
        ]

    def test_what_changed_most_is_said_in_words_largest_first_with_a_changed_item_max(
        self, world, hutang
    ):
        changes = years.unit_history(world.users["admin"], world.unit_a).changes
        assert changes[0] == (
            "总分 92 → 86（-6 分）；名次 第 2 → 第 2 名（不变）；等次 优秀 → 合格（降 1 等）。"
        )
        # 其他 moved 4 points, 平台建设 1, 协理监察 0.5
        assert changes[1] == "「其他(15分)」14 → 10 分（-4）"
        assert changes[2] == "「平台建设情况(15分)」13.5 → 14.5 分（+1）"
        # item 21 fell 2 points and weighs 5 instead of 4 in version 2; item 1 rose 1
        assert "第 21 项「社保扩面」3 → 1 分（-2，分值 4 → 5）" in changes
        assert changes.index("第 21 项「社保扩面」3 → 1 分（-2，分值 4 → 5）") < changes.index(
            "第 1 项「平台搭建」4 → 5 分（+1）"
        )

    def test_a_coordinator_sees_published_cycles_only_and_the_page_says_so(
        self, world, hutang, client_for
    ):
        Cycle.objects.filter(pk=hutang["c14"].pk).update(state=Cycle.State.REVIEW)
        mine = years.unit_history(world.users["coordinator_a"], world.unit_a)
        assert [r.label for r in mine.rows] == ["2015"]
        assert mine.changes == []
        page = client_for("coordinator_a").get(
            reverse("assessments:unit_years", args=[world.unit_a.pk])
        )
        assert "只列出已公布结果的考核周期。" in page.content.decode()
        reviewer = years.unit_history(world.users["reviewer_a"], world.unit_a)
        assert [(r.label, r.published) for r in reviewer.rows] == [("2014", False), ("2015", True)]
        viewer = years.unit_history(world.users["viewer"], world.unit_a)
        assert [r.label for r in viewer.rows] == ["2015"]  # read-only: published only
        # another town's reviewer and coordinator do not reach the unit at all
        for persona in ("reviewer_b", "coordinator_b"):
            url = reverse("assessments:unit_years", args=[world.unit_a.pk])
            assert client_for(persona).get(url).status_code == 404

    def test_a_cycle_still_in_self_assessment_has_no_row(self, world, hutang):
        Cycle.objects.filter(pk=hutang["c15"].pk).update(state=Cycle.State.SELF_OPEN)
        history = years.unit_history(world.users["admin"], world.unit_a)
        assert [r.label for r in history.rows] == ["2014"]

    def test_cycles_of_one_year_are_told_apart_and_other_rubrics_are_not_compared_item_by_item(
        self, world, hutang
    ):
        changzhou = import_seed_rubric("changzhou-community")
        other = Cycle.objects.create(
            title="常州市2015年度评估", year=2015, rubric=changzhou, state=Cycle.State.PUBLISHED
        )
        stored(other, world.unit_a, "77", 1, "合格", subtotals=("0", "17"))
        history = years.unit_history(world.users["admin"], world.unit_a)
        assert [r.label for r in history.rows] == ["2014", "2015 湖塘镇", "2015 常州市"]
        assert history.changes[-1] == "此前没有使用同一评分标准（或其版本）的周期，不逐项比较。"
        # the 湖塘 versions still stand side by side; 常州 alone makes no table
        assert [t.labels for t in history.tables] == [["2014", "2015 湖塘镇"]]

    def test_what_changed_is_against_the_latest_cycle_on_a_version_of_the_same_rubric(
        self, world, hutang
    ):
        changzhou = import_seed_rubric("changzhou-community")
        between = Cycle.objects.create(
            title="常州市2014年度评估", year=2014, rubric=changzhou, state=Cycle.State.PUBLISHED
        )
        stored(between, world.unit_a, "77", 1, "合格", subtotals=("0", "17"))
        history = years.unit_history(world.users["admin"], world.unit_a)
        assert [r.label for r in history.rows] == ["2014 湖塘镇", "2014 常州市", "2015"]
        changes = history.changes
        assert changes[0].startswith("总分 77 → 86（+9 分）")  # against the cycle just before
        assert changes[1] == "以下各项与同一评分标准的 2014 湖塘镇 相比："
        assert changes[2] == "「其他(15分)」14 → 10 分（-4）"

    def test_the_page_shows_the_chart_the_table_and_the_sections(self, world, hutang, client_for):
        page = client_for("admin").get(reverse("assessments:unit_years", args=[world.unit_a.pk]))
        html = page.content.decode()
        chart = page.context["unit_chart"]
        assert [s["data"] for s in chart.option["series"]] == [[92.0, 86.0], [2, 2]]
        assert 'id="years-unit-option"' in html and "echarts.min.js" in html
        assert "各部分得分逐年对比" in html and "变化最大（2014 → 2015）" in html
        assert "style=" not in html

    def test_a_units_page_reads_one_row_per_cycle_whatever_the_number_of_units(
        self, world, hutang, client_for
    ):
        client = client_for("admin")
        url = reverse("assessments:unit_years", args=[world.unit_a.pk])

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx)

        before = queries()
        for i in range(100):
            unit = Unit.objects.create(
                name=f"加测{i:03d}社区", kind="community", parent=world.town_b
            )
            stored(hutang["c14"], unit, "91", 10 + i, "优秀")
            stored(hutang["c15"], unit, "80", 10 + i, "合格")
        assert queries() == before
        history = client.get(url).context["history"]
        assert [r.ranked for r in history.rows] == [104, 104]


class TestTownHistory:
    def test_a_town_lists_its_units_across_cycles_with_arrows_and_its_mean_per_cycle(
        self, world, hutang
    ):
        town = years.town_history(world.users["admin"], world.town_a)
        assert town.labels == ["2014", "2015"]
        names = [u.name for u, _cells in town.rows]
        assert sorted(names) == ["何留社区", "淹城社区", "湖塘社区"]  # not 东陈村 of town B
        cells = {u.name: c for u, c in town.rows}
        heliu = cells["何留社区"][1]
        assert (heliu.rank, heliu.rank_change, heliu.grade_move) == (1, 3, 1)
        assert cells["湖塘社区"][1].rank_change == -2
        # (95 + 92 + 80) / 3 = 89; (93 + 86 + 84) / 3 = 87.67
        assert town.means == [Decimal("89.00"), Decimal("87.67")]
        assert town.counts == [3, 3]

    def test_the_town_page_shows_the_units_table_and_the_mean_chart(
        self, world, hutang, client_for
    ):
        page = client_for("reviewer_a").get(reverse("targets:unit_detail", args=[world.town_a.pk]))
        html = page.content.decode()
        assert 'data-chart="years-town"' in html and "echarts.min.js" in html
        assert "湖塘镇下辖单位历年结果" in html
        assert reverse("assessments:unit_years", args=[hutang["heliu"].pk]) in html


class TestUnitPage:
    def test_the_unit_page_draws_the_years_chart_itself_and_links_to_the_details(
        self, world, hutang, client_for
    ):
        html = (
            client_for("coordinator_a")
            .get(reverse("targets:unit_detail", args=[world.unit_a.pk]))
            .content.decode()
        )
        assert 'data-chart="years-unit"' in html and "echarts.min.js" in html
        assert reverse("assessments:unit_years", args=[world.unit_a.pk]) in html

    def test_a_unit_without_results_has_no_panel_and_loads_no_chart_script(self, world, client_for):
        html = (
            client_for("admin")
            .get(reverse("targets:unit_detail", args=[world.unit_a.pk]))
            .content.decode()
        )
        assert "历年考核结果" not in html and "echarts" not in html


def compare(client, cycle, **query):
    from urllib.parse import urlencode

    url = reverse("assessments:results_compare", args=[cycle.pk])
    return client.get(url + ("?" + urlencode(query) if query else ""))


class TestCompareWithThePreviousCycle:
    def test_units_that_moved_a_grade_are_counted_and_listed_with_their_rank_change(
        self, world, hutang, client_for
    ):
        page = compare(client_for("admin"), hutang["c15"])
        assert page.context["previous"] == hutang["c14"]
        # 何留 合格→优秀 up; 淹城 优秀→合格 and 湖塘社区 优秀→合格 down; 东陈村 合格→基本合格 down
        assert page.context["counts"] == {"up": 1, "down": 3, "same": 0}
        rows = [
            (r.unit.name, r.prev_grade, r.grade, r.moves["rank"].change)
            for r in page.context["rows"]
        ]
        assert rows == [
            ("何留社区", "合格", "优秀", 3),
            ("淹城社区", "优秀", "合格", 0),
            ("湖塘社区", "优秀", "合格", -2),
            ("东陈村", "合格", "基本合格", -1),
        ]
        html = page.content.decode()
        assert "第 1 版与第 2 版" in html

    def test_the_tabs_list_the_units_that_moved_up_or_down(self, world, hutang, client_for):
        client = client_for("admin")
        up = [r.unit.name for r in compare(client, hutang["c15"], move="up").context["rows"]]
        assert up == ["何留社区"]
        down = compare(client, hutang["c15"], move="down").context["rows"]
        assert [r.unit.name for r in down] == ["淹城社区", "湖塘社区", "东陈村"]
        assert compare(client, hutang["c15"], move="nonsense").context["move"] == "changed"

    def test_a_reviewer_compares_their_own_towns_units_only(self, world, hutang, client_for):
        page = compare(client_for("reviewer_b"), hutang["c15"])
        assert [r.unit.name for r in page.context["rows"]] == ["东陈村"]
        assert page.context["counts"] == {"up": 0, "down": 1, "same": 0}

    def test_units_in_one_cycle_only_are_counted_apart(self, world, hutang, client_for):
        newcomer = Unit.objects.create(
            name="新村社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a
        )
        stored(hutang["c15"], newcomer, "60", 5, "基本合格")
        Result.objects.filter(cycle=hutang["c14"], unit=hutang["heliu"]).delete()
        page = compare(client_for("admin"), hutang["c15"], move="all")
        assert (page.context["new"], page.context["left"]) == (2, 0)  # 新村, 何留
        assert page.context["compared"] == 3

    def test_the_previous_cycle_is_the_latest_earlier_year_of_the_same_subject_with_those_units(
        self, world, hutang
    ):
        older = Cycle.objects.create(
            title="湖塘镇2013年度考核", year=2013, rubric=hutang["v1"], state=Cycle.State.PUBLISHED
        )
        stored(older, world.unit_a, "90", 1, "优秀")
        elsewhere = Cycle.objects.create(
            title="别处2014年度考核", year=2014, rubric=hutang["v1"], state=Cycle.State.PUBLISHED
        )
        stored(
            elsewhere,
            Unit.objects.create(name="别处社区", kind="community", parent=world.town_b),
            "90",
            1,
            "优秀",
        )
        drafting = Cycle.objects.create(title="湖塘镇2014补充", year=2014, rubric=hutang["v1"])
        stored(drafting, world.unit_a, "90", 1, "优秀")
        assert years.previous_cycle(hutang["c15"]) == hutang["c14"]
        assert years.previous_cycle(hutang["c14"]) == older
        assert years.previous_cycle(older) is None

    def test_a_previous_cycle_on_another_rubric_is_named_and_not_compared(
        self, world, hutang, client_for
    ):
        changzhou = import_seed_rubric("changzhou-community")
        later = Cycle.objects.create(
            title="常州市2016年度评估", year=2016, rubric=changzhou, state=Cycle.State.PUBLISHED
        )
        stored(later, world.unit_a, "77", 1, "合格", subtotals=("0", "17"))
        page = compare(client_for("admin"), later)
        assert page.context["previous"] == hutang["c15"]
        assert "不是同一标准或其版本，等次不作比较" in page.context["refusal"]
        assert "rows" not in page.context

    def test_a_cycle_of_coordinators_is_not_compared_and_the_page_says_why(
        self, world, hutang, client_for
    ):
        xinyi = import_seed_rubric("xinyi-coordinator")
        cycle = Cycle.objects.create(
            title="新沂2015协理员考核", year=2015, rubric=xinyi, state=Cycle.State.PUBLISHED
        )
        page = compare(client_for("admin"), cycle)
        assert page.context["refusal"].startswith("本周期考核协理员")

    def test_without_an_earlier_cycle_the_page_says_there_is_none(self, world, hutang, client_for):
        page = compare(client_for("admin"), hutang["c14"])
        assert "没有可比较的上一周期" in page.context["refusal"]

    def test_the_rows_are_one_page_read_in_sql_whatever_the_number_of_units(
        self, world, hutang, client_for
    ):
        client = client_for("admin")

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert compare(client, hutang["c15"], move="all").status_code == 200
            return len(ctx)

        before = queries()
        for i in range(150):
            unit = Unit.objects.create(
                name=f"加测{i:03d}社区", kind="community", parent=world.town_a
            )
            stored(hutang["c14"], unit, "91", 10 + i, "优秀")
            stored(hutang["c15"], unit, "80", 10 + i, "合格")
        assert queries() == before
        page = compare(client, hutang["c15"], move="all")
        assert len(page.context["rows"]) == 100 and page.context["page"].paginator.count == 154
