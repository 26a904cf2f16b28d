from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Change, Cycle, ItemScore
from assessments.sides import Side
from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers

pytestmark = pytest.mark.django_db


def post_sheet(client, sheet, side, data, **extra):
    url = reverse(f"assessments:sheet_{side}", args=[sheet.pk])
    response = client.post(url, {"version": sheet.version, **data, **extra})
    if extra.get("then") == "submit" and response.status_code == 302:
        # the save leads to the question; 确认提交 posts the submission
        assert response.url == reverse("assessments:sheet_submit", args=[sheet.pk])
        response = client.post(
            reverse("assessments:sheet_action", args=[sheet.pk]), {"action": "submit"}
        )
    return response


class TestSelfAssessment:
    def test_coordinator_saves_a_draft_and_the_scores_are_explained(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        response = post_sheet(client, sheet, "self", {"s-1-passed": "yes", "s-6-score": "2.5"})
        assert response.status_code == 302
        scores = {
            s.item.key: s
            for s in ItemScore.objects.filter(assessment=sheet, side=Side.SELF).select_related(
                "item"
            )
        }
        assert scores["1"].score == Decimal("3")
        assert scores["6"].score == Decimal("2.5")
        assert scores["6"].input == {"score": "2.5"}
        sheet.refresh_from_db()
        # Only items 1 (3 points) and 6 (2.5 points) are filled: 5.5 so far.
        assert sheet.total_for(Side.SELF) == Decimal("5.5")
        assert sheet.state == Assessment.State.DRAFT

    def test_full_width_digits_are_accepted(self, world, client_for):
        sheet = world.sheet_a
        post_sheet(client_for("coordinator_a"), sheet, "self", {"s-6-score": "２．５"})
        assert ItemScore.objects.get(
            assessment=sheet, item__key="6", side=Side.SELF
        ).score == Decimal("2.5")

    def test_score_above_the_item_max_is_refused_inline_and_nothing_is_written(
        self, world, client_for
    ):
        sheet = world.sheet_a
        response = post_sheet(
            client_for("coordinator_a"), sheet, "self", {"s-6-score": "4", "s-7-score": "1"}
        )
        assert response.status_code == 422
        text = response.content.decode()
        assert "第 6 项" in text and "未保存" in text
        assert not ItemScore.objects.filter(assessment=sheet).exists()

    def test_text_instead_of_a_number_is_refused_with_the_value_named(self, world, client_for):
        sheet = world.sheet_a
        response = post_sheet(client_for("coordinator_a"), sheet, "self", {"s-6-score": "两分"})
        assert response.status_code == 422
        assert "两分" in response.content.decode()

    def test_submitting_with_items_left_empty_names_them(self, world, client_for):
        sheet = world.sheet_a
        post_sheet(client_for("coordinator_a"), sheet, "self", {"s-1-passed": "yes"})
        with pytest.raises(services.WorkflowError) as caught:
            services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
        assert "还有 29 项未填写自评" in str(caught.value)

    def test_submitted_sheet_is_read_only_for_the_coordinator(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        parsed = engine_rubric_for(sheet.cycle.rubric)
        post_sheet(client, sheet, "self", best_answers(parsed, "s"), then="submit")
        sheet.refresh_from_db()
        assert sheet.state == Assessment.State.SUBMITTED
        response = post_sheet(client, sheet, "self", {"s-6-score": "1"})
        assert response.status_code == 422
        assert "自评已提交" in response.content.decode()
        assert ItemScore.objects.get(
            assessment=sheet, item__key="6", side=Side.SELF
        ).score == Decimal("3")


class TestReview:
    def submitted(self, world, client_for):
        sheet = world.sheet_a
        parsed = engine_rubric_for(sheet.cycle.rubric)
        post_sheet(
            client_for("coordinator_a"), sheet, "self", best_answers(parsed, "s"), then="submit"
        )
        sheet.refresh_from_db()
        return sheet, parsed

    def test_reviewer_scores_with_a_gap_highlighted_and_marks_reviewed(self, world, client_for):
        sheet, parsed = self.submitted(world, client_for)
        client = client_for("reviewer_a")
        # Item 6 is worth 3: self 3, review 1 — a gap of 2 ≥ a third of 3.
        data = best_answers(parsed, "r", score_of=lambda item: 1 if item.key == "6" else None)
        response = post_sheet(client, sheet, "review", data, then="reviewed")
        assert response.status_code == 302
        sheet.refresh_from_db()
        assert sheet.state == Assessment.State.REVIEWED
        # Best answers reach 98 (item 26 can give only 2 of its 4 points); item 6 loses 2 → 96.
        assert sheet.total_for(Side.REVIEW) == Decimal("96")
        page = client.get(reverse("assessments:sheet_detail", args=[sheet.pk])).content.decode()
        assert 'class="item gap"' in page

    def test_return_needs_a_reason_and_the_coordinator_sees_it(self, world, client_for):
        sheet, _ = self.submitted(world, client_for)
        with pytest.raises(services.WorkflowError):
            services.assessment_return(sheet=sheet, user=world.users["reviewer_a"], reason=" ")
        services.assessment_return(
            sheet=sheet, user=world.users["reviewer_a"], reason="第6项台账照片不清楚"
        )
        page = client_for("coordinator_a").get(reverse("assessments:sheet_detail", args=[sheet.pk]))
        assert "第6项台账照片不清楚" in page.content.decode()
        sheet.refresh_from_db()
        assert sheet.state == Assessment.State.RETURNED

    def test_reviewer_of_another_town_gets_404(self, world, client_for):
        sheet, parsed = self.submitted(world, client_for)
        response = post_sheet(client_for("reviewer_b"), sheet, "review", best_answers(parsed, "r"))
        assert response.status_code == 404


class TestHistoryAndLocking:
    def test_every_change_is_recorded_with_old_and_new(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        post_sheet(client, sheet, "self", {"s-6-score": "2"})
        sheet.refresh_from_db()
        post_sheet(client, sheet, "self", {"s-6-score": "2.5"})
        scores = Change.objects.filter(assessment=sheet, what="self_score").order_by("id")
        assert [(c.old, c.new) for c in scores] == [("", "2.00"), ("2.00", "2.50")]
        assert all(c.user == world.users["coordinator_a"] for c in scores)
        history = client.get(reverse("assessments:sheet_history", args=[sheet.pk])).content.decode()
        assert "2.50" in history and "自评得分" in history

    def test_a_save_on_a_stale_version_is_refused_and_says_what_changed(self, world, client_for):
        sheet = world.sheet_a
        stale = sheet.version
        post_sheet(client_for("coordinator_a"), sheet, "self", {"s-6-score": "2"})
        response = client_for("admin").post(
            reverse("assessments:sheet_self", args=[sheet.pk]), {"version": stale, "s-6-score": "1"}
        )
        assert response.status_code == 409
        text = response.content.decode()
        assert "其他人修改了这张考核表" in text
        assert "coordinator_a" in text and "第 6 项" in text
        assert ItemScore.objects.get(
            assessment=sheet, item__key="6", side=Side.SELF
        ).score == Decimal("2")

    def test_background_save_answers_json_with_the_new_version(self, world, client_for):
        sheet = world.sheet_a
        response = client_for("coordinator_a").post(
            reverse("assessments:sheet_self", args=[sheet.pk]),
            {"version": sheet.version, "s-6-score": "3"},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        assert response.json()["saved"] is True
        assert response.json()["version"] == sheet.version + 1

    def test_finalised_cycle_refuses_every_save(self, world, client_for):
        cycle = world.cycle
        Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.FINALISED)
        sheet = world.sheet_a
        response = post_sheet(client_for("admin"), sheet, "review", {"r-6-score": "1"})
        assert response.status_code == 422
        assert "已定稿" in response.content.decode()
        assert not ItemScore.objects.filter(assessment=sheet).exists()
