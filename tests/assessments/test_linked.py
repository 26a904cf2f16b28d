"""Target-linked items read the targets app; staffing facts fill what nobody answered."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import compute, services
from assessments.models import Cycle, ItemScore
from assessments.sides import Side
from targets.models import Achievement, Indicator, TargetAllocation
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db


def hutang_cycle(world):
    rubric = import_seed_rubric("hutang-2014-community")
    cycle = services.cycle_create(
        title="湖塘", year=2014, rubric=rubric, units=[world.unit_a], user=world.users["admin"]
    )
    services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
    services.cycle_step(cycle=cycle, action="open_review", user=world.users["admin"])
    cycle.refresh_from_db()
    return cycle


class TestTargetLinkedItems:
    def test_shebao_item_scores_from_the_target_table_and_follows_a_new_actual(self, world):
        cycle = hutang_cycle(world)
        indicator = Indicator.objects.create(name="社保扩面人数", measure="人")
        # 湖塘 附件1: 淹城社区 has a 社保扩面 target of 40.
        TargetAllocation.objects.create(
            year=2014, indicator=indicator, unit=world.unit_a, target=40
        )
        achievement = Achievement.objects.create(
            year=2014, indicator=indicator, unit=world.unit_a, actual=30, as_of=date(2014, 12, 31)
        )
        sheet = cycle.assessments.select_related("cycle__rubric", "unit__parent").get()
        sheet.state = "submitted"
        sheet.save()
        from assessments.linked import linked_inputs

        outcome = services.sheet_save(
            sheet=sheet,
            user=world.users["reviewer_a"],
            side="review",
            inputs={"4": {"score": "3"}},
            notes={},
            expected_version=sheet.version,
            linked=linked_inputs(sheet),
        )
        assert outcome.saved, outcome.errors
        score = ItemScore.objects.get(assessment=sheet, item__key="21", side=Side.REVIEW)
        # Item 21 is worth 4 points, 未完成指标按实际情况给分: 4 × 30 / 40 = 3.
        assert score.score == Decimal("3")
        assert "完成 30" in score.explanation
        # The town reports more people later; computing uses the current actual: 4 × 40/40 = 4.
        achievement.actual = 40
        achievement.save()
        compute.cycle_compute(cycle=Cycle.objects.get(pk=cycle.pk), user=None)
        result = cycle.results.get()
        assert result.detail["phases"]["annual"]["scores"]["21"] == "4.00"

    def test_a_target_without_an_actual_does_not_block_the_save(self, world):
        cycle = hutang_cycle(world)
        indicator = Indicator.objects.create(name="社保扩面人数", measure="人")
        TargetAllocation.objects.create(
            year=2014, indicator=indicator, unit=world.unit_a, target=40
        )
        sheet = cycle.assessments.select_related("cycle__rubric", "unit__parent").get()
        sheet.state = "submitted"
        sheet.save()
        from assessments.linked import linked_inputs

        outcome = services.sheet_save(
            sheet=sheet,
            user=world.users["reviewer_a"],
            side="review",
            inputs={"4": {"score": "3"}},
            notes={},
            expected_version=sheet.version,
            linked=linked_inputs(sheet),
        )
        assert outcome.saved
        assert not ItemScore.objects.filter(assessment=sheet, item__key="21").exists()
