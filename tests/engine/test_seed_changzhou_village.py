"""常州市村级人力资源社会保障公共服务平台评估标准 (seed 001, 附件3) as data, encoded as
printed: section 三 declares 小计 22 but its items sum to 24; the 小计 sum to 96, the items
to 98, and the 合计 says 100.

Every expected number below is computed by hand from the document, in the comments.
"""

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rubrics.engine import evaluate, rubric_from_dict, validate

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "changzhou-village.yaml"


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
    assert rubric.code == "changzhou-village"
    assert len(rubric.items) == 31
    assert [i.key for i in rubric.items] == [str(n) for n in range(1, 32)]
    assert {s.key: s.declared_points for s in rubric.sections} == {
        "s1": D(15),
        "s2": D(10),
        "s3": D(22),
        "s4": D(12),
        "s5": D(21),
        "s6": D(16),
    }
    # 三: 2 + 2 + 2 + 3 + 3 + 3 + 3 + 3 + 3 = 24, not the printed 22
    assert section_sums(rubric) == {
        "s1": D(15),
        "s2": D(10),
        "s3": D(24),
        "s4": D(12),
        "s5": D(21),
        "s6": D(16),
    }
    assert [i.max_points for i in rubric.sections[2].items] == [
        D(n) for n in (2, 2, 2, 3, 3, 3, 3, 3, 3)
    ]
    assert sum(s.declared_points for s in rubric.sections) == D(96)
    assert sum(section_sums(rubric).values()) == D(98)
    assert rubric.declared_total == D(100)
    assert [i.kind for i in rubric.sections[0].items] == ["veto"] * 5
    assert rubric.item("31").kind == "peer_average"
    assert rubric.veto_grade == "不合格"
    assert rubric.quota.percent == D(30) and rubric.quota.enforced is False


def test_validation_reports_the_printed_mismatches(rubric):
    findings = validate(rubric)
    assert [f for f in findings if f.level == "error"] == []
    warnings = [f.message for f in findings if f.level == "warning"]

    def has(*numbers):
        return [m for m in warnings if all(n in m for n in numbers)]

    section_three = has("22", "24")
    totals = has("96", "98", "100")
    item_27 = has("27", "满分 4", "2")  # 4 points, the rule never gives more than 2
    assert len(section_three) == 1 and "三" in section_three[0]
    assert len(totals) == 1
    assert len(item_27) == 1
    assert len(warnings) == 3


def full_sheet():
    return {
        "subject": "示例村",
        "town": "新北区",
        "items": {
            # 一、基础平台建设: 5 × 3 = 15
            **{str(n): {"passed": True} for n in range(1, 6)},
            # 二、基础信息管理: 3 + 3 + 4 = 10
            "6": {"score": "3"},
            "7": {"score": "3"},
            "8": {"score": "4"},
            # 三、促进就业创业
            "9": {"flags": {}},  # 2
            "10": {"flags": {}},  # 2
            "11": {"flags": {"repayment_below_80": True}},  # 当年还款率低于80%扣2分: 2 − 2 = 0
            "12": {"flags": {}},  # 3
            "13": {"score": "3"},  # 3
            "14": {"score": "3"},  # 3
            "15": {"flags": {}},  # 3
            "16": {"flags": {}},  # 3
            "17": {"flags": {}},  # 3
            # 2 + 2 + 0 + 3 + 3 + 3 + 3 + 3 + 3 = 22 (of the 24 its items carry)
            # 四、退休人员社会化管理: 4 × 3 = 12
            **{str(n): {"flags": {}} for n in range(18, 22)},
            # 五、指导劳动关系协理监察
            "22": {"flags": {}},  # 3
            "23": {"value": 75},  # 采集率75%，80%以下扣2分: 1
            "24": {"score": "3"},  # 3
            "25": {"score": "4"},  # 4
            "26": {"score": "4"},  # 4
            "27": {"flags": {"reported": True}},  # 有但不规范: 1
            # 3 + 1 + 3 + 4 + 4 + 1 = 16
            # 六、其他
            "28": {"score": "4"},
            "29": {"score": "4"},
            "30": {"score": "4"},
            "31": {"ratings": ["3", "4"]},  # (3 + 4) / 2 = 3.5
            # 4 + 4 + 4 + 3.5 = 15.5
        },
    }


def test_worked_example(rubric):
    result = evaluate(rubric, full_sheet())
    assert result.complete
    assert {s.key: s.subtotal for s in result.sections} == {
        "s1": D(15),
        "s2": D(10),
        "s3": D(22),
        "s4": D(12),
        "s5": D(16),
        "s6": D("15.5"),
    }
    # 15 + 10 + 22 + 12 + 16 + 15.5 = 90.5 → 优秀 (≥ 90), 120% of the average subsidy
    assert result.total == D("90.5")
    assert result.grade == "优秀"
    assert result.subsidy_percent == D(120)


def test_best_possible_sheet_is_96(rubric):
    # Items sum to 98, and item 27 (4 points) gives at most 2: a perfect village scores 96.
    sheet = full_sheet()
    sheet["items"]["11"] = {"flags": {}}
    sheet["items"]["23"] = {"value": 100}
    sheet["items"]["27"] = {"flags": {"reported": True, "as_required": True}}
    sheet["items"]["31"] = {"ratings": ["4"]}
    result = evaluate(rubric, sheet)
    assert result.sections[2].subtotal == D(24)
    assert result.total == D(96)


def test_veto_forces_fail(rubric):
    sheet = full_sheet()
    # 「有不少于1名持有劳动保障协理员职业资格证书的专职工作人员」 not met
    sheet["items"]["2"] = {"passed": False}
    result = evaluate(rubric, sheet)
    assert result.total == D("87.5")  # 90.5 − 3
    assert result.veto is not None
    assert result.veto.item_key == "2"
    assert result.grade == "不合格"
    assert result.subsidy_percent == D(0)
