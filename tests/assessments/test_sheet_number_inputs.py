"""Hole 6 of the security issue, through the sheet page: a rate typed as ``8\\n5`` was
stored as typed and scored as 85, and ``1e9`` % was accepted. Both are refused with the
item and value named, nothing written; an accepted number is stored as its canonical
decimal."""

import pytest

from assessments.models import Assessment, Change, ItemScore, SideTotal
from assessments.sides import Side
from tests.assessments.test_sheet_workflow import post_sheet

pytestmark = pytest.mark.django_db


def database():
    return (
        sorted(ItemScore.objects.values_list("assessment_id", "item_id", "side", "input", "score")),
        sorted(SideTotal.objects.values_list("assessment_id", "side", "total")),
        sorted(Assessment.objects.values_list("id", "state", "version")),
        Change.objects.count(),
    )


@pytest.mark.parametrize(
    "typed, words",
    [
        ("8\n5", "第 22 项「准确采集8人以上用工单位。」：数值「8\\n5」中间有空格或换行"),
        ("1e9", "第 22 项「准确采集8人以上用工单位。」：数值「1e9」不能写成科学计数法"),
        ("150", "第 22 项「准确采集8人以上用工单位。」：数值「150」超过 100%"),
        ("NaN", "第 22 项「准确采集8人以上用工单位。」：数值「NaN」不是数字"),
    ],
)
def test_a_malformed_rate_is_refused_on_the_sheet_and_nothing_is_written(
    world, client_for, typed, words
):
    sheet = world.sheet_a
    before = database()
    response = post_sheet(
        client_for("coordinator_a"), sheet, "self", {"s-22-value": typed, "s-6-score": "2"}
    )
    assert response.status_code == 422
    assert words in response.content.decode()
    assert database() == before


def test_an_accepted_rate_is_stored_as_its_canonical_decimal(world, client_for):
    sheet = world.sheet_a
    response = post_sheet(
        client_for("coordinator_a"),
        sheet,
        "self",
        {"s-22-value": " 92.50 ", "s-6-score": "２．５０"},
    )
    assert response.status_code == 302
    stored = dict(
        ItemScore.objects.filter(assessment=sheet, side=Side.SELF).values_list("item__key", "input")
    )
    assert stored == {"22": {"value": "92.5"}, "6": {"score": "2.5"}}
