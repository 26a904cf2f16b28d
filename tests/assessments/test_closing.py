"""The guarded closing steps (结束自评, 定稿), quota decisions and manual grade overrides."""

import json
from datetime import date

import pytest
from django.urls import reverse

from assessments import closing, compute, services
from assessments.exports import results_json, results_xlsx
from assessments.models import Assessment, Change, Cycle, GradeOverride, QuotaDecision
from assessments.printouts import summary_doc
from assessments.quota_decisions import (
    grade_override,
    grade_override_remove,
    pending_decisions,
    quota_decide,
)
from tests.assessments.forms import best_answers
from tests.assessments.test_results import (
    CHANGZHOU_UNITS,
    changzhou_units,
    run_cycle,
)
from tests.conftest import import_seed_rubric
from tests.foundation.post_cases import self_filled

pytestmark = pytest.mark.django_db


def submitted_a(world):
    """The test world's cycle with sheet A submitted and sheet B never submitted."""
    sheet = self_filled(world)
    services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
    return world.cycle


def text_of(response) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


class TestClosingSelfAssessment:
    def test_the_page_lists_the_unsubmitted_sheet_with_the_rubrics_consequence(
        self, world, client_for
    ):
        cycle = submitted_a(world)
        page = client_for("admin").get(
            reverse("assessments:cycle_close", args=[cycle.pk, "open_review"])
        )
        text = text_of(page)
        assert "1 张考核表还没有提交自评" in text and "东陈村" in text
        # 常州: 不合格 below 60, no subsidy
        assert "按评分标准的最低等次「不合格」（低于 60 分为不合格）计，补助 0%" in text
        assert "淹城社区" not in text.split("还没有提交自评")[1]  # submitted: not listed

    def test_the_plain_step_button_goes_to_the_confirmation_and_changes_nothing(
        self, world, client_for
    ):
        cycle = submitted_a(world)
        response = client_for("admin").post(
            reverse("assessments:cycle_action", args=[cycle.pk]), {"action": "open_review"}
        )
        assert response.url == reverse("assessments:cycle_close", args=[cycle.pk, "open_review"])
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN

    def test_a_unit_without_a_decision_stops_the_step_and_nothing_changes(self, world):
        cycle = submitted_a(world)
        done = closing.cycle_close(
            cycle=cycle, action="open_review", user=world.users["admin"], choices={}
        )
        assert not done.done
        assert "1 个单位（东陈村）还没有决定，没有做任何更改" in done.message
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN
        assert not Assessment.objects.filter(cycle=cycle).exclude(absence="").exists()

    def test_keeping_a_unit_in_self_assessment_is_going_back(self, world):
        cycle = submitted_a(world)
        sheet_b = world.sheet_b
        done = closing.cycle_close(
            cycle=cycle,
            action="open_review",
            user=world.users["admin"],
            choices={sheet_b.pk: closing.WAIT},
        )
        assert not done.done and "选择了暂不结束" in done.message
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.SELF_OPEN

    def test_a_late_unit_links_to_its_extension_once_the_cycle_has_a_deadline(self, world):
        assert closing.deadlines_extend_link(world.sheet_b) is None  # no date: nothing to extend
        Cycle.objects.filter(pk=world.cycle.pk).update(
            state=Cycle.State.SELF_OPEN, self_deadline=date(2026, 1, 1)
        )
        sheet_b = Assessment.objects.get(pk=world.sheet_b.pk)
        assert closing.deadlines_extend_link(sheet_b) == reverse(
            "assessments:deadline_extend", args=[sheet_b.pk]
        )

    def test_recording_the_late_unit_closes_and_says_what_happened_to_whom(self, world):
        cycle = submitted_a(world)
        sheet_b = world.sheet_b
        done = closing.cycle_close(
            cycle=cycle,
            action="open_review",
            user=world.users["admin"],
            choices={sheet_b.pk: closing.ABSENT},
        )
        assert done.done
        assert (
            done.message == "已结束自评：1 个单位进入审核，1 个单位（东陈村）记为未提交（不合格）。"
        )
        sheet_b.refresh_from_db()
        assert sheet_b.absence == Assessment.Absence.NOT_SUBMITTED
        change = Change.objects.get(assessment=sheet_b, what="absence")
        assert change.new == "未提交" and "最低等次「不合格」" in change.reason
        from notices.models import Notice

        (notice,) = Notice.objects.filter(event="sheet_not_submitted")
        assert notice.recipient == world.users["coordinator_b"]
        assert notice.title == "「2026年社区平台考核」：东陈村的考核表已记为未提交"
        assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.REVIEW

    def test_a_unit_recorded_as_not_submitted_is_not_published_as_zero(self, world):
        cycle = submitted_a(world)
        closing.cycle_close(
            cycle=cycle,
            action="open_review",
            user=world.users["admin"],
            choices={},
            all_absent=True,
        )
        compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        b = cycle.results.get(unit=world.unit_b)
        assert b.absence == "not_submitted" and b.grade == "不合格"
        assert b.subsidy_percent == 0 and not b.award_eligible
        assert b.flags[0].startswith("未提交考核表：不计分")
        assert b.rank == 2  # after the unit that was scored
        row = [r for r in results_json(cycle) if r["unit"] == "东陈村"][0]
        assert row["not_submitted"] is True

    def test_an_absent_sheet_cannot_be_filled_any_more(self, world):
        cycle = submitted_a(world)
        closing.cycle_close(
            cycle=cycle,
            action="open_review",
            user=world.users["admin"],
            choices={},
            all_absent=True,
        )
        sheet_b = Assessment.objects.select_related("cycle__rubric", "unit__parent").get(
            pk=world.sheet_b.pk
        )
        with pytest.raises(services.WorkflowError) as caught:
            services.assessment_submit(sheet=sheet_b, user=world.users["coordinator_b"])
        assert "已由管理员记为「未提交」" in str(caught.value)

    def test_going_back_to_self_assessment_opens_the_absent_sheet_again(self, world):
        cycle = submitted_a(world)
        closing.cycle_close(
            cycle=cycle,
            action="open_review",
            user=world.users["admin"],
            choices={},
            all_absent=True,
        )
        services.cycle_step(cycle=cycle, action="back_to_self", user=world.users["admin"])
        assert Assessment.objects.get(pk=world.sheet_b.pk).absence == ""


def reviewed_cycle(world, *, review_b=True):
    """In review: sheet A reviewed, sheet B submitted and scored but not marked reviewed
    (``review_b``) or not scored at all; results computed."""
    from assessments.sheet_page import read_form
    from rubrics.selectors import engine_rubric_for

    cycle = submitted_a(world)
    sheet_b = world.sheet_b
    Assessment.objects.filter(pk=sheet_b.pk).update(state=Assessment.State.SUBMITTED)
    services.cycle_step(cycle=cycle, action="open_review", user=world.users["admin"])
    parsed = engine_rubric_for(cycle.rubric)
    for sheet in (world.sheet_a, world.sheet_b):
        if sheet.unit_id == world.unit_b.pk and not review_b:
            continue
        sheet = Assessment.objects.select_related("cycle__rubric", "unit__parent").get(pk=sheet.pk)
        inputs, notes = read_form(parsed, best_answers(parsed, "r"), "review")
        assert services.sheet_save(
            sheet=sheet,
            user=world.users["admin"],
            side="review",
            inputs=inputs,
            notes=notes,
            expected_version=sheet.version,
        ).saved
    a = Assessment.objects.select_related("cycle__rubric").get(pk=world.sheet_a.pk)
    services.assessment_mark_reviewed(sheet=a, user=world.users["admin"])
    compute.cycle_compute(cycle=cycle, user=world.users["admin"])
    # ⌊30% × 2⌋ = 0 places: both are over the advisory quota; keep them
    waiting = list(cycle.results.filter(needs_confirmation=True))
    if waiting:
        quota_decide(
            cycle=cycle,
            results=waiting,
            decision="keep",
            reason="只有两个单位",
            user=world.users["admin"],
        )
    return Cycle.objects.get(pk=cycle.pk)


class TestFinalising:
    def test_an_unreviewed_sheet_is_listed_and_finalised_only_when_decided(self, world):
        cycle = reviewed_cycle(world)
        ready = closing.readiness(cycle, "finalise")
        assert [w.sheet.subject_name for w in ready.unreviewed] == ["东陈村"]
        assert ready.unreviewed[0].choices == (closing.AS_IS, closing.WAIT)
        stopped = closing.cycle_close(
            cycle=cycle, action="finalise", user=world.users["admin"], choices={}
        )
        assert not stopped.done and Cycle.objects.get(pk=cycle.pk).state == Cycle.State.REVIEW
        done = closing.cycle_close(
            cycle=cycle,
            action="finalise",
            user=world.users["admin"],
            choices={world.sheet_b.pk: closing.AS_IS},
        )
        assert done.done
        assert (
            done.message == "已定稿：2 个单位的结果已定稿，1 个单位（东陈村）按现有审核评分定稿。"
        )

    def test_a_sheet_without_review_scores_cannot_be_finalised_as_it_is(self, world):
        cycle = reviewed_cycle(world, review_b=False)
        (waiting,) = closing.readiness(cycle, "finalise").unreviewed
        assert not waiting.complete and waiting.choices == (closing.WAIT,)
        done = closing.cycle_close(
            cycle=cycle,
            action="finalise",
            user=world.users["admin"],
            choices={world.sheet_b.pk: closing.AS_IS},
        )
        assert not done.done

    def test_an_absence_recorded_at_finalising_asks_for_a_recompute_first(self, world):
        cycle = reviewed_cycle(world)
        Assessment.objects.filter(pk=world.sheet_b.pk).update(state=Assessment.State.RETURNED)
        done = closing.cycle_close(
            cycle=cycle,
            action="finalise",
            user=world.users["admin"],
            choices={world.sheet_b.pk: closing.ABSENT},
        )
        assert not done.done
        assert (
            "已将 1 个单位（东陈村）记为未提交" in done.message
            and "请先「计算结果」" in done.message
        )
        assert closing.readiness(cycle, "finalise").needs_compute
        compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        cycle.refresh_from_db()
        assert not closing.readiness(cycle, "finalise").needs_compute


TIE_UNITS = dict(CHANGZHOU_UNITS, U04=["8"])  # U04 94 like U03, U09 90


def tie_answers(parsed, sheet):
    zeros = TIE_UNITS[sheet.unit.name]
    out = best_answers(parsed, "r", score_of=lambda item: 0 if item.key in zeros else None)
    if sheet.unit.name == "U06":
        out["r-2-passed"] = "no"
    return out


@pytest.fixture
def tied(world):
    """常州 (advisory 30%): ⌊30% × 10⌋ = 3 places for U01 98, U02 95, U03 94, U04 94,
    U09 90 (U06 95 is vetoed). U03 and U04 are equal on section 三 and on the base total:
    a tie the rule leaves, for the third place; U09 is over the quota."""
    rubric = import_seed_rubric("changzhou-community")
    results = run_cycle(world, rubric, changzhou_units(world), tie_answers, base_subsidy=10000)
    return results["U01"].cycle


def current(cycle):
    return {r.unit.name: r for r in cycle.results.select_related("unit")}


class TestQuotaDecisions:
    def test_the_refusal_to_finalise_counts_ties_and_over_quota_apart(self, world, tied):
        assert pending_decisions(tied).over == 1 and pending_decisions(tied).ties == 2
        with pytest.raises(services.WorkflowError) as caught:
            services.cycle_step(cycle=tied, action="finalise", user=world.users["admin"])
        assert (
            "还有 3 个单位等待名额决定（1 个超出名额、2 个名额边界同分且同分规则无法区分）"
            in str(caught.value)
        )

    def test_keeping_needs_a_reason(self, world, tied):
        u09 = current(tied)["U09"]
        with pytest.raises(services.WorkflowError) as caught:
            quota_decide(
                cycle=tied, results=[u09], decision="keep", reason=" ", user=world.users["admin"]
            )
        assert "必须写明理由" in str(caught.value)
        assert not QuotaDecision.objects.exists()

    def test_a_unit_inside_the_quota_takes_no_decision(self, world, tied):
        with pytest.raises(services.WorkflowError) as caught:
            quota_decide(
                cycle=tied,
                results=[current(tied)["U01"]],
                decision="demote",
                reason="",
                user=world.users["admin"],
            )
        assert "U01没有超出名额" in str(caught.value)

    def test_decisions_apply_at_once_with_subsidy_and_survive_a_recompute(self, world, tied):
        admin = world.users["admin"]
        rows = current(tied)
        quota_decide(
            cycle=tied, results=[rows["U03"], rows["U09"]], decision="demote", reason="", user=admin
        )
        quota_decide(
            cycle=tied,
            results=[rows["U04"]],
            decision="keep",
            reason="社区就业工作全市第一",
            user=admin,
        )
        now = current(tied)
        assert (now["U03"].grade, now["U03"].subsidy_percent, now["U03"].subsidy_amount) == (
            "合格",
            100,
            10000,
        )
        assert now["U09"].grade == "合格" and now["U04"].grade == "优秀"
        assert now["U04"].quota_reason == "社区就业工作全市第一"
        assert not any("请管理员" in f for f in now["U04"].flags)  # answered
        assert pending_decisions(tied).total == 0
        # the grade distribution follows: 优秀 U01 U02 U04
        version = tied.result_versions.order_by("-number").first()
        top = sum(c["count"] for c in version.summary["cells"] if c["grade"] == "优秀")
        assert top == 3
        assert Change.objects.filter(cycle=tied, what="quota_decision").count() == 3
        # a recompute writes version 2 and applies the same decisions again
        compute.cycle_compute(cycle=tied, user=admin)
        again = current(tied)
        assert {n: again[n].grade for n in ("U03", "U04", "U09")} == {
            "U03": "合格",
            "U04": "优秀",
            "U09": "合格",
        }
        assert again["U04"].version == 2 and again["U04"].kept_by_decision

    def test_the_decisions_page_applies_a_bulk_demotion(self, world, tied, client_for):
        rows = current(tied)
        client = client_for("admin")
        url = reverse("assessments:quota_decisions", args=[tied.pk])
        response = client.post(
            url,
            {
                "bulk": "1",
                "selected": [str(rows["U03"].pk), str(rows["U09"].pk)],
                "bulk_decision": "demote",
                "bulk_reason": "",
            },
            follow=True,
        )
        assert (
            "已记录名额决定「调整为下一等次」：2 个单位（U03、U09）。现在U03为合格、U09为合格。"
            in text_of(response)
        )


class TestGradeOverride:
    def test_an_override_needs_a_reason_and_a_grade_of_the_rubric(self, world, tied):
        r = current(tied)["U07"]
        admin = world.users["admin"]
        with pytest.raises(services.WorkflowError):
            grade_override(cycle=tied, result=r, grade="合格", reason="", user=admin)
        with pytest.raises(services.WorkflowError) as caught:
            grade_override(cycle=tied, result=r, grade="良好", reason="x", user=admin)
        assert "不是本评分标准的等次" in str(caught.value)
        assert not GradeOverride.objects.exists()

    def test_an_override_is_recorded_and_shown_everywhere(self, world, tied, client_for):
        admin = world.users["admin"]
        r = current(tied)["U08"]  # 69: 基本合格, no subsidy
        grade_override(
            cycle=tied, result=r, grade="合格", reason="台账在复核时补齐，考核小组同意", user=admin
        )
        change = Change.objects.get(cycle=tied, what="grade_override")
        assert (change.old, change.new) == ("U08 基本合格", "U08 合格")
        assert change.reason == "台账在复核时补齐，考核小组同意"
        now = current(tied)["U08"]
        assert now.grade == "合格" and now.subsidy_amount == 10000 and now.overridden
        # results page
        page = text_of(client_for("admin").get(reverse("assessments:results", args=[tied.pk])))
        assert "人工调整理由： 台账在复核时补齐，考核小组同意" in page or (
            "人工调整理由：台账在复核时补齐，考核小组同意" in page
        )
        # exports
        row = [d for d in results_json(tied) if d["unit"] == "U08"][0]
        assert row["grade_override"] == {
            "grade": "合格",
            "reason": "台账在复核时补齐，考核小组同意",
        }
        import io

        import openpyxl

        ws = openpyxl.load_workbook(io.BytesIO(results_xlsx(tied))).active
        cells = {ws.cell(r, 2).value: ws.cell(r, 12).value for r in range(4, ws.max_row)}
        assert cells["U08"] == "人工调整（原为基本合格）：台账在复核时补齐，考核小组同意"
        # the printed summary form
        doc = summary_doc(tied)
        (u08,) = [x for x in doc.rows if x.unit == "U08"]
        assert u08.overridden and u08.grade == "合格"
        assert any(
            "U08：等次人工调整为「合格」" in line and "台账在复核时补齐" in line
            for line in doc.notes
        )
        json.dumps(row, ensure_ascii=False)

    def test_an_override_survives_a_recompute_and_can_be_taken_back(self, world, tied):
        admin = world.users["admin"]
        grade_override(
            cycle=tied, result=current(tied)["U07"], grade="优秀", reason="市级表彰", user=admin
        )
        compute.cycle_compute(cycle=tied, user=admin)
        again = current(tied)["U07"]
        assert again.grade == "优秀" and again.override_reason == "市级表彰"
        grade_override_remove(cycle=tied, result=again, reason="表彰不属本年度", user=admin)
        assert current(tied)["U07"].grade == "合格"
        assert Change.objects.filter(what="grade_override_removed").get().reason == "表彰不属本年度"

    def test_a_finalised_cycle_takes_no_override(self, world, tied):
        Cycle.objects.filter(pk=tied.pk).update(state=Cycle.State.FINALISED)
        with pytest.raises(services.WorkflowError) as caught:
            grade_override(
                cycle=tied,
                result=current(tied)["U07"],
                grade="优秀",
                reason="x",
                user=world.users["admin"],
            )
        assert "已定稿" in str(caught.value)
