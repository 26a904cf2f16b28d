"""Properties that must hold for every input (hypothesis): scores within 0..max for every
kind, monotone in completion, bonus within its caps, veto always wins, and the total
identity."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from rubrics.engine import evaluate, rubric_from_dict

HALF = D("0.5")

points = st.decimals(min_value="0.1", max_value="20", places=1)
amounts = st.decimals(min_value="0", max_value="5000", places=2)
rates = st.decimals(min_value="0", max_value="150", places=2)
percents = st.decimals(min_value="0", max_value="100", places=2)  # a rate is at most 100 %
counts = st.integers(min_value=0, max_value=60)
tops = st.integers(min_value=1, max_value=20).map(D)


def one_item(kind, top, params, **fields):
    return rubric_from_dict(
        {
            "code": "prop",
            "title": "性质测试",
            "grades": [{"label": "优秀", "min": "90"}, {"label": "合格", "min": "60"}],
            "sections": [
                {
                    "key": "s",
                    "title": "一",
                    "items": [
                        {
                            "key": "x",
                            "title": "项",
                            "max_points": str(top),
                            "kind": kind,
                            "params": params,
                            **fields,
                        }
                    ],
                }
            ],
        }
    )


def score_of(rubric, value):
    return evaluate(rubric, {"subject": "甲", "items": {"x": value}}).item("x").score


@st.composite
def discretionary_case(draw):
    top = draw(tops)
    return "discretionary", top, {}, {"score": str(HALF * draw(st.integers(0, int(top * 2))))}


@st.composite
def per_occurrence_case(draw):
    return "deduct_per_occurrence", draw(tops), {"per": str(draw(points))}, {"count": draw(counts)}


@st.composite
def fixed_case(draw):
    n = draw(st.integers(1, 4))
    deductions = [
        {
            "key": f"d{i}",
            "label": f"情形{i}",
            "points": str(draw(points)),
            "each": draw(st.booleans()),
        }
        for i in range(n)
    ]
    flags = {d["key"]: (draw(counts) if d["each"] else draw(st.booleans())) for d in deductions}
    params = {"deductions": deductions, "zero_if": [{"key": "z", "label": "不得分"}]}
    flags["z"] = draw(st.booleans())
    return "fixed_deductions", draw(tops), params, {"flags": flags}


@st.composite
def checklist_case(draw):
    parts = [
        {"key": f"c{i}", "label": f"项{i}", "points": str(draw(points))}
        for i in range(draw(st.integers(1, 4)))
    ]
    flags = {p["key"]: draw(st.booleans()) for p in parts}
    return "checklist", draw(tops), {"parts": parts}, {"flags": flags}


@st.composite
def target_case(draw):
    kind = draw(st.sampled_from(["all_or_nothing", "proportional"]))
    params = {"zero_target": draw(st.sampled_from(["full", "zero"]))}
    if draw(st.booleans()):
        value = {"rate": str(draw(rates))}
    else:
        value = {"target": str(draw(amounts)), "actual": str(draw(amounts))}
    return kind, draw(tops), params, value


@st.composite
def shortfall_case(draw):
    params = {
        "step": str(draw(points)),
        "points": str(draw(points)),
        "partial": draw(st.sampled_from(["floor", "ceil", "exact"])),
    }
    return (
        "shortfall_step",
        draw(tops),
        params,
        {"target": str(draw(amounts)), "actual": str(draw(amounts))},
    )


@st.composite
def rate_below_case(draw):
    params = {
        "threshold": str(draw(st.decimals(min_value="1", max_value="100", places=1))),
        "points_per_point": str(draw(points)),
        "partial": draw(st.sampled_from(["floor", "exact"])),
    }
    return "rate_below", draw(tops), params, {"rate": str(draw(percents))}


@st.composite
def brackets_case(draw):
    mins = sorted(draw(st.sets(st.integers(0, 100), min_size=1, max_size=6)))
    brackets = [{"min": str(m), "points": str(draw(points))} for m in mins]
    return "brackets", draw(tops), {"brackets": brackets}, {"value": str(draw(percents))}


@st.composite
def composite_case(draw):
    components = [
        {"key": "a", "label": "甲", "max_points": str(draw(tops)), "kind": "proportional"},
        {
            "key": "b",
            "label": "乙",
            "max_points": str(draw(tops)),
            "kind": "proportional",
            "params": {"source": "sub"},
        },
    ]
    value = {f: str(draw(amounts)) for f in ("target", "actual", "sub_target", "sub_actual")}
    return "composite", draw(tops), {"components": components}, value


@st.composite
def level_case(draw):
    kind = draw(st.sampled_from(["highest_level", "additive_bonus"]))
    levels = [
        {"key": f"l{i}", "label": f"级{i}", "points": str(draw(points))}
        for i in range(draw(st.integers(1, 4)))
    ]
    keys = [level["key"] for level in levels]
    n = draw(st.integers(0, 5))
    if kind == "highest_level":
        claims = [
            {"project": f"项目{draw(st.integers(0, 2))}", "level": draw(st.sampled_from(keys))}
            for _ in range(n)
        ]
    else:
        claims = [
            {"level": draw(st.sampled_from(keys)), "count": draw(st.integers(0, 4))}
            for _ in range(n)
        ]
    return kind, draw(tops), {"levels": levels}, {"claims": claims}


@st.composite
def peer_case(draw):
    top = draw(tops)
    ratings = [
        str(HALF * draw(st.integers(0, int(top * 2)))) for _ in range(draw(st.integers(1, 8)))
    ]
    return "peer_average", top, {}, {"ratings": ratings}


@st.composite
def veto_case(draw):
    return "veto", draw(tops), {}, {"passed": draw(st.booleans())}


any_case = st.one_of(
    discretionary_case(),
    per_occurrence_case(),
    fixed_case(),
    checklist_case(),
    target_case(),
    shortfall_case(),
    rate_below_case(),
    brackets_case(),
    composite_case(),
    level_case(),
    peer_case(),
    veto_case(),
)


class TestScoreBounds:
    @settings(max_examples=400, deadline=None)
    @given(case=any_case, bonus=st.booleans())
    def test_score_within_zero_and_max_for_every_kind(self, case, bonus):
        kind, top, params, value = case
        score = score_of(one_item(kind, top, params, bonus=bonus), value)
        assert D(0) <= score <= top

    @settings(deadline=None)
    @given(per=points, n=counts, cap=st.one_of(st.none(), points))
    def test_penalty_is_non_negative_and_within_its_cap(self, per, n, cap):
        params = {"per": str(per), "cap": None if cap is None else str(cap)}
        score = score_of(one_item("penalty", 0, params, penalty=True), {"count": n})
        assert score >= 0
        assert cap is None or score <= cap


class TestMonotone:
    @settings(deadline=None)
    @given(top=tops, target=amounts, actual=amounts, more=amounts)
    def test_proportional_never_decreases_when_actual_rises(self, top, target, actual, more):
        rubric = one_item("proportional", top, {})
        low = score_of(rubric, {"target": str(target), "actual": str(actual)})
        high = score_of(rubric, {"target": str(target), "actual": str(actual + more)})
        assert high >= low

    @settings(deadline=None)
    @given(
        top=tops,
        step=points,
        per=points,
        partial=st.sampled_from(["floor", "ceil", "exact"]),
        target=amounts,
        actual=amounts,
        more=amounts,
    )
    def test_shortfall_step_never_decreases_when_actual_rises(
        self, top, step, per, partial, target, actual, more
    ):
        rubric = one_item(
            "shortfall_step", top, {"step": str(step), "points": str(per), "partial": partial}
        )
        low = score_of(rubric, {"target": str(target), "actual": str(actual)})
        high = score_of(rubric, {"target": str(target), "actual": str(actual + more)})
        assert high >= low


LEVELS = [
    {"key": "province", "label": "省级", "points": "2"},
    {"key": "city", "label": "市级", "points": "1"},
    {"key": "county", "label": "县级", "points": "0.5"},
]


def sheet_rubric(bonus_cap):
    return rubric_from_dict(
        {
            "code": "prop",
            "title": "性质测试",
            "grades": [
                {"label": "优秀", "min": "90"},
                {"label": "合格", "min": "75"},
                {"label": "基本合格", "min": "60"},
            ],
            "veto_grade": "基本合格",
            "bonus_cap": bonus_cap,
            "sections": [
                {
                    "key": "s",
                    "title": "一",
                    "items": [
                        {"key": "v", "title": "否决", "max_points": "5", "kind": "veto"},
                        {"key": "d", "title": "酌情", "max_points": "95", "kind": "discretionary"},
                        {"key": "b1", "title": "表彰", "max_points": "2", "kind": "additive_bonus",
                         "params": {"levels": LEVELS}, "bonus": True},
                        {"key": "b2", "title": "创新", "max_points": "3", "kind": "discretionary", "bonus": True},
                        {"key": "p", "title": "通报", "kind": "penalty", "params": {"per": "2"}},
                    ],
                }
            ],
        }
    )  # fmt: skip


RUBRICS = {cap: sheet_rubric(cap) for cap in (None, "1", "4")}


@st.composite
def sheets(draw):
    claims = [
        {
            "level": draw(st.sampled_from(["province", "city", "county"])),
            "count": draw(st.integers(0, 3)),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return {
        "subject": "甲",
        "items": {
            "v": {"passed": draw(st.booleans())},
            "d": {"score": str(HALF * draw(st.integers(0, 190)))},
            "b1": {"claims": claims},
            "b2": {"score": str(HALF * draw(st.integers(0, 6)))},
            "p": {"count": draw(st.integers(0, 60))},
        },
    }


class TestSheetProperties:
    @settings(deadline=None)
    @given(cap=st.sampled_from(sorted(RUBRICS, key=str)), sheet=sheets())
    def test_bonus_within_the_caps(self, cap, sheet):
        result = evaluate(RUBRICS[cap], sheet)
        assert result.item("b1").score <= 2 and result.item("b2").score <= 3
        assert result.bonus <= 5
        if cap is not None:
            assert result.bonus <= D(cap)

    @settings(deadline=None)
    @given(cap=st.sampled_from(sorted(RUBRICS, key=str)), sheet=sheets())
    def test_failed_veto_always_yields_the_veto_grade(self, cap, sheet):
        sheet["items"]["v"] = {"passed": False}
        result = evaluate(RUBRICS[cap], sheet)
        assert result.grade == "基本合格"
        assert result.veto is not None and result.veto.item_key == "v"
        assert not result.award_eligible

    @settings(deadline=None)
    @given(cap=st.sampled_from(sorted(RUBRICS, key=str)), sheet=sheets())
    def test_total_identity(self, cap, sheet):
        result = evaluate(RUBRICS[cap], sheet)
        base = sum((i.score for i in result.items if not (i.bonus or i.penalty)), D(0))
        assert result.base_total == base
        assert result.penalties == result.item("p").score
        assert result.total == max(D(0), base + result.bonus - result.penalties)
