"""A target table saved by LibreOffice or WPS as .ods imports like the .xlsx one."""

from decimal import Decimal

from targets.importing import commit_import, preview_import
from targets.models import TargetAllocation
from tests.ods import ods


def test_an_ods_target_table_is_previewed_and_committed(world):
    data = ods(
        [
            ["2024年目标任务分解表"],
            ["序号", "单位", "社保扩面人数（人）", "完成率"],
            [1, "淹城社区", 40, ("percentage", 0.85)],
            ["合计", None, 40, None],
        ]
    )
    preview = preview_import(data=data, file_name="目标.ods", year=2024)
    assert preview.errors == []
    assert preview.counts == {"new": 2, "changed": 0, "unchanged": 0}
    commit_import(preview=preview)
    stored = dict(
        TargetAllocation.objects.filter(year=2024).values_list("indicator__name", "target")
    )
    assert stored == {"社保扩面人数": Decimal("40"), "完成率": Decimal("85")}
