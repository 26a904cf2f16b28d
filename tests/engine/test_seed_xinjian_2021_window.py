"""新建区乡（镇）基层人社服务专窗目标管理考核评分表 (seed 003, 附件2) as data.

The worked example is 松湖镇 with its 附件3 targets — 新增城镇就业 255, 新增转移农村劳动力
500 (其中省内 400), 企业职工岗位技能培训 70, 创业培训 0, 创业担保贷款 600 万元 (回收率 100%),
城乡居民养老保险参保 19000 — scored twice (过程考核 30%, 年度考核 70%). 松湖镇 is not in
附件5, so item 8 (退捕渔民) is N/A and gets the mean of the towns that have the task.
Every expected number below is computed by hand, in the comments.
"""

import copy
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from rubrics.engine import (
    evaluate,
    evaluate_cycle,
    rubric_from_dict,
    subsidy_amounts,
    validate,
    weight_phases,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "xinjian-2021-window.yaml"


@pytest.fixture(scope="module")
def rubric():
    with FIXTURE.open(encoding="utf-8") as fh:
        return rubric_from_dict(yaml.safe_load(fh))


def section_sums(rubric):
    return {
        s.key: sum((i.max_points for i in s.items if not (i.bonus or i.penalty)), D(0))
        for s in rubric.sections
    }


def test_loads_as_printed(rubric):
    assert rubric.code == "xinjian-2021-window"
    assert rubric.year == 2021
    # items 1–25, the 四 penalty, three 五 bonuses
    assert len(rubric.items) == 29
    assert [i.key for i in rubric.items] == [str(n) for n in range(1, 26)] + [
        "p1",
        "b1",
        "b2",
        "b3",
    ]
    assert [i.number for i in rubric.items][:25] == [str(n) for n in range(1, 26)]
    assert [rubric.item(k).title for k in ("9", "13", "16", "18", "19", "20")] == [
        "就业失业登记",
        "困难群体就业",
        "开发就业岗位",
        "劳动关系服务",
        "社保卡服务",
        "政策宣传宣讲",
    ]
    assert [s.declared_points for s in rubric.sections] == [D(15), D(73), D(12), None, None]
    assert section_sums(rubric) == {"s1": D(15), "s2": D(73), "s3": D(12), "s4": D(0), "s5": D(0)}
    assert rubric.declared_total == D(100)

    six = rubric.item("6")
    assert six.kind == "composite" and six.max_points == D(24)
    components = six.params["components"]
    assert [c["label"] for c in components] == [
        "新增城镇就业（人）",
        "新增转移农村劳动力（人）",
        "企业职工岗位技能培训（人次）",
        "创业培训（人次）",
        "创业担保贷款（万元）",
        "城乡居民养老保险参保（人）",
    ]
    assert all(c["kind"] == "proportional" and c["max_points"] == D(4) for c in components)
    assert all(c["params"]["zero_target"] == "full" for c in components)
    assert rubric.item("8").na_policy == "average"

    penalty = rubric.item("p1")
    assert penalty.penalty and penalty.kind == "penalty" and penalty.max_points == D(0)
    assert penalty.params["per"] == D(2) and penalty.params["removes_award_eligibility"] is True
    assert [(rubric.item(k).kind, rubric.item(k).max_points) for k in ("b1", "b2", "b3")] == [
        ("additive_bonus", D(2)),
        ("highest_level", D(2)),
        ("additive_bonus", D(2)),
    ]
    assert all(rubric.item(k).bonus for k in ("b1", "b2", "b3"))
    assert [(g.label, g.min, g.subsidy_percent) for g in rubric.grades] == [
        ("优秀", D(90), D(100)),
        ("良好", D(80), D(90)),
        ("合格", D(70), D(70)),
    ]
    assert (rubric.fallback_grade.label, rubric.fallback_grade.subsidy_percent) == ("不合格", D(0))
    assert rubric.columns.self is None


def test_validation_finds_nothing(rubric):
    assert validate(rubric) == []


def songhu(phase):
    """松湖镇, 年度考核 (annual) or 过程考核 (process)."""
    annual = phase == "annual"
    items = {
        # 一、专窗队伍建设
        "1": {"flags": {}},  # 5
        "2": {"flags": {"staff_short": 1}},  # 每少1人扣1分: 5 − 1 = 4
        "3": {"flags": {"no_ledger": True}},  # 未建立人员台账扣0.5分: 2 − 0.5 = 1.5
        "4": {"flags": {}},  # 1
        "5": {"flags": {}},  # 2
        # 5 + 4 + 1.5 + 1 + 2 = 13.5
        # 二、民生目标任务
        "6": {
            "components": {
                # annual: 300/255 → 4 (capped); process: 4 × 153 / 255 = 2.4
                "urban_employment": {"target": 255, "actual": 300 if annual else 153},
                # annual: 4 × 450 / 500 = 3.6; process: 4 × 250 / 500 = 2 (其中省内 recorded only)
                "rural_transfer": {
                    "target": 500,
                    "actual": 450 if annual else 250,
                    "sub_target": 400,
                    "sub_actual": 380 if annual else 200,
                },
                # annual: 4 × 56 / 70 = 3.2; process: 4 × 35 / 70 = 2
                "skills_training": {"target": 70, "actual": 56 if annual else 35},
                # target 0: the task counts as completed → 4
                "startup_training": {"target": 0, "actual": 0},
                # annual: 4 × 540 / 600 = 3.6; process: 4 × 300 / 600 = 2
                "startup_loans": {"target": 600, "actual": 540 if annual else 300},
                # annual: 4 × 17100 / 19000 = 3.6; process: 4 × 9500 / 19000 = 2
                "resident_pension": {"target": 19000, "actual": 17100 if annual else 9500},
            }
            # annual: 4 + 3.6 + 3.2 + 4 + 3.6 + 3.6 = 22; process: 2.4 + 2 + 2 + 4 + 2 + 2 = 14.4
        },
        "7": {"score": "9"},
        "8": {"na": True},  # 没有任务的乡（镇）得平均分
        "9": {"score": "2"},
        "10": {"score": "1.8"},
        "11": {"score": "2"},
        "12": {"score": "1.5"},
        "13": {"score": "2"},
        "14": {"score": "2"},
        "15": {"score": "2.5"},
        "16": {"flags": {}},  # 2
        "17": {"flags": {"inadequate": True}},  # 开展不到位扣2分: 8 − 2 = 6
        "18": {"score": "2"},
        "19": {"score": "1.9"},
        # without items 6 and 8: 9 + 2 + 1.8 + 2 + 1.5 + 2 + 2 + 2.5 + 2 + 6 + 2 + 1.9 = 34.7
        # 三、业务经办服务
        "20": {"score": "2"},
        "21": {"score": "2.5"},
        "22": {"flags": {"late": True}},  # 上报不及时扣0.5分: 1.5
        "23": {"count": 1},  # 少1篇: 1 − 0.3 = 0.7
        "24": {"score": "2"},
        "25": {"flags": {"missing_reviews": 1, "dissatisfied": 1}},  # 2 − 0.5 − 0.5 = 1
        # 2 + 2.5 + 1.5 + 0.7 + 2 + 1 = 9.7
    }
    if annual:
        # 四: exposed once by the media → −2 and no 评先评优
        items["p1"] = {"count": 1}
        # 五.1 省级 2 + 市级 1 = 3 → capped at 2
        items["b1"] = {"claims": [{"level": "province"}, {"level": "city"}]}
        # 五.2 the window head is 主任 → 2
        items["b2"] = {"claims": [{"project": "专窗负责人", "level": "director"}]}
        # 五.3 5 extra staff × 0.5 = 2.5 → capped at 2
        items["b3"] = {"claims": [{"level": "extra_staff", "count": 5}]}
    return {"subject": "松湖镇", "town": "松湖镇", "items": items}


def fishermen(town, score):
    """A town of 附件5 (has the 退捕渔民 task); only item 8 matters here."""
    return {"subject": town, "town": town, "items": {"8": {"score": score}}}


def test_worked_example_annual(rubric):
    sheets = [
        songhu("annual"),
        fishermen("铁河乡", "9"),
        fishermen("象山镇", "8.5"),
        fishermen("联圩镇", "7"),
    ]
    cycle = evaluate_cycle(rubric, sheets)
    # mean of item 8 over the three towns with the task: (9 + 8.5 + 7) / 3 = 8.1666… → 8.17
    assert cycle.na_averages == {"8": D("8.17")}
    result = cycle.results[0]
    assert result.subject == "松湖镇"
    assert result.item("8").score == D("8.17")
    assert result.item("8").status == "na_average"
    assert result.item("6").score == D(22)
    assert result.complete
    # 二: 22 + 8.17 + 34.7 = 64.87
    assert {s.key: s.subtotal for s in result.sections} == {
        "s1": D("13.5"),
        "s2": D("64.87"),
        "s3": D("9.7"),
        "s4": D(0),
        "s5": D(0),
    }
    # base 13.5 + 64.87 + 9.7 = 88.07; bonus 2 + 2 + 2 = 6 (each at its cap); penalty 2
    assert result.base_total == D("88.07")
    assert [result.item(k).score for k in ("b1", "b2", "b3")] == [D(2), D(2), D(2)]
    assert result.bonus == D(6)
    assert result.penalties == D(2)
    # 88.07 + 6 − 2 = 92.07 → 优秀, but the penalty removes 评先评优
    assert result.total == D("92.07")
    assert result.grade == "优秀"
    assert not result.award_eligible
    # the three other sheets only hold item 8: incomplete
    assert not any(r.complete for r in cycle.results[1:])

    # the same with the mean given directly
    alone = evaluate(rubric, songhu("annual"), na_averages={"8": D("8.17")})
    assert alone.total == D("92.07")
    # and without it the item waits for the cycle: counts 0, sheet incomplete
    pending = evaluate(rubric, songhu("annual"))
    assert not pending.complete
    assert pending.total == D("83.90")  # 92.07 − 8.17


def test_worked_example_process_annual_and_subsidy(rubric):
    annual = evaluate_cycle(
        rubric,
        [
            songhu("annual"),
            fishermen("铁河乡", "9"),
            fishermen("象山镇", "8.5"),
            fishermen("联圩镇", "7"),
        ],
    ).results[0]
    process = evaluate_cycle(
        rubric,
        [
            songhu("process"),
            fishermen("铁河乡", "7"),
            fishermen("象山镇", "8"),
            fishermen("联圩镇", "9"),
        ],
    ).results[0]
    # process: item 6 = 14.4, item 8 = (7 + 8 + 9) / 3 = 8; 二 = 14.4 + 8 + 34.7 = 57.1;
    # 13.5 + 57.1 + 9.7 = 80.30, no bonus or penalty → 良好
    assert process.item("6").score == D("14.4")
    assert process.item("8").score == D(8)
    assert process.total == D("80.30")
    assert process.grade == "良好"
    assert annual.total == D("92.07")

    # final = 30% × 80.30 + 70% × 92.07 = 24.09 + 64.449 = 88.539 → 88.54
    outcome = weight_phases(
        {"process": process.total, "annual": annual.total}, {"process": 30, "annual": 70}
    )
    assert outcome.total == D("88.54")
    assert outcome.flags == []
    # 88.54: 80 ≤ 88.54 < 90 → 良好, 资金按90%拨付: 90000 × 90 / 100 = 81000 元
    grade = next(g for g in rubric.grades if g.min <= outcome.total)
    assert (grade.label, grade.subsidy_percent) == ("良好", D(90))
    final = SimpleNamespace(
        subject="松湖镇", town="松湖镇", grade=grade.label, subsidy_percent=grade.subsidy_percent
    )
    assert subsidy_amounts([final], 90000).total == D(81000)

    # without the process assessment the annual total stands alone and is flagged
    alone = weight_phases({"process": None, "annual": annual.total}, {"process": 30, "annual": 70})
    assert alone.total == D("92.07")
    assert alone.flags == ["缺少过程考核"]


def test_item_6_zero_target_and_partial(rubric):
    sheet = copy.deepcopy(songhu("annual"))
    sheet["items"]["8"] = {"score": "10"}
    components = sheet["items"]["6"]["components"]
    # every other 乡镇 also has 创业培训 0 (区本级 carries the 650): whatever was done, 4 points
    components["startup_training"] = {"target": 0, "actual": 3}
    assert evaluate(rubric, sheet).item("6").components["startup_training"] == D(4)
    # nothing done on a real target: 0 for that task only
    components["resident_pension"] = {"target": 19000, "actual": 0}
    assert evaluate(rubric, sheet).item("6").score == D("18.4")  # 22 − 3.6


def test_penalty_has_no_cap(rubric):
    sheet = copy.deepcopy(songhu("annual"))
    sheet["items"]["8"] = {"score": "10"}
    sheet["items"]["p1"] = {"count": 3}  # 3 × 2 = 6
    result = evaluate(rubric, sheet)
    # base 88.07 − 8.17 + 10 = 89.90; + 6 − 6 = 89.90 → 良好
    assert result.penalties == D(6)
    assert result.total == D("89.90")
    assert result.grade == "良好"
    assert not result.award_eligible
