"""Demo organisation tree from fixtures/demo_units.yaml (names from the seed documents)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from targets.models import Unit, UnitAlias

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
