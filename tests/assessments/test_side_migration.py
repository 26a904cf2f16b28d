"""The move from self_*/review_* columns to one score row per side (migrations 0003–0005):
scores, totals, history and results keep their values, forward and back."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import migrate_to, migrate_to_latest

APP = "assessments"
FIRST = "0003_side_rows"  # the first migration of the move
LAST = "0005_drop_side_columns"  # the last one
FIELDS = ("input", "score", "explanation", "note")

pytestmark = pytest.mark.django_db(transaction=True)


def _executor():
    return MigrationExecutor(connection)


def _before():
    """The assessments migration the move starts from."""
    graph = _executor().loader.graph
    (parent,) = [p for p in graph.node_map[(APP, FIRST)].parents if p.key[0] == APP]
    return [parent.key]


@pytest.fixture
def migrator():
    """Migrate assessments back and forth; always leaves the database at the newest state."""
    yield migrate_to
    migrate_to_latest()


def old_sides(apps) -> dict:
    """{(sheet, item, side): (input, score, explanation, note)} from the old columns, for
    every side that holds something."""
    out = {}
    for row in apps.get_model(APP, "ItemScore").objects.all():
        for side in ("self", "review"):
            values = tuple(getattr(row, f"{side}_{f}") for f in FIELDS)
            if values[0] is not None or values[1] is not None or values[2] or values[3]:
                out[(row.assessment_id, row.item_id, side)] = values
    return out


def new_sides(apps) -> dict:
    return {
        (row.assessment_id, row.item_id, row.side): tuple(getattr(row, f) for f in FIELDS)
        for row in apps.get_model(APP, "ItemScore").objects.all()
    }


def old_totals(apps) -> dict:
    out = {}
    for pk, mine, theirs in apps.get_model(APP, "Assessment").objects.values_list(
        "pk", "self_total", "review_total"
    ):
        out.update({(pk, s): t for s, t in (("self", mine), ("review", theirs)) if t is not None})
    return out


def new_totals(apps) -> dict:
    return {
        (pk, side): total
        for pk, side, total in apps.get_model(APP, "SideTotal").objects.values_list(
            "assessment_id", "side", "total"
        )
    }


def history(apps) -> list:
    return list(
        apps.get_model(APP, "Change")
        .objects.order_by("id")
        .values_list("id", "assessment_id", "item_id", "what", "old", "new", "sheet_version")
    )


def results(apps) -> list:
    return list(apps.get_model(APP, "Result").objects.order_by("id").values())


class TestDemoDatabase:
    def test_demo_scores_history_and_results_survive_the_move_both_ways(self, migrator):
        call_command("load_demo")
        current = migrator([(APP, LAST)])
        scores, totals = new_sides(current), new_totals(current)
        changes, stored = history(current), results(current)
        assert {side for _sheet, _item, side in scores} == {"self", "review"}
        assert len(scores) > 3000 and len(changes) > 10000 and stored

        old = migrator(_before())
        assert old_sides(old) == scores
        assert old_totals(old) == totals
        rows = old.get_model(APP, "ItemScore").objects.count()
        assert rows == len({(sheet, item) for sheet, item, _side in scores})
        assert history(old) == changes and results(old) == stored

        new = migrator([(APP, LAST)])
        assert new_sides(new) == scores
        assert new_totals(new) == totals
        assert history(new) == changes and results(new) == stored


class TestOldRows:
    """Rows written by the old code, with every way a side can hold something."""

    def make_old_rows(self, apps, made):
        Assessment = apps.get_model(APP, "Assessment")
        ItemScore = apps.get_model(APP, "ItemScore")
        Change = apps.get_model(APP, "Change")
        Result = apps.get_model(APP, "Result")
        cycle_id = made["cycle"]
        sheet = Assessment.objects.get(pk=made["sheet_a"])
        sheet.self_total, sheet.review_total = Decimal("5.50"), Decimal("4.00")
        sheet.save()
        other = Assessment.objects.get(pk=made["sheet_b"])
        other.review_total = Decimal("3.00")
        other.save()
        items = {i.key: i.pk for i in apps.get_model("rubrics", "Item").objects.all()}
        both = ItemScore.objects.create(
            assessment_id=sheet.pk,
            item_id=items["6"],
            self_input={"score": "3"},
            self_score=Decimal("3"),
            self_explanation="自评 3 分",
            self_note="台账齐全",
            review_input={"score": "2"},
            review_score=Decimal("2"),
            review_explanation="酌情 2 分",
            review_note="缺少照片",
        )
        self_only = ItemScore.objects.create(
            assessment_id=sheet.pk, item_id=items["1"], self_input={"passed": True}
        )
        review_only = ItemScore.objects.create(
            assessment_id=other.pk,
            item_id=items["6"],
            review_input={"score": "3"},
            review_score=Decimal("3"),
        )
        note_only = ItemScore.objects.create(
            assessment_id=other.pk, item_id=items["1"], review_note="请补充材料"
        )
        ItemScore.objects.create(assessment_id=other.pk, item_id=items["7"])  # all cleared
        Change.objects.create(
            assessment_id=sheet.pk,
            cycle_id=cycle_id,
            item_id=items["6"],
            what="self_score",
            old="",
            new="3.00",
            sheet_version=2,
        )
        Result.objects.create(
            cycle_id=cycle_id,
            unit_id=made["unit_a"],
            base_total=Decimal("4"),
            bonus=0,
            penalties=0,
            total=Decimal("4"),
            rank=1,
            grade_before_quota="合格",
            grade="合格",
            subsidy_percent=Decimal("100"),
            detail={"phases": {}, "self": {"annual": {"6": "3.00"}}, "cycle_flags": []},
        )
        return sheet, other, both, self_only, review_only, note_only, items

    def test_each_side_with_something_becomes_a_row_and_the_first_keeps_the_id(
        self, world, migrator
    ):
        made = {  # made with the current code, before going back
            "cycle": world.cycle.pk,
            "sheet_a": world.sheet_a.pk,
            "sheet_b": world.sheet_b.pk,
            "unit_a": world.unit_a.pk,
        }
        old = migrator(_before())
        sheet, other, both, self_only, review_only, note_only, items = self.make_old_rows(old, made)
        before_history, before_results = history(old), results(old)

        new = migrator([(APP, LAST)])
        rows = {
            (r.assessment_id, r.item_id, r.side): r
            for r in new.get_model(APP, "ItemScore").objects.all()
        }
        assert {k: tuple(getattr(r, f) for f in FIELDS) for k, r in rows.items()} == {
            (sheet.pk, items["6"], "self"): ({"score": "3"}, Decimal("3"), "自评 3 分", "台账齐全"),
            (sheet.pk, items["6"], "review"): (
                {"score": "2"},
                Decimal("2"),
                "酌情 2 分",
                "缺少照片",
            ),
            (sheet.pk, items["1"], "self"): ({"passed": True}, None, "", ""),
            (other.pk, items["6"], "review"): ({"score": "3"}, Decimal("3"), "", ""),
            (other.pk, items["1"], "review"): (None, None, "", "请补充材料"),
        }
        assert rows[(sheet.pk, items["6"], "self")].pk == both.pk
        assert rows[(sheet.pk, items["1"], "self")].pk == self_only.pk
        assert rows[(other.pk, items["6"], "review")].pk == review_only.pk
        assert rows[(other.pk, items["1"], "review")].pk == note_only.pk
        assert new_totals(new) == {
            (sheet.pk, "self"): Decimal("5.50"),
            (sheet.pk, "review"): Decimal("4.00"),
            (other.pk, "review"): Decimal("3.00"),
        }
        assert history(new) == before_history and results(new) == before_results
        split, totals = new_sides(new), new_totals(new)

        back = migrator(_before())
        assert old_sides(back) == split
        assert old_totals(back) == totals
        assert back.get_model(APP, "ItemScore").objects.count() == 4  # the empty row is gone
        assert history(back) == before_history and results(back) == before_results
