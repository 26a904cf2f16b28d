"""A printed score sheet carries the day its review was finished (not the day it is printed)
and a seal box for the assessing body beside the assessed unit's."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def flat_pdf(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


def printed(world, client_for) -> str:
    response = client_for("reviewer_a").get(
        reverse("assessments:sheet_pdf", args=[world.sheet_a.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    return flat_pdf(response.content)


class TestPrintedSheet:
    def test_the_review_date_is_printed_not_the_print_date(self, world, client_for):
        reviewed = timezone.make_aware(datetime(2025, 1, 8, 15, 30))
        Assessment.objects.filter(pk=world.sheet_a.pk).update(reviewed_at=reviewed)
        text = printed(world, client_for)
        assert "考核日期：2025年1月8日" in text
        today = timezone.localdate()
        assert f"{today.year}年{today.month}月{today.day}日" not in text

    def test_a_sheet_not_reviewed_yet_leaves_the_date_to_be_written(self, world, client_for):
        text = printed(world, client_for)
        today = timezone.localdate()
        assert f"{today.year}年{today.month}月{today.day}日" not in text
        assert "考核日期：年月日" in text  # the paper form's blank

    def test_both_the_assessed_unit_and_the_assessing_body_have_a_seal_box(self, world, client_for):
        text = printed(world, client_for)
        assert "被考核单位（盖章）" in text and "考核单位（盖章）" in text.replace(
            "被考核单位（盖章）", ""
        )
