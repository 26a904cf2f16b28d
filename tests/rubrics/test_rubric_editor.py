"""The rubric editor: its services, forms and pages (the browser test is
test_browser_rubric_editor.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from rubrics import services
from rubrics.editor_params import KindParams, choice_labels
from rubrics.engine.loader import plain
from rubrics.engine.rules import KINDS
from rubrics.selectors import engine_rubric_for


def as_posted(block: KindParams) -> dict:
    """The form data a browser sends for a parameter block as drawn."""
    data = {}
    for bound in block.fields:
        if bound.type == "rows":
            for part in bound.parts:
                for block in part.blocks:
                    data.update(as_posted(block))
            for cells in bound.rows:
                for cell in cells:
                    if cell.hidden:
                        continue
                    if cell.param.type == "bool":
                        if cell.checked:
                            data[cell.name] = "on"
                    else:
                        data[cell.name] = cell.value
        elif bound.type == "bool":
            if bound.checked:
                data[bound.name] = "on"
        else:
            data[bound.name] = bound.value
    return data


def example(kind) -> dict:
    return KindParams(kind).examples()


class TestParameterFields:
    @pytest.mark.parametrize("name", sorted(KINDS))
    def test_every_kinds_example_round_trips_through_its_generated_fields(self, name):
        kind = KINDS[name]
        top = Decimal(0) if kind.penalty else Decimal(6)
        errors: list[str] = []
        spec = kind.parse_params(example(kind), top, "", errors)
        assert spec is not None, errors
        expected = plain(spec.to_params())
        # Drawn from the stored parameters, sent back as the browser sends them.
        block = KindParams(kind, data=as_posted(KindParams(kind, params=expected)), params=expected)
        assert block.clean(top), [b.errors for b in block.fields] + block.errors_outside
        assert block.cleaned == expected

    def test_a_new_item_shows_each_parameters_example(self):
        block = KindParams(KINDS["deduct_per_occurrence"])
        assert {b.param.name: b.value for b in block.fields}["per"] == "1"
        assert block.sentence(Decimal(3)) == "每次扣 1 分，扣完为止，最多扣 3 分"

    def test_a_choice_is_offered_in_words_not_keys(self):
        param = next(p for p in KINDS["all_or_nothing"].params if p.name == "zero_target")
        assert choice_labels(param) == [("full", "得满分"), ("zero", "不得分")]

    def test_rows_take_a_code_of_their_own_when_the_page_adds_them(self):
        data = {
            "p-additive_bonus-levels-0-label": "省级",
            "p-additive_bonus-levels-0-points": "2",
            "p-additive_bonus-levels-7-label": "市级",  # a row added by the page
            "p-additive_bonus-levels-7-points": "1",
            "p-additive_bonus-levels-8-label": "",  # the blank row left empty
            "p-additive_bonus-levels-8-points": "",
        }
        block = KindParams(KINDS["additive_bonus"], data=data)
        assert block.clean(Decimal(2))
        levels = block.cleaned["levels"]
        assert [(lv["key"], lv["label"], lv["points"]) for lv in levels] == [
            ("a", "省级", "2"),
            ("b", "市级", "1"),
        ]


def errors_of(kind: str, data: dict, top="3") -> dict:
    block = KindParams(KINDS[kind], data=data)
    assert not block.clean(Decimal(top))
    out = {b.param.name: b.errors for b in block.fields if b.errors}
    if block.errors_outside:
        out[""] = block.errors_outside
    return out


class TestErrorsAtTheirField:
    def test_levels_left_empty_asks_for_a_level_in_words(self):
        assert errors_of("additive_bonus", {}) == {"levels": ["请至少填写一行「级别」"]}

    def test_a_number_that_is_not_one_says_which_field(self):
        errors = errors_of("deduct_per_occurrence", {"p-deduct_per_occurrence-per": "一分"})
        assert errors == {"per": ["「每次扣分」应为数字，如 1"]}

    def test_the_engines_own_message_is_put_in_the_fields_words(self):
        errors = errors_of("deduct_per_occurrence", {"p-deduct_per_occurrence-per": "0"})
        assert errors == {"per": ["「每次扣分」应大于 0"]}

    def test_a_row_missing_a_required_cell_names_its_row(self):
        errors = errors_of("brackets", {"p-brackets-brackets-0-min": "40"}, top="6")
        assert errors == {"brackets": ["第 1 行：请填写「得分」"]}

    def test_no_message_names_a_parameter_key(self):
        errors = errors_of("fixed_deductions", {})
        text = "".join(m for messages in errors.values() for m in messages)
        assert "「扣分情形」和「不得分情形」不能都为空" in text
        assert "deductions" not in text and "zero_if" not in text


@pytest.mark.django_db
class TestAuthoringServices:
    def test_a_new_rubric_prints_a_self_assessment_column(self):
        rubric = services.rubric_create(title="湖塘镇社区考核", year=2014, subject="unit")
        assert rubric.columns["self"] == "自评得分"
        assert [b.label for b in rubric.grade_bands.all()] == ["优秀", "合格", "基本合格"]

    def test_the_code_is_made_from_the_title_and_year_and_kept_apart(self):
        first = services.rubric_create(title="社区考核", year=2014, subject="unit")
        second = services.rubric_create(title="村考核", year=2014, subject="unit")
        assert first.code == "rubric-2014" and second.code == "rubric-2014-2"

    def test_items_move_within_their_section(self):
        rubric = services.rubric_create(title="t", year=2025, subject="unit")
        section = services.section_add(rubric=rubric, title="一")
        a = services.item_save(rubric=rubric, section=section, values=_values("甲"))
        b = services.item_save(rubric=rubric, section=section, values=_values("乙"))
        assert services.item_move(item=b, step=-1)
        assert [i.title for i in section.items.order_by("order")] == ["乙", "甲"]
        assert not services.item_move(item=a.__class__.objects.get(pk=b.pk), step=-1)

    def test_an_item_can_make_its_section_at_once(self):
        rubric = services.rubric_create(title="t", year=2025, subject="unit")
        item = services.item_save(rubric=rubric, new_section="二、业务经办", values=_values("甲"))
        assert item.section.title == "二、业务经办"

    def test_a_frozen_rubric_is_not_changed(self):
        rubric = services.rubric_create(title="t", year=2025, subject="unit")
        services.rubric_freeze(rubric=rubric)
        with pytest.raises(services.RubricFrozenError):
            services.section_add(rubric=rubric, title="一")


def _values(title, kind="discretionary", params=None, points="3"):
    return {
        "number": "",
        "title": title,
        "requirement": "",
        "rule_text": "",
        "max_points": Decimal(points),
        "kind": kind,
        "params": params or {},
        "bonus": False,
        "penalty": False,
        "na_policy": "none",
        "indicator": "",
    }


@pytest.fixture
def draft(db):
    rubric = services.rubric_create(title="草稿", year=2025, subject="unit")
    section = services.section_add(rubric=rubric, title="一、平台建设")
    services.item_save(rubric=rubric, section=section, values=_values("台账"))
    return rubric


@pytest.mark.django_db
class TestEditorPages:
    def test_the_table_says_what_each_rule_will_do(self, client_for, draft):
        page = client_for("admin").get(reverse("rubrics:edit", args=[draft.pk]))
        text = page.content.decode()
        assert "考核人酌情给分，0 至 3 分，按 0.5 分一档" in text
        assert "rubrics/_checks_panel.html" not in text  # the include renders

    def test_an_item_saved_with_a_bad_parameter_shows_the_form_with_the_error(
        self, client_for, draft
    ):
        url = reverse("rubrics:item_add", args=[draft.pk, draft.sections.get().pk])
        body = {
            "section": str(draft.sections.get().pk),
            "title": "受到表彰",
            "max_points": "2",
            "bonus": "on",
            "na_policy": "none",
            "kind": "additive_bonus",
        }
        page = client_for("admin").post(url, body)
        assert page.status_code == 200
        assert "请至少填写一行「级别」" in page.content.decode()
        assert draft.items.count() == 1

    def test_an_item_without_a_section_is_told_to_pick_one(self, client_for, draft):
        url = reverse("rubrics:item_add", args=[draft.pk, draft.sections.get().pk])
        page = client_for("admin").post(
            url, {"title": "x", "max_points": "2", "na_policy": "none", "kind": "discretionary"}
        )
        assert "请选择本项所属的部分" in page.content.decode()

    def test_a_penalty_item_is_outside_the_hundred_points_without_ticking_twice(
        self, client_for, draft
    ):
        section = draft.sections.get()
        url = reverse("rubrics:item_add", args=[draft.pk, section.pk])
        body = {
            "section": str(section.pk),
            "title": "违规经办",
            "na_policy": "none",
            "kind": "penalty",
            "p-penalty-per": "2",
            "p-penalty-removes_award_eligibility": "on",
        }
        page = client_for("admin").post(url, body, follow=True)
        assert "在 100 分以外扣分：每发生 1 次扣 2 分，并取消评先评优资格" in page.content.decode()
        item = draft.items.get(title="违规经办")
        assert item.penalty and item.max_points == 0
        assert engine_rubric_for(draft).item(item.key).penalty

    def test_deleting_a_section_asks_first_and_says_what_goes(self, client_for, draft):
        client = client_for("admin")
        section = draft.sections.get()
        url = reverse("rubrics:edit", args=[draft.pk])
        page = client.post(url, {"action": "section_delete", "section": section.pk})
        assert "其中的 1 项评分细则将从这份评分标准中删除" in page.content.decode()
        assert draft.sections.exists()
        done = client.post(
            url, {"action": "section_delete", "section": section.pk, "confirm": "yes"}, follow=True
        )
        assert "已删除部分「一、平台建设」及其 1 项评分细则" in done.content.decode()
        assert not draft.sections.exists()

    def test_settings_refuse_a_quota_grade_that_is_not_a_band(self, client_for, draft):
        page = client_for("admin").post(
            reverse("rubrics:edit", args=[draft.pk]), _settings(quota_grade="特优")
        )
        assert "「特优」不是上面的等次" in page.content.decode()
        draft.refresh_from_db()
        assert draft.quota_grade == ""

    def test_settings_turn_the_self_column_off_knowingly(self, client_for, draft):
        body = _settings(quota_grade="优秀", quota_percent="30")
        del body["col_self_on"]
        client_for("admin").post(reverse("rubrics:edit", args=[draft.pk]), body)
        draft.refresh_from_db()
        assert draft.columns["self"] is None and draft.columns["review"] == "考核得分"
        assert draft.quota_grade == "优秀" and draft.quota_percent == 30
        assert engine_rubric_for(draft).columns.self is None

    def test_a_frozen_rubric_shows_read_only(self, client_for, draft):
        services.rubric_freeze(rubric=draft)
        client = client_for("admin")
        page = client.get(reverse("rubrics:edit", args=[draft.pk])).content.decode()
        assert "已冻结" in page and "在这一部分添加评分细则" not in page
        refused = client.post(reverse("rubrics:edit", args=[draft.pk]), _settings())
        assert refused.status_code == 403

    def test_the_live_sentence_is_built_from_the_fields_as_typed(self, client_for, draft):
        url = reverse("rubrics:item_describe", args=[draft.pk])
        query = {"kind": "shortfall_step", "max_points": "3", "p-shortfall_step-step": "10"}
        query |= {"p-shortfall_step-points": "1", "p-shortfall_step-unit": "人"}
        answer = client_for("admin").get(url, query).json()
        assert answer == {
            "sentence": "比目标每少 10 人扣 1 分，不足一档不扣，扣完为止，最多扣 3 分"
        }

    def test_the_list_shows_versions_and_state(self, client_for, draft):
        page = client_for("admin").get(reverse("rubrics:list")).content.decode()
        assert "草稿" in page and "第 1 版" in page

    def test_administrators_see_the_rubric_link_in_the_menu(self, client_for, draft):
        assert "评分标准" in client_for("admin").get("/").content.decode()
        assert reverse("rubrics:list") not in client_for("reviewer_a").get("/").content.decode()


def _settings(**given):
    body = {
        "action": "settings",
        "title": "草稿",
        "veto_grade": "不合格",
        "fallback_grade": "不合格",
        "fallback_subsidy_percent": "0",
        "quota_scope": "cycle",
        "quota_enforced": "0",
        "band-TOTAL_FORMS": "3",
        "band-INITIAL_FORMS": "0",
        "band-0-label": "优秀",
        "band-0-min_score": "90",
        "band-0-subsidy_percent": "120",
        "band-1-label": "合格",
        "band-1-min_score": "75",
        "band-1-subsidy_percent": "100",
        "band-2-label": "",
        "col_self_on": "on",
        "col_number_on": "on",
        "col_project_on": "on",
        "col_requirement_on": "on",
        "col_rule_on": "on",
    }
    body.update(given)
    return body
