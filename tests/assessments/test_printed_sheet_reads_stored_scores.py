"""A printed sheet shows the scores and results as stored, and marks what it cannot read."""

import io
import logging
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import printouts
from assessments.models import ItemScore
from kit.formatting import UNREADABLE

pytestmark = pytest.mark.django_db


def flat_text(content: bytes) -> str:
    return "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def review(sheet, key, **fields):
    """Store side rows of one item: ``review_score=…`` is the review side's ``score`` and so
    on, one ItemScore row per side named."""
    item = sheet.cycle.rubric.items.get(key=key)
    by_side = {}
    for name, value in fields.items():
        side, column = name.split("_", 1)
        by_side.setdefault(side, {})[column] = value
    for side, values in by_side.items():
        ItemScore.objects.update_or_create(assessment=sheet, item=item, side=side, defaults=values)


class TestStoredScores:
    def test_the_printed_item_score_is_the_stored_one(self, world):
        sheet = world.sheet_a
        # 2.75 is no step of item 6 (0.5): only a stored value can print it.
        review(sheet, "6", review_input={"score": "2.5"}, review_score=Decimal("2.75"))
        doc = printouts.sheet_doc(sheet)
        assert doc.review_scores["6"] == Decimal("2.75")

    def test_stored_scores_are_keyed_by_item_and_side(self, world):
        sheet = world.sheet_a
        review(
            sheet,
            "6",
            self_input={"score": "3"},
            self_score=Decimal("3"),
            self_explanation="自评 3 分",
            review_input={"score": "2.5"},
            review_score=Decimal("2.5"),
            review_explanation="评 2.5 分",
            review_note="台账不全",
        )
        stored = printouts.stored_scores(sheet)
        assert stored[("6", "self")] == (Decimal("3"), "自评 3 分", "")
        assert stored[("6", "review")] == (Decimal("2.5"), "评 2.5 分", "台账不全")


class TestUnreadableInputs:
    def test_an_input_without_a_score_prints_a_marker_and_is_logged(
        self, world, client_for, caplog
    ):
        sheet = world.sheet_a
        review(sheet, "6", review_input={"score": "2.5"}, review_score=None)
        with caplog.at_level(logging.WARNING, logger="assessments.printouts"):
            response = client_for("admin").get(reverse("assessments:sheet_pdf", args=[sheet.pk]))
        text = flat_text(response.content)
        assert "（无法读取）" in text
        assert any("item 6" in r.getMessage() for r in caplog.records)

    def test_an_unreadable_stored_result_marks_the_totals(self, world, caplog):
        sheet = world.sheet_a
        result = sheet.cycle.results.get(unit=sheet.unit)
        result.detail["phases"][sheet.phase]["total"] = "12O"
        result.save(update_fields=["detail"])
        with caplog.at_level(logging.WARNING, logger="assessments.printouts"):
            doc = printouts.sheet_doc(sheet, result=result)
        assert doc.result.total is UNREADABLE
        assert any("12O" in r.getMessage() for r in caplog.records)

    def test_an_unreadable_self_score_in_the_result_marks_the_summary(
        self, world, client_for, caplog
    ):
        cycle = world.cycle
        result = cycle.results.get(unit=world.unit_a)
        result.detail["self"] = {"annual": {"6": "两分"}}
        result.save(update_fields=["detail"])
        with caplog.at_level(logging.WARNING, logger="assessments.printouts"):
            doc = printouts.summary_doc(cycle)
        row = next(r for r in doc.rows if r.unit == "淹城社区")
        assert row.self_total is UNREADABLE
        assert any("两分" in r.getMessage() for r in caplog.records)
