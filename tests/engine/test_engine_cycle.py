"""Cycle-level steps: N/A averages, ranking, the quota, phase weighting, subsidies.
Names are listed in code-point order; the tests use A镇, B镇… so that order is plain."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from rubrics.engine import (
    SheetInputError,
    apply_quota,
    evaluate,
    evaluate_cycle,
    rank,
    subsidy_amounts,
    weight_phases,
)


@pytest.fixture(scope="module")
def na_rubric(build):
    return build.make(
        build.item("1", "discretionary", "10", title="退捕渔民", na_policy="average"),
        build.item("2", "discretionary", "5", title="台账"),
    )


def na_sheet(name, first, second="5", town=None):
    items = {"2": {"score": second}}
    if first == "na":
        items["1"] = {"na": True}
    elif first is not None:
        items["1"] = {"score": first}
    return {"subject": name, "town": town, "items": items}


class TestEvaluateCycle:
    def test_na_gets_the_mean_of_sheets_with_the_task(self, na_rubric):
        cycle = evaluate_cycle(
            na_rubric, [na_sheet("A镇", "8"), na_sheet("B镇", "6"), na_sheet("C镇", "na")]
        )
        # (8 + 6) / 2 = 7
        assert cycle.na_averages == {"1": D(7)}
        c = cycle.results[2]
        assert (c.item("1").score, c.item("1").status) == (D(7), "na_average")
        assert c.item("1").explanation == "本单位无此项任务，得平均分 7 分"
        assert c.total == D(12)  # 7 + 5
        assert c.complete
        assert [r.total for r in cycle.results[:2]] == [D(13), D(11)]

    def test_mean_rounded_half_up(self, na_rubric):
        sheets = [
            na_sheet("A镇", "1"),
            na_sheet("B镇", "1"),
            na_sheet("C镇", "0.5"),
            na_sheet("D镇", "na"),
        ]
        # (1 + 1 + 0.5) / 3 = 0.8333… → 0.83
        assert evaluate_cycle(na_rubric, sheets).results[3].item("1").score == D("0.83")

    def test_missing_entries_do_not_count_towards_the_mean(self, na_rubric):
        sheets = [na_sheet("A镇", "8"), na_sheet("B镇", None), na_sheet("C镇", "na")]
        cycle = evaluate_cycle(na_rubric, sheets)
        assert cycle.results[2].item("1").score == D(8)
        assert cycle.results[1].missing == ["1"]

    def test_no_sheet_with_the_task_scores_zero_and_flags(self, na_rubric):
        cycle = evaluate_cycle(na_rubric, [na_sheet("A镇", "na"), na_sheet("B镇", "na")])
        assert cycle.na_averages == {}
        assert [r.item("1").score for r in cycle.results] == [D(0), D(0)]
        assert cycle.flags == [
            "第 1 项「退捕渔民」：本周期没有承担此项任务的单位，不适用的单位按 0 分计"
        ]
        assert cycle.results[0].flags == [
            "第 1 项「退捕渔民」：本周期没有承担此项任务的单位，无法计算平均分，按 0 分计"
        ]

    def test_input_errors_of_every_sheet_name_the_subject(self, na_rubric):
        sheets = [na_sheet("A镇", "11"), na_sheet("B镇", "8", second="abc")]
        with pytest.raises(SheetInputError) as caught:
            evaluate_cycle(na_rubric, sheets)
        assert caught.value.messages == [
            "A镇：第 1 项「退捕渔民」：得分「11」超过满分 10 分",
            "B镇：第 2 项「台账」：得分「abc」不是数字",
        ]

    def test_two_sheets_for_one_subject_refused(self, na_rubric):
        sheets = [na_sheet("A镇", "8", town="X"), na_sheet("A镇", "7", town="X")]
        with pytest.raises(SheetInputError, match="「A镇」（X）有两份评分表"):
            evaluate_cycle(na_rubric, sheets)
        # the same name in two towns is two subjects (two coordinators called the same)
        sheets[1]["town"] = "Y"
        assert len(evaluate_cycle(na_rubric, sheets).results) == 2

    def test_to_dict(self, na_rubric):
        data = evaluate_cycle(na_rubric, [na_sheet("A镇", "8"), na_sheet("B镇", "na")]).to_dict()
        assert data["na_averages"] == {"1": "8.00"}
        assert data["results"][1]["items"][0]["status"] == "na_average"


@pytest.fixture(scope="module")
def ranked_rubric(build):
    """One discretionary item of 100 points and a zero-point veto; 优秀 30%, enforced."""
    data = build.rubric_dict(
        build.item("1", "discretionary", "100", title="得分"),
        build.item("v", "veto", "0", title="否决"),
        quota={"grade": "优秀", "percent": "30", "scope": "cycle", "enforced": True},
    )
    from rubrics.engine import rubric_from_dict

    return rubric_from_dict(data)


def result(rubric, name, total, passed=True, town=None):
    sheet = {
        "subject": name,
        "town": town,
        "items": {"1": {"score": str(total)}, "v": {"passed": passed}},
    }
    return evaluate(rubric, sheet)


class TestRank:
    def test_ties_share_a_rank_and_are_listed_by_name(self, ranked_rubric):
        results = [
            result(ranked_rubric, "D镇", 80),
            result(ranked_rubric, "C镇", 85),
            result(ranked_rubric, "A镇", 90),
            result(ranked_rubric, "B镇", 85),
        ]
        ranked = rank(results)
        assert [(r.rank, r.result.subject) for r in ranked] == [
            (1, "A镇"),
            (2, "B镇"),
            (2, "C镇"),
            (4, "D镇"),
        ]

    def test_vetoed_rank_after_every_passed_sheet(self, ranked_rubric):
        results = [
            result(ranked_rubric, "A镇", 99, passed=False),
            result(ranked_rubric, "B镇", 70),
            result(ranked_rubric, "C镇", 60, passed=False),
        ]
        ranked = rank(results)
        assert [(r.rank, r.result.subject) for r in ranked] == [(1, "B镇"), (2, "A镇"), (3, "C镇")]


def ten(rubric, totals, town=None):
    names = [f"{chr(ord('A') + n)}镇" for n in range(len(totals))]
    return rank(
        [result(rubric, name, total, town=town) for name, total in zip(names, totals, strict=True)]
    )


class TestApplyQuota:
    def test_ten_units_thirty_percent_keep_three(self, ranked_rubric):
        # 5 at 优秀 (≥ 90); ⌊30 × 10 / 100⌋ = 3 keep it; the 4th and 5th move down one band
        decisions = apply_quota(
            ranked_rubric, ten(ranked_rubric, [99, 98, 97, 96, 95, 80, 80, 80, 70, 60])
        )
        assert [d.grade_after for d in decisions[:6]] == [
            "优秀",
            "优秀",
            "优秀",
            "合格",
            "合格",
            "合格",
        ]
        assert [d.grade_before for d in decisions[3:5]] == ["优秀", "优秀"]
        assert decisions[3].reason == (
            "优秀名额 3 个（10 个单位的 30%），排名第 4 位超出名额，由优秀调整为合格"
        )
        assert decisions[3].subsidy_percent == D(100)  # 合格's, no longer 优秀's 120
        assert not any(d.flagged for d in decisions)
        assert all(d.reason == "" for d in decisions[:3] + decisions[5:])

    def test_tie_straddling_the_boundary_is_flagged_and_not_broken_by_name(self, ranked_rubric):
        # 99, 98, then C镇 and D镇 both 97 and no tie rule: one place for the two of them;
        # neither moves by name order, both wait for the administrator's decision
        decisions = apply_quota(
            ranked_rubric, ten(ranked_rubric, [99, 98, 97, 97, 95, 80, 80, 80, 70, 60])
        )
        by_name = {d.subject: d for d in decisions}
        assert by_name["C镇"].grade_after == "优秀"
        assert by_name["D镇"].grade_after == "优秀"
        assert by_name["C镇"].flagged_tie and by_name["D镇"].flagged_tie
        assert by_name["C镇"].beyond and by_name["D镇"].beyond
        assert "争 1 个名额" in by_name["C镇"].reason
        assert "请管理员逐一决定" in by_name["D镇"].reason
        assert by_name["E镇"].grade_after == "合格"  # 95 is plainly beyond the allowance
        assert not by_name["E镇"].flagged_tie
        assert not by_name["B镇"].flagged

    def test_tie_that_fits_is_not_flagged(self, ranked_rubric):
        decisions = apply_quota(
            ranked_rubric, ten(ranked_rubric, [99, 97, 97, 95, 80, 80, 80, 80, 70, 60])
        )
        # 99, 97, 97 fit in 3; 95 moves; nobody tied across the boundary
        assert [d.grade_after for d in decisions[:4]] == ["优秀", "优秀", "优秀", "合格"]
        assert not any(d.flagged_tie for d in decisions)

    def test_advisory_quota_flags_only(self, build, ranked_rubric):
        from dataclasses import replace

        advisory = replace(ranked_rubric, quota=replace(ranked_rubric.quota, enforced=False))
        decisions = apply_quota(advisory, ten(advisory, [99, 98, 97, 96, 95, 80, 80, 80, 70, 60]))
        assert [d.grade_after for d in decisions[:5]] == ["优秀"] * 5
        assert [d.flagged for d in decisions[:6]] == [False, False, False, True, True, False]
        assert decisions[3].reason == (
            "优秀一般不超过 3 个（10 个单位的 30%），排名第 4 位超出名额，仍为优秀，"
            "请管理员决定保持或调整"
        )

    def test_town_scope_counts_each_town(self, ranked_rubric):
        from dataclasses import replace

        by_town = replace(ranked_rubric, quota=replace(ranked_rubric.quota, scope="town"))
        # 4 sheets per town, 30% → ⌊1.2⌋ = 1 per town
        ranked = rank(
            [
                result(by_town, f"{t}{n}", total, town=t)
                for t in ("东陈镇", "丁堰镇")
                for n, total in enumerate((99, 95, 80, 70))
            ]
        )
        decisions = {d.subject: d for d in apply_quota(by_town, ranked)}
        assert (
            decisions["东陈镇0"].grade_after == "优秀"
            and decisions["丁堰镇0"].grade_after == "优秀"
        )
        assert (
            decisions["东陈镇1"].grade_after == "合格"
            and decisions["丁堰镇1"].grade_after == "合格"
        )
        assert decisions["东陈镇1"].reason.startswith("东陈镇优秀名额 1 个（4 个单位的 30%）")

    def test_without_quota_nothing_changes(self, build):
        rubric = build.make(build.item("1", "discretionary", "100"))
        ranked = rank(
            [evaluate(rubric, {"subject": s, "items": {"1": {"score": "95"}}}) for s in "AB"]
        )
        decisions = apply_quota(rubric, ranked)
        assert [(d.grade_before, d.grade_after, d.flagged) for d in decisions] == [
            ("优秀", "优秀", False)
        ] * 2


class TestWeightPhases:
    def test_thirty_seventy(self):
        # 30% × 80 + 70% × 90 = 24 + 63 = 87
        outcome = weight_phases(
            {"process": D(80), "annual": D(90)}, {"process": D(30), "annual": D(70)}
        )
        assert outcome.total == D(87)
        assert outcome.flags == []

    def test_fractions_work_the_same(self):
        outcome = weight_phases(
            {"process": D(80), "annual": D(90)}, {"process": D("0.3"), "annual": D("0.7")}
        )
        assert outcome.total == D(87)

    def test_missing_phase_rescales_and_flags(self):
        outcome = weight_phases({"process": None, "annual": D(90)}, {"process": 30, "annual": 70})
        assert outcome.total == D(90)
        assert outcome.flags == ["缺少过程考核"]
        assert outcome.weights_used == {"annual": D(100)}
        outcome = weight_phases({"process": D(80)}, {"process": 30, "annual": 70})
        assert outcome.total == D(80)
        assert outcome.flags == ["缺少年度考核"]

    def test_every_phase_missing(self):
        outcome = weight_phases({"process": None, "annual": None}, {"process": 30, "annual": 70})
        assert outcome.total is None
        assert outcome.flags == ["缺少过程考核", "缺少年度考核"]

    def test_rounded_half_up(self):
        # 30% × 80.30 + 70% × 92.07 = 24.09 + 64.449 = 88.539 → 88.54
        outcome = weight_phases(
            {"process": D("80.30"), "annual": D("92.07")}, {"process": 30, "annual": 70}
        )
        assert outcome.total == D("88.54")

    def test_phase_without_weight_refused(self):
        with pytest.raises(ValueError, match="没有权重"):
            weight_phases({"midterm": D(80)}, {"process": 30, "annual": 70})


def payee(name, grade, percent):
    return SimpleNamespace(subject=name, town=None, grade=grade, subsidy_percent=D(percent))


class TestSubsidyAmounts:
    def test_xinjian_window_ninety_percent(self):
        # 9万元 × 90% = 81000; 优秀 100% → 90000; 合格 70% → 63000
        outcome = subsidy_amounts(
            [
                payee("松湖镇", "良好", 90),
                payee("石岗镇", "优秀", 100),
                payee("流湖镇", "合格", 70),
            ],
            90000,
        )
        assert outcome.amounts == {"松湖镇": D(81000), "石岗镇": D(90000), "流湖镇": D(63000)}
        assert outcome.total == D(234000)

    def test_changzhou_120_percent_of_the_average_standard(self):
        # average standard 2500: 优秀 120% → 3000; 合格 → 2500; 基本合格 → 0
        outcome = subsidy_amounts(
            [payee("甲", "优秀", 120), payee("乙", "合格", 100), payee("丙", "基本合格", 0)], "2500"
        )
        assert [line.amount for line in outcome.lines] == [D(3000), D(2500), D(0)]

    def test_rounded_to_the_yuan_and_both_sums_reported(self):
        # 1234.5 × 90% = 1111.05 → 1111; × 70% = 864.15 → 864; × 120% = 1481.4 → 1481
        outcome = subsidy_amounts(
            [payee("甲", "良好", 90), payee("乙", "合格", 70), payee("丙", "优秀", 120)],
            D("1234.5"),
        )
        assert [line.amount for line in outcome.lines] == [D(1111), D(864), D(1481)]
        assert outcome.total == D(3456)  # 1111 + 864 + 1481
        assert outcome.unrounded_total == D("3456.60")  # 1111.05 + 864.15 + 1481.40

    def test_half_yuan_rounds_up(self):
        # 1001 × 50% = 500.5 → 501 (half-up, not to even)
        assert subsidy_amounts([payee("甲", "x", 50)], D("1001")).total == D(501)

    def test_uses_the_grade_after_the_quota(self, ranked_rubric):
        decisions = apply_quota(
            ranked_rubric, ten(ranked_rubric, [99, 98, 97, 96, 95, 80, 80, 80, 70, 60])
        )
        outcome = subsidy_amounts(decisions, 2500)
        # 99, 98, 97 stay 优秀 → 3000 each; 96 and 95 moved down to 合格 and the first 80 → 2500
        assert [line.amount for line in outcome.lines[:6]] == [D(3000)] * 3 + [D(2500)] * 3
