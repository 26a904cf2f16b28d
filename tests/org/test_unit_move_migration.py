"""Units moved from targets to org: a database made before the move keeps every row.

The database is taken back to before the move (org unapplied, so units live in targets'
tables again), filled through the models as they were then, and migrated forward.
"""

from decimal import Decimal

import pytest

from tests.migrating import migrate_to, migrate_to_latest


@pytest.mark.django_db(transaction=True)
class TestUnitsMoveToOrg:
    def test_units_aliases_assignments_foreign_keys_and_content_types_survive(self):
        old = migrate_to([("org", None)])
        assert "unit" in old.get_app_config("targets").models
        Unit = old.get_model("targets", "Unit")
        bureau = Unit.objects.create(
            name="武进区人社局", normalized_name="武进区人社局", kind="bureau"
        )
        town = Unit.objects.create(
            name="湖塘镇", normalized_name="湖塘镇", kind="town", parent=bureau
        )
        village = Unit.objects.create(
            name="淹城社区", normalized_name="淹城社区", kind="community", parent=town
        )
        old.get_model("targets", "UnitAlias").objects.create(unit=town, name="湖塘")
        User = old.get_model("accounts", "User")
        reviewer = User.objects.create(username="hutang", role="reviewer")
        reviewer.units.add(town)
        coordinator_user = User.objects.create(username="yancheng", role="coordinator")
        coordinator_user.units.add(village)
        indicator = old.get_model("targets", "Indicator").objects.create(
            name="新增就业", normalized_name="新增就业"
        )
        old.get_model("targets", "TargetAllocation").objects.create(
            year=2026, indicator=indicator, unit=village, target=Decimal("12")
        )
        coordinator = old.get_model("staff", "Coordinator").objects.create(
            name="王芳", unit=village, user=coordinator_user
        )
        rubric = old.get_model("rubrics", "Rubric").objects.create(
            code="c", title="社区平台", subject="unit"
        )
        cycle = old.get_model("assessments", "Cycle").objects.create(
            title="2026年", year=2026, rubric=rubric, process_weight=0, annual_weight=100
        )
        old.get_model("assessments", "Assessment").objects.create(
            cycle=cycle, unit=village, coordinator=coordinator
        )

        ContentType = old.get_model("contenttypes", "ContentType")
        unit_type, _made = ContentType.objects.get_or_create(app_label="targets", model="unit")

        migrate_to_latest()

        from accounts.models import User as NewUser
        from assessments.models import Assessment
        from org.models import Unit as NewUnit
        from org.models import UnitAlias
        from staff.models import Coordinator
        from targets.models import TargetAllocation

        assert NewUnit._meta.db_table == "org_unit"
        assert list(NewUnit.objects.order_by("pk").values_list("pk", "name", "parent_id")) == [
            (bureau.pk, "武进区人社局", None),
            (town.pk, "湖塘镇", bureau.pk),
            (village.pk, "淹城社区", town.pk),
        ]
        assert list(UnitAlias.objects.values_list("unit_id", "name")) == [(town.pk, "湖塘")]
        assert list(NewUser.objects.get(username="hutang").units.values_list("pk")) == [(town.pk,)]
        assert list(NewUser.objects.get(username="yancheng").units.values_list("pk")) == [
            (village.pk,)
        ]
        assert TargetAllocation.objects.get().unit.name == "淹城社区"
        assert Coordinator.objects.get().unit_id == village.pk
        assert Assessment.objects.get().unit.parent.name == "湖塘镇"
        # Permissions and admin log entries hang on the content type: it moves with the model.
        assert ContentType.objects.get(pk=unit_type.pk).app_label == "org"
