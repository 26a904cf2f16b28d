"""A rule kind is described once, in the engine registry: a throwaway kind registered here,
with its own tiny rule module, shows up in the rubric form, the assessment sheet pages, the
offline workbook and validation without any other file changing."""

import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, ItemScore
from assessments.sides import Side
from assessments.workbook import blank_workbook, columns_for
from rubrics import engine
from rubrics.admin import ItemForm
from rubrics.convert import engine_rubric
from rubrics.engine.rounding import fmt, round_points
from rubrics.engine.rules import KINDS, ItemOutcome, Param, RuleKind, registered
from rubrics.engine.rules.base import count
from rubrics.engine.rules.kind import one_field
from rubrics.input_fields import fields_for, read_inputs
from rubrics.models import Item
from rubrics.services import rubric_import

# ------------------------------------------------ the throwaway kind's rule module


@dataclass(frozen=True)
class StarsSpec:
    per_star: Decimal

    def to_params(self) -> dict:
        return {"per_star": self.per_star}


def parse(p, max_points):
    return StarsSpec(per_star=p.decimal("per_star", positive=True) or Decimal(1))


def read(item, raw):
    return count(raw, "stars", "星数")


def score(item, stars, places):
    points = round_points(min(item.spec.per_star * stars, item.max_points), places)
    return ItemOutcome(points, f"{stars} 颗星，得 {fmt(points)} 分")


def warnings(item):
    if item.spec.per_star > item.max_points:
        return [f"一颗星即得 {fmt(item.spec.per_star)} 分，超过满分 {fmt(item.max_points)} 分"]
    return []


STARS = RuleKind(
    "stars",
    "按星级得分",
    (
        Param(
            "per_star",
            "每颗星得分",
            "number",
            "每颗星得的分数。",
            required=True,
            example="1",
        ),
    ),
    parse,
    read,
    score,
    **one_field("stars", "星数", "integer"),
    columns=(("stars", "星数"),),
    sample=lambda params, top, draw: {"stars": draw.rng.randrange(0, 5)},
    warnings=warnings,
    memo_field="stars",
)


@pytest.fixture
def stars():
    with registered(STARS) as kind:
        yield kind


def rubric_data(per_star="1"):
    return {
        "code": "stars-test",
        "title": "星级测试",
        "grades": [{"label": "合格", "min": "3", "subsidy_percent": "100"}],
        "sections": [
            {
                "key": "s",
                "title": "服务",
                "items": [
                    {
                        "key": "x",
                        "number": "1",
                        "title": "服务星级",
                        "max_points": "4",
                        "kind": "stars",
                        "params": {"per_star": per_star},
                    }
                ],
            }
        ],
    }


class TestThrowawayKindThroughTheRegistryAlone:
    def test_scores_on_a_rubric(self, stars):
        rubric = engine.rubric_from_dict(rubric_data())
        result = engine.evaluate(rubric, {"items": {"x": {"stars": "3"}}})
        assert result.total == Decimal("3")
        assert result.items[0].explanation == "3 颗星，得 3 分"

    def test_sheet_fields_read_back_into_a_scored_input(self, stars):
        rubric = engine.rubric_from_dict(rubric_data())
        item = rubric.item("x")
        fields = fields_for(item, "t")
        assert [(f.name, f.label, f.widget) for f in fields] == [("t-x-stars", "星数", "integer")]
        inputs = read_inputs(rubric.items, {"t-x-stars": "5"}, "t")
        assert inputs == {"x": {"stars": "5"}}
        # 5 stars × 1 = 5, capped at the item's 4 points.
        assert engine.evaluate(rubric, {"items": inputs}).total == Decimal("4")

    def test_offline_workbook_has_its_column(self, stars):
        rubric = engine.rubric_from_dict(rubric_data())
        assert [(key, header) for _item, key, header in columns_for(rubric)] == [
            ("stars", "1 服务星级（星数）")
        ]
        book = openpyxl.load_workbook(io.BytesIO(blank_workbook(rubric, "星级测试", [])))
        assert book["评分表"].cell(2, 3).value == "1 服务星级（星数）"
        assert "说明" not in book.sheetnames  # nothing left for the web only

    def test_validation_gives_its_warning(self, stars):
        rubric = engine.rubric_from_dict(rubric_data(per_star="5"))
        findings = engine.validate(rubric)
        assert [f.message for f in findings if f.where == "第 1 项「服务星级」"] == [
            "第 1 项「服务星级」：一颗星即得 5 分，超过满分 4 分"
        ]

    def test_demo_sample_is_drawn_by_the_kind(self, stars):
        import random

        sample = engine.rules.sample_input(
            "stars", {"per_star": "1"}, Decimal(4), random.Random(1), 0.9
        )
        assert set(sample) == {"stars"}

    def test_gone_when_unregistered(self):
        with registered(STARS):
            assert "stars" in KINDS
        assert "stars" not in KINDS
        with pytest.raises(engine.RubricFormatError):
            engine.rubric_from_dict(rubric_data())


@pytest.mark.django_db
class TestThrowawayKindInThePages:
    def test_rubric_form_offers_it_and_explains_its_parameters(self, stars):
        form = ItemForm(instance=Item(kind="stars"))
        assert ("stars", "按星级得分") in list(form.fields["kind"].choices)
        help_text = str(form.fields["params"].help_text)
        assert "per_star（每颗星得分" in help_text and "每颗星得的分数" in help_text

    def test_rubric_form_checks_its_parameters(self, stars):
        rubric = rubric_import(data=rubric_data())[0]
        section = rubric.sections.get()
        base = {
            "section": section.pk,
            "order": 0,
            "key": "y",
            "title": "新星级",
            "max_points": "4",
            "kind": "stars",
            "na_policy": "none",
        }
        assert ItemForm(data={**base, "params": '{"per_star": "1"}'}).is_valid()
        bad = ItemForm(data={**base, "params": '{"per_star": "0"}'})
        assert not bad.is_valid()
        assert "参数「per_star」应大于 0" in bad.errors["params"]

    def test_change_page_lists_it(self, stars, client_for):
        rubric = rubric_import(data=rubric_data())[0]
        page = client_for("admin").get(reverse("admin:rubrics_rubric_change", args=[rubric.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert '<option value="stars" selected>按星级得分</option>' in text

    def test_trial_sheet_renders_its_field_and_scores_it(self, stars, client_for):
        rubric = rubric_import(data=rubric_data())[0]
        url = reverse("admin:rubrics_rubric_trial", args=[rubric.pk])
        client = client_for("admin")
        assert 'name="t-x-stars"' in client.get(url).content.decode()
        response = client.post(url, {"t-x-stars": "2"})
        assert response.context["errors"] == []
        assert response.context["result"].total == Decimal("2")
        assert engine_rubric(rubric).item("x").rule is STARS

    def test_needs_no_migration(self, stars):
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def stars_sheet(world):
    """Unit A's sheet in a cycle on the stars rubric, open for self-assessment."""
    data = {**rubric_data(), "columns": {"self": "自评得分", "review": "考核得分"}}
    rubric = rubric_import(data=data)[0]
    admin = world.users["admin"]
    cycle = services.cycle_create(
        title="星级测试考核", year=2026, rubric=rubric, units=[world.unit_a], user=admin
    )
    services.cycle_step(cycle=cycle, action="open_self", user=admin)
    return Assessment.objects.get(cycle=cycle, unit=world.unit_a)


def stored(sheet, side):
    return ItemScore.objects.get(assessment=sheet, item__key="x", side=side)


@pytest.mark.django_db
class TestThrowawayKindOnTheSheet:
    def test_coordinator_sheet_renders_its_field(self, stars, world, client_for):
        sheet = stars_sheet(world)
        url = reverse("assessments:sheet_self", args=[sheet.pk])
        page = client_for("coordinator_a").get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "<span>星数</span>" in text
        assert '<input type="text" inputmode="decimal" name="s-x-stars" value=""' in text

    def test_coordinator_saves_a_value_scored_by_the_kind(self, stars, world, client_for):
        sheet = stars_sheet(world)
        url = reverse("assessments:sheet_self", args=[sheet.pk])
        client = client_for("coordinator_a")
        response = client.post(url, {"version": sheet.version, "s-x-stars": "3"})
        assert response.status_code == 302
        score = stored(sheet, Side.SELF)
        assert score.input == {"stars": "3"}
        # The kind's own score: 3 stars × 1 point.
        assert score.score == Decimal("3")
        assert score.explanation == "3 颗星，得 3 分"
        sheet.refresh_from_db()
        assert sheet.total_for(Side.SELF) == Decimal("3")
        # The page fills the field back from the stored input.
        text = client.get(url).content.decode()
        assert 'name="s-x-stars" value="3"' in text

    def test_kind_caps_what_the_page_saves(self, stars, world, client_for):
        sheet = stars_sheet(world)
        url = reverse("assessments:sheet_self", args=[sheet.pk])
        client_for("coordinator_a").post(url, {"version": sheet.version, "s-x-stars": "7"})
        # 7 stars × 1 = 7, capped at the item's 4 points.
        assert stored(sheet, Side.SELF).score == Decimal("4")

    def test_reviewer_sees_the_self_score_and_scores_it_too(self, stars, world, client_for):
        sheet = stars_sheet(world)
        coordinator = client_for("coordinator_a")
        coordinator.post(
            reverse("assessments:sheet_self", args=[sheet.pk]),
            {"version": sheet.version, "s-x-stars": "3", "then": "submit"},
        )
        # 提交 is confirmed on the page it leads to
        coordinator.post(reverse("assessments:sheet_action", args=[sheet.pk]), {"action": "submit"})
        sheet.refresh_from_db()
        assert sheet.state == Assessment.State.SUBMITTED

        reviewer = client_for("reviewer_a")
        detail = reviewer.get(reverse("assessments:sheet_detail", args=[sheet.pk]))
        assert detail.status_code == 200
        assert "3 颗星，得 3 分" in detail.content.decode()

        review_url = reverse("assessments:sheet_review", args=[sheet.pk])
        page = reviewer.get(review_url)
        assert page.status_code == 200
        text = page.content.decode()
        assert 'name="r-x-stars" value=""' in text
        assert "3 颗星，得 3 分" in text  # the self column beside the reviewer's field
        response = reviewer.post(review_url, {"version": sheet.version, "r-x-stars": "2"})
        assert response.status_code == 302
        assert stored(sheet, Side.REVIEW).score == Decimal("2")
        assert stored(sheet, Side.SELF).score == Decimal("3")


class TestKindChoices:
    def test_item_kind_choices_are_the_registry_labels(self):
        field = Item._meta.get_field("kind")
        assert list(field.choices) == [(name, kind.label) for name, kind in KINDS.items()]

    def test_every_kind_describes_its_parameters(self):
        for kind in KINDS.values():
            for param in kind.params:
                assert param.label and param.help, (kind.name, param.name)
