from django.db import transaction

from org.models import Unit, UnitAlias
from org.naming import normalize_name


@transaction.atomic
def unit_update(*, unit: Unit, name: str, active: bool, aliases: list[str]) -> Unit:
    unit.name = name
    unit.normalized_name = normalize_name(name)
    unit.active = active
    unit.full_clean()
    unit.save()
    wanted = {a.strip() for a in aliases if a.strip()}
    unit.aliases.exclude(name__in=wanted).delete()
    existing = set(unit.aliases.values_list("name", flat=True))
    UnitAlias.objects.bulk_create(UnitAlias(unit=unit, name=n) for n in sorted(wanted - existing))
    return unit
