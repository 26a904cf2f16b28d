"""One sheet: totals, bonus cap, penalties, veto, grade bands, award eligibility,
missing and not-applicable items. Expected values are worked out by hand."""

import json
from decimal import Decimal as D

import pytest

from rubrics.engine import SheetInputError, evaluate, rubric_from_dict

XINJIAN_LEVELS = [
    {"key": "province", "label": "省级表彰", "points": "2"},
    {"key": "city", "label": "市级表彰", "points": "1"},
]


@pytest.fixture(scope="module")
def rubric(build):
    """一、平台建设 (veto 3 + discretionary 7), 二、业务 (discretionary 60 + proportional 30,
    N/A → average), 三、加分 (two bonuses, caps 2 and 3), 四、扣分 (2 per incident);
    bonus_cap 4."""
    i = build.item
    data = build.rubric_dict(bonus_cap="4", declared_total="100")
    data["sections"] = [
        {
            "key": "s1",
            "title": "一、平台建设",
            "declared_points": "10",
            "items": [
                i("1", "veto", "3", title="设立平台"),
                i("2", "discretionary", "7", title="人员配备"),
            ],
        },
        {
            "key": "s2",
            "title": "二、业务",
            "declared_points": "90",
            "items": [
                i("3", "discretionary", "60", title="业务经办"),
                i("4", "proportional", "30", {"unit": "人"}, title="新增就业", na_policy="average"),
            ],
        },
        {
            "key": "s3",
            "title": "三、加分",
            "items": [
                i(
                    "b1",
                    "additive_bonus",
                    "2",
                    {"levels": XINJIAN_LEVELS},
                    title="表彰",
                    bonus=True,
                ),
                i("b2", "discretionary", "3", title="创新", bonus=True),
            ],
        },
        {
            "key": "s4",
            "title": "四、扣分",
            "items": [
                i(
                    "p1",
                    "penalty",
                    "0",
                    {"per": "2", "removes_award_eligibility": True},
                    title="通报曝光",
                    penalty=True,
                )
            ],
        },
    ]
    return rubric_from_dict(data)


def sheet(**items):
    base = {
        "1": {"passed": True},
        "2": {"score": "6"},
        "3": {"score": "55"},
        "4": {"target": 100, "actual": 90},
        "b1": {"claims": [{"level": "province"}, {"level": "city"}]},
        "b2": {"score": "3"},
        "p1": {"count": 1},
    }
    base.update(items)
    return {"subject": "东陈镇", "town": "东陈镇", "items": {k: v for k, v in base.items() if v}}


class TestTotals:
    def test_base_bonus_penalty_total(self, rubric):
        result = evaluate(rubric, sheet())
        # base: 3 + 6 + 55 + 30 × 90 / 100 (= 27) = 91
        assert result.base_total == D(91)
        # b1: 2 + 1 = 3 → its cap 2; b2: 3; 2 + 3 = 5 → bonus_cap 4
        assert [result.item("b1").score, result.item("b2").score] == [D(2), D(3)]
        assert result.bonus == D(4)
        assert result.penalties == D(2)  # 1 × 2
        # 91 + 4 − 2 = 93 → 优秀 (≥ 90), 120%
        assert result.total == D(93)
        assert result.grade == "优秀"
        assert result.subsidy_percent == D(120)
        assert "加分合计 5 分，超过加分上限 4 分，按 4 分计" in result.flags

    def test_section_results(self, rubric):
        result = evaluate(rubric, sheet())
        sections = {s.key: s for s in result.sections}
        assert (sections["s1"].items_max, sections["s1"].subtotal) == (D(10), D(9))  # 3 + 6
        assert (sections["s2"].items_max, sections["s2"].subtotal) == (D(90), D(82))  # 55 + 27
        assert (sections["s3"].subtotal, sections["s3"].bonus) == (D(0), D(5))
        assert sections["s4"].penalties == D(2)

    def test_total_never_below_zero(self, build):
        rubric = build.make(
            build.item("1", "discretionary", "5"),
            build.item("p", "penalty", "0", {"per": "2"}, penalty=True),
        )
        result = evaluate(
            rubric, {"subject": "甲", "items": {"1": {"score": "1"}, "p": {"count": 3}}}
        )
        # 1 − 3 × 2 = −5 → 0
        assert result.total == D(0)
        assert result.grade == "不合格"

    def test_scores_carry_the_rubric_places(self, rubric):
        result = evaluate(rubric, sheet())
        assert str(result.total) == "93.00"
        assert str(result.item("2").score) == "6.00"

    def test_to_dict_is_json_ready(self, rubric):
        data = evaluate(rubric, sheet()).to_dict()
        text = json.dumps(data, ensure_ascii=False)
        assert json.loads(text)["total"] == "93.00"
        assert data["items"][0] == {
            "key": "1",
            "number": "1",
            "title": "设立平台",
            "section_key": "s1",
            "max_points": "3",
            "score": "3.00",
            "status": "scored",
            "explanation": "符合要求，得 3 分",
            "bonus": False,
            "penalty": False,
            "veto_failed": False,
            "award_lost": False,
            "components": None,
        }


class TestVeto:
    def test_veto_forces_the_veto_grade_even_with_total_95(self, rubric):
        result = evaluate(
            rubric,
            sheet(
                **{
                    "1": {"passed": False},
                    "2": {"score": "7"},
                    "3": {"score": "60"},
                    "b1": None,
                    "b2": {"score": "1"},
                    "p1": None,
                }
            ),
        )
        # base 0 + 7 + 60 + 27 = 94; bonus 1; no penalty → 95, yet 一票否决
        assert result.total == D(95)
        assert result.grade == "不合格"
        assert result.subsidy_percent == D(0)
        assert (result.veto.item_key, result.veto.number, result.veto.title) == (
            "1",
            "1",
            "设立平台",
        )
        assert not result.award_eligible
        assert result.award_reasons == ["一票否决项第 1 项「设立平台」未通过"]

    def test_no_veto_when_passed(self, rubric):
        assert evaluate(rubric, sheet()).veto is None


class TestGrade:
    @pytest.mark.parametrize(
        "score, total, grade",
        [
            # without bonus and penalty the total is 3 + 6 + 27 + item 3 = 36 + item 3
            ("54", "90", "优秀"),  # 「90分以上」 includes 90
            ("53.5", "89.5", "合格"),
            ("39", "75", "合格"),
            ("38.5", "74.5", "基本合格"),
            ("24", "60", "基本合格"),
            ("23.5", "59.5", "不合格"),  # below every band → the fallback
        ],
    )
    def test_bands_have_inclusive_lower_bounds(self, rubric, score, total, grade):
        items = {"3": {"score": score}, "b1": None, "b2": None, "p1": None}
        result = evaluate(rubric, sheet(**items))
        assert result.total == D(total)
        assert result.grade == grade

    def test_subsidy_percent_follows_the_grade(self, rubric):
        items = {"3": {"score": "39"}, "b1": None, "b2": None, "p1": None}
        assert evaluate(rubric, sheet(**items)).subsidy_percent == D(100)  # 合格


class TestAwardEligibility:
    def test_penalty_removes_award_eligibility(self, rubric):
        result = evaluate(rubric, sheet())
        assert result.grade == "优秀"
        assert not result.award_eligible
        assert result.award_reasons == [
            "第 p1 项「通报曝光」：发生 1 次，每次扣 2 分，扣 2 分，并取消评先评优资格"
        ]

    def test_no_incident_keeps_eligibility(self, rubric):
        result = evaluate(rubric, sheet(p1={"count": 0}))
        assert result.award_eligible
        assert result.award_reasons == []


class TestMissing:
    def test_missing_item_scores_nothing_and_marks_incomplete(self, rubric):
        result = evaluate(rubric, sheet(**{"3": None}))
        assert result.item("3").status == "missing"
        assert result.item("3").score is None
        assert not result.complete
        assert result.missing == ["3"]
        assert result.base_total == D(36)  # 3 + 6 + 27

    def test_empty_bonus_and_penalty_count_as_none(self, rubric):
        result = evaluate(rubric, sheet(b1=None, b2=None, p1=None))
        assert result.complete
        assert result.missing == []
        assert result.bonus == D(0)
        assert result.penalties == D(0)
        assert result.item("b1").status == "scored"


class TestNotApplicable:
    def test_full_and_zero(self, build):
        rubric = build.make(
            build.item("1", "discretionary", "5", na_policy="full"),
            build.item("2", "discretionary", "5", na_policy="zero"),
        )
        result = evaluate(
            rubric, {"subject": "甲", "items": {"1": {"na": True}, "2": {"na": True}}}
        )
        assert [(i.score, i.status) for i in result.items] == [(D(5), "na_full"), (D(0), "na_zero")]
        assert result.complete

    def test_na_refused_when_policy_none(self, rubric):
        with pytest.raises(SheetInputError) as caught:
            evaluate(rubric, sheet(**{"2": {"na": True}}))
        assert caught.value.messages == ["第 2 项「人员配备」：此项不能标为“不适用”"]

    def test_average_waits_for_the_cycle(self, rubric):
        result = evaluate(rubric, sheet(**{"4": {"na": True}}))
        assert result.item("4").status == "na_pending"
        assert result.item("4").score is None
        assert not result.complete
        assert result.pending == ["4"]
        assert result.total == D(66)  # 93 − 27

    def test_average_given_directly(self, rubric):
        result = evaluate(rubric, sheet(**{"4": {"na": True}}), na_averages={"4": D("25.5")})
        assert (result.item("4").score, result.item("4").status) == (D("25.5"), "na_average")
        assert result.total == D("91.5")  # 66 + 25.5
        assert result.complete


class TestOutcomeMemo:
    """Outcomes of one-field inputs are reused across sheets; reuse must never let a
    value through that the checks would refuse."""

    def test_repeated_values_score_the_same(self, build):
        rubric = build.make(build.item("1", "discretionary", "6"))
        first = evaluate(rubric, {"subject": "甲", "items": {"1": {"score": "2.5"}}})
        again = evaluate(rubric, {"subject": "乙", "items": {"1": {"score": "2.5"}}})
        assert (again.item("1").score, again.item("1").explanation) == (D("2.5"), "酌情得 2.5 分")
        assert first.total == again.total == D("2.5")

    def test_bad_value_refused_every_time(self, build):
        rubric = build.make(build.item("1", "discretionary", "6"))
        for _ in range(2):
            with pytest.raises(SheetInputError):
                evaluate(rubric, {"subject": "甲", "items": {"1": {"score": "7"}}})

    def test_true_is_not_the_number_one(self, build):
        rubric = build.make(build.item("1", "discretionary", "6"))
        assert evaluate(rubric, {"subject": "甲", "items": {"1": {"score": 1}}}).total == D(1)
        with pytest.raises(SheetInputError, match="得分「true」不是数字"):
            evaluate(rubric, {"subject": "甲", "items": {"1": {"score": True}}})
