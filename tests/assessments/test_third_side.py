"""A third score side (the city's spot check, 抽查) is one more value with its description row
in ``assessments.sides.SIDES``: saving, totals, history, results and the sheet page follow."""

import importlib
from decimal import Decimal

import pytest
from django.urls import clear_url_caches, reverse

import config.urls
from assessments import compute, services
from assessments.models import Assessment, Change, Cycle, ItemScore, SideTotal
from assessments.sides import SIDES, Side, SideInfo
from assessments.urls import __name__ as assessments_urls

pytestmark = pytest.mark.django_db

SPOT = "spot"  # stands for a new ``Side`` value (an enum cannot grow at run time)

SPOT_INFO = SideInfo(
    label="抽查",
    score_label="抽查得分",
    input_label="抽查输入",
    note_label="抽查意见",
    note_field="抽查意见",
    total_label="抽查总分",
    prefix="c",
    column=None,
    optional=False,
    may_write=lambda scope, sheet: scope.is_admin,  # the bureau's administrators only
    write_refused="只有市局可以抽查。",
    open_in=(Cycle.State.REVIEW,),
    not_open="抽查尚未开始。",
    sheet_states=None,
    sheet_closed="",
    waits_for=Side.SELF,
    waiting="该单位尚未提交自评，暂不能抽查。",
    edit_label="抽查",
    finish=None,
    finish_label="",
    gap_note="与其他评分差距较大",
)


def _reload_urls():
    importlib.reload(importlib.import_module(assessments_urls))
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def spot_side():
    SIDES[SPOT] = SPOT_INFO
    _reload_urls()  # the side pages are routed from SIDES when the URLconf loads
    yield SPOT
    del SIDES[SPOT]
    _reload_urls()


def submitted_sheet(world):
    sheet = world.sheet_a
    Cycle.objects.filter(pk=sheet.cycle_id).update(state=Cycle.State.REVIEW)
    Assessment.objects.filter(pk=sheet.pk).update(state=Assessment.State.SUBMITTED)
    return Assessment.objects.select_related("cycle__rubric", "unit__parent", "coordinator").get(
        pk=sheet.pk
    )


def save(sheet, user, side, inputs, notes=None):
    outcome = services.sheet_save(
        sheet=sheet,
        user=user,
        side=side,
        inputs=inputs,
        notes=notes or {},
        expected_version=sheet.version,
    )
    assert outcome.saved, outcome.errors
    sheet.refresh_from_db()
    return outcome


class TestThirdSide:
    def test_a_spot_check_is_saved_and_totalled_beside_the_review(self, world, spot_side):
        sheet = submitted_sheet(world)
        admin = world.users["admin"]
        save(sheet, admin, Side.REVIEW, {"6": {"score": "3"}})
        save(sheet, admin, spot_side, {"6": {"score": "1.5"}}, {"6": "抽查发现台账不全"})

        spot = ItemScore.objects.get(assessment=sheet, item__key="6", side=spot_side)
        assert (spot.input, spot.score, spot.note) == (
            {"score": "1.5"},
            Decimal("1.5"),
            "抽查发现台账不全",
        )
        review = ItemScore.objects.get(assessment=sheet, item__key="6", side=Side.REVIEW)
        assert review.score == Decimal("3")
        assert dict(SideTotal.objects.filter(assessment=sheet).values_list("side", "total")) == {
            Side.REVIEW: Decimal("3"),
            spot_side: Decimal("1.5"),
        }
        assert Change.objects.filter(assessment=sheet, what="spot_score", new="1.50").exists()

    def test_results_keep_the_spot_scores_beside_the_review_they_are_computed_from(
        self, world, spot_side
    ):
        sheet = submitted_sheet(world)
        admin = world.users["admin"]
        save(sheet, admin, Side.REVIEW, {"6": {"score": "3"}})
        save(sheet, admin, spot_side, {"6": {"score": "1"}})
        compute.cycle_compute(cycle=sheet.cycle, user=admin)
        result = sheet.cycle.results.get(unit=sheet.unit)
        assert result.detail["phases"]["annual"]["scores"]["6"] == "3.00"
        assert result.detail[spot_side] == {"annual": {"6": "1.00"}}

    def test_the_spot_check_follows_its_own_description_of_when_it_is_open(self, world, spot_side):
        sheet = world.sheet_a  # self-assessment still open, sheet in draft
        with pytest.raises(services.WorkflowError, match="抽查尚未开始"):
            services.sheet_save(
                sheet=sheet,
                user=world.users["admin"],
                side=spot_side,
                inputs={"6": {"score": "1"}},
                notes={},
                expected_version=sheet.version,
            )

    def test_the_sheet_page_shows_and_edits_the_spot_column(self, world, spot_side, client_for):
        sheet = submitted_sheet(world)
        save(sheet, world.users["admin"], spot_side, {"6": {"score": "1.5"}}, {"6": "抽查属实"})
        admin = client_for("admin")
        page = admin.get(reverse("assessments:sheet_detail", args=[sheet.pk])).content.decode()
        assert "抽查总分" in page and 'id="spot-total"' in page and "抽查属实" in page
        assert reverse("assessments:sheet_spot", args=[sheet.pk]) in page
        edit = admin.get(reverse("assessments:sheet_spot", args=[sheet.pk]))
        assert edit.status_code == 200
        assert 'name="c-6-note"' in edit.content.decode()
        response = admin.post(
            reverse("assessments:sheet_spot", args=[sheet.pk]),
            {"version": sheet.version, "c-6-score": "2"},
        )
        assert response.status_code == 302
        assert ItemScore.objects.get(assessment=sheet, item__key="6", side=spot_side).score == 2
        # who may write it is its description too: here nobody but the bureau
        reviewer = client_for("reviewer_a").get(reverse("assessments:sheet_spot", args=[sheet.pk]))
        assert reviewer.status_code == 403
