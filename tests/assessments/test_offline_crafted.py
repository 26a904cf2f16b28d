"""Hole 2: a crafted offline score workbook is refused on the upload page with a message,
and the database is as it was. openpyxl's read-only mode padded every row to the declared
dimension (16,384 columns) and the reader listed every row before checking the header."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests import crafted, dbstate
from tests.assessments.test_offline_and_exports import reviewing

pytestmark = pytest.mark.django_db


@override_settings(**crafted.LOWERED)
@pytest.mark.parametrize(
    ("build", "said"), [a[1:] for a in crafted.ATTACKS], ids=[a[0] for a in crafted.ATTACKS]
)
def test_a_crafted_workbook_is_refused_on_the_page_and_nothing_is_written(
    world, client_for, build, said
):
    cycle = reviewing(world)
    client = client_for("reviewer_a")  # logged in first: the log-in writes its session
    before = dbstate.snapshot()
    response = client.post(
        reverse("assessments:score_import", args=[cycle.pk]),
        {"file": SimpleUploadedFile("评分.xlsx", build()), "side": "review"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert said in page and "文件「评分.xlsx」" in page
    assert dbstate.snapshot() == before
