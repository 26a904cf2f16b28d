"""Cycle results worked by hand from the documents' rules.

常州 community: best answers give 98 (item 26 can give 2 of its 4 points); each unit below
is lowered from there by setting named discretionary items to 0.
"""

from decimal import Decimal

import pytest

from assessments import compute, services
from assessments.models import Assessment, Cycle
from org.models import Unit
from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db

# unit → items scored 0 (their points: 6→3, 7→3, 8→4, 9→3, 23→3, 24→4, 25→4, 27..30→4)
CHANGZHOU_UNITS = {
    "U01": [],  # 98
    "U02": ["6"],  # 98 − 3 = 95
    "U03": ["8"],  # 98 − 4 = 94
    "U04": ["8", "6"],  # 98 − 7 = 91
    "U05": ["6", "7", "8"],  # 98 − 10 = 88
    "U06": [],  # 98, but veto item 2 fails → 95 and 不合格
    "U07": ["6", "7", "8", "23", "24", "25"],  # 98 − 10 − 11 = 77
    "U08": ["6", "7", "8", "23", "24", "25", "27", "28"],  # 77 − 8 = 69
    "U09": ["8", "24"],  # 98 − 8 = 90, exactly the 优秀 bound
    "U10": ["6", "7", "8", "9", "23", "24", "25", "27", "28", "29", "30"],  # 98 − 40 = 58
}


def run_cycle(world, rubric, units, answers_of, *, base_subsidy=None, weights=(0, 100)):
    cycle = services.cycle_create(
        title="测试",
        year=2026,
        rubric=rubric,
        units=units,
        user=world.users["admin"],
        process_weight=weights[0],
        annual_weight=weights[1],
        base_subsidy=base_subsidy,
    )
    services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
    services.cycle_step(cycle=cycle, action="open_review", user=world.users["admin"])
    cycle.assessments.update(state=Assessment.State.SUBMITTED)
    parsed = engine_rubric_for(rubric)
    for sheet in cycle.assessments.select_related("unit", "cycle__rubric"):
        data = answers_of(parsed, sheet)
        inputs = {}
        from assessments.sheet_page import read_form

        inputs, notes = read_form(parsed, data, "review")
        outcome = services.sheet_save(
            sheet=sheet,
            user=world.users["admin"],
            side="review",
            inputs=inputs,
            notes=notes,
            expected_version=sheet.version,
        )
        assert outcome.saved, outcome.errors
    compute.cycle_compute(cycle=cycle, user=world.users["admin"])
    return {r.unit.name: r for r in cycle.results.select_related("unit")}


def changzhou_units(world):
    return [
        Unit.objects.create(name=name, kind=Unit.Kind.COMMUNITY, parent=world.town_a, sort_order=i)
        for i, name in enumerate(CHANGZHOU_UNITS)
    ]


def changzhou_answers(parsed, sheet):
    zeros = CHANGZHOU_UNITS[sheet.unit.name]
    data = best_answers(parsed, "r", score_of=lambda item: 0 if item.key in zeros else None)
    if sheet.unit.name == "U06":
        data["r-2-passed"] = "no"
    return data


class TestChangzhouCycle:
    def test_totals_grades_ranks_and_advisory_quota(self, world):
        rubric = import_seed_rubric("changzhou-community")
        results = run_cycle(
            world, rubric, changzhou_units(world), changzhou_answers, base_subsidy=10000
        )
        totals = {name: r.total for name, r in results.items()}
        assert totals == {
            "U01": 98,
            "U02": 95,
            "U03": 94,
            "U04": 91,
            "U05": 88,
            "U06": 95,
            "U07": 77,
            "U08": 69,
            "U09": 90,
            "U10": 58,
        }
        grades = {name: r.grade for name, r in results.items()}
        assert grades == {
            "U01": "优秀",
            "U02": "优秀",
            "U03": "优秀",
            "U04": "优秀",
            "U05": "合格",
            "U06": "不合格",
            "U07": "合格",
            "U08": "基本合格",
            "U09": "优秀",
            "U10": "不合格",
        }
        # The vetoed unit ranks after every unit that passed, whatever its total.
        ranks = {name: r.rank for name, r in results.items()}
        assert [n for n, _ in sorted(ranks.items(), key=lambda kv: kv[1])] == [
            "U01",
            "U02",
            "U03",
            "U04",
            "U09",
            "U05",
            "U07",
            "U08",
            "U10",
            "U06",
        ]
        assert results["U06"].veto_item.startswith("2 ")
        # 30% of 10 = 3 优秀 "一般不超过": advisory, so U04 and U09 keep 优秀 but are flagged.
        assert results["U04"].needs_confirmation and results["U09"].needs_confirmation
        assert not results["U03"].needs_confirmation
        assert "一般不超过 3 个" in " ".join(results["U09"].flags)
        # Subsidy: 优秀 120% of 10000, 合格 100%, below nothing.
        amounts = {name: r.subsidy_amount for name, r in results.items()}
        assert amounts["U01"] == Decimal("12000") and amounts["U05"] == Decimal("10000")
        assert amounts["U08"] == 0 and amounts["U06"] == 0

    def test_enforced_quota_moves_the_excess_down_and_flags_a_boundary_tie(self, world):
        import yaml

        from rubrics.services import rubric_import
        from tests.conftest import RUBRICS

        data = yaml.safe_load((RUBRICS / "changzhou-community.yaml").read_text(encoding="utf-8"))
        data["code"] = "changzhou-enforced"
        data["quota"]["enforced"] = True
        rubric, _ = rubric_import(data=data)
        CHANGZHOU_UNITS_TIE = dict(CHANGZHOU_UNITS, U04=["8"])  # U04 now 94, tied with U03
        units = changzhou_units(world)

        def answers(parsed, sheet):
            zeros = CHANGZHOU_UNITS_TIE[sheet.unit.name]
            out = best_answers(parsed, "r", score_of=lambda item: 0 if item.key in zeros else None)
            if sheet.unit.name == "U06":
                out["r-2-passed"] = "no"
            return out

        results = run_cycle(world, rubric, units, answers)
        # Allowed: ⌊30% × 10⌋ = 3. U01 98, U02 95 keep 优秀; U03 and U04 tie at 94 for the
        # third place, and the tie rule (section 三, then the base total) finds them equal
        # too: neither moves by name, both wait for the administrator's decision.
        # U09 (90) is beyond the quota and moves down to 合格.
        for name in ("U03", "U04"):
            assert results[name].grade == "优秀" and results[name].needs_confirmation
            assert results[name].quota_position == "tie"
        assert results["U09"].grade == "合格" and not results["U09"].needs_confirmation
        assert results["U01"].grade == "优秀" and not results["U01"].needs_confirmation

    def test_finalising_waits_for_the_tie_to_be_confirmed(self, world):
        rubric = import_seed_rubric("changzhou-community")
        results = run_cycle(world, rubric, changzhou_units(world), changzhou_answers)
        cycle = results["U01"].cycle
        with pytest.raises(services.WorkflowError) as caught:
            services.cycle_step(cycle=cycle, action="finalise", user=world.users["admin"])
        # U03 (94) and U04 (91) are over the advisory quota, not tied with anyone.
        assert "还有 2 个单位等待名额决定（2 个超出名额）" in str(caught.value)
        from assessments.quota_decisions import quota_decide

        quota_decide(
            cycle=cycle,
            results=list(cycle.results.filter(needs_confirmation=True)),
            decision="keep",
            reason="考核小组同意保持",
            user=world.users["admin"],
        )
        services.cycle_step(cycle=cycle, action="finalise", user=world.users["admin"])
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.FINALISED
        assert set(cycle.assessments.values_list("state", flat=True)) == {
            Assessment.State.FINALISED
        }


class TestXinjianCycle:
    """新建 2021: towns are scored directly; 30% process + 70% annual; item 8 averaged."""

    def test_phases_na_average_bonus_caps_and_penalty(self, world):
        rubric = import_seed_rubric("xinjian-2021-window")
        towns = [
            Unit.objects.create(name=name, kind=Unit.Kind.TOWN, parent=world.bureau)
            for name in ("松湖镇", "石岗镇", "南矶乡")
        ]

        def answers(parsed, sheet):
            name, phase = sheet.unit.name, sheet.phase
            item8 = {"松湖镇": 8, "石岗镇": 6}.get(name)
            zero17 = name == "松湖镇" and phase == "process"
            data = best_answers(
                parsed,
                "r",
                score_of=lambda item: item8 if item.key == "8" else None,
                skip={"17"} if zero17 else (),
            )
            if zero17:  # 社保服务 not carried out: 「未开展此项工作不得分」
                flag = parsed.item("17").params["zero_if"][0]["key"]
                data[f"r-17-flag-{flag}"] = "on"
            if name == "南矶乡":
                data.pop("r-8-score")
                data["r-8-na"] = "on"
                if phase == "annual":
                    data["r-p1-count"] = "1"
            if name == "石岗镇" and phase == "annual":
                data["r-b1-level-province"] = "1"
                data["r-b1-level-city"] = "1"
                data["r-b3-level-extra_staff"] = "5"
            return data

        results = run_cycle(world, rubric, towns, answers, base_subsidy=90000, weights=(30, 70))
        # Annual: 松湖 90 + 8 = 98; 石岗 90 + 6 = 96, bonus min(2+1, 2) + min(5×0.5, 2) = 4 → 100;
        # 南矶 has no 退捕渔民 task: mean of 8 and 6 = 7 → 97, minus one incident × 2 = 95.
        # Process: the same, except 松湖 scores 0 on item 17 (8 points): 90.
        # Final = 30% process + 70% annual:
        #   松湖 0.3 × 90 + 0.7 × 98 = 27 + 68.6 = 95.6
        #   石岗 0.3 × 96 + 0.7 × 100 = 28.8 + 70 = 98.8
        #   南矶 0.3 × 97 + 0.7 × 95 = 29.1 + 66.5 = 95.6
        assert results["松湖镇"].phase_totals == {"process": "90.00", "annual": "98.00"}
        assert results["松湖镇"].total == Decimal("95.6")
        assert results["石岗镇"].total == Decimal("98.8")
        assert results["南矶乡"].total == Decimal("95.6")
        assert not results["南矶乡"].award_eligible and results["石岗镇"].award_eligible
        # All 优秀 (≥ 90): the window subsidy is paid in full, 90,000 yuan each.
        assert {r.grade for r in results.values()} == {"优秀"}
        assert results["南矶乡"].subsidy_amount == Decimal("90000")
        # 松湖 and 南矶 share rank 2 (equal totals), listed by name.
        assert (results["石岗镇"].rank, results["松湖镇"].rank, results["南矶乡"].rank) == (1, 2, 2)


class TestResultsPage:
    def test_section_averages_and_grade_distribution(self, world, client_for):
        from django.urls import reverse

        rubric = import_seed_rubric("changzhou-community")
        results = run_cycle(world, rubric, changzhou_units(world), changzhou_answers)
        cycle = results["U01"].cycle
        page = client_for("admin").get(reverse("assessments:results", args=[cycle.pk]))
        averages = {a.title: (a.mean, a.top, a.share) for a in page.context["section_averages"]}
        # Section 一 (items 1–5, 3 points each): 15 for nine units, 12 for U06 whose item 2
        # failed: (9 × 15 + 12) / 10 = 14.7, which is 98% of its 15 points.
        assert averages["一、社区平台建设"] == (Decimal("14.70"), Decimal("15"), Decimal("98.0"))
        # 优秀: U01 U02 U03 U04 U09; 合格: U05 U07; 基本合格: U08; 不合格: U06 U10.
        assert dict(page.context["distribution"]) == {
            "优秀": 5,
            "合格": 2,
            "基本合格": 1,
            "不合格": 2,
        }
