"""2014年湖塘镇社区人社工作考核标准 (seed 000, 附件2) as data; targets from 附件1.

Every expected number below is computed by hand from the document, in the comments.
"""

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rubrics.engine import evaluate, rubric_from_dict, validate

FIXTURE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "rubrics" / "hutang-2014-community.yaml"
)


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
    assert rubric.code == "hutang-2014-community"
    assert rubric.year == 2014
    # items 1–25 (100 points) and the bonus item 26
    assert len(rubric.items) == 26
    assert [i.key for i in rubric.items] == [str(n) for n in range(1, 27)]
    assert [s.title for s in rubric.sections] == [
        "平台建设情况(15分)",
        "业务基础信息管理(15分)",
        "促进就业创业(20分)",
        "退休人员社会化管理(15分)",
        "指导劳动关系协理监察（20分)",
        "其他(15分)",
        "加分项",
    ]
    assert {s.key: s.declared_points for s in rubric.sections} == {
        "s1": D(15),
        "s2": D(15),
        "s3": D(20),
        "s4": D(15),
        "s5": D(20),
        "s6": D(15),
        "s7": None,
    }
    assert section_sums(rubric) == {
        "s1": D(15),
        "s2": D(15),
        "s3": D(20),
        "s4": D(15),
        "s5": D(20),
        "s6": D(15),
        "s7": D(0),
    }
    assert rubric.declared_total == D(100)
    bonus = rubric.item("26")
    assert bonus.bonus and bonus.kind == "highest_level" and bonus.max_points == D(7)
    assert rubric.item("21").indicator == "社保扩面人数"
    assert rubric.item("22").indicator == "公积金扩面人数"
    assert rubric.item("21").kind == rubric.item("22").kind == "proportional"
    assert rubric.item("25").kind == "peer_average"
    assert rubric.item("8").title == "灵活就业人员管理"
    # no grade in the document: the 常州 bands
    assert [(g.label, g.min) for g in rubric.grades] == [
        ("优秀", D(90)),
        ("合格", D(75)),
        ("基本合格", D(60)),
    ]
    assert rubric.fallback_grade.label == "不合格"
    assert "常州" in rubric.notes
    assert (rubric.columns.self, rubric.columns.review) == ("自评", "考核")


def test_validation_finds_nothing(rubric):
    assert validate(rubric) == []


def sheet_for_zhoujiaxiang():
    """周家巷社区: 附件1 targets 社保扩面 60, 公积金扩面 70."""
    return {
        "subject": "周家巷社区",
        "town": "湖塘镇",
        "items": {
            # 平台建设情况
            "1": {"flags": {"no_sign": True, "network_down": 2}},  # 5 − 1 − 2 × 1 = 2
            "2": {"flags": {}},  # 持证上岗: 4
            "3": {"flags": {"well_kept": True}},  # 保存完好得2分, 无专人负责: 2
            "4": {"score": "2.5"},  # 2.5
            # 2 + 4 + 2 + 2.5 = 10.5
            # 业务基础信息管理: 5 + 5.5 + 4 = 14.5
            "5": {"score": "5"},
            "6": {"score": "5.5"},
            "7": {"score": "4"},
            # 促进就业创业
            "8": {"flags": {}},  # 5
            "9": {"score": "3.5"},  # 3.5
            "10": {"flags": {"missed_report": 1}},  # 缺一次扣1分: 5 − 1 = 4
            "11": {"flags": {}},  # 3
            "12": {"score": "3"},  # 3
            # 5 + 3.5 + 4 + 3 + 3 = 18.5
            # 退休人员社会化管理
            "13": {"flags": {}},  # 4
            "14": {"flags": {"not_carried_out": True}},  # 未开展不得分: 0
            "15": {"flags": {"poorly_organised": True}},  # 组织不力扣2分: 2
            "16": {"flags": {}},  # 3
            # 4 + 0 + 2 + 3 = 9
            # 指导劳动关系协理监察
            "17": {"flags": {"no_record": 3, "not_cooperating": True}},  # 8 − 3 × 1 − 1 = 4
            "18": {"flags": {"missed_visit": 1, "incomplete_ledger": True}},  # 6 − 1 − 2 = 3
            "19": {"score": "3"},  # 3
            "20": {"score": "2.5"},  # 2.5
            # 4 + 3 + 3 + 2.5 = 12.5
            # 其他
            "21": {"target": 60, "actual": 45},  # 4 × 45 / 60 = 3.00
            "22": {"target": 70, "actual": 70},  # completed: 4
            "23": {"score": "3"},  # 3
            "24": {"score": "2"},  # 2
            "25": {"ratings": ["2", "1.5", "2"]},  # 5.5 / 3 = 1.8333… → 1.83
            # 3 + 4 + 3 + 2 + 1.83 = 13.83
            # 加分项: a 市级 honour → 5
            "26": {"claims": [{"project": "充分就业社区", "level": "city"}]},
        },
    }


def test_worked_example(rubric):
    result = evaluate(rubric, sheet_for_zhoujiaxiang())
    assert result.complete
    assert result.item("1").score == D(2)
    assert result.item("21").score == D("3.00")
    assert result.item("25").score == D("1.83")
    assert {s.key: s.subtotal for s in result.sections} == {
        "s1": D("10.5"),
        "s2": D("14.5"),
        "s3": D("18.5"),
        "s4": D(9),
        "s5": D("12.5"),
        "s6": D("13.83"),
        "s7": D(0),
    }
    # base 10.5 + 14.5 + 18.5 + 9 + 12.5 + 13.83 = 78.83; bonus 5; total 83.83 → 合格
    assert result.base_total == D("78.83")
    assert result.bonus == D(5)
    assert result.total == D("83.83")
    assert result.grade == "合格"
    assert result.subsidy_percent == D(100)


def test_bonus_counts_the_highest_level_only(rubric):
    sheet = sheet_for_zhoujiaxiang()
    # the same honour named at 区级, then 市级, then 省级: the highest counts → 7
    sheet["items"]["26"] = {
        "claims": [
            {"project": "充分就业社区", "level": "district"},
            {"project": "充分就业社区", "level": "city"},
            {"project": "充分就业社区", "level": "province"},
        ]
    }
    result = evaluate(rubric, sheet)
    assert result.bonus == D(7)
    # 78.83 + 7 = 85.83
    assert result.total == D("85.83")
    # no honour → no bonus, 78.83 → 合格
    sheet["items"].pop("26")
    result = evaluate(rubric, sheet)
    assert result.bonus == D(0)
    assert result.total == D("78.83")
    assert result.complete


def test_target_items_are_proportional(rubric):
    sheet = sheet_for_zhoujiaxiang()
    # 公积金扩面 target 70, 56 done: 4 × 56 / 70 = 3.2
    sheet["items"]["22"] = {"target": 70, "actual": 56}
    assert evaluate(rubric, sheet).item("22").score == D("3.2")
    # over-achieving does not go beyond the 4 points
    sheet["items"]["21"] = {"target": 60, "actual": 90}
    assert evaluate(rubric, sheet).item("21").score == D(4)
