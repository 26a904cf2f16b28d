"""A filled 常州 community sheet, scored by hand (seed 001, 附件2)."""

from decimal import Decimal as D

# Review inputs of 淹城社区; each item's score is worked out in its comment.
YANCHENG_INPUTS = {
    "subject": "淹城社区",
    "town": "湖塘镇",
    "items": {
        # 一、社区平台建设: five vetoes passed, 3 points each = 15
        "1": {"passed": True},
        "2": {"passed": True},
        "3": {"passed": True},
        "4": {"passed": True},
        "5": {"passed": True},
        # 二、社区基础信息管理: 2.5 + 3 + 3.5 = 9
        "6": {"score": "2.5"},
        "7": {"score": "3"},
        "8": {"score": "3.5"},
        # 三、促进就业创业: 2 + 3 + 0 + 3 + 1.5 + 2 + 4 + 2 = 17.5
        "9": {"score": "2"},
        "10": {"flags": {}},  # nothing wrong: 3
        "11": {"flags": {"no_ledger": True}},  # 未设立台帐扣3分: 3 − 3 = 0
        "12": {"score": "3"},
        "13": {"score": "1.5"},
        "14": {"flags": {"irregular_visits": True}},  # 不定期走访扣1分: 2
        "15": {"score": "4"},
        "16": {"flags": {"late": True}},  # 办理不及时扣2分: 4 − 2 = 2
        # 四、退休人员社会化管理: 3 + 3 + 1.5 + 3 = 10.5
        "17": {"flags": {}},
        "18": {"flags": {}},
        "19": {"flags": {"no_health_file": True}},  # 未设立健康档案扣1.5分: 1.5
        "20": {"flags": {}},
        # 五、指导劳动关系协理监察: 1 + 3 + 2.5 + 4 + 3 + 1 = 14.5
        "21": {"flags": {"ledger_substandard": True}},  # 台账不合要求得1分
        "22": {"value": 92},  # 采集率 92% ≥ 90%: 3
        "23": {"score": "2.5"},
        "24": {"score": "4"},
        "25": {"score": "3"},
        "26": {"flags": {"reported": True, "as_required": False}},  # 有但不规范: 1
        # 六、其他: 3.5 + 4 + 2 + (3 + 4 + 3.5) / 3 = 3.5 + 4 + 2 + 3.5 = 13
        "27": {"score": "3.5"},
        "28": {"score": "4"},
        "29": {"score": "2"},
        "30": {"ratings": ["3", "4", "3.5"]},
    },
}
# 15 + 9 + 17.5 + 10.5 + 14.5 + 13 = 79.5 → 合格 (75 ≤ 79.5 < 90)
YANCHENG_SUBTOTALS = ["15", "9", "17.5", "10.5", "14.5", "13"]
YANCHENG_TOTAL = D("79.5")


def yancheng_self_scores(rubric):
    """The community claimed every point except item 11 (1 of 3): 100 − 3 + 1 = 98."""
    scores = {item.key: item.max_points for item in rubric.items}
    scores["11"] = D("1")
    return scores
