"""Actuals (完成数) entered in the browser, recorded like an import for the audit history."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from org.models import Unit
from targets.models import Achievement, ImportBatch, ImportChange, Indicator

WEB_SOURCE = "网页录入"


@transaction.atomic
def actuals_save(
    *,
    year: int,
    indicator: Indicator,
    entries: dict[Unit, tuple[Decimal, Decimal | None]],
    as_of: date,
    user,
) -> ImportBatch | None:
    """Store the actuals of some units; units left out keep what they had. None if nothing changed."""
    existing = {
        a.unit_id: a
        for a in Achievement.objects.select_for_update().filter(
            year=year, indicator=indicator, unit__in=list(entries)
        )
    }
    now = timezone.now()
    creates, updates, changes = [], [], []
    for unit, (actual, sub) in entries.items():
        old = existing.get(unit.pk)
        if (
            old is not None
            and old.actual == actual
            and old.sub_actual == sub
            and old.as_of == as_of
        ):
            continue
        changes.append(
            ImportChange(
                unit=unit,
                indicator=indicator,
                action=ImportChange.Action.CHANGED if old else ImportChange.Action.NEW,
                old_value=old.actual if old else None,
                old_sub=old.sub_actual if old else None,
                new_value=actual,
                new_sub=sub,
            )
        )
        if old is None:
            creates.append(
                Achievement(
                    year=year, indicator=indicator, unit=unit, actual=actual, sub_actual=sub,
                    as_of=as_of, entered_by=user, source=WEB_SOURCE,
                )
            )  # fmt: skip
        else:
            old.actual, old.sub_actual, old.as_of = actual, sub, as_of
            old.entered_by, old.source, old.updated_at = user, WEB_SOURCE, now
            updates.append(old)
    if not changes:
        return None
    Achievement.objects.bulk_create(creates)
    Achievement.objects.bulk_update(
        updates, ["actual", "sub_actual", "as_of", "entered_by", "source", "updated_at"]
    )
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.ACTUALS,
        year=year,
        source=WEB_SOURCE,
        created_by=user,
        new_count=len(creates),
        changed_count=len(updates),
        unchanged_count=len(entries) - len(changes),
    )
    for change in changes:
        change.batch = batch
    ImportChange.objects.bulk_create(changes)
    return batch
