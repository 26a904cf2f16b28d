from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from rubrics.services import rubric_freeze, rubric_import

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics"


def load(code):
    data = yaml.safe_load((FIXTURES / f"{code}.yaml").read_text(encoding="utf-8"))
    return rubric_import(data=data)[0]


@pytest.mark.django_db
class TestRubricAdminPages:
    def test_change_page_shows_the_documents_own_arithmetic_mismatch(self, client_for):
        rubric = load("changzhou-village")
        page = client_for("admin").get(reverse("admin:rubrics_rubric_change", args=[rubric.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        # 常州 village section 三 declares 22 but its items 9–17 sum to 2+2+2+3+3+3+3+3+3 = 24.
        assert "22" in text and "24" in text and "警告" in text

    def test_frozen_rubric_opens_read_only(self, client_for):
        rubric = load("changzhou-community")
        rubric_freeze(rubric=rubric)
        client = client_for("admin")
        url = reverse("admin:rubrics_rubric_change", args=[rubric.pk])
        assert "已被考核周期使用并冻结" in client.get(url).content.decode()
        before = rubric.title
        client.post(url, {"title": "改名"})
        rubric.refresh_from_db()
        assert rubric.title == before

    def test_non_admin_cannot_open_the_trial_page(self, client_for):
        rubric = load("changzhou-community")
        response = client_for("reviewer_a").get(
            reverse("admin:rubrics_rubric_trial", args=[rubric.pk])
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
class TestTrialCalculation:
    def test_veto_failure_is_explained_and_forces_buhege(self, client_for):
        rubric = load("changzhou-community")
        post = {f"t-{k}-passed": "yes" for k in ("1", "3", "4", "5")}
        post["t-2-passed"] = "no"
        response = client_for("admin").post(
            reverse("admin:rubrics_rubric_trial", args=[rubric.pk]), post
        )
        result = response.context["result"]
        assert result.veto is not None and result.veto.number == "2"
        assert result.grade == "不合格"
        assert "一票否决" in response.content.decode()

    def test_out_of_range_score_comes_back_as_a_chinese_message_not_an_error_page(self, client_for):
        rubric = load("changzhou-community")
        response = client_for("admin").post(
            reverse("admin:rubrics_rubric_trial", args=[rubric.pk]), {"t-6-score": "5"}
        )
        assert response.status_code == 200
        assert any("第 6 项" in e for e in response.context["errors"])

    def test_best_answer_on_every_item_scores_98_and_excellent(self, client_for):
        # 常州 community item 26 is worth 4 points, but its rule gives at most 2
        # ("按规定传递、上报信息得2分，有但不规范1分"): the best possible total is 100 − 2 = 98.
        rubric = load("changzhou-community")
        post = {}
        for item in rubric.items.all():
            if item.kind == "veto":
                post[f"t-{item.key}-passed"] = "yes"
            elif item.kind == "peer_average":
                post[f"t-{item.key}-ratings"] = f"{item.max_points} {item.max_points}"
            elif item.kind == "discretionary":
                post[f"t-{item.key}-score"] = str(item.max_points)
            elif item.kind == "checklist":
                for part in item.params["parts"]:
                    post[f"t-{item.key}-flag-{part['key']}"] = "on"
            elif item.kind == "brackets":
                post[f"t-{item.key}-value"] = "100"
            else:  # deductions: nothing found wrong
                assert item.kind == "fixed_deductions", item.kind
                post[f"t-{item.key}-entered"] = "1"
        response = client_for("admin").post(
            reverse("admin:rubrics_rubric_trial", args=[rubric.pk]), post
        )
        assert response.context["errors"] == []
        result = response.context["result"]
        assert result.total == Decimal("98")
        assert result.grade == "优秀"
        assert result.subsidy_percent == Decimal("120")


@pytest.mark.django_db
class TestItemForm:
    def form(self, rubric, **changes):
        from rubrics.admin import ItemForm

        section = rubric.sections.first()
        data = {
            "section": section.pk,
            "order": 99,
            "key": "x1",
            "number": "99",
            "title": "新增项目",
            "requirement": "",
            "rule_text": "每少10人扣1分",
            "max_points": "3",
            "kind": "shortfall_step",
            "params": '{"step": "10", "points": "1"}',
            "na_policy": "none",
            "indicator": "",
        }
        data.update(changes)
        return ItemForm(data=data)

    def test_parameters_the_rule_needs_are_accepted(self):
        rubric = load("changzhou-community")
        form = self.form(rubric)
        assert form.is_valid(), form.errors

    def test_missing_parameters_are_reported_on_the_params_field(self):
        rubric = load("changzhou-community")
        form = self.form(rubric, params="{}")
        assert not form.is_valid()
        assert "params" in form.errors
