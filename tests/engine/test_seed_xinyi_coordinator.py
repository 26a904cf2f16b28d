"""新沂市人社基层平台协理员年度考核评分表 (seed 004, 附件1) as data, encoded as printed:
基础工作 declares 28 points but its items (4–9) sum to 39; all items sum to 100.

Every expected number below is computed by hand from the document, in the comments.
"""

import copy
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rubrics.engine import apply_quota, evaluate, evaluate_cycle, rank, rubric_from_dict, validate

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "xinyi-coordinator.yaml"


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
    assert rubric.code == "xinyi-coordinator"
    assert rubric.subject == "coordinator"
    assert len(rubric.items) == 24
    assert [i.key for i in rubric.items] == [str(n) for n in range(1, 25)]
    assert [(i.kind, i.max_points) for i in rubric.sections[0].items] == [("veto", D(0))] * 3
    assert [s.declared_points for s in rubric.sections] == [None, D(28), D(25), D(28), D(8)]
    # 基础工作: 2 + 4 + 6 + 11 + 5 + 11 = 39
    assert section_sums(rubric) == {"s1": D(0), "s2": D(39), "s3": D(25), "s4": D(28), "s5": D(8)}
    assert sum(section_sums(rubric).values()) == D(100)
    assert rubric.declared_total == D(100)
    seven = rubric.item("7")
    assert (seven.kind, seven.max_points) == ("rate_below", D(11))
    assert seven.params["threshold"] == D(100) and seven.params["points_per_point"] == D(1)
    sixteen = rubric.item("16")
    assert sixteen.kind == "composite"
    assert [(c["label"], c["max_points"]) for c in sixteen.params["components"]] == [
        ("宣传动员", D(1)),
        ("全民参保入户调查，动态维护", D(4)),
    ]
    assert rubric.item("22").kind == rubric.item("24").kind == "proportional"
    assert "555555566" not in rubric.item("5").rule_text
    assert "555555566" in rubric.notes
    assert [(g.label, g.min) for g in rubric.grades] == [
        ("优秀", D(90)),
        ("合格", D(75)),
        ("基本合格", D(60)),
    ]
    assert rubric.fallback_grade.label == "不合格"
    assert rubric.veto_grade == "不合格"
    assert (
        rubric.quota.grade,
        rubric.quota.percent,
        rubric.quota.scope,
        rubric.quota.enforced,
    ) == (
        "优秀",
        D(20),
        "town",
        True,
    )
    assert (rubric.columns.self, rubric.columns.review) == (None, "得分")


def test_validation_reports_the_printed_mismatch(rubric):
    findings = validate(rubric)
    assert [f for f in findings if f.level == "error"] == []
    warnings = [f.message for f in findings if f.level == "warning"]
    assert len(warnings) == 1
    assert "基础工作" in warnings[0] and "28" in warnings[0] and "39" in warnings[0]


def coordinator(name="张三", town="新安街道"):
    return {
        "subject": name,
        "town": town,
        "items": {
            # 一票否决项: all passed, no points
            "1": {"passed": True},
            "2": {"passed": True},
            "3": {"passed": True},
            # 二、基础工作
            "4": {"flags": {"not_detailed": 1}},  # 记载不详实一次: 2 − 0.5 = 1.5
            "5": {"flags": {"roster": 1}},  # 不按时张贴值班表一次: 4 − 0.5 = 3.5
            "6": {"rate": 100},  # 完成100%任务数: 6
            "7": {"rate": 96},  # 调查准确率96%，低于100% 4个百分点: 11 − 4 = 7
            "8": {"flags": {"entry_error": 2}},  # 录入错、缺两项: 5 − 1 = 4
            "9": {"flags": {"missing_ledger_type": 1, "entry_error": 1}},  # 11 − 1 − 0.5 = 9.5
            # 1.5 + 3.5 + 6 + 7 + 4 + 9.5 = 31.5
            # 三、就业服务管理工作
            "10": {"flags": {}},  # 2
            "11": {"flags": {"info_late": True}},  # 未及时发布企业用工信息扣3分: 10 − 3 = 7
            "12": {"flags": {"late_registration": 1}},  # 4 − 0.5 = 3.5
            "13": {"flags": {}},  # 4
            "14": {"flags": {}},  # 2
            "15": {"flags": {}},  # 3
            # 2 + 7 + 3.5 + 4 + 2 + 3 = 21.5
            # 四、社保工作
            "16": {
                "components": {"publicity": {"score": "1"}, "household_survey": {"score": "3.5"}}
            },  # 4.5
            "17": {"flags": {"missed": 1}},  # 漏查1人: 4 − 1 = 3
            "18": {"flags": {"unclear": 1}},  # 记载不清楚一次: 3 − 0.5 = 2.5
            "19": {"flags": {}},  # 2
            "20": {"flags": {"entry_error": 3}},  # 3 条 × 0.1: 6 − 0.3 = 5.7
            "21": {"flags": {"late_material": 2, "certification_error": 1}},  # 8 − 1 − 0.2 = 6.8
            # 4.5 + 3 + 2.5 + 2 + 5.7 + 6.8 = 24.5
            # 五、社保卡管理工作
            "22": {"rate": 90},  # 采集制卡任务完成90%: 3 × 0.9 = 2.7
            "23": {"count": 1},  # 2 − 0.5 = 1.5
            "24": {"rate": 95},  # 发放95%: 3 × 0.95 = 2.85
            # 2.7 + 1.5 + 2.85 = 7.05
        },
    }


def test_worked_example(rubric):
    result = evaluate(rubric, coordinator())
    assert result.complete
    assert result.item("7").score == D(7)
    assert {s.key: s.subtotal for s in result.sections} == {
        "s1": D(0),
        "s2": D("31.5"),
        "s3": D("21.5"),
        "s4": D("24.5"),
        "s5": D("7.05"),
    }
    # 31.5 + 21.5 + 24.5 + 7.05 = 84.55 → 合格 (75 ≤ 84.55 < 90)
    assert result.total == D("84.55")
    assert result.grade == "合格"
    assert result.veto is None


def test_accuracy_rate(rubric):
    sheet = copy.deepcopy(coordinator())
    # 每低于1个百分点扣1分: 100 → 11, 99.5 → 11 (whole points only), 90 → 1, 89 → 0 (扣完为止)
    for rate, points in (
        (100, "11"),
        (99.5, "11"),
        (96, "7"),
        (95.5, "7"),
        (90, "1"),
        (89, "0"),
        (50, "0"),
    ):
        sheet["items"]["7"] = {"rate": rate}
        assert evaluate(rubric, sheet).item("7").score == D(points), rate


def test_veto_failure(rubric):
    sheet = copy.deepcopy(coordinator())
    # 「经查实有违纪行为即一票否决」
    sheet["items"]["1"] = {"passed": False}
    result = evaluate(rubric, sheet)
    assert result.total == D("84.55")  # the veto items carry no points
    assert result.veto is not None
    assert result.veto.item_key == "1"
    assert result.grade == "不合格"
    assert not result.award_eligible


def test_excellent_quota_per_town(rubric):
    # Five coordinators of 新安街道 and one of 草桥镇, all ≥ 90.
    # 新安街道: ⌊20% × 5 / 100⌋ = 1 优秀; the other four move down one band to 合格.
    # 草桥镇: ⌊20% × 1 / 100⌋ = 0 优秀; its only coordinator moves to 合格 as well.
    def excellent(name, town, accuracy):
        sheet = coordinator(name, town)
        items = sheet["items"]
        for key in ("4", "5", "8", "9", "11", "12", "17", "18", "20", "21"):
            items[key] = {"flags": {}}
        items["16"] = {
            "components": {"publicity": {"score": "1"}, "household_survey": {"score": "4"}}
        }
        items["22"] = {"rate": 100}
        items["23"] = {"count": 0}
        items["24"] = {"rate": 100}
        items["7"] = {"rate": accuracy}  # total = 100 − (100 − accuracy)
        return sheet

    sheets = [
        excellent("甲", "新安街道", 99),
        excellent("乙", "新安街道", 98),
        excellent("丙", "新安街道", 97),
        excellent("丁", "新安街道", 96),
        excellent("戊", "新安街道", 95),
        excellent("己", "草桥镇", 100),
    ]
    cycle = evaluate_cycle(rubric, sheets)
    assert [r.total for r in cycle.results] == [D(99), D(98), D(97), D(96), D(95), D(100)]
    assert all(r.grade == "优秀" for r in cycle.results)
    decisions = {d.subject: d for d in apply_quota(rubric, rank(cycle.results))}
    assert decisions["甲"].grade_after == "优秀"
    assert [decisions[n].grade_after for n in ("乙", "丙", "丁", "戊", "己")] == ["合格"] * 5
    assert decisions["乙"].reason
