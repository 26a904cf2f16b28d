"""Rubric versions: a frozen version is never changed, 复制为新版本 copies everything, and the
comparison says item by item what changed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from rubrics.convert import rubric_as_dict
from rubrics.models import Item, Rubric
from rubrics.services import (
    RubricFrozenError,
    rubric_ensure_editable,
    rubric_freeze,
    rubric_new_version,
)
from rubrics.version_compare import compare_rubrics, rule_in_words
from tests.conftest import import_seed_rubric

SEED_CODES = [
    "changzhou-community",
    "changzhou-village",
    "hutang-2014-community",
    "rugao-2018-town",
    "xinjian-2021-window",
    "xinyi-coordinator",
]


def _without_version(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


@pytest.mark.django_db
class TestFrozenVersions:
    def test_a_frozen_version_refuses_changes_and_says_to_copy_it(self):
        rubric = import_seed_rubric("changzhou-community")
        rubric_ensure_editable(rubric)  # a draft may change
        rubric_freeze(rubric=rubric)
        with pytest.raises(RubricFrozenError, match="复制为新版本"):
            rubric_ensure_editable(rubric)

    def test_a_version_frozen_since_it_was_loaded_is_refused_too(self):
        rubric = import_seed_rubric("changzhou-community")
        stale = Rubric.objects.get(pk=rubric.pk)
        rubric_freeze(rubric=rubric)
        with pytest.raises(RubricFrozenError):
            rubric_ensure_editable(stale)

    def test_opening_a_cycle_freezes_its_rubric(self, world):
        assert world.cycle.rubric.frozen


@pytest.mark.django_db
class TestCopyAsNewVersion:
    @pytest.mark.parametrize(
        "code", ["changzhou-community", "rugao-2018-town", "xinyi-coordinator"]
    )
    def test_the_copy_has_every_band_section_item_parameter_column_and_quota(self, code):
        rubric = import_seed_rubric(code)
        rubric_freeze(rubric=rubric)
        new = rubric_new_version(rubric=rubric)
        assert (new.version, new.frozen) == (rubric.version + 1, False)
        assert _without_version(rubric_as_dict(new)) == _without_version(rubric_as_dict(rubric))

    def test_the_copy_keeps_the_tie_rule_and_printed_columns(self):
        rubric = import_seed_rubric("changzhou-community")
        new = rubric_new_version(rubric=rubric)
        assert new.quota_tie_break == ["section:s3", "base_total"]
        assert new.columns["self"] == "自评得分"
        assert new.grade_bands.count() == rubric.grade_bands.count() == 3

    def test_the_confirmation_says_what_will_be_made(self, world, client_for):
        rubric = import_seed_rubric("changzhou-community")
        page = client_for("admin").get(reverse("rubrics:copy", args=[rubric.pk]))
        text = page.content.decode()
        sections, items = rubric.sections.count(), rubric.items.count()
        assert (
            f"将复制「{rubric.title}」第 1 版为第 2 版草稿，含 {sections} 个部分、{items} 项。"
            in text
        )
        assert Rubric.objects.count() == 1

    def test_copying_makes_the_next_draft_and_says_so(self, world, client_for):
        rubric = import_seed_rubric("changzhou-community")
        rubric_freeze(rubric=rubric)
        client = client_for("admin")
        response = client.post(reverse("rubrics:copy", args=[rubric.pk]), follow=True)
        new = Rubric.objects.get(code=rubric.code, version=2)
        assert not new.frozen
        assert (
            "已将「" in response.content.decode()
            and "复制为第 2 版草稿" in response.content.decode()
        )

    def test_only_administrators_copy(self, world, client_for):
        rubric = import_seed_rubric("changzhou-community")
        response = client_for("reviewer_a").post(reverse("rubrics:copy", args=[rubric.pk]))
        assert response.status_code == 403
        assert Rubric.objects.count() == 1


@pytest.mark.django_db
class TestComparison:
    def _two_versions(self):
        old = import_seed_rubric("changzhou-community")
        rubric_freeze(rubric=old)
        new = rubric_new_version(rubric=old)
        return old, new

    def test_unchanged_copies_compare_as_the_same(self):
        old, new = self._two_versions()
        comparison = compare_rubrics(old.pk, new.pk)
        assert comparison.is_same
        assert comparison.unchanged_items == old.items.count()

    def test_changed_points_and_rule_text_are_shown_item_by_item(self):
        old, new = self._two_versions()
        item = new.items.get(number="6")
        Item.objects.filter(pk=item.pk).update(max_points=Decimal("5"), rule_text="未采集不得分")
        comparison = compare_rubrics(old.pk, new.pk)
        [row] = [i for s in comparison.sections for i in s.items]
        changes = {c.what: (c.before, c.after) for c in row.changes}
        assert row.number == "6"
        assert changes["分值"] == (
            old.items.get(number="6").max_points.normalize().to_eng_string(),
            "5",
        )
        assert changes["评分标准"][1] == "未采集不得分"
        assert comparison.unchanged_items == old.items.count() - 1

    def test_a_renamed_section_an_added_item_and_a_removed_item_are_named(self):
        old, new = self._two_versions()
        section = new.sections.order_by("order").first()
        section.title = "一、社区平台阵地建设"
        section.save()
        removed = new.items.get(number="5")
        removed.delete()
        Item.objects.create(
            section=section,
            rubric=new,
            order=99,
            key="new1",
            number="5",
            title="新增一项",
            max_points=Decimal("2"),
            kind="discretionary",
        )
        rows = compare_rubrics(old.pk, new.pk).sections
        first = rows[0]
        assert first.status == "renamed" and first.before_title == "一、社区平台建设"
        statuses = {(i.title, i.status) for i in first.items}
        assert ("新增一项", "added") in statuses
        assert (removed.title, "removed") in statuses

    @pytest.mark.parametrize("code", SEED_CODES)
    def test_a_rule_is_put_in_words_never_in_english_keys(self, code):
        for item in import_seed_rubric(code).items.all():
            words = rule_in_words(item.kind, item.params)
            assert not re.search(r"[a-z_]{4,}", words), (item.number, words)

    def test_a_choice_and_a_part_s_kind_read_in_words(self):
        assert rule_in_words("shortfall_step", {"step": 10, "points": 1, "partial": "ceil"}) == (
            "每少若干扣分：比目标每少 10 扣 1 分，不足一档按一档扣，扣完为止"
        )
        parts = {
            "components": [{"key": "a", "label": "宣传", "max_points": 1, "kind": "discretionary"}]
        }
        assert "宣传 1 分（考核人酌情给分" in rule_in_words("composite", parts)

    def test_band_and_quota_changes_are_listed(self):
        old, new = self._two_versions()
        new.grade_bands.filter(label="优秀").update(min_score=Decimal("92"))
        Rubric.objects.filter(pk=new.pk).update(quota_percent=Decimal("25"))
        comparison = compare_rubrics(old.pk, new.pk)
        assert [c.what for c in comparison.bands] == ["等次「优秀」"]
        assert "92 分以上" in comparison.bands[0].after
        [quota] = [c for c in comparison.settings if c.what == "限额"]
        assert "30%" in quota.before and "25%" in quota.after

    def test_the_page_defaults_to_the_latest_two_versions(self, world, client_for):
        old, new = self._two_versions()
        Item.objects.filter(rubric=new, number="6").update(max_points=Decimal("5"))
        page = client_for("admin").get(reverse("rubrics:compare"))
        text = page.content.decode()
        assert page.status_code == 200
        assert "第 1 版 → 第 2 版" in text and "1 项有变化" in text

    def test_versions_of_different_rubrics_are_not_compared(self, world, client_for):
        old, new = self._two_versions()
        other = import_seed_rubric("rugao-2018-town")
        url = reverse("rubrics:compare") + f"?a={other.pk}&b={new.pk}"
        text = client_for("admin").get(url).content.decode()
        assert "不是同一评分标准" in text and "第 1 版 → 第 2 版" in text

    def test_another_rubric_is_picked_by_its_code(self, world, client_for):
        self._two_versions()
        other = import_seed_rubric("rugao-2018-town")
        url = reverse("rubrics:compare") + "?code=changzhou-community"
        text = client_for("admin").get(url).content.decode()
        assert "第 1 版 → 第 2 版" in text and other.title in text  # offered in the picker

    def test_a_rubric_with_one_version_offers_to_copy_it(self, world, client_for):
        rubric = import_seed_rubric("rugao-2018-town")
        text = client_for("admin").get(reverse("rubrics:compare")).content.decode()
        assert "只有一个版本" in text
        assert reverse("rubrics:copy", args=[rubric.pk]) in text
