"""Batch prints were rows of printing.PrintJob; they become jobs of the same kind, with
their file, progress and error, so nobody's finished PDF disappears."""

from django.db import migrations


def copy_print_jobs(apps, schema_editor):
    PrintJob = apps.get_model("printing", "PrintJob")
    Job = apps.get_model("jobs", "Job")
    for old in PrintJob.objects.order_by("pk").iterator():
        job = Job.objects.create(
            kind=old.kind,
            title=old.title,
            params=old.params,
            requested_by_id=old.requested_by_id,
            state=old.state,
            stage=old.stage,
            progress_done=old.progress_done,
            progress_total=old.progress_total,
            error=old.error,
            result=old.result.name if old.result else "",
            filename=f"{old.title or old.kind}-{old.pk}.pdf" if old.result else "",
            pages=old.pages,
            worker=old.worker,
            started_at=old.started_at,
            finished_at=old.finished_at,
        )
        # auto_now_add / auto_now would stamp the copy with today
        Job.objects.filter(pk=job.pk).update(created_at=old.created_at, updated_at=old.updated_at)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("printing", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_print_jobs, migrations.RunPython.noop)]
