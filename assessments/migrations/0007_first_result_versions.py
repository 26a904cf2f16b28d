"""Results stored before versioning become version 1 of their cycle, computed when the
cycle was last computed and by whoever did it; earlier reopenings are marked as such so the
history of results can show their reasons."""

from django.db import migrations

REOPENED = "cycle_reopened"
# How a reopening was recorded before: a state change from 已定稿 back to 审核中, with a reason.
OLD_REOPEN = {"what": "cycle_state", "old": "已定稿", "new": "审核中"}


def forward(apps, schema_editor):
    Cycle = apps.get_model("assessments", "Cycle")
    Change = apps.get_model("assessments", "Change")
    Result = apps.get_model("assessments", "Result")
    ResultVersion = apps.get_model("assessments", "ResultVersion")
    with_results = Cycle.objects.filter(
        pk__in=Result.objects.values("cycle_id").distinct()
    ).order_by("pk")
    versions = []
    for cycle in with_results:
        last = Change.objects.filter(cycle=cycle, what="computed").order_by("-at", "-id").first()
        at = cycle.computed_at or (last.at if last else cycle.created_at)
        versions.append(
            ResultVersion(
                cycle=cycle, number=1, computed_at=at, computed_by_id=last.user_id if last else None
            )
        )
    ResultVersion.objects.bulk_create(versions)
    Change.objects.filter(**OLD_REOPEN).update(what=REOPENED)


def backward(apps, schema_editor):
    Change = apps.get_model("assessments", "Change")
    Result = apps.get_model("assessments", "Result")
    ResultVersion = apps.get_model("assessments", "ResultVersion")
    if Result.objects.filter(current=False).exists():
        # The schema before versioning holds one set of results per cycle; going back would
        # have to delete the superseded ones, which are the record this migration keeps.
        raise RuntimeError(
            "Superseded results exist; going back before 0007 would lose them. "
            "Export them first and delete them by hand if that is really wanted."
        )
    Change.objects.filter(what=REOPENED).update(what=OLD_REOPEN["what"])
    ResultVersion.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_result_versions")]

    operations = [migrations.RunPython(forward, backward)]
