"""如皋市2018年业务工作任务分解表 (seed 002, 附件2) as data, encoded as printed:
创业就业富民行动 declares 40 but its items sum to 38; 技能提升培训 is 8 points with
components 3 + 3; 高技能人才培训 is 12 points with components 2 + 4.

The worked example is 东陈镇 with its real 附件2 targets:
新增就业 250, 劳动力（回）外引 260, 新增创业项目 3, 新增创业人数 140,
技能提升培训 450 (170), 高技能人才培训 200 (70), 职业技能鉴定统考人数 14.
Every expected number below is computed by hand, in the comments.
"""

import copy
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rubrics.engine import evaluate, rubric_from_dict, validate

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "rugao-2018-town.yaml"


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
    assert rubric.code == "rugao-2018-town"
    assert rubric.year == 2018
    # 18 scored rows (8 + 4 + 3 + 3) and the 恶劣影响 deduction of 劳资矛盾化解 as a penalty item
    assert len(rubric.items) == 19
    assert [i.key for i in rubric.items] == [f"r{n}" for n in range(1, 20)]
    assert all(i.number == "" for i in rubric.items)
    assert [s.title for s in rubric.sections] == [
        "创业就业富民行动（40分）",
        "职业技能培训行动计划（30分）",
        "退休人员社会化管理(10分)",
        "构建和谐劳动关系(20分)",
    ]
    assert [s.declared_points for s in rubric.sections] == [D(40), D(30), D(10), D(20)]
    # 创业就业富民行动: 5 + 5 + 5 + 3 + 4 + 6 + 6 + 4 = 38
    assert section_sums(rubric) == {"s1": D(38), "s2": D(30), "s3": D(10), "s4": D(20)}
    assert rubric.declared_total == D(100)
    assert sum(section_sums(rubric).values()) == D(98)
    assert rubric.columns.self is None
    assert {i.key: i.indicator for i in rubric.items if i.indicator} == {
        "r1": "新增就业（人）",
        "r2": "就业援助服务（重点群体就业）",
        "r4": "劳动力（回）外引（人）",
        "r6": "新增创业项目（个）",
        "r7": "新增创业人数（人）",
        "r9": "技能提升培训（其中鉴定取证）(人)",
        "r10": "高技能人才培训(其中鉴定取证）(人)",
        "r11": "职业技能鉴定统考人数(人)",
    }
    assert [(i.key, i.kind) for i in rubric.items] == [
        ("r1", "all_or_nothing"),
        ("r2", "all_or_nothing"),
        ("r3", "fixed_deductions"),
        ("r4", "shortfall_step"),
        ("r5", "fixed_deductions"),
        ("r6", "shortfall_step"),
        ("r7", "shortfall_step"),
        ("r8", "highest_level"),
        ("r9", "composite"),
        ("r10", "composite"),
        ("r11", "all_or_nothing"),
        ("r12", "deduct_per_occurrence"),
        ("r13", "fixed_deductions"),
        ("r14", "fixed_deductions"),
        ("r15", "fixed_deductions"),
        ("r16", "fixed_deductions"),
        ("r17", "fixed_deductions"),
        ("r18", "composite"),
        ("r19", "penalty"),
    ]
    assert rubric.item("r9").max_points == D(8)
    assert rubric.item("r10").max_points == D(12)
    assert rubric.item("r18").max_points == D(10)
    assert [(g.label, g.min, g.subsidy_percent) for g in rubric.grades] == [
        ("优秀", D(90), D(0)),
        ("良好", D(80), D(0)),
        ("合格", D(70), D(0)),
    ]


def test_validation_reports_the_printed_mismatches(rubric):
    findings = validate(rubric)
    assert [f for f in findings if f.level == "error"] == []
    warnings = [f.message for f in findings if f.level == "warning"]

    def has(*numbers):
        return [m for m in warnings if all(n in m for n in numbers)]

    assert len(has("创业就业富民行动", "40", "38")) == 1
    assert len(has("98", "100")) == 1  # the items make 98, the sections and the total 100
    assert len(has("技能提升培训", "8", "6")) == 1  # 3 + 3
    assert len(has("高技能人才培训", "12", "6")) == 1  # 2 + 4
    assert len(warnings) == 4


def dongchen():
    return {
        "subject": "东陈镇",
        "town": "东陈镇",
        "items": {
            # 创业就业富民行动
            "r1": {"target": 250, "actual": 250},  # 完成 → 5
            "r2": {"rate": 100},  # 服务率100% → 5
            "r3": {"flags": {"survey_missing": 1}},  # 用工需求调查少1家次: 5 − 1 = 4
            "r4": {"target": 260, "actual": 245},  # 少15人 → 1 整档 → 3 − 1 = 2
            "r5": {"flags": {}},  # 4
            "r6": {"target": 3, "actual": 2},  # 少1个 → 6 − 2 = 4
            "r7": {"target": 140, "actual": 130},  # 少10人 × 0.2 → 6 − 2 = 4
            "r8": {  # 孵化基地 本市级→南通市级: 2; 另一项目 本市级: 1 → 3 (≤ 4)
                "claims": [
                    {"project": "创业孵化基地", "level": "city"},
                    {"project": "创业孵化基地", "level": "nantong"},
                    {"project": "返乡创业园", "level": "city"},
                ]
            },
            # 5 + 5 + 4 + 2 + 4 + 4 + 4 + 3 = 31
            # 职业技能培训行动计划
            "r9": {  # 450 (170): 培训 3 × 360 / 450 = 2.4; 鉴定取证 170/170 → 3 → 5.4 (of 8)
                "target": 450,
                "actual": 360,
                "sub_target": 170,
                "sub_actual": 170,
                "components": {"training": {}, "certification": {}},
            },
            "r10": {  # 200 (70): 培训 200/200 → 2; 鉴定取证 4 × 56 / 70 = 3.2 → 5.2 (of 12)
                "components": {
                    "training": {"target": 200, "actual": 200},
                    "certification": {"sub_target": 70, "sub_actual": 56},
                }
            },
            "r11": {"target": 14, "actual": 14},  # 5
            "r12": {"count": 1},  # 每少一项扣1分: 4
            # 5.4 + 5.2 + 5 + 4 = 19.6
            # 退休人员社会化管理
            "r13": {"flags": {"rate_points": 2}},  # 社区管理率98%，降低2个百分点: 3 − 2 = 1
            "r14": {"flags": {"missed_or_wrong": 1}},  # 漏检1例: 3 − 0.5 = 2.5
            "r15": {"flags": {}},  # 4
            # 1 + 2.5 + 4 = 7.5
            # 构建和谐劳动关系
            "r16": {"flags": {"not_reported": 1}},  # 未报告一起: 6 − 1 = 5
            "r17": {"flags": {"abnormal": 1}},  # 一个季度维护不正常: 4 − 0.5 = 3.5
            "r18": {  # 有人员 1 + 有机制 0 + 三有缺2起 2 − 0.4 = 1.6 + 调撤率65% → 3 = 5.6
                "components": {
                    "staff": {"flags": {"staff": True}},
                    "mechanism": {"flags": {"mechanism": False}},
                    "three_haves": {"count": 2},
                    "mediation_rate": {"value": 65},
                }
            },
            # 5 + 3.5 + 5.6 = 14.1
            "r19": {"count": 1},  # 造成恶劣影响1例: −2
        },
    }


def test_worked_example_dongchen(rubric):
    result = evaluate(rubric, dongchen())
    assert result.complete
    scores = {i.key: i.score for i in result.items}
    assert scores == {
        "r1": D(5),
        "r2": D(5),
        "r3": D(4),
        "r4": D(2),
        "r5": D(4),
        "r6": D(4),
        "r7": D(4),
        "r8": D(3),
        "r9": D("5.4"),
        "r10": D("5.2"),
        "r11": D(5),
        "r12": D(4),
        "r13": D(1),
        "r14": D("2.5"),
        "r15": D(4),
        "r16": D(5),
        "r17": D("3.5"),
        "r18": D("5.6"),
        "r19": D(2),
    }
    assert {s.key: s.subtotal for s in result.sections} == {
        "s1": D(31),
        "s2": D("19.6"),
        "s3": D("7.5"),
        "s4": D("14.1"),
    }
    # base 31 + 19.6 + 7.5 + 14.1 = 72.2; penalty 2; total 70.2 → 合格 (≥ 70)
    assert result.base_total == D("72.2")
    assert result.penalties == D(2)
    assert result.total == D("70.2")
    assert result.grade == "合格"
    assert result.award_eligible  # r19 does not remove award eligibility


def test_new_employment_is_all_or_nothing(rubric):
    sheet = copy.deepcopy(dongchen())
    # 新增就业 target 250: 249 is 「未完成不得分」 → 0; total 70.2 − 5 = 65.2 → below every band
    sheet["items"]["r1"] = {"target": 250, "actual": 249}
    result = evaluate(rubric, sheet)
    assert result.item("r1").score == D(0)
    assert result.total == D("65.2")
    assert result.grade == "不合格"


def test_shortfall_steps(rubric):
    sheet = copy.deepcopy(dongchen())
    items = sheet["items"]
    cases = [
        # 劳动力外引 260: 少9人 → 不足一档 → 3; 少20人 → 2 档 → 1; 少40人 → 扣完 → 0
        ("r4", {"target": 260, "actual": 251}, "3"),
        ("r4", {"target": 260, "actual": 240}, "1"),
        ("r4", {"target": 260, "actual": 220}, "0"),
        # 新增创业项目 3: 0 个 → 少3个 × 2 = 6 → 0
        ("r6", {"target": 3, "actual": 0}, "0"),
        # 新增创业人数 140: 少1人 → 5.8; 少30人 → 6 扣完 → 0
        ("r7", {"target": 140, "actual": 139}, "5.8"),
        ("r7", {"target": 140, "actual": 110}, "0"),
    ]
    for key, value, expected in cases:
        items[key] = value
        assert evaluate(rubric, sheet).item(key).score == D(expected), (key, value)


def test_composites_cannot_reach_their_printed_max(rubric):
    sheet = copy.deepcopy(dongchen())
    items = sheet["items"]
    items["r9"] = {"target": 450, "actual": 450, "sub_target": 170, "sub_actual": 170}
    items["r10"] = {"target": 200, "actual": 200, "sub_target": 70, "sub_actual": 70}
    result = evaluate(rubric, sheet)
    # both fully completed: 3 + 3 = 6 of 8, 2 + 4 = 6 of 12, as printed
    assert result.item("r9").score == D(6)
    assert result.item("r10").score == D(6)


def test_mediation_rate_brackets(rubric):
    sheet = copy.deepcopy(dongchen())
    # 低于40%不得分，40%-50%得1分，50%-60%得2分，依次类推 (6 points);
    # the other components stay at 有人员 1 + 有机制 0 + 三有 1.6 = 2.6
    expected = {39: "2.6", 40: "3.6", 49.9: "3.6", 50: "4.6", 89: "7.6", 90: "8.6", 100: "8.6"}
    for rate, total in expected.items():
        sheet["items"]["r18"]["components"]["mediation_rate"] = {"value": rate}
        assert evaluate(rubric, sheet).item("r18").score == D(total), rate
