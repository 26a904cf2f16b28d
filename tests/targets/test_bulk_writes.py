"""targets/bulk.py writes what the ORM would store: every row, NULLs, decimals and times,
whether the rows go one statement per row (SQLite) or many rows per statement (PostgreSQL),
and across statement boundaries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from org.models import Unit
from targets import bulk
from targets.models import Indicator, TargetAllocation

FIELDS = ["year", "indicator", "unit", "target", "sub_target", "updated_at"]


@pytest.fixture(params=["as the database prefers", "many rows per statement"])
def mode(request, monkeypatch):
    if request.param == "many rows per statement":
        monkeypatch.setattr(bulk, "_one_statement_per_row", lambda: False)
    monkeypatch.setattr(bulk, "_MANY_ROWS", 2)  # 5 rows: three statements
    return request.param


def stored():
    return {
        (a.unit.name, a.indicator.name): (a.target, a.sub_target, a.updated_at)
        for a in TargetAllocation.objects.select_related("unit", "indicator")
    }


def test_inserts_and_updates_are_stored_as_the_orm_reads_them(world, mode):
    units = [
        Unit.objects.create(name=f"测试社区{i}", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        for i in range(5)
    ]
    indicator = Indicator.objects.create(name="社保扩面人数")
    now = timezone.now().replace(microsecond=0)
    rows = [
        (2024, indicator.pk, u.pk, Decimal(f"{i}.5"), None if i % 2 else Decimal(i), now)
        for i, u in enumerate(units)
    ]
    assert bulk.insert_rows(TargetAllocation, FIELDS, rows) == 5
    assert stored()[("测试社区1", "社保扩面人数")] == (Decimal("1.5"), None, now)
    assert stored()[("测试社区2", "社保扩面人数")] == (Decimal("2.5"), Decimal(2), now)
    if mode == "many rows per statement" and connection.vendor == "sqlite":
        return  # the UPDATE … FROM (VALUES …) with casts is PostgreSQL's form
    later = now + timezone.timedelta(hours=1)
    by_unit = dict(TargetAllocation.objects.values_list("unit_id", "pk"))
    updates = [
        (by_unit[u.pk], Decimal(100 + i), Decimal(7) if i % 2 else None, later)
        for i, u in enumerate(units)
    ]
    assert bulk.update_rows(TargetAllocation, ["target", "sub_target", "updated_at"], updates) == 5
    after = stored()
    assert after[("测试社区1", "社保扩面人数")] == (Decimal(101), Decimal(7), later)
    assert after[("测试社区2", "社保扩面人数")] == (Decimal(102), None, later)
    assert len(after) == 5
