"""The streamed computation stores exactly what the whole-cycle computation stored: every
field of every result, in the same order, on the test world's cycles and on random ones
(two phases, N/A averages, vetoes, the quota, subsidies, self scores beside)."""

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from assessments import compute, services
from assessments.models import Assessment, Cycle, ItemScore, Result
from assessments.sides import RESULT_SIDE, Side
from org.models import Unit
from rubrics.services import rubric_import
from tests.assessments.reference_compute import reference_cycle_compute
from tests.assessments.test_results import changzhou_answers, changzhou_units, run_cycle
from tests.conftest import import_seed_rubric

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_engine import build_rubric_dict, random_input  # noqa: E402

pytestmark = pytest.mark.django_db

# What the former computation did not store: the quota's position and decision, the grade
# after it, an override, an absence (``assessments.quota_decisions``); tested on their own.
CLOSING_FIELDS = (
    "quota_position",
    "quota_decision",
    "quota_reason",
    "grade_after_quota",
    "override_reason",
    "absence",
)
FIELDS = [
    f.name
    for f in Result._meta.concrete_fields
    if f.name not in ("id", "cycle", "version", "current", "confirmed_by", *CLOSING_FIELDS)
]


def stored(cycle, version) -> list[dict]:
    """Every field of every result of ``version``, in the order the pages list them."""
    rows = Result.all_versions.filter(cycle=cycle, version=version).order_by("rank", "id")
    return [
        {
            name: getattr(r, f"{name}_id" if name in ("unit", "coordinator") else name)
            for name in FIELDS
        }
        for r in rows
    ]


def assert_same_as_reference(cycle, user):
    reference_cycle_compute(cycle=Cycle.objects.get(pk=cycle.pk), user=user)
    before = cycle.result_versions.order_by("-number").first().number
    done = compute.cycle_compute(cycle=Cycle.objects.get(pk=cycle.pk), user=user)
    assert done.version == before + 1
    old, new = stored(cycle, before), stored(cycle, done.version)
    assert len(new) == done.count == len(old) > 0
    for a, b in zip(old, new, strict=True):
        assert a == b
    return old


def random_cycle(world, *, units=120, weights=(30, 70), seed=7, base_subsidy="9000", prefix="随机"):
    data = build_rubric_dict()
    data["code"] = f"random-{seed}"
    # bands low enough that more than the quota's 30% reach the top grade
    for band, low in zip(data["grades"], ("60", "50", "40"), strict=True):
        band["min"] = low
    rubric, _ = rubric_import(data=data)
    towns = [
        Unit.objects.create(name=f"{prefix}镇{t}", kind=Unit.Kind.TOWN, parent=world.bureau)
        for t in range(3)
    ]
    grassroots = Unit.objects.bulk_create(
        Unit(
            name=f"{prefix}社区{i:03d}",
            normalized_name=f"{prefix}社区{i:03d}",
            kind=Unit.Kind.COMMUNITY,
            parent=towns[i % 3],
            sort_order=units - i,
        )
        for i in range(units)
    )
    admin = world.users["admin"]
    cycle = services.cycle_create(
        title="随机",
        year=2026,
        rubric=rubric,
        units=grassroots,
        user=admin,
        process_weight=weights[0],
        annual_weight=weights[1],
        base_subsidy=Decimal(base_subsidy) if base_subsidy else None,
    )
    items = {i.key: i for i in rubric.items.all()}
    rng = random.Random(seed)
    flat = [i for s in data["sections"] for i in s["items"]]
    rows = []
    for sheet in cycle.assessments.all():
        for item in flat:
            if rng.random() < 0.03:
                continue  # an item not filled: the result is provisional
            value = random_input(item, rng)
            if value is None:
                continue
            rows.append(
                ItemScore(assessment=sheet, item=items[item["key"]], side=RESULT_SIDE, input=value)
            )
            if rng.random() < 0.7:
                score = Decimal(rng.randint(0, int(Decimal(item["max_points"]) * 2))) / 2
                rows.append(
                    ItemScore(
                        assessment=sheet, item=items[item["key"]], side=Side.SELF, score=score
                    )
                )
    ItemScore.objects.bulk_create(rows)
    Assessment.objects.filter(cycle=cycle).update(state=Assessment.State.REVIEWED)
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    return cycle


class TestSameResultsAsTheWholeCycleComputation:
    def test_changzhou_cycle_with_veto_advisory_quota_and_subsidy(self, world):
        rubric = import_seed_rubric("changzhou-community")
        results = run_cycle(
            world, rubric, changzhou_units(world), changzhou_answers, base_subsidy=10000
        )
        cycle = results["U01"].cycle
        assert_same_as_reference(cycle, world.users["admin"])

    def test_the_test_worlds_cycle(self, world):
        assert_same_as_reference(world.cycle, world.users["admin"])

    def test_random_two_phase_cycle_over_several_batches(self, world, monkeypatch):
        monkeypatch.setattr(compute, "BATCH", 17)  # batches that do not divide the subjects
        cycle = random_cycle(world)
        old = assert_same_as_reference(cycle, world.users["admin"])
        # the random cycle exercises what it is meant to
        assert any(r["veto_item"] for r in old)
        assert any(r["grade"] != r["grade_before_quota"] for r in old)
        assert any("得平均分" in str(r["detail"]) for r in old)
        assert any("暂算" in " ".join(r["flags"]) for r in old)
        assert any(r["detail"]["self"] for r in old)

    def test_random_one_phase_cycle_without_subsidy(self, world):
        cycle = random_cycle(world, units=60, weights=(0, 100), seed=11, base_subsidy="")
        assert_same_as_reference(cycle, world.users["admin"])


class TestComputeRefusals:
    def test_a_locked_cycle_is_refused_and_nothing_is_stored(self, world):
        cycle = world.cycle
        Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.FINALISED)
        count = Result.all_versions.filter(cycle=cycle).count()
        with pytest.raises(services.WorkflowError, match="已定稿"):
            compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        assert Result.all_versions.filter(cycle=cycle).count() == count

    def test_a_cycle_without_sheets_is_refused(self, world):
        cycle = world.cycle
        cycle.assessments.all().delete()
        with pytest.raises(services.WorkflowError, match="没有考核表"):
            compute.cycle_compute(cycle=cycle, user=world.users["admin"])


class TestSummaryStoredAtComputeTime:
    def test_summary_counts_grades_sections_and_gaps(self, world):
        cycle = random_cycle(world, units=45, weights=(0, 100), seed=3)
        done = compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        summary = cycle.result_versions.get(number=done.version).summary
        assert summary["count"] == 45
        assert sum(c["count"] for c in summary["cells"]) == 45
        grades = {}
        for r in cycle.results.all():
            grades[r.grade] = grades.get(r.grade, 0) + 1
        assert done.grades == grades
        by_town = {}
        for c in summary["cells"]:
            by_town[c["town"]] = by_town.get(c["town"], 0) + c["count"]
        assert by_town == {"随机镇0": 15, "随机镇1": 15, "随机镇2": 15}
        assert [s[0] for s in summary["sections"]] == ["一、基本", "二、目标"]
        assert summary["bonus_max"] == "3" and summary["penalties"] is True
