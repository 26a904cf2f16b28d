"""Pages run a fixed number of queries, whatever the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Change, Cycle, Result, ResultVersion
from org.models import Unit
from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


class TestReviewerSheetPage:
    def test_31_item_sheet_runs_the_same_few_queries_empty_or_filled(self, world, client_for):
        rubric = import_seed_rubric("changzhou-village")  # 31 items
        cycle = services.cycle_create(
            title="村级", year=2026, rubric=rubric, units=[world.unit_a], user=world.users["admin"]
        )
        services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
        sheet = Assessment.objects.select_related("cycle__rubric", "unit__parent").get(cycle=cycle)
        sheet.state = Assessment.State.SUBMITTED
        sheet.save()
        client = client_for("reviewer_a")
        url = reverse("assessments:sheet_review", args=[sheet.pk])
        count(client, url)  # the first view of a frozen rubric parses and caches it
        empty = count(client, url)
        parsed = engine_rubric_for(rubric)
        from assessments.sheet_page import read_form

        inputs, notes = read_form(parsed, best_answers(parsed, "r"), "review")
        assert services.sheet_save(
            sheet=sheet,
            user=world.users["admin"],
            side="review",
            inputs=inputs,
            notes={k: "已核实" for k in inputs},
            expected_version=sheet.version,
        ).saved
        filled = count(client, url)
        assert empty == filled
        assert filled <= 15


class TestResultsPage:
    def results_for(self, world, n):
        cycle = world.cycle
        Result.objects.filter(cycle=cycle).delete()
        units = Unit.objects.bulk_create(
            Unit(
                name=f"社区{n}-{i:04d}",
                normalized_name=f"社区{n}-{i:04d}",
                kind=Unit.Kind.COMMUNITY,
                parent=world.town_a,
            )
            for i in range(n)
        )
        Result.objects.bulk_create(
            Result(
                cycle=cycle,
                unit=u,
                town_name="湖塘镇",
                base_total=Decimal("90"),
                bonus=0,
                penalties=0,
                total=Decimal("90"),
                rank=i + 1,
                grade_before_quota="优秀",
                grade="优秀",
                subsidy_percent=Decimal("120"),
                detail={},
                flags=[],
            )
            for i, u in enumerate(units)
        )
        Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.PUBLISHED)
        return reverse("assessments:results", args=[cycle.pk])

    def test_query_count_does_not_grow_from_10_to_1000_units(self, world, client_for):
        client = client_for("admin")
        small = count(client, self.results_for(world, 10))
        large = count(client, self.results_for(world, 1000))
        assert small == large
        assert large <= 15


class TestResultsHistoryPage:
    """Two versions of n units each, every unit changed, one reopening between them."""

    def history_for(self, world, n):
        cycle = world.cycle
        Result.all_versions.filter(cycle=cycle).delete()
        ResultVersion.objects.filter(cycle=cycle).delete()
        units = Unit.objects.bulk_create(
            Unit(
                name=f"历史{n}-{i:04d}",
                normalized_name=f"历史{n}-{i:04d}",
                kind=Unit.Kind.COMMUNITY,
                parent=world.town_a,
            )
            for i in range(n)
        )
        admin = world.users["admin"]
        for number, total in ((1, "88"), (2, "91")):
            ResultVersion.objects.create(
                cycle=cycle, number=number, computed_by=admin, computed_at=timezone.now()
            )
            if number == 2:
                Change.objects.create(cycle=cycle, user=admin, what=Change.REOPENED, reason="复核")
            Result.objects.filter(cycle=cycle).update(current=False)
            Result.objects.bulk_create(
                Result(
                    cycle=cycle,
                    version=number,
                    unit=u,
                    town_name="湖塘镇",
                    base_total=Decimal(total),
                    bonus=0,
                    penalties=0,
                    total=Decimal(total) - i,
                    rank=i + 1,
                    grade_before_quota="合格",
                    grade="合格",
                    subsidy_percent=Decimal("100"),
                    detail={},
                    flags=[],
                )
                for i, u in enumerate(units)
            )
        return reverse("assessments:results_history", args=[cycle.pk])

    def test_query_count_does_not_grow_from_10_to_500_units(self, world, client_for):
        client = client_for("admin")
        small = count(client, self.history_for(world, 10))
        large = count(client, self.history_for(world, 500))
        assert small == large
        # 12 for the page, 1 for the header's unread-notice count.
        assert large <= 13
