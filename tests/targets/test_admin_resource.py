"""The django-import-export resource behind the admin's import with preview and confirm."""

import tablib
from django.urls import reverse

from targets.models import ImportBatch, ImportChange, TargetAllocation
from targets.resources import TargetAllocationResource
from tests.targets.helpers import D, allocations

HEADERS = ["年度", "单位", "指标", "目标值", "其中目标值"]


def dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


class TestTargetAllocationResource:
    def test_dry_run_previews_and_writes_nothing(self, world):
        result = TargetAllocationResource().import_data(
            dataset([2024, "淹 城 社 区", "社保扩面人数（人）", "40", ""]), dry_run=True
        )
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["new"] == 1
        assert TargetAllocation.objects.count() == 0 and ImportBatch.objects.count() == 0

    def test_confirmed_import_matches_units_by_name_and_records_the_changes(self, world):
        admin = world.users["admin"]
        TargetAllocationResource().import_data(
            dataset([2024, "淹城社区", "技能提升培训（其中鉴定取证）（人）", "450", "170"]),
            user=admin,
            file_name="a.xlsx",
        )
        assert allocations(2024) == {("淹城社区", "技能提升培训"): (D(450), D(170))}
        result = TargetAllocationResource().import_data(
            dataset([2024, "淹城社区", "技能提升培训", "500", "170"]),
            user=admin,
            file_name="b.xlsx",
        )
        assert result.totals["update"] == 1
        change = ImportChange.objects.filter(batch__source="管理后台：b.xlsx").get()
        assert (change.old_value, change.new_value) == (450, 500)

    def test_unknown_unit_is_a_row_error_naming_the_closest(self, world):
        result = TargetAllocationResource().import_data(
            dataset([2024, "淹成社区", "社保扩面人数", "40", ""]), dry_run=True
        )
        assert result.has_errors() or result.has_validation_errors()
        message = " ".join(
            [str(e.error) for _n, errors in result.row_errors() for e in errors]
            + [str(r.error) for r in result.invalid_rows]
        )
        assert "单位「淹成社区」不在系统中。最接近的有：「淹城社区」" in message

    def test_negative_target_is_invalid(self, world):
        result = TargetAllocationResource().import_data(
            dataset([2024, "淹城社区", "社保扩面人数", "-1", ""]), dry_run=True
        )
        assert result.has_validation_errors()
        assert TargetAllocation.objects.count() == 0

    def test_export_writes_names_not_ids(self, world):
        TargetAllocationResource().import_data(
            dataset([2024, "淹城社区", "新增就业（人）", "40", ""])
        )
        exported = TargetAllocationResource().export()
        assert exported.dict[0]["单位"] == "淹城社区"
        assert exported.dict[0]["指标"] == "新增就业（人）"


class TestAdminPages:
    def test_admin_import_page_opens(self, world, client_for):
        response = client_for("admin").get(reverse("admin:targets_targetallocation_import"))
        assert response.status_code == 200

    def test_admin_import_preview_then_confirm(self, world, client_for):
        import re

        from django.core.files.uploadedfile import SimpleUploadedFile

        client = client_for("admin")
        csv_text = "年度,单位,指标,目标值,其中目标值\n2024,淹城社区,社保扩面人数,40,\n"
        url = reverse("admin:targets_targetallocation_import")
        page = client.post(
            url,
            {
                "resource": "0",
                "format": "0",
                "import_file": SimpleUploadedFile("t.csv", csv_text.encode("utf-8")),
            },
        )
        text = page.content.decode()
        assert page.status_code == 200 and TargetAllocation.objects.count() == 0
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', text))
        assert "import_file_name" in fields, text[:3000]
        confirm = client.post(
            reverse("admin:targets_targetallocation_process_import"),
            {
                k: fields[k]
                for k in ("import_file_name", "original_file_name", "format", "resource")
                if k in fields
            },
        )
        assert confirm.status_code == 302
        assert allocations(2024) == {("淹城社区", "社保扩面人数"): (D(40), None)}
        assert ImportBatch.objects.get().changes.count() == 1
