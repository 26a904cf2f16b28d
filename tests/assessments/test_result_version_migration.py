"""Migrations 0006–0007: results stored before versioning become version 1, every row kept,
with the version record naming who computed them and when; earlier reopenings are marked."""

import datetime

import pytest
from django.utils import timezone

from assessments import compute, services
from tests.migrating import migrate_to, migrate_to_latest

APP = "assessments"
BEFORE = [(APP, "0005_drop_side_columns")]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def migrator():
    yield migrate_to
    migrate_to_latest()


def rows(apps) -> list:
    fields = ("id", "cycle_id", "unit_id", "total", "rank", "grade", "detail")
    return list(apps.get_model(APP, "Result").objects.order_by("id").values_list(*fields))


class TestExistingResults:
    def test_existing_results_become_version_1_of_their_cycle(self, world, migrator):
        cycle_pk, admin_pk = world.cycle.pk, world.users["admin"].pk
        empty = services.cycle_create(
            title="未计算", year=2026, rubric=world.cycle.rubric, units=[world.unit_a], user=None
        )
        old = migrator(BEFORE)
        Cycle = old.get_model(APP, "Cycle")
        Change = old.get_model(APP, "Change")
        at = timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 30))
        Cycle.objects.filter(pk=cycle_pk).update(computed_at=at)
        reopened = Change.objects.create(
            cycle_id=cycle_pk,
            user_id=admin_pk,
            what="cycle_state",
            old="已定稿",
            new="审核中",
            reason="第 6 项复核有误",
        )
        opened = Change.objects.create(
            cycle_id=cycle_pk, what="cycle_state", old="准备中", new="自评中"
        )
        stored = rows(old)
        assert stored

        new = migrator([(APP, "0007_first_result_versions")])
        assert rows(new) == stored
        Result = new.get_model(APP, "Result")
        assert set(Result.objects.values_list("version", "current")) == {(1, True)}
        versions = list(
            new.get_model(APP, "ResultVersion").objects.values_list(
                "cycle_id", "number", "computed_by_id", "computed_at"
            )
        )
        assert versions == [(cycle_pk, 1, admin_pk, at)]  # none for the cycle never computed
        assert empty.pk not in [v[0] for v in versions]
        Change = new.get_model(APP, "Change")
        assert Change.objects.get(pk=reopened.pk).what == "cycle_reopened"
        assert Change.objects.get(pk=opened.pk).what == "cycle_state"

    def test_going_back_refuses_to_drop_superseded_results(self, world, migrator):
        compute.cycle_compute(cycle=world.cycle, user=world.users["admin"])
        with pytest.raises(RuntimeError, match="Superseded results exist"):
            migrator(BEFORE)
        current = migrate_to_latest()
        assert current.get_model(APP, "Result").objects.filter(current=False).exists()
