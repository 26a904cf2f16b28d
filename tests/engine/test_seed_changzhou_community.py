"""常州市社区人力资源社会保障公共服务平台评估标准 (seed 001, 附件2) as data.

Every expected number below is computed by hand from the document, in the comments.
"""

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rubrics.engine import apply_quota, evaluate, evaluate_cycle, rank, rubric_from_dict, validate

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "changzhou-community.yaml"


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
    assert rubric.code == "changzhou-community"
    assert len(rubric.items) == 30
    assert [i.key for i in rubric.items] == [str(n) for n in range(1, 31)]
    # 小计 as printed: 15 / 10 / 26 / 12 / 21 / 16, and the items add up to each of them
    assert {s.key: s.declared_points for s in rubric.sections} == {
        "s1": D(15),
        "s2": D(10),
        "s3": D(26),
        "s4": D(12),
        "s5": D(21),
        "s6": D(16),
    }
    assert section_sums(rubric) == {
        "s1": D(15),
        "s2": D(10),
        "s3": D(26),
        "s4": D(12),
        "s5": D(21),
        "s6": D(16),
    }
    assert rubric.declared_total == D(100)
    assert sum(section_sums(rubric).values()) == D(100)
    # 一、社区平台建设: five one-vote-veto items of 3 points
    assert [i.kind for i in rubric.sections[0].items] == ["veto"] * 5
    assert rubric.item("30").kind == "peer_average"
    assert [(g.label, g.min, g.subsidy_percent) for g in rubric.grades] == [
        ("优秀", D(90), D(120)),
        ("合格", D(75), D(100)),
        ("基本合格", D(60), D(0)),
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
        D(30),
        "cycle",
        False,
    )
    assert rubric.columns.self == "自评得分"
    assert rubric.columns.review == "评估得分"


def test_validation_reports_only_item_26(rubric):
    findings = validate(rubric)
    assert [f for f in findings if f.level == "error"] == []
    warnings = [f for f in findings if f.level == "warning"]
    # The sections and the total agree (100). The one inconsistency is inside item 26:
    # 4 points, but 「按规定传递、上报信息得2分，有但不规范1分，应报不报不得分」 never gives more than 2.
    assert len(warnings) == 1
    assert "26" in warnings[0].message
    assert "4" in warnings[0].message and "2" in warnings[0].message


def full_sheet():
    """A community with every veto passed; the arithmetic of each item in its comment."""
    return {
        "subject": "示例社区",
        "town": "天宁区",
        "items": {
            # 一、社区平台建设: 5 × 3 = 15
            "1": {"passed": True},
            "2": {"passed": True},
            "3": {"passed": True},
            "4": {"passed": True},
            "5": {"passed": True},
            # 二、社区基础信息管理: 3 + 2.5 + 4 = 9.5
            "6": {"score": "3"},
            "7": {"score": "2.5"},
            "8": {"score": "4"},
            # 三、促进就业创业
            "9": {"score": "3"},  # 3
            "10": {"flags": {"repayment_below_80": True}},  # 还款率低于80%扣2分: 3 − 2 = 1
            "11": {"flags": {}},  # 3
            "12": {"score": "2.5"},  # 2.5
            "13": {"score": "3"},  # 3
            "14": {"flags": {"irregular_visits": True}},  # 不定期走访扣1分: 3 − 1 = 2
            "15": {"score": "3.5"},  # 3.5
            "16": {"flags": {}},  # 4
            # 3 + 1 + 3 + 2.5 + 3 + 2 + 3.5 + 4 = 22
            # 四、退休人员社会化管理
            "17": {"flags": {"faults": True}},  # 存在过错和不完善扣2分: 3 − 2 = 1
            "18": {"flags": {}},  # 3
            "19": {"flags": {"no_health_file": True}},  # 未设立健康档案扣1.5分: 3 − 1.5 = 1.5
            "20": {"flags": {}},  # 3
            # 1 + 3 + 1.5 + 3 = 8.5
            # 五、指导劳动关系协理监察
            "21": {"flags": {}},  # 有并做好台账: 3
            "22": {"value": 85},  # 采集率85%，低于90%扣1分: 2
            "23": {"score": "3"},  # 3
            "24": {"score": "3.5"},  # 3.5
            "25": {"score": "4"},  # 4
            "26": {"flags": {"reported": True, "as_required": True}},  # 按规定传递、上报: 2
            # 3 + 2 + 3 + 3.5 + 4 + 2 = 17.5
            # 六、其他
            "27": {"score": "4"},
            "28": {"score": "3.5"},
            "29": {"score": "4"},
            "30": {"ratings": ["4", "3.5", "3", "4"]},  # (4 + 3.5 + 3 + 4) / 4 = 3.625 → 3.63
            # 4 + 3.5 + 4 + 3.63 = 15.13
        },
    }


def test_worked_example_all_vetoes_passed(rubric):
    result = evaluate(rubric, full_sheet())
    assert result.complete
    assert {s.key: s.subtotal for s in result.sections} == {
        "s1": D("15"),
        "s2": D("9.5"),
        "s3": D("22"),
        "s4": D("8.5"),
        "s5": D("17.5"),
        "s6": D("15.13"),
    }
    assert result.item("10").score == D("1")
    assert result.item("22").score == D("2")
    assert result.item("30").score == D("3.63")
    # 15 + 9.5 + 22 + 8.5 + 17.5 + 15.13 = 87.63 → 合格 (75 ≤ 87.63 < 90), 100% of the average subsidy
    assert result.base_total == D("87.63")
    assert result.bonus == D(0) and result.penalties == D(0)
    assert result.total == D("87.63")
    assert result.veto is None
    assert result.grade == "合格"
    assert result.subsidy_percent == D("100")
    assert result.award_eligible


def test_worked_example_veto_2_failed(rubric):
    sheet = full_sheet()
    # 「配备专职社区干事，签订劳动合同，参加统一培训并持证上岗」 not met → 一票否决
    sheet["items"]["2"] = {"passed": False}
    result = evaluate(rubric, sheet)
    # the failed veto item earns nothing: 87.63 − 3 = 84.63, still 合格 by points …
    assert result.item("2").score == D(0)
    assert result.total == D("84.63")
    # … but 说明1「社区被一票否决，即判定不合格」
    assert result.veto is not None
    assert result.veto.item_key == "2"
    assert result.grade == "不合格"
    assert result.subsidy_percent == D(0)
    assert not result.award_eligible


def test_item_10_loan_repayment(rubric):
    sheet = full_sheet()
    items = sheet["items"]
    # 未开展但已建有相关台账和跟踪服务记录表式的得1分 → 3 − 2 = 1
    items["10"] = {"flags": {"not_carried_out_with_ledger": True}}
    assert evaluate(rubric, sheet).item("10").score == D(1)
    # 还款率 65%: 低于80%扣2分, and one further 10 points below (70%) 扣2分 → 3 − 4 → 0
    items["10"] = {"flags": {"repayment_below_80": True, "repayment_per_10": 1}}
    assert evaluate(rubric, sheet).item("10").score == D(0)


def test_item_22_collection_rate_brackets(rubric):
    sheet = full_sheet()
    for rate, points in ((95, "3"), (90, "3"), (89.9, "2"), (80, "2"), (79, "1"), (0, "1")):
        sheet["items"]["22"] = {"value": rate}
        assert evaluate(rubric, sheet).item("22").score == D(points), rate


def test_quota_is_advisory(rubric):
    # Four communities at 优秀: ⌊30% × 4 / 100⌋ = 1 allowed. The quota is 「一般不超过总数的30%」,
    # so nobody moves; the three beyond the allowance are flagged for the administrator.
    sheets = []
    for name, item_27 in (("甲社区", "4"), ("乙社区", "3.5"), ("丙社区", "3"), ("丁社区", "2.5")):
        sheet = full_sheet()
        sheet["subject"] = name
        items = sheet["items"]
        for key in ("6", "7", "9", "12", "13", "23"):
            items[key] = {"score": "3"}
        for key in ("15", "24", "28"):
            items[key] = {"score": "4"}
        for key in ("10", "14", "17", "19"):
            items[key] = {"flags": {}}
        items["22"] = {"value": 95}
        items["30"] = {"ratings": ["4"]}
        items["27"] = {"score": item_27}
        sheets.append(sheet)
    cycle = evaluate_cycle(rubric, sheets)
    # every item at its maximum except item 26, which cannot give more than 2 of its 4
    # points, and item 27: 100 − 2 − (4 − item 27)
    assert [r.total for r in cycle.results] == [D("98"), D("97.5"), D("97"), D("96.5")]
    assert [r.grade for r in cycle.results] == ["优秀"] * 4
    decisions = apply_quota(rubric, rank(cycle.results))
    assert [d.rank for d in decisions] == [1, 2, 3, 4]
    assert [d.grade_after for d in decisions] == ["优秀"] * 4
    assert [d.flagged for d in decisions] == [False, True, True, True]
