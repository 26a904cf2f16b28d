"""Copy each ItemScore's self_*/review_* columns into one row per side, and each sheet's
self_total/review_total into SideTotal rows.

A side gets a row only if it holds something (an input, a score, an explanation or a note);
the existing row (its id) goes to the first such side, self before review, and a second row
is created for review when both sides hold something. A row that holds nothing on either side
(every value cleared again) is deleted: it showed and counted as no row. History (Change)
refers to the sheet and the item, not to the score row, so it needs no change. Reversible
while only these two sides exist.
"""

from django.db import migrations

OLD_SIDES = ("self", "review")  # the sides the old columns held, frozen here
FIELDS = ("input", "score", "explanation", "note")
CHUNK = 2000


def _old(row, side):
    return {f: getattr(row, f"{side}_{f}") for f in FIELDS}


def _holds(values) -> bool:
    return (
        values["input"] is not None
        or values["score"] is not None
        or bool(values["explanation"])
        or bool(values["note"])
    )


def _chunks(ids):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def split_sides(apps, schema_editor):
    ItemScore = apps.get_model("assessments", "ItemScore")
    SideTotal = apps.get_model("assessments", "SideTotal")
    Assessment = apps.get_model("assessments", "Assessment")
    db = schema_editor.connection.alias
    scores = ItemScore.objects.using(db)
    ids = list(scores.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids):
        kept, added, empty = [], [], []
        for row in scores.filter(pk__in=chunk).order_by("pk"):
            sides = [(s, v) for s in OLD_SIDES if _holds(v := _old(row, s))]
            if not sides:
                empty.append(row.pk)
                continue
            (first, values), *others = sides
            row.side = first
            for f in FIELDS:
                setattr(row, f, values[f])
            kept.append(row)
            for side, values in others:
                added.append(
                    ItemScore(
                        assessment_id=row.assessment_id, item_id=row.item_id, side=side, **values
                    )
                )
        scores.bulk_update(kept, ["side", *FIELDS], batch_size=500)
        scores.bulk_create(added, batch_size=500)
        scores.filter(pk__in=empty).delete()
    totals = [
        SideTotal(assessment_id=pk, side=side, total=total)
        for pk, *by_side in Assessment.objects.using(db).values_list(
            "pk", *(f"{s}_total" for s in OLD_SIDES)
        )
        for side, total in zip(OLD_SIDES, by_side, strict=True)
        if total is not None
    ]
    SideTotal.objects.using(db).bulk_create(totals, batch_size=500)


def merge_sides(apps, schema_editor):
    ItemScore = apps.get_model("assessments", "ItemScore")
    SideTotal = apps.get_model("assessments", "SideTotal")
    Assessment = apps.get_model("assessments", "Assessment")
    db = schema_editor.connection.alias
    scores = ItemScore.objects.using(db)
    other = scores.exclude(side__in=OLD_SIDES).values_list("side", flat=True).first()
    if other is not None:
        raise RuntimeError(f"Scores of the side {other!r} have no column to go back to.")
    keepers: dict = {}
    merged = []
    for row in scores.order_by("pk"):
        keeper = keepers.setdefault((row.assessment_id, row.item_id), row)
        if keeper is not row:
            merged.append(row.pk)
        for f in FIELDS:
            setattr(keeper, f"{row.side}_{f}", getattr(row, f))
    old_fields = [f"{s}_{f}" for s in OLD_SIDES for f in FIELDS]
    scores.bulk_update(list(keepers.values()), old_fields, batch_size=500)
    for chunk in _chunks(merged):
        scores.filter(pk__in=chunk).delete()
    sheets = Assessment.objects.using(db)
    for total in SideTotal.objects.using(db).filter(side__in=OLD_SIDES):
        sheets.filter(pk=total.assessment_id).update(**{f"{total.side}_total": total.total})


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_side_rows"),
    ]

    operations = [migrations.RunPython(split_sides, merge_sides)]
