"""Completion rate: actual ÷ target in percent, half-up; target 0 means no task."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from targets.completion import completion, completion_rate

D = Decimal
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


class TestCompletionRate:
    def test_hutang_community_that_made_30_of_40(self):
        assert completion_rate(D(40), D(30)) == D("75.00")

    def test_over_completion_is_not_capped_but_the_bar_is(self):
        result = completion(D(5), D(6))
        assert result.rate == D("120.00") and result.bar_width == 100

    def test_rounds_half_up_to_two_places(self):
        assert completion_rate(D(8), D(1)) == D("12.50")
        assert completion_rate(D(3), D(2)) == D("66.67")
        assert completion_rate(D(800), D("0.1")) == D("0.01")  # 0.0125 → 0.01
        assert completion_rate(D(400), D("0.1")) == D("0.03")  # 0.025 → 0.03, not banker's 0.02

    def test_target_zero_is_no_task_not_a_division(self):
        # 新建 附件3 gives 区本级 zero targets.
        assert completion(D(0), D(5)).status == "no_task"
        assert completion_rate(D(0), D(0)) is None

    def test_missing_target_or_actual(self):
        assert completion(None, D(1)).status == "no_target"
        assert completion(D(10), None).status == "no_actual"

    @given(target=amounts.filter(lambda d: d > 0), a=amounts, b=amounts)
    def test_rate_grows_with_the_actual(self, target, a, b):
        low, high = sorted((a, b))
        assert completion_rate(target, low) <= completion_rate(target, high)

    @given(target=amounts.filter(lambda d: d > 0))
    def test_meeting_the_target_is_exactly_100(self, target):
        assert completion_rate(target, target) == 100


class TestTargetsAndActualsForRubrics:
    def test_target_and_actual_by_indicator_name(self, world):
        from targets.models import Achievement, Indicator, TargetAllocation
        from targets.selectors import targets_and_actuals

        indicator = Indicator.objects.create(name="技能提升培训", measure="人")
        TargetAllocation.objects.create(
            year=2018, indicator=indicator, unit=world.unit_a, target=450, sub_target=170
        )
        Achievement.objects.create(
            year=2018, indicator=indicator, unit=world.unit_a, actual=400, as_of="2018-12-31"
        )
        found = targets_and_actuals(year=2018, indicator="技能提升培训")
        assert found == {world.unit_a.pk: (D(450), D(170), D(400), None)}
        assert targets_and_actuals(year=2018, indicator="没有这个指标") == {}
