"""Hole 1 of the security issue: the side an offline workbook is imported as.

A town reviewer could write a coordinator's self-assessment through the workbook: the page
offered 「导入为：自评得分」, the service never checked the side against the role, and the
confirm step read ``side`` again from the POST. Each test replays one form of the attack
and asserts the database is unchanged after the refusal.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Change, Cycle, ItemScore, SideTotal
from assessments.sides import Side
from assessments.workbook import blank_workbook
from rubrics.selectors import engine_rubric_for
from tests.assessments.test_offline_and_exports import reviewing

pytestmark = pytest.mark.django_db

ITEM_6 = "6 准确采集社区内离退休人员、失业人员信息。（得分）"


def database(cycle):
    """Everything an import could change, to compare before and after a refusal."""
    return (
        sorted(ItemScore.objects.values_list("assessment_id", "item_id", "side", "input", "score")),
        sorted(SideTotal.objects.values_list("assessment_id", "side", "total")),
        sorted(Assessment.objects.values_list("id", "state", "version")),
        Change.objects.count(),
        Cycle.objects.get(pk=cycle.pk).state,
    )


def workbook(cycle):
    """The workbook town A's reviewer downloads (sheet A only), item 6 filled in."""
    import io

    import openpyxl

    parsed = engine_rubric_for(cycle.rubric)
    sheets = list(cycle.assessments.filter(unit__name="淹城社区").select_related("unit"))
    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(parsed, cycle.title, sheets)))
    ws = wb["评分表"]
    headers = [c.value for c in ws[2]]
    ws.cell(4, headers.index(ITEM_6) + 1).value = 2
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(cycle):
    return SimpleUploadedFile("scores.xlsx", workbook(cycle))


class TestSideOfferedAndChecked:
    def test_reviewer_is_offered_only_the_review_side(self, world, client_for):
        cycle = world.cycle
        page = client_for("reviewer_a").get(reverse("assessments:score_import", args=[cycle.pk]))
        assert page.status_code == 200
        assert [value for value, _label in page.context["side_options"]] == [Side.REVIEW]
        assert "自评得分" not in page.content.decode()

    def test_admin_is_offered_both_sides(self, world, client_for):
        cycle = world.cycle
        page = client_for("admin").get(reverse("assessments:score_import", args=[cycle.pk]))
        assert [value for value, _label in page.context["side_options"]] == [
            Side.REVIEW,
            Side.SELF,
        ]

    def test_reviewer_posting_side_self_at_preview_is_refused(self, world, client_for):
        cycle = world.cycle  # self-assessment open, both sheets in draft: self is writable
        before = database(cycle)
        client = client_for("reviewer_a")
        url = reverse("assessments:score_import", args=[cycle.pk])
        response = client.post(url, {"file": upload(cycle), "side": "self"})
        assert response.status_code == 403
        assert "自评只能由本单位协理员填报" in response.content.decode()
        token = (response.context or {}).get("token") if response.context else None
        if token:  # whatever a preview handed out, confirming it writes nothing
            client.post(url, {"token": token, "side": "self", "confirm": "1"})
        assert database(cycle) == before

    def test_reviewer_confirming_a_review_preview_as_self_writes_the_review(
        self, world, client_for
    ):
        cycle = reviewing(world)
        before_self = list(ItemScore.objects.filter(side=Side.SELF).values_list("id", "input"))
        client = client_for("reviewer_a")
        url = reverse("assessments:score_import", args=[cycle.pk])
        preview = client.post(url, {"file": upload(cycle), "side": "review"})
        assert "将修改 1 项" in preview.content.decode()
        token = preview.context["token"]
        done = client.post(url, {"token": token, "side": "self", "confirm": "1"})
        assert done.status_code == 302
        written = ItemScore.objects.filter(item__key="6").values_list(
            "assessment__unit__name", "side", "input"
        )
        assert list(written) == [("淹城社区", Side.REVIEW, {"score": "2"})]
        assert (
            list(ItemScore.objects.filter(side=Side.SELF).values_list("id", "input")) == before_self
        )

    def test_confirming_a_refused_review_preview_as_self_writes_nothing(self, world, client_for):
        """In the self-assessment period the review preview has errors (the unit has not
        submitted); its token must not let the reviewer commit the file as self scores."""
        cycle = world.cycle
        before = database(cycle)
        client = client_for("reviewer_a")
        url = reverse("assessments:score_import", args=[cycle.pk])
        preview = client.post(url, {"file": upload(cycle), "side": "review"})
        assert "尚未提交自评" in preview.content.decode()
        token = preview.context["token"]
        client.post(url, {"token": token, "side": "self", "confirm": "1"})
        assert database(cycle) == before

    def test_service_refuses_a_reviewer_importing_self_scores(self, world):
        cycle = world.cycle
        before = database(cycle)
        report = services.scores_import(
            cycle=cycle,
            content=workbook(cycle),
            side=Side.SELF,
            user=world.users["reviewer_a"],
            sheets=[world.sheet_a],
            commit=True,
        )
        assert not report.saved
        assert any("自评只能由本单位协理员填报" in e for e in report.errors)
        assert database(cycle) == before

    def test_coordinator_importing_review_scores_is_refused(self, world, client_for):
        cycle = reviewing(world)
        before = database(cycle)
        page = client_for("coordinator_a").post(
            reverse("assessments:score_import", args=[cycle.pk]),
            {"file": upload(cycle), "side": "review"},
        )
        assert page.status_code == 403
        report = services.scores_import(
            cycle=cycle,
            content=workbook(cycle),
            side=Side.REVIEW,
            user=world.users["coordinator_a"],
            sheets=[world.sheet_a],
            commit=True,
        )
        assert not report.saved
        assert any("只有本镇（街道）考核人员可以评分" in e for e in report.errors)
        assert database(cycle) == before

    def test_a_token_is_confirmed_only_on_its_own_cycle(self, world, client_for):
        cycle = reviewing(world)
        client = client_for("reviewer_a")
        preview = client.post(
            reverse("assessments:score_import", args=[cycle.pk]),
            {"file": upload(cycle), "side": "review"},
        )
        token = preview.context["token"]
        other = services.cycle_create(
            title="另一个周期",
            year=2027,
            rubric=cycle.rubric,
            units=[world.unit_a],
            user=world.users["admin"],
        )
        services.cycle_step(cycle=other, action="open_self", user=world.users["admin"])
        before = database(cycle)
        client.post(
            reverse("assessments:score_import", args=[other.pk]),
            {"token": token, "side": "review", "confirm": "1"},
        )
        assert database(cycle) == before
