"""新沂: coordinators appraised with the 新沂 scoring table, the attendance veto, and
优秀 for at most 20% of a town's coordinators."""

from datetime import date

import pytest

from assessments import compute, services
from assessments.models import Assessment
from assessments.sheet_page import read_form
from org.models import Unit
from rubrics.selectors import engine_rubric_for
from staff.models import AttendanceEntry, Coordinator
from tests.assessments.forms import best_answers
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db

NAMES = ["王芳", "李强", "张伟", "刘洋", "陈静"]


def appraise(world, absent_days_of_last):
    units = [world.unit_a] + [
        Unit.objects.create(name=f"社区{i}", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        for i in range(4)
    ]
    people = [
        Coordinator.objects.create(name=name, unit=unit)
        for name, unit in zip(NAMES, units, strict=True)
    ]
    for day in range(absent_days_of_last):
        AttendanceEntry.objects.create(
            coordinator=people[-1],
            date=date(2026, 3, 2 + day),
            status=AttendanceEntry.Status.ABSENT,
        )
    rubric = import_seed_rubric("xinyi-coordinator")
    cycle = services.cycle_create(
        title="新沂协理员年度考核",
        year=2026,
        rubric=rubric,
        units=[],
        coordinators=people,
        user=world.users["admin"],
    )
    services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
    services.cycle_step(cycle=cycle, action="open_review", user=world.users["admin"])
    parsed = engine_rubric_for(rubric)
    for sheet in Assessment.objects.filter(cycle=cycle).select_related(
        "cycle__rubric", "unit__parent", "coordinator"
    ):
        inputs, notes = read_form(parsed, best_answers(parsed, "r"), "review")
        assert services.sheet_save(
            sheet=sheet,
            user=world.users["admin"],
            side="review",
            inputs=inputs,
            notes=notes,
            expected_version=sheet.version,
        ).saved
    compute.cycle_compute(cycle=cycle, user=world.users["admin"])
    return {r.coordinator.name: r for r in cycle.results.select_related("coordinator")}


class TestCoordinatorAppraisal:
    def test_five_days_absent_fails_whatever_the_points_and_quota_keeps_one_of_five(self, world):
        results = appraise(world, absent_days_of_last=5)
        # Every sheet has the best answers: 100 points (the items of 新沂's table sum to 100).
        assert {r.total for r in results.values()} == {100}
        # 陈静 was absent 5 days (考勤制度第5条: 五天（含五天）以上 → 不合格).
        chen = results["陈静"]
        assert chen.grade == "不合格" and "考勤制度第5条" in chen.veto_item
        assert chen.rank == 5 and not chen.award_eligible
        # 优秀 for at most ⌊20% × 5⌋ = 1 coordinator of the town. The other four tie at 100,
        # and on the tie rule too (section 三 25 each, base total 100 each): nobody is
        # moved by name; all four wait for the administrator, 优秀 for now.
        four = ("王芳", "李强", "张伟", "刘洋")
        for name in four:
            assert results[name].grade == "优秀" and results[name].quota_position == "tie"
            assert results[name].awaiting_decision
        # The administrator keeps 刘洋 with a reason and moves the other three down.
        from assessments.quota_decisions import quota_decide

        cycle = chen.cycle
        admin = world.users["admin"]
        quota_decide(
            cycle=cycle,
            results=[results["刘洋"]],
            decision="keep",
            reason="全年月度考核均为第一",
            user=admin,
        )
        quota_decide(
            cycle=cycle,
            results=[results[n] for n in four[:3]],
            decision="demote",
            reason="",
            user=admin,
        )
        now = {r.coordinator.name: r.grade for r in cycle.results.select_related("coordinator")}
        assert [n for n in four if now[n] == "优秀"] == ["刘洋"]
        assert {now[n] for n in four[:3]} == {"合格"}

    def test_four_days_absent_is_no_veto(self, world):
        results = appraise(world, absent_days_of_last=4)
        assert not results["陈静"].veto_item
