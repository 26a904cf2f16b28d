"""The pages: upload → preview → confirm, exports, completion, actuals entered by reviewers."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from org.models import Unit
from targets.models import Achievement, ImportBatch, Indicator, TargetAllocation
from tests.conftest import login_verified
from tests.targets.helpers import D, allocations, database_snapshot, xlsx

HEADER = [["测试目标分解表"], ["序号", "单位", "社保扩面人数", "公积金扩面人数"]]
GOOD = xlsx(HEADER + [[1, "淹城社区", 40, 50], [2, "何留社区", 5, 5], ["合计", None, 45, 56]])


@pytest.fixture
def units(world):
    Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    return world


def upload(client, data, name="t.xlsx", **fields):
    payload = {"file": SimpleUploadedFile(name, data), "year": 2024, "mode": "targets", **fields}
    return client.post(reverse("targets:target_import"), payload)


class TestUploadPreviewConfirm:
    def test_upload_shows_the_preview_and_writes_nothing(self, units, client_for):
        client = client_for("admin")
        response = upload(client, GOOD)
        assert response.status_code == 302
        page = client.get(response["Location"])
        text = page.content.decode()
        assert page.status_code == 200
        assert "新增 <strong>4</strong>" in text
        assert "指标「公积金扩面人数」的合计为 56，各单位之和为 55，两者不一致" in text
        assert "确认导入" in text
        assert TargetAllocation.objects.count() == 0

    def test_confirm_writes_and_records_the_batch(self, units, client_for):
        client = client_for("admin")
        preview_url = upload(client, GOOD)["Location"]
        response = client.post(preview_url)
        batch = ImportBatch.objects.get()
        assert response["Location"] == reverse("targets:import_batch", args=[batch.pk])
        assert batch.new_count == 4 and batch.created_by.username == "admin"
        assert len(batch.warnings) == 1
        assert allocations(2024)[("淹城社区", "社保扩面人数")] == (D(40), None)
        assert client.post(preview_url).status_code == 404  # the upload is gone

    def test_confirm_parses_the_stored_file_again(self, units, client_for, settings):
        client = client_for("admin")
        preview_url = upload(client, GOOD)["Location"]
        token = preview_url.rstrip("/").split("/")[-1]
        changed = xlsx(HEADER + [[1, "淹城社区", 41, 50]])
        (Path(settings.MEDIA_ROOT) / "imports" / token / "upload.bin").write_bytes(changed)
        client.post(preview_url, {"new": "999"})
        assert allocations(2024) == {
            ("淹城社区", "社保扩面人数"): (D(41), None),
            ("淹城社区", "公积金扩面人数"): (D(50), None),
        }

    def test_confirm_after_a_database_change_is_refused_and_shows_the_new_preview(
        self, units, client_for
    ):
        client = client_for("admin")
        preview_url = upload(client, GOOD)["Location"]
        client.get(preview_url)  # the preview the person saw: four new values
        indicator = Indicator.objects.create(name="社保扩面人数")
        TargetAllocation.objects.create(
            year=2024, unit=Unit.objects.get(name="淹城社区"), indicator=indicator, target=7
        )
        response = client.post(preview_url)
        text = response.content.decode()
        assert response.status_code == 200
        assert "预览之后文件或系统中的数据有变化，未导入任何内容" in text
        assert "修改 <strong>1</strong>" in text
        assert not ImportBatch.objects.exists()
        assert allocations(2024) == {("淹城社区", "社保扩面人数"): (D(7), None)}
        # The page now shows the new plan; confirming that one writes it.
        client.post(preview_url)
        assert ImportBatch.objects.get().changed_count == 1
        assert allocations(2024)[("淹城社区", "社保扩面人数")] == (D(40), None)

    def test_confirm_of_a_file_changed_since_the_preview_is_refused(
        self, units, client_for, settings
    ):
        client = client_for("admin")
        preview_url = upload(client, GOOD)["Location"]
        client.get(preview_url)
        token = preview_url.rstrip("/").split("/")[-1]
        changed = xlsx(HEADER + [[1, "淹城社区", 41, 50]])
        (Path(settings.MEDIA_ROOT) / "imports" / token / "upload.bin").write_bytes(changed)
        text = client.post(preview_url).content.decode()
        assert "预览之后文件或系统中的数据有变化" in text
        assert TargetAllocation.objects.count() == 0

    def test_reupload_preview_shows_old_and_new(self, units, client_for):
        client = client_for("admin")
        client.post(upload(client, GOOD)["Location"])
        changed = xlsx(HEADER + [[1, "淹城社区", 42, 50], [2, "何留社区", 5, 5]])
        text = client.get(upload(client, changed)["Location"]).content.decode()
        assert "修改 <strong>1</strong>" in text and "未变 <strong>3</strong>" in text
        assert '<td class="num">40</td>' in text and '<td class="num">42</td>' in text

    def test_another_admin_cannot_use_someone_elses_upload(self, units, client_for):
        from accounts.models import User

        preview_url = upload(client_for("admin"), GOOD)["Location"]
        other = User.objects.create_user("admin2", role=User.Role.ADMIN)
        client = login_verified(client_for("admin"), other)  # with the second factor passed
        assert client.post(preview_url).status_code == 404
        assert TargetAllocation.objects.count() == 0

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"PK\x03\x04garbage", "已损坏"),
            ("单位,目标\n淹城社区,1\n".encode(), "看起来是文本文件"),
            (xlsx([["淹城社区", 1]]), "没有可识别的表头"),
        ],
    )
    def test_bad_file_shows_the_message_and_no_confirm_button(
        self, units, client_for, data, message
    ):
        client = client_for("admin")
        before = database_snapshot()
        page = client.get(upload(client, data)["Location"])
        text = page.content.decode()
        assert page.status_code == 200 and message in text
        assert "确认导入" not in text
        assert client.post(page.request["PATH_INFO"]).status_code == 200
        assert database_snapshot() == before

    @override_settings(TARGET_IMPORT_MAX_BYTES=1024)
    def test_file_over_the_limit_is_refused_with_its_size(self, units, client_for):
        response = upload(client_for("admin"), GOOD)
        assert response.status_code == 200
        assert "超过导入上限 0.0 MB" in response.content.decode()

    def test_reviewer_cannot_upload(self, units, client_for):
        assert upload(client_for("reviewer_a"), GOOD).status_code == 403
        assert TargetAllocation.objects.count() == 0

    def test_actuals_mode_on_the_upload_page(self, units, client_for):
        client = client_for("admin")
        client.post(upload(client, GOOD)["Location"])
        actuals = xlsx(HEADER + [[1, "淹城社区", 30, 20]])
        url = upload(client, actuals, mode="actuals", as_of="2024-06-30")["Location"]
        client.post(url)
        achievement = Achievement.objects.get(unit=units.unit_a, indicator__name="社保扩面人数")
        assert achievement.actual == 30 and str(achievement.as_of) == "2024-06-30"


def seed(world):
    indicator = Indicator.objects.create(name="社保扩面人数", measure="人")
    heliu = Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    for unit, target in ((world.unit_a, 40), (heliu, 5), (world.unit_b, 10)):
        TargetAllocation.objects.create(year=2024, indicator=indicator, unit=unit, target=target)
    Achievement.objects.create(
        year=2024, indicator=indicator, unit=world.unit_a, actual=30, as_of="2024-06-30"
    )
    Achievement.objects.create(
        year=2024, indicator=indicator, unit=heliu, actual=6, as_of="2024-06-30"
    )
    return indicator, heliu


class TestExports:
    def test_json_download_holds_the_visible_units_only(self, world, client_for):
        seed(world)
        url = reverse("targets:target_export", args=[2024, "json"])
        everything = json.loads(client_for("admin").get(url).content)
        mine = json.loads(client_for("reviewer_a").get(url).content)
        assert len(everything) == 3
        assert {i["unit"] for i in mine} == {"淹城社区", "何留社区"}

    def test_xlsx_download_reimports_identically(self, world, client_for):
        from targets.importing import run_import

        seed(world)
        response = client_for("admin").get(
            reverse("targets:target_export", args=[2024, "xlsx"]) + "?orientation=columns"
        )
        assert response["Content-Disposition"].endswith('.xlsx"')
        first = allocations(2024)
        TargetAllocation.objects.all().delete()
        preview, batch = run_import(data=response.content, file_name="e.xlsx", year=2024)
        assert preview.errors == [] and allocations(2024) == first

    def test_unknown_format_is_404(self, world, client_for):
        seed(world)
        url = reverse("targets:target_export", args=[2024, "pdf"])
        assert client_for("admin").get(url).status_code == 404


class TestCompletionPage:
    def test_rates_and_bars(self, world, client_for):
        indicator, _heliu = seed(world)
        text = (
            client_for("admin")
            .get(reverse("targets:completion", args=[indicator.pk]))
            .content.decode()
        )
        assert "75%" in text and "120%" in text  # 30/40 and 6/5
        assert 'class="pct-75"' in text and 'class="pct-100"' in text  # bar capped
        assert "未填报" in text  # 东陈村 has a target but no actual

    def test_reviewer_sees_only_their_town(self, world, client_for):
        indicator, _ = seed(world)
        text = (
            client_for("reviewer_b")
            .get(reverse("targets:completion", args=[indicator.pk]))
            .content.decode()
        )
        assert "东陈村" in text and "淹城社区" not in text

    def test_filter_by_town_and_sort_by_rate(self, world, client_for):
        indicator, _ = seed(world)
        url = reverse("targets:completion", args=[indicator.pk])
        text = client_for("admin").get(f"{url}?town={world.town_a.pk}&sort=-rate").content.decode()
        assert "东陈村" not in text
        assert text.index("何留社区") < text.index("淹城社区")  # 120% before 75%
        text = client_for("admin").get(f"{url}?town={world.town_a.pk}&sort=rate").content.decode()
        assert text.index("淹城社区") < text.index("何留社区")

    def test_queries_do_not_grow_with_the_units(
        self, world, client_for, django_assert_max_num_queries
    ):
        indicator, _ = seed(world)
        client = client_for("admin")
        url = reverse("targets:completion", args=[indicator.pk])
        client.get(url)
        for n in range(30):
            unit = Unit.objects.create(
                name=f"新社区{n}", kind=Unit.Kind.COMMUNITY, parent=world.town_a
            )
            TargetAllocation.objects.create(year=2024, indicator=indicator, unit=unit, target=n)
        # 12 before the header's unread-notice count and the per-town chart's GROUP BY
        with django_assert_max_num_queries(14):
            client.get(url)


class TestActualEntry:
    def url(self, indicator, town):
        return reverse("targets:actual_entry", args=[indicator.pk, town.pk]) + "?year=2024"

    def test_reviewer_enters_actuals_for_the_units_of_their_town(self, world, client_for):
        indicator, heliu = seed(world)
        client = client_for("reviewer_a")
        page = client.get(self.url(indicator, world.town_a)).content.decode()
        assert "淹城社区" in page and "东陈村" not in page
        response = client.post(
            self.url(indicator, world.town_a),
            {"as_of": "2024-09-30", f"actual_{world.unit_a.pk}": "35", f"actual_{heliu.pk}": ""},
        )
        assert response.status_code == 302
        achievement = Achievement.objects.get(unit=world.unit_a)
        assert achievement.actual == Decimal(35) and achievement.source == "网页录入"
        assert Achievement.objects.get(unit=heliu).actual == 6  # left empty: unchanged
        change = ImportBatch.objects.get().changes.get()
        assert (change.old_value, change.new_value) == (30, 35)

    def test_bad_number_is_refused_and_nothing_is_saved(self, world, client_for):
        indicator, heliu = seed(world)
        response = client_for("reviewer_a").post(
            self.url(indicator, world.town_a),
            {"as_of": "2024-09-30", f"actual_{world.unit_a.pk}": "3五", f"actual_{heliu.pk}": "-1"},
        )
        text = response.content.decode()
        assert response.status_code == 200
        assert "「淹城社区」：请输入数字。" in text and "「何留社区」：不能为负数。" in text
        assert Achievement.objects.get(unit=world.unit_a).actual == 30

    def test_viewer_may_not_post(self, world, client_for):
        indicator, _ = seed(world)
        response = client_for("viewer").post(
            self.url(indicator, world.town_a),
            {"as_of": "2024-09-30", f"actual_{world.unit_a.pk}": "1"},
        )
        assert response.status_code == 403
        assert Achievement.objects.get(unit=world.unit_a).actual == 30

    def test_reviewer_of_another_town_gets_404(self, world, client_for):
        indicator, _ = seed(world)
        response = client_for("reviewer_b").post(
            self.url(indicator, world.town_a),
            {"as_of": "2024-09-30", f"actual_{world.unit_a.pk}": "1"},
        )
        assert response.status_code == 404
