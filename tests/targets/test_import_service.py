"""The two-phase import: preview (new / changed / unchanged, warnings), then all or nothing."""

from decimal import Decimal

import pytest

from org.models import Unit
from targets.importing import ACTUALS, ImportRefused, commit_import, preview_import, run_import
from targets.models import Achievement, ImportBatch, ImportChange, TargetAllocation
from tests.targets.helpers import D, allocations, database_snapshot, xlsx

HEADER = [["2024年测试目标分解表"], ["序号", "单位", "社保扩面人数", "公积金扩面人数"]]


def table(*rows, total=None):
    body = [list(r) for r in rows]
    if total is not None:
        body.append(["合计", None, *total])
    return xlsx(HEADER + body)


@pytest.fixture
def units(world):
    Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    return world


def run(data, **options):
    options.setdefault("year", 2024)
    return run_import(data=data, file_name="t.xlsx", **options)


class TestPreview:
    def test_first_import_lists_every_value_as_new_and_writes_nothing(self, units):
        preview = preview_import(
            data=table([1, "淹城社区", 40, 50], [2, "何留社区", 5, 5]),
            file_name="t.xlsx",
            year=2024,
        )
        assert preview.errors == []
        assert preview.counts == {"new": 4, "changed": 0, "unchanged": 0}
        assert TargetAllocation.objects.count() == 0

    def test_reimport_shows_changed_with_old_and_new_and_unchanged(self, units):
        run(table([1, "淹城社区", 40, 50], [2, "何留社区", 5, 5]))
        preview = preview_import(
            data=table([1, "淹城社区", 45, 50], [2, "何留社区", 5, 5]),
            file_name="t.xlsx",
            year=2024,
        )
        assert preview.counts == {"new": 0, "changed": 1, "unchanged": 3}
        changed = next(r for r in preview.rows if r.action == "changed")
        assert (changed.unit.name, changed.old_value, changed.new_value) == ("淹城社区", 40, 45)

    def test_another_year_is_new_again(self, units):
        run(table([1, "淹城社区", 40, 50]))
        preview = preview_import(data=table([1, "淹城社区", 40, 50]), file_name="t.xlsx", year=2025)
        assert preview.counts["new"] == 2


class TestCommit:
    def test_values_are_written_and_the_batch_records_every_change(self, units, world):
        run(table([1, "淹城社区", 40, 50], [2, "何留社区", 5, 5]), user=world.users["admin"])
        _preview, batch = run(table([1, "淹城社区", 45, 50], [2, "何留社区", 5, 5]))
        assert allocations(2024)[("淹城社区", "社保扩面人数")] == (D(45), None)
        assert (batch.new_count, batch.changed_count, batch.unchanged_count) == (0, 1, 3)
        change = ImportChange.objects.get(batch=batch)
        assert (change.unit.name, change.old_value, change.new_value) == ("淹城社区", 40, 45)
        first = ImportBatch.objects.order_by("id").first()
        assert first.created_by == world.users["admin"] and first.changes.count() == 4

    def test_commit_refuses_a_preview_with_errors(self, units):
        preview = preview_import(data=table([1, "不存在社区", 1, 1]), file_name="t.xlsx", year=2024)
        with pytest.raises(ImportRefused):
            commit_import(preview=preview)
        assert TargetAllocation.objects.count() == 0

    def test_one_bad_cell_among_good_ones_writes_nothing(self, units):
        before = database_snapshot()
        preview, batch = run(table([1, "淹城社区", 40, 50], [2, "何留社区", "五", 5]))
        assert batch is None and len(preview.errors) == 1
        assert database_snapshot() == before

    def test_sub_targets_in_parentheses_are_stored_apart(self, units):
        run(table([1, "淹城社区", "15000\n(7500)", "100 （５０）"]))
        stored = allocations(2024)
        assert stored[("淹城社区", "社保扩面人数")] == (D(15000), D(7500))
        assert stored[("淹城社区", "公积金扩面人数")] == (D(100), D(50))


class TestUnits:
    def test_unknown_unit_is_an_error_naming_the_closest_names(self, units):
        before = database_snapshot()
        preview, _ = run(table([1, "淹成社区", 40, 50]))
        assert len(preview.errors) == 1
        assert preview.errors[0].startswith(
            "工作表「Sheet1」第 3 行 B 列：单位「淹成社区」不在系统中。最接近的有：「淹城社区」"
        )
        assert database_snapshot() == before

    def test_create_units_adds_the_unknown_unit_beside_the_known_ones(self, units, world):
        preview, batch = run(
            table([1, "淹城社区", 40, 50], [2, "新湖社区", 3, 4]), create_units=True
        )
        assert batch is not None
        created = Unit.objects.get(name="新湖社区")
        assert (created.parent, created.kind) == (world.town_a, Unit.Kind.COMMUNITY)
        assert allocations(2024)[("新湖社区", "公积金扩面人数")] == (D(4), None)

    def test_stretched_names_and_aliases_match(self, units, world):
        world.unit_a.aliases.create(name="淹城居委会")
        preview, batch = run(table([1, "淹 城 社 区", 40, 50], [2, "淹城居委会", 1, 1]))
        assert batch is None
        assert "重复出现" in preview.errors[0] and "第 3 行" in preview.errors[0]

    def test_two_rows_for_the_same_unit_is_an_error_naming_both_rows(self, units):
        before = database_snapshot()
        preview, _ = run(table([1, "淹城社区", 40, 50], [2, "淹城社区", 41, 50]))
        assert len(preview.errors) == 2
        assert preview.errors[0].startswith("工作表「Sheet1」第 4 行 B 列：单位「淹城社区」")
        assert "另见工作表「Sheet1」第 3 行 C 列" in preview.errors[0]
        assert database_snapshot() == before


class TestActuals:
    def test_actuals_import_fills_achievements_with_source_and_date(self, units, world):
        run(table([1, "淹城社区", 40, 50]))
        from datetime import date

        _p, batch = run(
            table([1, "淹城社区", 38, 51]),
            mode=ACTUALS,
            user=world.users["admin"],
            as_of=date(2024, 6, 30),
        )
        achievement = Achievement.objects.get(indicator__name="社保扩面人数")
        assert achievement.actual == Decimal(38)
        assert (achievement.source, achievement.as_of) == ("t.xlsx", date(2024, 6, 30))
        assert achievement.entered_by == world.users["admin"]
        assert batch.kind == "actuals" and TargetAllocation.objects.get(
            indicator__name="社保扩面人数"
        ).target == Decimal(40)

    def test_actuals_for_an_unknown_indicator_are_refused(self, units):
        preview, batch = run(table([1, "淹城社区", 38, 51]), mode=ACTUALS)
        assert batch is None
        assert "还没有" in preview.errors[0]
