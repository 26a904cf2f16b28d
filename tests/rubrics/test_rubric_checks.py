"""checks.json, the checks panel and the 试算 page of a stored rubric."""

from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from rubrics.models import Item
from tests.conftest import import_seed_rubric


def problems(client, rubric):
    response = client.get(reverse("rubrics:checks", args=[rubric.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.django_db
class TestChecksJson:
    def test_the_village_standards_own_mismatches_are_placed_on_their_rows(self, client_for):
        rubric = import_seed_rubric("changzhou-village")
        data = problems(client_for("admin"), rubric)
        by_row = {p["row"]: p for p in data["problems"]}
        # 常州 village 三: 小计 22, items 9–17 make 2+2+2+3+3+3+3+3+3 = 24; the subtotals
        # make 15+10+22+12+21+16 = 96, the items 98, the 合计 says 100.
        assert by_row["section:s3"]["message"] == "三、促进就业创业：小计标注 22 分，各项合计 24 分"
        assert (
            by_row["rubric"]["message"] == "各部分小计合计 96 分，各项合计 98 分，标注总分 100 分"
        )
        assert by_row["item:27"]["level"] == "warning"
        assert data["errors"] == 0 and data["summary"] == "3 个提示。"

    def test_a_changed_item_is_checked_as_stored_now(self, client_for):
        rubric = import_seed_rubric("changzhou-community")
        Item.objects.filter(rubric=rubric, key="6").update(max_points=D("5"))
        by_row = {p["row"]: p["message"] for p in problems(client_for("admin"), rubric)["problems"]}
        # 二 declares 10; its items make 5 + 3 + 4 = 12, and all items 102.
        assert by_row["section:s2"] == "二、社区基础信息管理：小计标注 10 分，各项合计 12 分"
        assert "各项合计 102 分" in by_row["rubric"]

    def test_an_item_whose_rule_cannot_be_read_is_an_error_on_its_row(self, client_for):
        rubric = import_seed_rubric("changzhou-community")
        Item.objects.filter(rubric=rubric, key="22").update(params={"brackets": "高"})
        data = problems(client_for("admin"), rubric)
        (error,) = [p for p in data["problems"] if p["level"] == "error"]
        assert error["row"] == "item:22"
        # The parameter is named as the page names it, never by the file's key.
        assert "分档" in error["message"] and "brackets" not in error["message"]
        assert data["errors"] == 1 and "须改正后才能开始考核" in data["summary"]

    def test_a_rubric_without_grade_bands_is_an_error_of_the_rubric(self, client_for):
        rubric = import_seed_rubric("changzhou-community")
        rubric.grade_bands.all().delete()
        error = problems(client_for("admin"), rubric)["problems"][0]
        assert error == {
            "row": "rubric",
            "level": "error",
            "message": "没有设置等次分数线：无法评定等次，所有单位都将评为「不合格」，请至少设置一个等次",
        }


@pytest.mark.django_db
class TestChecksPanel:
    def test_the_panel_lists_the_problems_without_script_and_names_its_source(self):
        rubric = import_seed_rubric("changzhou-village")
        html = render_to_string("rubrics/_checks_panel.html", {"rubric": rubric})
        assert f'data-checks-url="/rubrics/{rubric.pk}/checks.json"' in html
        assert 'data-for="section:s3"' in html and "小计标注 22 分，各项合计 24 分" in html
        assert "js/rubric_checks.js" in html and "<script>" not in html


# 常州 community, entered by hand (items not listed are left blank and score nothing):
#   一 (veto 1–5, 3 points each, all passed)                       15
#   二  6: 2.5   7: 3   8: 3.5                                        9
#   三  9: 3   10: 3 − 2 (还款率低于80%) = 1   12: 3   13: 3   15: 4    14
#   五 22: 85 % is in the 80 %–90 % bracket = 2   23: 3   24: 4   25: 4   13
#   六 27: 4   28: 4   29: 4                                         12
#   total 15 + 9 + 14 + 13 + 12 = 63 → 基本合格 (60 ≤ 63 < 75), subsidy 0 %.
HAND = {
    **{f"t-{k}-passed": "yes" for k in "12345"},
    **{f"t-{k}-score": v for k, v in (("6", "2.5"), ("7", "3"), ("8", "3.5"))},
    **{f"t-{k}-score": v for k, v in (("9", "3"), ("12", "3"), ("13", "3"), ("15", "4"))},
    "t-10-flag-repayment_below_80": "on",
    "t-10-entered": "on",
    "t-22-value": "85",
    **{f"t-{k}-score": v for k, v in (("23", "3"), ("24", "4"), ("25", "4"))},
    **{f"t-{k}-score": "4" for k in ("27", "28", "29")},
}


@pytest.mark.django_db
class TestTrialPage:
    def test_hand_entered_inputs_give_the_hand_worked_scores(self, client_for):
        rubric = import_seed_rubric("changzhou-community")
        response = client_for("admin").post(reverse("rubrics:trial", args=[rubric.pk]), HAND)
        assert response.status_code == 200
        trial = response.context["trial"]
        assert trial.errors == []
        result = trial.result
        subtotals = {s.key: s.subtotal for s in result.sections}
        assert subtotals == {
            "s1": D(15), "s2": D(9), "s3": D(14), "s4": D(0), "s5": D(13), "s6": D(12)
        }  # fmt: skip
        assert result.item("10").score == D(1) and result.item("22").score == D(2)
        assert (result.total, result.grade, result.subsidy_percent) == (D(63), "基本合格", D(0))
        text = response.content.decode()
        assert 'id="trial-total">63<' in text and 'id="trial-grade">基本合格<' in text
        assert 'data-subtotal="s3">14' in text
        assert "当年还款率低于80%" in text  # the explanation of item 10

    def test_a_bad_input_is_said_at_the_page_and_nothing_breaks(self, client_for):
        rubric = import_seed_rubric("changzhou-community")
        response = client_for("admin").post(
            reverse("rubrics:trial", args=[rubric.pk]), {"t-6-score": "九"}
        )
        assert response.status_code == 200
        errors = response.context["trial"].errors
        assert len(errors) == 1 and "第 6 项" in errors[0]
        assert errors[0] in response.content.decode()

    def test_opened_without_inputs_it_scores_each_kinds_sample(self, client_for):
        rubric = import_seed_rubric("hutang-2014-community")
        response = client_for("admin").get(reverse("rubrics:trial", args=[rubric.pk]))
        trial = response.context["trial"]
        assert trial.sampled and trial.errors == [] and trial.result.complete
        # Every score shown is the engine's for the inputs in the form.
        assert 'id="trial-total">' in response.content.decode()

    def test_the_panel_included_with_the_rubric_alone_scores_the_samples(self):
        rubric = import_seed_rubric("changzhou-community")
        html = render_to_string("rubrics/_trial_panel.html", {"rubric": rubric})
        assert 'id="trial-total"' in html and f'action="/rubrics/{rubric.pk}/trial/"' in html
        assert "data-row=" not in html  # beside the editor, the editor's rows carry data-row
