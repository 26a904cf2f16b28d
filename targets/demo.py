"""Demo organisation tree from fixtures/demo_units.yaml (names from the seed documents)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from org.models import Unit, UnitAlias

DEMO_UNITS = Path(settings.BASE_DIR) / "fixtures" / "demo_units.yaml"


@transaction.atomic
def load_demo_units(path: Path = DEMO_UNITS) -> int:
    """Create the tree if missing; existing units are left as they are. Returns units created."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    for b_order, bureau_data in enumerate(data["bureaus"]):
        bureau, made = _ensure(bureau_data, Unit.Kind.BUREAU, None, b_order)
        created += made
        for t_order, town_data in enumerate(bureau_data.get("towns", [])):
            town, made = _ensure(town_data, town_data["kind"], bureau, t_order)
            created += made
            for c_order, child in enumerate(town_data.get("children", [])):
                _unit, made = _ensure(child, child["kind"], town, c_order)
                created += made
    return created


def _ensure(entry: dict, kind: str, parent, order: int):
    unit, made = Unit.objects.get_or_create(
        parent=parent, name=entry["name"], defaults={"kind": kind, "sort_order": order}
    )
    for alias in entry.get("aliases", []):
        UnitAlias.objects.get_or_create(unit=unit, name=alias)
    return unit, int(made)


DEMO_TARGET_TABLES = Path(settings.BASE_DIR) / "fixtures" / "targets"
# (file, year, create units). 新建 附件5 names 矶山（二轻公司）, which is not one of the 18
# units of 附件3: it is created as a town-level unit of kind 开发区/园区 under 新建区.
DEMO_TARGET_FILES = (
    ("hutang-2014-fujian1.xlsx", 2014, False),
    ("rugao-2018-fujian1.xlsx", 2018, False),
    ("rugao-2018-fujian2.xlsx", 2018, False),
    ("xinjian-2021-fujian3.xlsx", 2021, False),
    ("xinjian-2021-fujian5.xlsx", 2021, True),
)


def load_demo_targets(folder: Path = DEMO_TARGET_TABLES) -> str:
    """Import the seed target tables (after load_demo_units). Idempotent: a table already
    imported unchanged is not imported again. Returns one line per table."""
    from targets.importing import CHANGED, NEW, commit_import, preview_import

    lines = []
    for file_name, year, create_units in DEMO_TARGET_FILES:
        path = folder / file_name
        preview = preview_import(
            data=path.read_bytes(), file_name=file_name, year=year, create_units=create_units
        )
        if preview.errors:
            lines.append(f"目标任务 {file_name}：未导入（{preview.errors[0]}）")
            continue
        counts = preview.counts
        if counts[NEW] or counts[CHANGED]:
            commit_import(preview=preview)
        lines.append(f"目标任务 {file_name}：新增 {counts[NEW]}，修改 {counts[CHANGED]}。")
    return "\n".join(lines)
